"""The workspace says how it counts: the rule, what is not yet consolidated
and included, a district whose figure differs from its communes', and the
"tính từ cơ sở" view to compare with (filling always follows the rule).

The cases of test_rule (fixtures in conftest.py): communes 3 and 2, district D1
with 5 (or 6).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from orgunits.models import Role
from reports.models import Answer, Report
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_report(consolidated, small_tree):
    return Report.objects.get(campaign=consolidated, unit=small_tree["P"])


@pytest.fixture
def writer(client, small_tree):
    user = MembershipFactory(unit=small_tree["P"], role=Role.REPORTER).user
    client.force_login(user)
    return user


def page(client, report, **params) -> str:
    response = client.get(reverse("consolidation:workspace", args=[report.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_states_the_rule_in_one_sentence(client, writer, province_report):
    body = page(client, province_report)
    assert 'data-testid="rule"' in body
    assert "Mỗi đơn vị được tính một lần" in body
    assert 'data-testid="direct-summary" data-direct="2" data-counted="1"' in body


def test_it_counts_the_district_once_and_fills_that_in(client, writer, province_report, items):
    body = page(client, province_report)
    assert 'data-testid="rollup-total" data-value="5"' in body
    assert 'data-testid="rollup-answered">1<' in body
    client.post(reverse("consolidation:fill_figures", args=[province_report.pk]))
    assert Answer.objects.get(report=province_report, item=items["count"]).number == 5


def test_it_flags_a_district_whose_figure_is_not_its_communes_sum(
    client, writer, province_report, small_tree
):
    Answer.objects.filter(report__unit=small_tree["D1"]).update(number=6)
    body = page(client, province_report)
    assert 'data-testid="rollup-total" data-value="6"' in body
    assert 'data-testid="leaves-total" data-value="5"' in body
    assert 'data-testid="difference" data-unit="Huyện ủy D1" data-own="6" data-leaves="5"' in body
    assert "Số của Huyện ủy D1 khác tổng các đơn vị cơ sở" in body
    assert 'data-testid="differences-summary" data-count="1"' in body


def test_it_says_the_communes_of_a_district_not_accepted_are_included(
    client, writer, waiting, small_tree
):
    report = Report.objects.get(campaign=waiting, unit=small_tree["P"])
    body = page(client, report)
    assert 'data-testid="rollup-total" data-value="5"' in body
    assert 'data-testid="pending" data-unit="Huyện ủy D1" data-used="2" data-missing="0"' in body
    assert "đã được tính vào tổng" in body
    assert 'data-testid="figure-pending" data-unit="Huyện ủy D1"' in body
    assert 'data-testid="pending-total" data-value="5"' in body
    # Counting submitted reports, D1's own 6 stands for them.
    body = page(client, report, submitted="1")
    assert 'data-testid="rollup-total" data-value="6"' in body
    assert 'data-testid="pending" data-unit="Huyện ủy D1"' not in body


def test_the_grassroots_view_compares_and_fills_nothing(
    client, writer, province_report, small_tree, items
):
    Answer.objects.filter(report__unit=small_tree["D1"]).update(number=6)
    body = page(client, province_report, basis="leaves")
    assert 'data-basis="leaves"' in body
    assert 'data-testid="leaves-total" data-value="5"' in body
    assert 'data-testid="leaves-view"' in body
    assert 'data-testid="fill-figures"' not in body
    # A POST fills by the rule whatever view the writer came from.
    url = reverse("consolidation:fill_figures", args=[province_report.pk])
    client.post(url + "?basis=leaves", {"basis": "leaves"})
    assert Answer.objects.get(report=province_report, item=items["count"]).number == Decimal(6)
