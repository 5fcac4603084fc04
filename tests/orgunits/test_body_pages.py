"""A unit's coordinators list, add, change and delete its issuing bodies."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgunits.bodies import default_body
from orgunits.models import IssuingBody, IssuingBodyKind, Role
from tests.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_coordinator(small_tree):
    return MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user


def _url(name, unit, *args):
    return reverse(f"orgunits:{name}", args=[unit.code, *args])


NEW_COMMISSION = {
    "kind": IssuingBodyKind.COMMISSION,
    "name": "Ban Dân vận",
    "phrase": "Ban Dân vận Tỉnh ủy Gia Lai",
    "symbol": "KH/BDVTU",
    "authority": "K/T",
    "sign_for": "trưởng ban",
    "signer_position": "Phó Trưởng ban",
    "signer_name": "Nguyễn Thị Thanh Lịch",
    "position": "1",
}


def test_the_units_page_leads_its_coordinators_to_its_bodies(
    client, small_tree, province_coordinator
):
    client.force_login(province_coordinator)
    page = client.get(reverse("orgunits:detail", args=["D1"])).content.decode()
    assert _url("bodies", small_tree["D1"]) in page
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user)
    page = client.get(reverse("orgunits:detail", args=["D1"])).content.decode()
    assert _url("bodies", small_tree["D1"]) not in page


def test_a_coordinator_adds_a_commission_that_prints_under_the_units_name(
    client, small_tree, province_coordinator
):
    client.force_login(province_coordinator)
    response = client.post(_url("body_add", small_tree["P"]), NEW_COMMISSION)
    assert response.status_code == 302
    body = IssuingBody.objects.get(symbol="BDVTU")
    assert (body.name, body.sign_on_behalf, body.signer_position) == (
        "BAN DÂN VẬN",
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
    )
    assert not body.is_default
    page = client.get(_url("bodies", small_tree["P"])).content.decode()
    assert "BAN DÂN VẬN" in page
    assert "KH/BDVTU" in page


def test_a_commission_without_a_header_name_is_refused_in_vietnamese(
    client, small_tree, province_coordinator
):
    client.force_login(province_coordinator)
    response = client.post(_url("body_add", small_tree["P"]), {**NEW_COMMISSION, "name": ""})
    assert response.status_code == 200
    assert "in tên của mình dưới tên đơn vị" in response.content.decode()


def test_making_a_body_the_default_replaces_the_former_default(
    client, small_tree, province_coordinator
):
    client.force_login(province_coordinator)
    client.post(_url("body_add", small_tree["P"]), {**NEW_COMMISSION, "is_default": "on"})
    defaults = IssuingBody.objects.filter(unit=small_tree["P"], is_default=True)
    assert list(defaults.values_list("symbol", flat=True)) == ["BDVTU"]


def test_a_body_that_issued_a_plan_cannot_be_deleted(client, small_tree, province_coordinator):
    body = IssuingBody.objects.create(
        unit=small_tree["P"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận",
        symbol="BDVTU",
    )
    PlanFactory(issuing_unit=small_tree["P"], issuing_body=body)
    client.force_login(province_coordinator)
    response = client.post(_url("body_delete", small_tree["P"], body.pk), follow=True)
    assert "không xóa được" in response.content.decode()
    assert IssuingBody.objects.filter(pk=body.pk).exists()

    unused = IssuingBody.objects.create(unit=small_tree["P"], phrase="Văn phòng", symbol="VPTU")
    client.post(_url("body_delete", small_tree["P"], unused.pk))
    assert not IssuingBody.objects.filter(pk=unused.pk).exists()


def test_the_default_body_cannot_be_deleted(client, small_tree, province_coordinator):
    client.force_login(province_coordinator)
    body = default_body(small_tree["P"])
    response = client.post(_url("body_delete", small_tree["P"], body.pk), follow=True)
    assert IssuingBody.objects.filter(pk=body.pk).exists()
    assert "mặc định" in response.content.decode()


@pytest.mark.parametrize("name", ["bodies", "body_add"])
def test_a_coordinator_of_another_unit_gets_a_404(client, small_tree, name):
    client.force_login(MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user)
    assert client.get(_url(name, small_tree["D1"])).status_code == 404
    # A reporter of the unit itself sees the unit, not its bodies.
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user)
    assert client.get(_url(name, small_tree["D1"])).status_code == 404


def test_a_body_of_another_unit_is_not_reached_through_this_units_address(client, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    other = default_body(small_tree["D2"])
    assert client.get(_url("body_edit", small_tree["D1"], other.pk)).status_code == 404
    assert client.post(_url("body_delete", small_tree["D1"], other.pk)).status_code == 404


def test_the_list_runs_the_same_queries_whatever_the_number_of_bodies(
    client, small_tree, province_coordinator, django_assert_num_queries
):
    client.force_login(province_coordinator)
    url = _url("bodies", small_tree["P"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for index in range(6):
        IssuingBody.objects.create(
            unit=small_tree["P"],
            kind=IssuingBodyKind.COMMISSION,
            name=f"BAN {index}",
            phrase=f"Ban {index} Tỉnh ủy Gia Lai",
            symbol=f"B{index}TU",
        )
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count("KH/B") == 6
