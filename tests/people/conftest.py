import pytest

from orgunits.models import Role
from tests.factories import MembershipFactory


@pytest.fixture
def district_coordinator(small_tree):
    """A coordinator of district D1 (not of D2, not of the province P)."""
    return MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
