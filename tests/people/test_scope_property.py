"""For random trees, roles and home units: a coordinator's people list holds
exactly the people with a role or a home unit in the coordinator's subtrees
(computed here from the parent links, not from the paths)."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orgunits.models import Membership, Role
from people import selectors
from people.models import Profile
from tests.factories import UserFactory, add_unit

pytestmark = pytest.mark.django_db

ROLES = [choice for choice, _label in Role.choices]


@st.composite
def worlds(draw):
    size = draw(st.integers(2, 9))
    # Unit i's parent is an earlier unit, or none (a second root is allowed).
    parents = [None] + [draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(1, size)]
    people = draw(st.integers(1, 6))
    roles = draw(
        st.lists(
            st.tuples(st.integers(0, people - 1), st.integers(0, size - 1), st.sampled_from(ROLES)),
            max_size=12,
            unique=True,
        )
    )
    homes = draw(
        st.lists(st.one_of(st.none(), st.integers(0, size - 1)), min_size=people, max_size=people)
    )
    coordinated = draw(st.lists(st.integers(0, size - 1), min_size=0, max_size=2, unique=True))
    return parents, people, roles, homes, coordinated


def _inside(parents, unit: int, top: int) -> bool:
    while unit is not None:
        if unit == top:
            return True
        unit = parents[unit]
    return False


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(world=worlds())
def test_the_list_is_exactly_the_people_of_the_subtrees(levels, world):
    parents, count, roles, homes, coordinated = world
    with transaction.atomic():
        units = []
        for index, parent in enumerate(parents):
            level = levels["tinh"] if parent is None else levels["co-so"]
            units.append(add_unit(None if parent is None else units[parent], f"H{index}", level))
        people = [UserFactory() for _ in range(count)]
        for person, home in zip(people, homes, strict=True):
            if home is not None:
                Profile.objects.create(user=person, home_unit=units[home])
        for person, unit, role in roles:
            Membership.objects.create(user=people[person], unit=units[unit], role=role)
        coordinator = UserFactory()
        for unit in coordinated:
            Membership.objects.create(user=coordinator, unit=units[unit], role=Role.COORDINATOR)

        expected = set()
        for index, person in enumerate(people):
            places = [unit for p, unit, _role in roles if p == index]
            if homes[index] is not None:
                places.append(homes[index])
            if any(_inside(parents, place, top) for place in places for top in coordinated):
                expected.add(person.pk)
        if coordinated:
            expected.add(coordinator.pk)
        found = set(selectors.people_in_scope(coordinator).values_list("pk", flat=True))
        transaction.set_rollback(True)
    assert found == expected
