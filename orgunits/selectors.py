"""Reads of the hierarchy, always scoped to what a user may see.

Every page that shows units goes through ``units_visible_to``: a user sees
the subtrees of the units they hold a role in, and nothing else (the scope
itself is computed, and cached, in ``access``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from .access import User as User  # the type the apps' selectors take, kept here for them
from .access import scope_paths, within_q
from .models import Level, Membership, OrgUnit, OrgUnitQuerySet


def units_visible_to(user: User, *, roles: Iterable[str] | None = None) -> OrgUnitQuerySet:
    """The units ``user`` may see (optionally: through one of ``roles``)."""
    return OrgUnit.objects.filter(within_q(user, field="", roles=roles))


def get_unit_for_user(user: User, code: str, *, roles: Iterable[str] | None = None) -> OrgUnit:
    """The unit with ``code`` if ``user`` may see it; a 404 otherwise."""
    unit = units_visible_to(user, roles=roles).select_related("level").filter(code=code).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user)
        .select_related("unit__level")
        .order_by("unit__path", "role")
    )


def top_units(user: User) -> OrgUnitQuerySet:
    """The highest units ``user`` reaches: where a tree page starts."""
    paths = scope_paths(user)
    if paths is None:
        return OrgUnit.objects.get_root_nodes().select_related("level")
    return OrgUnit.objects.filter(path__in=paths).select_related("level")


def children_of(unit: OrgUnit) -> OrgUnitQuerySet:
    return OrgUnit.objects.get_children(unit).select_related("level")


def level_counts(units: OrgUnitQuerySet) -> list[dict]:
    """Number of units per level within ``units``, highest level first."""
    counts = dict(units.order_by().values_list("level").annotate(n=Count("id")))
    return [
        {"level": level, "count": counts[level.pk]}
        for level in Level.objects.filter(pk__in=counts.keys())
    ]


def ancestors_by_path(units: Iterable[OrgUnit], *, user: User | None = None) -> dict[str, OrgUnit]:
    """Every ancestor of ``units`` (that ``user`` may see), in one query, keyed by path."""
    paths = {path for unit in units for path in unit.ancestor_paths()}
    scope = scope_paths(user) if user is not None else None
    if scope is not None:
        paths = {path for path in paths if any(path.startswith(root) for root in scope)}
    if not paths:
        return {}
    return {unit.path: unit for unit in OrgUnit.objects.filter(path__in=paths)}


def has_active_member(unit: str = "pk") -> Exists:
    """True where an active user holds a role in the unit whose id is the outer
    field ``unit``; a unit without one gets its reminders read by nobody."""
    return Exists(Membership.objects.filter(unit=OuterRef(unit), user__is_active=True))
