"""Who may see, write, submit and review which reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from campaigns.models import AnswerType, OutlineItem, PlanStatus
from orgunits.models import Membership, OrgUnit, Role
from orgunits.selectors import User, scope_paths

from .models import Answer, Report


def reports_visible_to(user: User):
    """Reports of units in the user's subtrees (of published or closed plans)."""
    reports = Report.objects.filter(plan__status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED])
    paths = scope_paths(user)
    if paths is None:
        return reports
    if not paths:
        return reports.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return reports.filter(condition)


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


def _roles_in_unit(user: User, unit: OrgUnit) -> set[str]:
    """Roles held in the unit itself (writing a report is the unit's own business)."""
    cache = user.__dict__.setdefault("_unit_roles_cache", {})
    if unit.pk not in cache:
        cache[unit.pk] = set(
            Membership.objects.filter(user=user, unit=unit).values_list("role", flat=True)
        )
    return cache[unit.pk]


def can_write(user: User, report: Report) -> bool:
    """The unit's reporters and approvers; and its coordinators (the commission
    staff who write the unit's consolidated report)."""
    return bool(
        _roles_in_unit(user, report.unit) & {Role.REPORTER, Role.APPROVER, Role.COORDINATOR}
    )


def can_submit(user: User, report: Report) -> bool:
    return Role.APPROVER in _roles_in_unit(user, report.unit)


def can_review(user: User, report: Report) -> bool:
    """Coordinators of a unit above the report's unit (not of the unit itself)."""
    if user.is_superuser:
        return True
    paths = scope_paths(user, roles=[Role.COORDINATOR]) or []
    return any(report.unit.path.startswith(p) and report.unit.path != p for p in paths)


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
    # The roll-up is built on reports: imported here, so reports loads without it.
    from consolidation import rollup

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
