"""The scope primitives every rule is built on: reaches, roles_in, within_q."""

import pytest
from django.contrib.auth.models import AnonymousUser

from orgunits import access
from orgunits.access import can
from orgunits.models import Membership, OrgUnit, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(unit, role, user=None):
    return MembershipFactory(unit=unit, role=role, **({"user": user} if user else {})).user


def codes(units) -> set[str]:
    return {unit.code for unit in units}


def reached(user, small_tree, roles=None) -> set[str]:
    return {code for code, unit in small_tree.items() if access.reaches(user, unit, roles)}


def test_a_membership_reaches_its_units_subtree_and_no_sibling(small_tree):
    coordinator = member(small_tree["D1"], Role.COORDINATOR)
    assert reached(coordinator, small_tree) == {"D1", "D1C1", "D1C2", "D1C1CELL"}


def test_roles_narrow_what_is_reached(small_tree):
    user = member(small_tree["D1"], Role.VIEWER)
    member(small_tree["D2C1"], Role.COORDINATOR, user=user)
    assert reached(user, small_tree) == {"D1", "D1C1", "D1C2", "D1C1CELL", "D2C1"}
    assert reached(user, small_tree, roles=[Role.COORDINATOR]) == {"D2C1"}
    assert reached(user, small_tree, roles=[Role.APPROVER]) == set()


def test_nothing_is_reached_without_a_unit_or_a_membership(small_tree):
    assert not access.reaches(member(small_tree["P"], Role.VIEWER), None)
    assert reached(UserFactory(), small_tree) == set()
    assert reached(AnonymousUser(), small_tree) == set()


def test_reaches_below_leaves_out_the_users_own_unit(small_tree):
    coordinator = member(small_tree["D1"], Role.COORDINATOR)
    below = {code for code, unit in small_tree.items() if access.reaches_below(coordinator, unit)}
    assert below == {"D1C1", "D1C2", "D1C1CELL"}


def test_member_within_looks_down_the_tree_not_across(small_tree):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    within = {code for code, unit in small_tree.items() if access.member_within(reporter, unit)}
    assert within == {"P", "D1", "D1C1"}


def test_roles_in_counts_the_roles_held_above_the_unit(small_tree):
    user = member(small_tree["P"], Role.VIEWER)
    member(small_tree["D1C1"], Role.REPORTER, user=user)
    member(small_tree["D2"], Role.COORDINATOR, user=user)
    assert access.roles_in(user, small_tree["D1C1CELL"]) == {Role.VIEWER, Role.REPORTER}
    assert access.roles_in(user, small_tree["D2C2"]) == {Role.VIEWER, Role.COORDINATOR}
    assert access.roles_in(user, small_tree["P"]) == {Role.VIEWER}
    assert access.roles_on(user, small_tree["D1C1CELL"]) == set()
    assert access.roles_on(user, small_tree["D1C1"]) == {Role.REPORTER}


def test_within_q_filters_a_queryset_to_the_same_scope(small_tree):
    user = member(small_tree["D1C1"], Role.REPORTER)
    member(small_tree["D2"], Role.COORDINATOR, user=user)
    assert codes(OrgUnit.objects.filter(access.within_q(user, ""))) == reached(user, small_tree)
    coordinated = OrgUnit.objects.filter(access.within_q(user, "", roles=[Role.COORDINATOR]))
    assert codes(coordinated) == {"D2", "D2C1", "D2C2"}
    below = OrgUnit.objects.filter(access.within_q(user, "", below=True))
    assert codes(below) == {"D1C1CELL", "D2C1", "D2C2"}
    # Through a foreign key: the memberships held on units the user reaches.
    others = Membership.objects.filter(access.within_q(user, "unit")).exclude(user=user)
    member(small_tree["D1C1CELL"], Role.VIEWER)
    member(small_tree["D1C2"], Role.VIEWER)
    assert list(others.values_list("unit__code", flat=True)) == ["D1C1CELL"]


def test_within_q_matches_nothing_for_a_user_without_memberships(small_tree):
    assert not OrgUnit.objects.filter(access.within_q(UserFactory(), "")).exists()
    assert not OrgUnit.objects.filter(access.within_q(AnonymousUser(), "", below=True)).exists()


def test_subtree_q_scans_a_subtree_once_however_often_it_is_named(small_tree):
    paths = [small_tree["D1"].path, small_tree["D1C1"].path, small_tree["D1"].path]
    assert len(access.subtree_q(paths, "").children) == 2  # the empty start and D1
    assert codes(OrgUnit.objects.within(paths)) == {"D1", "D1C1", "D1C2", "D1C1CELL"}
    assert not OrgUnit.objects.filter(access.subtree_q([], "")).exists()


def test_a_superuser_reaches_everything_and_may_do_everything(small_tree):
    admin = UserFactory(is_superuser=True)
    assert reached(admin, small_tree) == set(small_tree)
    assert access.scope_paths(admin) is None
    assert OrgUnit.objects.filter(access.within_q(admin, "")).count() == len(small_tree)
    assert can(admin, "orgunits.add_top_unit")
    assert can(admin, "orgunits.manage_unit", small_tree["D2C2"])


def test_an_inactive_user_reaches_nothing_and_may_do_nothing(small_tree):
    user = member(small_tree["P"], Role.COORDINATOR)
    user.is_active = False
    user.save()
    access.forget(user)
    assert reached(user, small_tree) == set()
    assert not can(user, "orgunits.manage_unit", small_tree["D1"])
    admin = UserFactory(is_superuser=True, is_active=False)
    assert reached(admin, small_tree) == set()
    assert not can(admin, "orgunits.add_top_unit")


def test_the_memberships_are_read_once_per_user_object(small_tree, django_assert_num_queries):
    for i in range(30):
        OrgUnit.objects.add_child(
            OrgUnit.objects.get(pk=small_tree["D1C1"].pk),
            instance=OrgUnit(code=f"T{i}", name=f"Chi bộ {i}", level=small_tree["D1C1CELL"].level),
        )
    units = list(OrgUnit.objects.all())
    user = member(small_tree["D1"], Role.COORDINATOR)
    user = type(user).objects.get(pk=user.pk)  # nothing cached yet
    with django_assert_num_queries(1):
        allowed = [unit for unit in units if can(user, "orgunits.manage_unit", unit)]
        [access.roles_in(user, unit) for unit in units]
        access.within_q(user, "unit", roles=[Role.COORDINATOR])
    assert len(allowed) == 34


def test_a_new_membership_is_seen_by_the_user_object_it_was_saved_with(small_tree):
    user = member(small_tree["D1C1"], Role.REPORTER)
    assert not access.reaches(user, small_tree["D2"])
    membership = MembershipFactory(user=user, unit=small_tree["D2"], role=Role.VIEWER)
    assert access.reaches(user, small_tree["D2C1"])
    membership.delete()
    assert not access.reaches(user, small_tree["D2C1"])


@pytest.mark.parametrize(
    ("role", "unit", "target", "allowed"),
    [
        (Role.COORDINATOR, "D1", "D1C1", True),
        (Role.COORDINATOR, "D1", "D1", True),
        (Role.COORDINATOR, "D1", "D2C1", False),
        (Role.REPORTER, "D1", "D1C1", False),
    ],
)
def test_managing_a_unit_takes_a_coordinator_of_it_or_above(
    small_tree, role, unit, target, allowed
):
    user = member(small_tree[unit], role)
    assert can(user, "orgunits.manage_unit", small_tree[target]) is allowed


def test_importing_takes_a_coordinator_and_a_new_top_an_administrator(small_tree):
    coordinator = member(small_tree["D1"], Role.COORDINATOR)
    assert can(coordinator, "orgunits.import_units")
    assert not can(member(small_tree["P"], Role.REPORTER), "orgunits.import_units")
    assert not can(coordinator, "orgunits.add_top_unit")
