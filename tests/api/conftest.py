from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from api.services import create_client
from orgunits.models import OrgUnit, Role
from tests.factories import add_unit, publish_plan


def client_for(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


@pytest.fixture
def other_province(levels) -> OrgUnit:
    """Another province, with one district and one commune, and its own plan."""
    province = add_unit(None, "Q", levels["tinh"], name="Tỉnh ủy Kon Tum", symbol="TU")
    district = add_unit(province, "QD", levels["huyen"], name="Huyện ủy QD", symbol="HU")
    add_unit(district, "QDC", levels["co-so"], name="Đảng ủy xã QDC")
    province.refresh_from_db()
    return province


@pytest.fixture
def other_plan(other_province, today):
    return publish_plan(other_province, grassroots_due=today.replace(year=today.year + 1))


@pytest.fixture
def commune_system(small_tree, published_plan):
    """An e-office system of the commune D1C1, writing and submitting its report."""
    client, token = create_client(
        name="VP điện tử xã D1C1",
        scopes=[(small_tree["D1C1"], Role.APPROVER)],
    )
    return client, token


@pytest.fixture
def district_system(small_tree, published_plan):
    """The district D1's system: it reads its subtree (viewer)."""
    return create_client(name="VP điện tử huyện D1", scopes=[(small_tree["D1"], Role.VIEWER)])


@pytest.fixture
def commune_api(commune_system) -> APIClient:
    return client_for(commune_system[1])


@pytest.fixture
def district_api(district_system) -> APIClient:
    return client_for(district_system[1])
