"""What a revision freezes, and what changed between two of them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import outline
from .models import Deadline, DeadlineKind, Plan

PILOT = "pilot"  # the pilot units' deadline among a revision's deadlines


def deadline_snapshot(plan: Plan) -> list[dict]:
    """Each level's deadline as :meth:`Deadline.snapshot` keeps it (kind and
    dates), the pilot units' first, as a day."""
    snapshot = [
        d.snapshot() for d in plan.deadlines.select_related("level").order_by("-level__rank")
    ]
    if plan.pilot_due_on:
        day = plan.pilot_due_on.isoformat()
        snapshot.insert(
            0,
            {
                "level": PILOT,
                "level_name": _("Pilot units"),
                "kind": DeadlineKind.DAY,
                "starts_on": None,
                "due_on": day,
                "report_by": None,
                "last_day": day,
            },
        )
    return snapshot


DEADLINE_FIELDS = ["kind", "starts_on", "due_on", "report_by"]


def _terms(snapshot: dict | None) -> tuple | None:
    """What a deadline says, whatever revision kept it (older ones: a day)."""
    if snapshot is None:
        return None
    return tuple(
        snapshot.get(f) or (DeadlineKind.DAY if f == "kind" else None) for f in DEADLINE_FIELDS
    )


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
        before, after = old_dates.get(code), new_dates.get(code)
        if _terms(before) != _terms(after):
            old_deadline = Deadline.from_snapshot(before) if before else None
            new_deadline = Deadline.from_snapshot(after) if after else None
            deadlines.append(
                {
                    "level": code,
                    "level_name": (after or before)["level_name"],
                    "old": old_deadline.last_day.isoformat() if old_deadline else None,
                    "new": new_deadline.last_day.isoformat() if new_deadline else None,
                    # The last days, and the deadlines as the pages word them.
                    "old_on": old_deadline.last_day if old_deadline else None,
                    "new_on": new_deadline.last_day if new_deadline else None,
                    "old_text": old_deadline.short if old_deadline else "",
                    "new_text": new_deadline.short if new_deadline else "",
                }
            )
    result = {
        "added": [item for key, item in new_items.items() if key not in old_items],
        "removed": [item for key, item in old_items.items() if key not in new_items],
        "changed": changed,
        "deadlines": deadlines,
    }
    return result if any(result.values()) else {}
