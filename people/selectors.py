"""Reads: the people and the units of a coordinator's scope, in fixed queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from orgunits import access
from orgunits.models import Membership, OrgUnit
from orgunits.text import search_key

from .rules import COORDINATOR, coordinator_paths

User = get_user_model()


def _memberships_in_scope(user) -> QuerySet[Membership]:
    return Membership.objects.filter(access.within_q(user, "unit", roles=COORDINATOR))


def people_in_scope(user) -> QuerySet:
    """The people ``user`` coordinates: a role on a unit of their subtrees, or
    created under one (home unit). Administrators' accounts only for administrators."""
    paths = coordinator_paths(user)
    if paths == []:
        return User.objects.none()
    people = User.objects.all()
    if paths is not None:
        people = people.filter(
            Exists(_memberships_in_scope(user).filter(user=OuterRef("pk")))
            | Q(access.subtree_q(paths, "profile__home_unit"))
        )
    if not (user.is_active and user.is_superuser):
        people = people.filter(is_superuser=False, is_staff=False)
    return people


def search_people(user, *, text: str = "", unit: OrgUnit | None = None, role: str = "") -> QuerySet:
    """The people of ``user``'s scope matching a name or e-mail, a unit (its
    subtree) and a role, in name order, with their roles in scope prefetched
    (as ``scoped_memberships``) and every role's unit path (``all_memberships``)."""
    people = people_in_scope(user)
    if unit is not None or role:
        roles = _memberships_in_scope(user)
        if unit is not None:
            roles = roles.filter(unit__path__startswith=unit.path)
        if role:
            roles = roles.filter(role=role)
        condition = Exists(roles.filter(user=OuterRef("pk")))
        if unit is not None and not role:
            condition |= Q(profile__home_unit__path__startswith=unit.path)
        people = people.filter(condition)
    if text:
        people = _matching(people, text)
    return with_roles(user, people.order_by("first_name", "last_name", "username"))


def _matching(people: QuerySet, text: str) -> QuerySet:
    """Name (ignoring case and diacritics: "hoang van" finds "Hoàng Văn"), e-mail
    or username containing ``text``. Names are folded in Python over the scope's
    names (one query): SQLite folds neither case nor diacritics of Vietnamese."""
    text = text.strip()
    words = search_key(text).split()
    ids = [
        pk
        for pk, first, last in people.values_list("pk", "first_name", "last_name")
        if all(word in search_key(f"{first} {last}") for word in words)
    ]
    return people.filter(Q(pk__in=ids) | Q(email__icontains=text) | Q(username__icontains=text))


def with_roles(user, people: QuerySet) -> QuerySet:
    scoped = (
        _memberships_in_scope(user).select_related("unit__level").order_by("unit__path", "role")
    )
    return people.select_related("profile__home_unit").prefetch_related(
        Prefetch("memberships", queryset=scoped, to_attr="scoped_memberships"),
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("unit").only("id", "user_id", "unit__path"),
            to_attr="all_memberships",
        ),
    )


def remember_paths(people) -> None:
    """Let the rules read each person's role paths from the prefetch (no query per row)."""
    for person in people:
        person._people_membership_paths = [m.unit.path for m in person.all_memberships]


def get_person_for_user(user, pk: int):
    """The person ``pk`` if in ``user``'s scope; a 404 otherwise."""
    person = with_roles(user, people_in_scope(user)).filter(pk=pk).first()
    if person is None:
        raise Http404("No such person.")
    remember_paths([person])
    return person


def people_without_role(user) -> QuerySet:
    """People of the scope holding no role anywhere (created, never given one)."""
    return with_roles(
        user,
        people_in_scope(user)
        .filter(~Exists(Membership.objects.filter(user=OuterRef("pk"))))
        .order_by("first_name", "username"),
    )


def units_in_scope(user) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(access.within_q(user, "", roles=COORDINATOR))


def units_without_people(user) -> QuerySet[OrgUnit]:
    """Active units of the scope with no membership on the unit itself, in tree order."""
    return (
        units_in_scope(user)
        .active()
        .filter(~Exists(Membership.objects.filter(unit=OuterRef("pk"))))
        .select_related("level")
    )
