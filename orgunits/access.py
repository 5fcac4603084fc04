"""Who reaches which unit, and who may do what: the one place that answers.

A membership gives its role on the unit's whole subtree. Every question of
scope is answered here from the user's memberships, read in one query and
kept on the user object (so once per request, however many rows a page
asks about):

- ``reaches(user, unit, roles=…)``: the unit lies in the subtree of one of
  the user's memberships (holding one of ``roles``);
- ``roles_in(user, unit)``: the roles held on the unit or above it;
- ``within_q(user, field, roles=…)``: the same scope as one ``Q`` for a
  queryset; with ``subtree_q`` the only place that ORs path prefixes.

What a user may *do* is one named rule per action (``reports.submit_report``,
``dialogues.answer_petition``…), declared in each app's ``rules.py`` on top
of these primitives and asked through ``can(user, action, obj)`` by views,
templates (``{% can %}``, in ``orgunits/templatetags/access.py``) and
services alike. An active superuser reaches every unit and may do
everything; an inactive user reaches nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404
from django.utils.functional import empty

from .models import Membership, OrgUnit

User = AbstractBaseUser | AnonymousUser

_MEMBERSHIPS = "_access_memberships"  # (unit path, role) pairs of the user
_SCOPES = "_access_scopes"  # root paths per roles asked


def _unrestricted(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _cache_of(user: User) -> dict:
    """Where the answers about ``user`` are kept: the user object itself.

    ``request.user`` is a lazy wrapper; the rules backend is handed the user
    inside it (``user.has_perm`` runs on the wrapped object). Both must share
    one cache, or a request reads the memberships twice."""
    wrapped = user.__dict__.get("_wrapped")
    if wrapped is not None and wrapped is not empty:
        return wrapped.__dict__
    return user.__dict__


def _memberships(user: User) -> tuple[tuple[str, str], ...]:
    """(unit path, role) of each of the user's memberships: one query per user object."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cache = _cache_of(user)
    if _MEMBERSHIPS not in cache:
        cache[_MEMBERSHIPS] = tuple(
            Membership.objects.filter(user=user).values_list("unit__path", "role")
        )
    return cache[_MEMBERSHIPS]


def assume_memberships(user: User, memberships: Iterable[tuple[str, str]]) -> None:
    """Let ``user`` act with these (unit path, role) pairs instead of its
    membership rows, for the life of the object: an API client's service
    user (``api.auth``) holds no membership, so it is never notified, chased
    or counted as a unit's member, while every rule reads its scope as usual."""
    cache = _cache_of(user)
    cache[_MEMBERSHIPS] = tuple(memberships)
    cache.pop(_SCOPES, None)


def prime(user: User, memberships: Iterable[tuple[str, str]]) -> None:
    """Keep ``memberships`` ((unit path, role) pairs, read along with the user
    by ``people.backends``) as the user's: no query of their own then."""
    _cache_of(user)[_MEMBERSHIPS] = tuple(memberships)


def forget(user: User) -> None:
    """Drop what is cached on ``user`` (its memberships changed)."""
    cache = _cache_of(user)
    cache.pop(_MEMBERSHIPS, None)
    cache.pop(_SCOPES, None)


@receiver([post_save, post_delete], sender=Membership)
def _membership_changed(sender, instance: Membership, **kwargs) -> None:
    # The user object the membership was saved with is often the one asked
    # next (a test, a shell session): it must not answer from the old roles.
    if Membership.user.is_cached(instance):
        forget(instance.user)


def _root_paths(paths: Iterable[str]) -> list[str]:
    """Drop paths that lie inside another one, so each subtree is scanned once."""
    roots: list[str] = []
    for path in sorted(set(paths)):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def scope_paths(user: User, roles: Iterable[str] | None = None) -> list[str] | None:
    """Root paths of the subtrees ``user`` reaches (through one of ``roles``);
    ``None`` means everything (an active superuser)."""
    if _unrestricted(user):
        return None
    memberships = _memberships(user)
    key = tuple(sorted(roles)) if roles is not None else None
    scopes = _cache_of(user).setdefault(_SCOPES, {}) if user.is_authenticated else {}
    if key not in scopes:
        wanted = None if key is None else set(key)
        scopes[key] = _root_paths(
            path for path, role in memberships if wanted is None or role in wanted
        )
    return scopes[key]


def reaches(user: User, unit: OrgUnit | None, roles: Iterable[str] | None = None) -> bool:
    """Whether ``unit`` lies in the subtree of a membership of ``user`` (with one of ``roles``)."""
    if unit is None:
        return False
    paths = scope_paths(user, roles)
    return paths is None or any(unit.path.startswith(path) for path in paths)


def reaches_below(user: User, unit: OrgUnit | None, roles: Iterable[str] | None = None) -> bool:
    """Whether ``unit`` lies strictly below a membership's unit: the level above
    reviews and chases a unit, never the unit itself."""
    if unit is None:
        return False
    paths = scope_paths(user, roles)
    return paths is None or any(unit.path.startswith(path) and unit.path != path for path in paths)


def member_within(user: User, unit: OrgUnit | None, roles: Iterable[str] | None = None) -> bool:
    """Whether ``user`` holds a role (one of ``roles``) in ``unit`` or below it:
    the plans and figures of a unit concern the units under it too."""
    if unit is None:
        return False
    if _unrestricted(user):
        return True
    wanted = None if roles is None else set(roles)
    return any(
        path.startswith(unit.path)
        for path, role in _memberships(user)
        if wanted is None or role in wanted
    )


def roles_in(user: User, unit: OrgUnit | None) -> set[str]:
    """The roles ``user`` holds on ``unit`` or on a unit above it."""
    if unit is None:
        return set()
    return {role for path, role in _memberships(user) if unit.path.startswith(path)}


def roles_on(user: User, unit: OrgUnit | None) -> set[str]:
    """The roles ``user`` holds on ``unit`` itself (writing a report is the unit's own business)."""
    if unit is None:
        return set()
    return {role for path, role in _memberships(user) if path == unit.path}


def subtree_q(paths: Iterable[str], field: str = "unit") -> Q:
    """Rows whose ``field`` (a unit; ``""`` for units themselves) lies in one of
    the subtrees rooted at ``paths``: one indexed prefix scan each. No path: no row."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    condition = Q(pk__in=[])
    for path in _root_paths(paths):
        condition |= Q(**{lookup: path})
    return condition


def within_q(
    user: User, field: str = "unit", roles: Iterable[str] | None = None, *, below: bool = False
) -> Q:
    """Rows whose ``field`` (a unit; ``""`` for units themselves) ``user`` reaches
    (through one of ``roles``); ``below``: strictly below the user's own units."""
    paths = scope_paths(user, roles)
    if paths is None:
        return Q()
    condition = subtree_q(paths, field)
    if below:
        exact = f"{field}__path__in" if field else "path__in"
        condition &= ~Q(**{exact: paths})
    return condition


def can(user: User, action: str, obj: object = None) -> bool:
    """Whether ``user`` may do ``action`` (a rule named in an app's ``rules.py``) on ``obj``."""
    return user.has_perm(action, obj)


def require(user: User, action: str, obj, *, hide: bool = False) -> None:
    """Raise unless ``user`` may do ``action`` on ``obj``: a 404 when ``hide``
    (the object should look absent, e.g. a download link never shown), else a 403."""
    if not can(user, action, obj):
        if hide:
            raise Http404("Not available to this user.")
        raise PermissionDenied
