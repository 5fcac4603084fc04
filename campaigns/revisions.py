"""What a revision freezes, and what changed between two of them."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from . import outline
from .models import Plan

PILOT = "pilot"  # the pilot units' deadline among a revision's deadlines


def deadline_snapshot(plan: Plan) -> list[dict]:
    snapshot = [
        {"level": d.level.code, "level_name": d.level.name, "due_on": d.due_on.isoformat()}
        for d in plan.deadlines.select_related("level").order_by("-level__rank")
    ]
    if plan.pilot_due_on:
        snapshot.insert(
            0,
            {
                "level": PILOT,
                "level_name": _("Pilot units"),
                "due_on": plan.pilot_due_on.isoformat(),
            },
        )
    return snapshot


def pending_changes(plan: Plan) -> dict:
    """What differs between the live outline/deadlines and the last revision."""
    latest = plan.revisions.order_by("-number").first()
    if latest is None:
        return {}
    return compare(
        latest.contents,
        {"outline": outline.snapshot(plan), "deadlines": deadline_snapshot(plan)},
    )


COMPARED_FIELDS = [
    "numbering",
    "title",
    "guidance",
    "is_heading",
    "answer_type",
    "required",
    "levels",
    "choices",
    "figure_source",
]


def compare(old: dict, new: dict) -> dict:
    """Added, removed and changed outline items, and changed deadlines."""
    old_items = {item["key"]: item for item in old["outline"]}
    new_items = {item["key"]: item for item in new["outline"]}
    changed = []
    for key, item in new_items.items():
        if key not in old_items:
            continue
        fields = [f for f in COMPARED_FIELDS if old_items[key].get(f) != item.get(f)]
        if fields:
            changed.append({"old": old_items[key], "new": item, "fields": fields})
    old_dates = {d["level"]: d for d in old["deadlines"]}
    new_dates = {d["level"]: d for d in new["deadlines"]}
    deadlines = []
    for code in sorted(old_dates.keys() | new_dates.keys()):
        before = old_dates.get(code, {}).get("due_on")
        after = new_dates.get(code, {}).get("due_on")
        if before != after:
            deadlines.append(
                {
                    "level": code,
                    "level_name": (new_dates.get(code) or old_dates[code])["level_name"],
                    "old": before,
                    "new": after,
                    # As dates, for the pages to print.
                    "old_on": datetime.date.fromisoformat(before) if before else None,
                    "new_on": datetime.date.fromisoformat(after) if after else None,
                }
            )
    result = {
        "added": [item for key, item in new_items.items() if key not in old_items],
        "removed": [item for key, item in old_items.items() if key not in new_items],
        "changed": changed,
        "deadlines": deadlines,
    }
    return result if any(result.values()) else {}
