"""Reads of reports, scoped to the user (who may do what to one is in ``rules.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from campaigns.models import OutlineItem, PlanStatus
from orgunits.access import User, within_q

from .models import Answer, Report


def reports_visible_to(user: User):
    """Reports of units in the user's subtrees (of published or closed plans):
    ``reports.view_report`` as a queryset."""
    reports = Report.objects.filter(plan__status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED])
    return reports.filter(within_q(user, "unit"))


def get_report_for_user(user: User, pk: int) -> Report:
    report = (
        reports_visible_to(user)
        .select_related("unit__level", "plan__issuing_unit", "campaign", "term")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    return report


@dataclass
class BelowItem:
    """What the units directly below answered to one item, and their totals."""

    answers: list = field(default_factory=list)  # (report, answer or None)
    total: Decimal | None = None
    totals_per_year: dict[str, int] = field(default_factory=dict)


def answers_below(
    report: Report, items: list[OutlineItem]
) -> tuple[list[Report], dict[int, BelowItem]]:
    """The reports of the units directly below ``report``'s unit in the same
    campaign, and their answers to ``items`` (or to the copies of these items
    in an implementing plan). Three queries whatever the number of units."""
    unit = report.unit
    below = list(
        Report.objects.filter(
            campaign=report.campaign_id,
            unit__path__startswith=unit.path,
            unit__depth=unit.depth + 1,
        )
        .select_related("unit")
        .order_by("unit__path")
    )
    if not below:
        return [], {}
    item_ids = {item.pk for item in items}
    answers = (
        Answer.objects.filter(report__in=below)
        .filter(Q(item_id__in=item_ids) | Q(item__inherited_from_id__in=item_ids))
        .select_related("item")
    )
    by_item: dict[int, dict[int, Answer]] = {}
    for answer in answers:
        key = answer.item_id if answer.item_id in item_ids else answer.item.inherited_from_id
        by_item.setdefault(key, {})[answer.report_id] = answer
    result = {}
    for item in items:
        found = by_item.get(item.pk, {})
        entry = BelowItem(answers=[(r, found.get(r.pk)) for r in below])
        numbers = [a.number for a in found.values() if a.number is not None]
        entry.total = sum(numbers) if numbers else None
        for answer in found.values():
            for year, value in (answer.per_year or {}).items():
                if value is not None:
                    entry.totals_per_year[year] = entry.totals_per_year.get(year, 0) + int(value)
        result[item.pk] = entry
    return below, result
