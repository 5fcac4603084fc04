"""Reads of consolidation beyond the roll-up itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from campaigns.models import AnswerType, OutlineItem
from reports.models import Answer, Report

from . import rollup


@dataclass
class BelowItem:
    """What the direct subordinates answered to one item, and the roll-up's total.

    ``answers`` holds (report, answer or None, node) for each direct
    subordinate, its own report whatever its status; ``node``
    (``consolidation.tree.Node``) says whether the roll-up counts that report
    (accepted) and whether the unit has participating units of its own. The
    totals follow the roll-up's rule (``consolidation.tree``): each unit once,
    through the report the level uses, so a district's communes are never
    added to the district's own figure; ``pending`` holds what is counted in
    place of a subordinate whose own report is not accepted yet."""

    answers: list = field(default_factory=list)  # (report, answer or None, node)
    total: Decimal | None = None
    totals_per_year: dict[str, int] = field(default_factory=dict)
    answered: int = 0  # reports counted that gave the figure
    pending: list = field(default_factory=list)  # consolidation.rollup.PendingFigure


def answers_below(
    report: Report, items: list[OutlineItem]
) -> tuple[list[Report], dict[int, BelowItem]]:
    """The reports of the direct subordinates of ``report``'s unit in the same
    campaign (the nearest units below that take part), their answers to
    ``items`` (or to the copies of these items in an implementing plan), and
    the roll-up's totals of the figure items. A fixed number of queries
    whatever the number of units."""
    if not report.unit.numchild:  # nobody below: no query
        return [], {}
    result = rollup.build(plan=report.plan, unit=report.unit, texts=False)
    direct = {node.report_id: node for node in result.tree.direct}
    if not direct:
        return [], {}
    below = list(
        Report.objects.filter(pk__in=list(direct)).select_related("unit").order_by("unit__path")
    )
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
    rolled = {entry.item.pk: entry for entry in result.items}
    entries = {}
    for item in items:
        found = by_item.get(item.pk, {})
        entry = BelowItem(answers=[(r, found.get(r.pk), direct[r.pk]) for r in below])
        figure = rolled[item.pk].direct if item.pk in rolled else None
        if figure is not None:
            entry.answered = figure.answered
            if item.answer_type == AnswerType.INTEGER_PER_YEAR:
                entry.totals_per_year = dict(sorted(figure.per_year.items()))
            else:
                entry.total = figure.total
            entry.pending = rolled[item.pk].pending
        entries[item.pk] = entry
    return below, entries
