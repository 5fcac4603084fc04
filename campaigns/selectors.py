"""Reads of plans, scoped to the user, and the outline as a flat tree."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from orgunits.access import User, require, scope_paths, subtree_q, within_q
from orgunits.models import IssuingBody, Level, OrgUnit, OrgUnitQuerySet, Role, Term
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


def get_plan_for_user(
    user: User, pk: int, *, action: str | None = None, hide: bool = False
) -> Plan:
    """The plan if ``user`` sees it (else a 404) and, given an ``action``, may
    do it (else a 403, or a 404 when ``hide``)."""
    plan = (
        plans_visible_to(user)
        .select_related("issuing_unit__level", "parent__issuing_unit", "term")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such plan.")
    if action:
        require(user, action, plan, hide=hide)
    return plan


# Other registers sharing a body's plan numbers ("-KH/HU"): each a function
# (issuing body, term) -> the numbered documents of that register in the term.
# Dialogue plans register theirs (dialogues/apps.py), so campaigns needs no
# import of them.
PLAN_NUMBER_REGISTERS: list[Callable[[IssuingBody, Term], QuerySet]] = []


def plan_numbers_taken(
    body: IssuingBody,
    term: Term,
    *,
    numbers: list[int] | None = None,
    exclude: models.Model | None = None,
) -> set[int]:
    """Numbers used in ``body``'s register of plans (KH) for ``term``: a register
    belongs to an issuing body and a term. Review plans and the registers in
    :data:`PLAN_NUMBER_REGISTERS` (dialogue plans) share it, as they share the
    symbol "-KH/HU".

    ``numbers`` limits the read to those; ``exclude`` is the plan being edited.
    """
    registers = [
        Plan.objects.filter(issuing_body=body, term=term),
        *(register(body, term) for register in PLAN_NUMBER_REGISTERS),
    ]
    taken: set[int] = set()
    for numbered in registers:
        if isinstance(exclude, numbered.model):
            numbered = numbered.exclude(pk=exclude.pk)
        if numbers is not None:
            numbered = numbered.filter(number__in=numbers)
        taken |= set(numbered.values_list("number", flat=True))
    return taken


def coordinated_units(user: User) -> OrgUnitQuerySet:
    """Units a user may issue plans for: the units they coordinate, and below."""
    units = OrgUnit.objects.filter(within_q(user, "", roles=[Role.COORDINATOR]))
    return units.active().select_related("level")


def coordinated_bodies(user: User) -> QuerySet[IssuingBody]:
    """Bodies a user may issue plans from: those of the units they coordinate,
    and below, by unit path (the default body first)."""
    return (
        IssuingBody.objects.filter(
            within_q(user, "unit", roles=[Role.COORDINATOR]), unit__is_active=True
        )
        .select_related("unit__level")
        .order_by("unit__path", "-is_default", "position", "id")
    )


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
        .exclude(subtree_q([u.path for u in plan.excluded_units.all()], field=""))
        .distinct()
    )


def participants(plan: Plan) -> OrgUnitQuerySet:
    """The units that report under ``plan``: the active units below its issuing
    unit, restricted to the chosen levels, minus excluded units and their subtrees.

    The issuing unit is never one of them: an implementing plan's issuer
    reports upward, under the parent plan, and the issuer of the campaign's
    root plan writes its consolidated report (see :func:`governing_plan`).
    """
    units = (
        OrgUnit.objects.within([plan.issuing_unit.path]).active().exclude(pk=plan.issuing_unit_id)
    )
    level_ids = list(plan.participating_levels.values_list("pk", flat=True))
    if level_ids:
        units = units.filter(level_id__in=level_ids)
    for path in plan.excluded_units.values_list("path", flat=True):
        units = units.exclude(path__startswith=path)
    return units


def newcomers(plan: Plan) -> OrgUnitQuerySet:
    """Units that may join the published ``plan``: participants the campaign has
    no report for (added to the tree since its publication), and the units the
    plan excludes by name (with their subtrees), at levels the plan dates."""
    dated = plan.deadlines.values("level_id")
    reported = plan.root.campaign_reports.values("unit_id")
    fresh = (
        participants(plan)
        .filter(level_id__in=dated)
        .exclude(pk__in=reported)
        # A unit formed by a merger: its predecessors' reports count for it.
        .exclude(predecessors__in=reported)
    )
    excluded = plan.excluded_units.filter(is_active=True)
    return (fresh | excluded.filter(level_id__in=dated)).distinct().order_by("path")


def participants_without_member(plan: Plan) -> OrgUnitQuerySet:
    """Participating units where no active user holds a role: nobody there
    would receive the plan's reminders or write its report."""
    return participants(plan).filter(~has_active_member()).order_by("path")


def takes_part(plan: Plan, unit: OrgUnit) -> bool:
    """Whether ``unit`` (active) is among ``participants(plan)``, without a query:
    ``plan`` comes with its issuing unit, participating levels and excluded
    units loaded (see :func:`published_plans_below`). The same rule as
    :func:`participants`, for a few units at a time."""
    if unit.pk == plan.issuing_unit_id or not unit.path.startswith(plan.issuing_unit.path):
        return False
    levels = {level.pk for level in plan.participating_levels.all()}
    if levels and unit.level_id not in levels:
        return False
    return not any(unit.path.startswith(excluded.path) for excluded in plan.excluded_units.all())


# Cascades are two or three plans deep (province → district → grassroots → chi bộ).
MAX_CASCADE_DEPTH = 3


def published_plans_below(plan: Plan) -> list[Plan]:
    """The published implementing plans under ``plan``, deepest issuer first,
    with what :func:`takes_part` and the due dates need: four queries."""
    below = Q()
    lookup = "parent"
    for _depth in range(MAX_CASCADE_DEPTH):
        below |= Q(**{lookup: plan})
        lookup += "__parent"
    return list(
        Plan.objects.filter(below, status=PlanStatus.PUBLISHED)
        .select_related("issuing_unit")
        .prefetch_related("participating_levels", "excluded_units", "deadlines", "pilot_units")
        .order_by("-issuing_unit__depth")
    )


def governing_plan(plan: Plan, below: list[Plan], unit: OrgUnit) -> Plan:
    """The plan that governs ``unit``'s report in ``plan``'s campaign, for a
    unit that takes part in ``plan``; ``below`` is ``published_plans_below(plan)``.

    The rule, stated once: a unit's report is governed by the deepest
    *published* plan of the campaign whose issuing unit is a strict ancestor
    of the unit and in whose participants the unit is. (The root plan's own
    issuer, which has no plan above it, writes its consolidated report under
    the root plan.) So publishing an implementing plan moves the reports of
    its units to it, and publishing a revision of a plan only touches the
    reports it governs, and puts a new unit under the implementing plan
    below that covers it.
    """
    return next((child for child in below if takes_part(child, unit)), plan)


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


# Outlines read per plan, by the plan's ``modified`` (touched by every change
# of its outline: ``models.outline_changed``): a report's autosave and its
# submission do not read the same outline again and again on deadline day.
# A few per process; its processes never disagree, the key being in the database.
OUTLINE_CACHE_SIZE = 64
_outlines: OrderedDict[tuple[int, object], list[OutlineRow]] = OrderedDict()
_outlines_lock = threading.Lock()


def cached_outline_rows(plan: Plan) -> list[OutlineRow]:
    """:func:`outline_rows` kept while ``plan`` (as read, with its ``modified``)
    stays as it is. The rows are shared between requests: read them, never
    change them (the outline's editors use :func:`outline_rows`)."""
    key = (plan.pk, plan.modified)
    with _outlines_lock:
        rows = _outlines.get(key)
        if rows is not None:
            _outlines.move_to_end(key)
            return rows
    rows = outline_rows(plan)
    with _outlines_lock:
        _outlines[key] = rows
        while len(_outlines) > OUTLINE_CACHE_SIZE:
            _outlines.popitem(last=False)
    return rows


def deadlines_by_level(plan: Plan) -> dict[int, Deadline]:
    return {d.level_id: d for d in plan.deadlines.select_related("level")}
