"""Every plan's fixed sections (purpose, content, form and deadlines,
implementation, closing) become its parts, so that it prints as before."""

from django.db import migrations

DASH = "-"


def parts_from_fields(*, kind_word: str, purpose: str, content_intro: str,
                      outline_annexed: bool, implementation: str, closing: str) -> list[dict]:
    """The parts that print what the fixed builder printed from these fields.

    Kept in the migration (and read by its test): the fields are gone after it.
    """
    outline_block = "outline"
    if outline_annexed and content_intro:
        # The old builder printed no "(Có Đề cương … kèm theo)." after a typed
        # introduction: the annex only.
        outline_block = ""
    return [
        {"title": "MỤC ĐÍCH, YÊU CẦU", "body": purpose},
        {"title": f"NỘI DUNG {kind_word.upper()}", "body": content_intro, "block": outline_block},
        {"title": f"HÌNH THỨC, THỜI GIAN {kind_word.upper()}", "block": "form"},
        {"body": f"<div>2. Thời gian {kind_word}:</div>", "block": "pilots"},
        {"block": "deadlines"},
        {"title": "TỔ CHỨC THỰC HIỆN", "body": implementation},
        {"body": closing},
    ]


def forwards(apps, schema_editor):
    Plan = apps.get_model("campaigns", "Plan")
    PlanSection = apps.get_model("campaigns", "PlanSection")
    parts = []
    for plan in Plan.objects.all().iterator():
        word = "sơ kết" if plan.kind == "interim" else "tổng kết"
        plan.outline_placement = "annex" if plan.outline_annexed else "body"
        plan.section_style = DASH
        plan.save(update_fields=["outline_placement", "section_style"])
        for position, part in enumerate(
            parts_from_fields(
                kind_word=word,
                purpose=plan.purpose,
                content_intro=plan.content_intro,
                outline_annexed=plan.outline_annexed,
                implementation=plan.implementation,
                closing=plan.closing,
            )
        ):
            parts.append(PlanSection(plan=plan, position=position, **part))
    PlanSection.objects.bulk_create(parts, batch_size=500)


def backwards(apps, schema_editor):
    """Back to the fixed fields: each section's text goes where it came from,
    the parts added since are appended to the implementation."""
    Plan = apps.get_model("campaigns", "Plan")
    for plan in Plan.objects.all().iterator():
        parts = list(plan.sections.order_by("position", "id"))
        texts = {"purpose": [], "content_intro": [], "implementation": []}
        current = None
        for index, part in enumerate(parts):
            if part.title:
                current = {0: "purpose", 1: "content_intro"}.get(
                    sum(1 for p in parts[:index] if p.title), "implementation"
                )
            if part.body and not part.body.startswith("<div>2. Thời gian "):
                texts[current or "purpose"].append(part.body)
        plan.purpose = "".join(texts["purpose"])
        plan.content_intro = "".join(texts["content_intro"])
        plan.implementation = "".join(texts["implementation"])
        plan.closing = ""
        plan.outline_annexed = plan.outline_placement != "body"
        plan.save(
            update_fields=["purpose", "content_intro", "implementation", "closing",
                           "outline_annexed"]
        )
        plan.sections.all().delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0007_plan_sections")]

    operations = [migrations.RunPython(forwards, backwards)]
