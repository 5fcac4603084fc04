"""The report form's "units below" panel follows the roll-up's rule: the
direct subordinates only, a district through its own report (never its
communes again), accepted reports in the total, and what is counted in place
of a district not accepted yet said as such.

The cases of test_rule (fixtures in conftest.py): communes 3 and 2, district D1
with 5 (or 6).
"""

import pytest
from django.urls import reverse

from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db


def detail(client, plan, tree, code) -> str:
    report = Report.objects.get(campaign=plan, unit=tree[code])
    client.force_login(MembershipFactory(unit=tree[code], role=Role.REPORTER).user)
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    return response.content.decode()


def units_listed(body: str) -> list[str]:
    marker = 'data-testid="below-unit" data-unit="'
    return [part.split('"', 1)[0] for part in body.split(marker)[1:]]


def test_the_province_sees_its_districts_once_not_their_communes(
    client, consolidated, small_tree, items
):
    body = detail(client, consolidated, small_tree, "P")
    count = items["count"].pk
    # One entry per item and direct subordinate: D1 and D2, no commune.
    assert set(units_listed(body)) == {"Huyện ủy D1", "Huyện ủy D2"}
    assert f'data-fill=\'{{"item{count}-number": "5"}}\'' in body  # not 3 + 2 + 5
    assert 'data-testid="below-total" data-value="5"' in body


def test_the_district_sees_its_communes(client, consolidated, small_tree, items):
    Report.objects.filter(unit=small_tree["D1"]).update(status=ReportStatus.DRAFT)
    body = detail(client, consolidated, small_tree, "D1")
    assert set(units_listed(body)) == {"Đảng ủy xã D1C1", "Đảng ủy xã D1C2"}
    assert f'data-fill=\'{{"item{items["count"].pk}-number": "5"}}\'' in body


def test_a_district_not_accepted_is_listed_and_its_communes_counted_in_its_place(
    client, waiting, small_tree, items
):
    body = detail(client, waiting, small_tree, "P")
    assert 'data-testid="below-unit" data-unit="Huyện ủy D1" data-counted="0"' in body
    assert ": 6" in body  # D1's own figure is shown, not added
    assert 'data-testid="below-total" data-value="5"' in body
    assert 'data-testid="below-pending" data-unit="Huyện ủy D1"' in body


def test_a_report_not_accepted_is_listed_but_not_in_the_total(
    client, consolidated, small_tree, items
):
    Report.objects.filter(unit=small_tree["D1"]).update(status=ReportStatus.DRAFT)
    Report.objects.filter(unit=small_tree["D1C2"]).update(status=ReportStatus.SUBMITTED)
    body = detail(client, consolidated, small_tree, "D1")
    assert 'data-testid="below-unit" data-unit="Đảng ủy xã D1C2" data-counted="0"' in body
    assert f'data-fill=\'{{"item{items["count"].pk}-number": "3"}}\'' in body


def test_the_panel_queries_do_not_grow_with_the_tree(
    client,
    consolidated,
    small_tree,
    levels,
    items,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    report = Report.objects.get(campaign=consolidated, unit=small_tree["P"])
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.REPORTER).user)
    url = reverse("reports:detail", args=[report.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(36) as captured:
        assert client.get(url).status_code == 200
    before = len(captured)
    for d in range(3):
        district = add_unit(small_tree["P"], f"X{d}", levels["huyen"], name=f"Huyện ủy X{d}")
        for unit in [district, *(add_unit(district, f"X{d}{c}", levels["co-so"]) for c in "ab")]:
            rep = Report.objects.create(
                campaign=consolidated,
                plan=consolidated,
                unit=unit,
                due_on=report.due_on,
                status=ReportStatus.ACCEPTED,
            )
            Answer.objects.create(report=rep, item=items["count"], number=1, version=1)
    with django_assert_num_queries(before):
        assert client.get(url).status_code == 200
