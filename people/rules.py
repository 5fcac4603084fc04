"""Who manages whom (see ``orgunits.access``).

A coordinator of unit U manages the people of U's subtree: those holding a
role on a unit of it, and those created under one of its units (the profile's
home unit) who hold no role yet. Anything about the person as a whole
(name, e-mail, deactivating, a new password, an invitation) needs every one
of their roles inside the coordinator's subtrees; otherwise the coordinator
only gives and takes the roles of their own units.
"""

from __future__ import annotations

import rules

from orgunits import access
from orgunits.models import Membership, OrgUnit, Role

COORDINATOR = [Role.COORDINATOR]


def coordinator_paths(user) -> list[str] | None:
    return access.scope_paths(user, roles=COORDINATOR)


def _inside(paths: list[str] | None, path: str | None) -> bool:
    if path is None:
        return False
    return paths is None or any(path.startswith(root) for root in paths)


def _person_paths(person) -> list[str]:
    """The unit paths of ``person``'s roles (prefetched as ``scoped_memberships``
    or ``memberships``, else read)."""
    cache = getattr(person, "_people_membership_paths", None)
    if cache is None:
        cache = [m.unit.path for m in Membership.objects.filter(user=person).select_related("unit")]
        person._people_membership_paths = cache
    return cache


def _home_path(person) -> str | None:
    try:
        unit = person.profile.home_unit
    except Exception:  # no profile yet  # noqa: BLE001
        return None
    return unit.path if unit else None


def _privileged(user, person) -> bool:
    """Administrators' accounts are managed by administrators."""
    return (person.is_superuser or person.is_staff) and not (user.is_active and user.is_superuser)


@rules.predicate
def coordinates_a_unit(user) -> bool:
    return user.is_authenticated and coordinator_paths(user) != []


@rules.predicate
def sees_person(user, person) -> bool:
    if person is None or not coordinates_a_unit(user) or _privileged(user, person):
        return False
    paths = coordinator_paths(user)
    if paths is None:
        return True
    return any(_inside(paths, p) for p in _person_paths(person)) or _inside(
        paths, _home_path(person)
    )


@rules.predicate
def manages_whole_person(user, person) -> bool:
    """Every role of ``person`` lies in the user's subtrees (and so may their home unit)."""
    if not sees_person(user, person):
        return False
    paths = coordinator_paths(user)
    own = _person_paths(person)
    if not all(_inside(paths, p) for p in own):
        return False
    home = _home_path(person)
    return home is None or _inside(paths, home) or bool(own)


@rules.predicate
def coordinates_unit(user, unit: OrgUnit | None) -> bool:
    return access.reaches(user, unit, roles=COORDINATOR)


# The people pages (list, add, import, the gaps): coordinators.
rules.add_perm("people.manage_people", coordinates_a_unit)
# See a person and give or take the roles of the user's own units.
rules.add_perm("people.view_person", sees_person)
# Edit, deactivate, reactivate, invite again, set a temporary password.
rules.add_perm("people.manage_person", manages_whole_person)
# Give or take a role on this unit; create a person under it.
rules.add_perm("people.assign_on_unit", coordinates_unit)
