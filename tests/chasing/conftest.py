"""A province of 10 districts and 10 communes, and who is chased in commune C0."""

import pytest

from orgunits.models import OrgUnit, Role
from tests.factories import MembershipFactory, UserFactory, build_province


@pytest.fixture
def province(levels):
    return build_province(levels, communes=10)


@pytest.fixture
def commune_people(province):
    commune = OrgUnit.objects.get(code="C0")
    return {
        "reporter": MembershipFactory(
            unit=commune, role=Role.REPORTER, user=UserFactory(email="c0.bc@example.vn")
        ).user,
        "approver": MembershipFactory(
            unit=commune, role=Role.APPROVER, user=UserFactory(email="c0.duyet@example.vn")
        ).user,
        "district_coordinator": MembershipFactory(
            unit=OrgUnit.objects.get(code="D0"),
            role=Role.COORDINATOR,
            user=UserFactory(email="d0.dp@example.vn"),
        ).user,
    }
