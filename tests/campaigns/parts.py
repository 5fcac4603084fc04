"""What the composer's content step posts: the plan's fields and its parts."""

from campaigns.models import Plan

PREFIX = "parts"


def content_data(plan: Plan, *, changes: dict | None = None, action: str = "", **fields) -> dict:
    """The content step's form as the browser would post it, unchanged but for
    ``fields`` (the plan's) and ``changes`` ({part index: {field: value}})."""
    parts = list(plan.sections.all())
    data = {
        "section_style": plan.section_style,
        "outline_placement": plan.outline_placement,
        "review_form": plan.review_form,
        "conference_date": plan.conference_date.isoformat() if plan.conference_date else "",
        "lead_commission": plan.lead_commission,
        f"{PREFIX}-TOTAL_FORMS": str(len(parts)),
        f"{PREFIX}-INITIAL_FORMS": str(len(parts)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    for index, part in enumerate(parts):
        row = {
            "id": str(part.pk),
            "position": str(index),
            "title": part.title,
            "body": part.body,
            "block": part.block,
            "wording": part.wording,
        }
        row.update((changes or {}).get(index, {}))
        for name, value in row.items():
            if value is not None and value is not False:
                data[f"{PREFIX}-{index}-{name}"] = "on" if value is True else value
    if action:
        data["action"] = action
    return data
