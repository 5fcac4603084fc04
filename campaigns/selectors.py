"""Reads of plans, scoped to the user, and the outline as a flat tree."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from orgunits.access import User, scope_paths, within_q
from orgunits.models import Level, OrgUnit, OrgUnitQuerySet, Role
from orgunits.selectors import has_active_member

from .models import Deadline, OutlineItem, Plan, PlanStatus


def _ancestor_paths(paths: list[str]) -> set[str]:
    return {
        path[:end] for path in paths for end in range(OrgUnit.steplen, len(path), OrgUnit.steplen)
    }


def plans_visible_to(user: User) -> QuerySet[Plan]:
    """Plans issued inside the user's subtrees, and published plans issued
    above them (the plans their units must answer): ``campaigns.view_plan``."""
    paths = scope_paths(user)
    if paths is None:
        return Plan.objects.all()
    if not paths:
        return Plan.objects.none()
    issued_inside = within_q(user, "issuing_unit")
    issued_above = Q(
        issuing_unit__path__in=_ancestor_paths(paths),
        status__in=[PlanStatus.PUBLISHED, PlanStatus.CLOSED],
    )
    return Plan.objects.filter(issued_inside | issued_above)


def get_plan_for_user(user: User, pk: int) -> Plan:
    plan = (
        plans_visible_to(user)
        .select_related("issuing_unit__level", "parent__issuing_unit", "term")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such plan.")
    return plan


def coordinated_units(user: User) -> OrgUnitQuerySet:
    """Units a user may issue plans for: the units they coordinate, and below."""
    units = OrgUnit.objects.filter(within_q(user, "", roles=[Role.COORDINATOR]))
    return units.active().select_related("level")


def units_to_cascade(user: User, plan: Plan) -> list[OrgUnit]:
    """Units directly below the plan's issuer that ``user`` coordinates
    themselves, that have units of their own and no implementing plan yet."""
    return list(
        OrgUnit.objects.filter(
            memberships__user=user,
            memberships__role=Role.COORDINATOR,
            path__startswith=plan.issuing_unit.path,
            depth=plan.issuing_unit.depth + 1,
            numchild__gt=0,
        )
        .exclude(plans__parent=plan)
        .distinct()
    )


def participants(plan: Plan) -> OrgUnitQuerySet:
    """The units that report under ``plan``: its issuing unit's active subtree,
    restricted to the chosen levels, minus excluded units and their subtrees.

    The issuer of an implementing plan is not among them: it reports upward,
    under the parent plan.
    """
    units = OrgUnit.objects.within([plan.issuing_unit.path]).active()
    if plan.parent_id:
        units = units.exclude(pk=plan.issuing_unit_id)
    level_ids = list(plan.participating_levels.values_list("pk", flat=True))
    if level_ids:
        units = units.filter(level_id__in=level_ids)
    for path in plan.excluded_units.values_list("path", flat=True):
        units = units.exclude(path__startswith=path)
    return units


def participants_without_member(plan: Plan) -> OrgUnitQuerySet:
    """Participating units where no active user holds a role: nobody there
    would receive the plan's reminders or write its report."""
    return participants(plan).filter(~has_active_member()).order_by("path")


@dataclass
class OutlineRow:
    """An outline item with its depth, ready to render in document order."""

    item: OutlineItem
    depth: int
    level_ids: list[int] = field(default_factory=list)


def outline_rows(plan: Plan) -> list[OutlineRow]:
    """The whole outline in document order: two queries whatever its size."""
    items = list(
        OutlineItem.objects.filter(plan=plan)
        .order_by("position", "id")
        .prefetch_related(Prefetch("levels", queryset=Level.objects.only("id", "code", "name")))
    )
    children: dict[int | None, list[OutlineItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    rows: list[OutlineRow] = []
    stack = [(item, 0) for item in reversed(children.get(None, []))]
    while stack:
        item, depth = stack.pop()
        rows.append(OutlineRow(item, depth, [level.pk for level in item.levels.all()]))
        stack.extend((child, depth + 1) for child in reversed(children.get(item.pk, [])))
    return rows


def deadlines_by_level(plan: Plan) -> dict[int, Deadline]:
    return {d.level_id: d for d in plan.deadlines.select_related("level")}
