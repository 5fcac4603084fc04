"""The head's office of district D1 and the agency it gives petitions to."""

import pytest

from orgunits.models import Role
from tests.factories import MembershipFactory, add_unit


@pytest.fixture
def office(small_tree):
    return MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user


@pytest.fixture
def agency(small_tree, levels):
    return add_unit(
        small_tree["D1"], "D1.TNMT", levels["co-so"], name="Phòng Tài nguyên và Môi trường"
    )
