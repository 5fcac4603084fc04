"""Reads of the hierarchy, always scoped to what a user may see.

Every page that shows units (and later plans and reports) goes through
``units_visible_to``: a user sees the subtrees of the units they hold a role
in, and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Exists, OuterRef
from django.http import Http404

from .models import Level, Membership, OrgUnit, OrgUnitQuerySet, Role

User = AbstractBaseUser | AnonymousUser


def _root_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another one, so each subtree is scanned once."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def scope_paths(user: User, *, roles: Iterable[str] | None = None) -> list[str] | None:
    """Paths of the subtrees ``user`` reaches; ``None`` means everything (superuser).

    Cached on the user object for the request: one query however many calls.
    """
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        return None
    cache = user.__dict__.setdefault("_orgunit_scope_cache", {})
    key = tuple(sorted(roles)) if roles is not None else None
    if key not in cache:
        memberships = Membership.objects.filter(user=user)
        if roles is not None:
            memberships = memberships.filter(role__in=list(roles))
        cache[key] = _root_paths(memberships.values_list("unit__path", flat=True))
    return cache[key]


def units_visible_to(user: User, *, roles: Iterable[str] | None = None) -> OrgUnitQuerySet:
    """The units ``user`` may see (optionally: through one of ``roles``)."""
    paths = scope_paths(user, roles=roles)
    if paths is None:
        return OrgUnit.objects.all()
    return OrgUnit.objects.within(paths)


def get_unit_for_user(user: User, code: str, *, roles: Iterable[str] | None = None) -> OrgUnit:
    """The unit with ``code`` if ``user`` may see it; a 404 otherwise."""
    unit = units_visible_to(user, roles=roles).select_related("level").filter(code=code).first()
    if unit is None:
        raise Http404("No such unit.")
    return unit


def is_coordinator(user: User) -> bool:
    return scope_paths(user, roles=[Role.COORDINATOR]) != []


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
