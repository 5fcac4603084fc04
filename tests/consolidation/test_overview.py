"""The leader's page of a plan: completion, key figures against the previous review, PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AnswerType, Plan
from consolidation.models import DocumentBuild
from orgunits.models import Role
from reports.models import Report, ReportStatus
from tests.factories import (
    SEED000_DEADLINES,
    AnswerFactory,
    MembershipFactory,
    PlanFactory,
    ReportFactory,
    add_unit,
    set_answer_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(small_tree):
    return MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user


@pytest.fixture
def previous(answered, small_tree, levels):
    """The 2018 review of the same decision 553-QĐ/TU: the count was 2 + 3."""
    plan = PlanFactory(
        issuing_unit=small_tree["P"],
        seed000=True,
        number=101,
        deadlines=SEED000_DEADLINES,
        published_by=MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user,
    )
    Plan.objects.filter(pk=plan.pk).update(issued_on=datetime.date(2018, 3, 1))
    plan.refresh_from_db()
    count = set_answer_type(plan, "1.1.", AnswerType.INTEGER)
    for code, number in (("D1C1", 2), ("D1C2", 3), ("D2C1", 50)):
        rep = Report.objects.get(campaign=plan, unit=small_tree[code])
        rep.status = ReportStatus.ACCEPTED if code != "D2C1" else ReportStatus.SUBMITTED
        rep.save()
        AnswerFactory(report=rep, item=count, number=number)
    return plan


def url(plan):
    return reverse("consolidation:overview", args=[plan.pk])


def test_it_shows_completion_by_level(client, leader, answered):
    client.force_login(leader)
    response = client.get(url(answered))
    assert response.status_code == 200
    body = response.content.decode()
    # Submitted reports count here: D1C1, D1C2 of four communes; D1 of two districts.
    assert 'data-level="co-so" data-percent="50" data-expected="4" data-submitted="2"' in body
    assert 'data-level="huyen" data-percent="50" data-expected="2" data-submitted="1"' in body
    # The direct subordinates come first.
    direct = 'data-testid="overview-direct" data-percent="50" data-expected="2" data-submitted="1"'
    assert direct in body
    assert body.index(direct) < body.index('data-level="huyen"')
    assert 'data-testid="previous-review"' not in body


def test_it_compares_key_figures_with_the_previous_review(
    client, leader, answered, previous, items
):
    client.force_login(leader)
    body = client.get(url(answered)).content.decode()
    assert f'data-testid="previous-review" data-plan="{previous.pk}"' in body
    # This review counts D1's submitted report, 5, once for its subtree (not
    # 3 + 4 + 5); the previous one, whose D1 had not reported, D1's accepted
    # communes in its place: 2 + 3.
    assert (
        f'data-testid="key-figure" data-item="{items["count"].pk}" '
        'data-total="5" data-previous="5" data-change="0"'
    ) in body
    assert 'data-testid="key-figure-leaves" data-value="7"' in body  # 3 + 4, to compare
    # D1 gave no figures per year: its communes' are not added in its stead.
    assert f'data-item="{items["per_year"].pk}"' not in body


def test_a_plan_on_other_documents_is_no_previous_review(client, leader, answered, previous):
    previous.subjects.update(number_symbol="999-QĐ/TU")
    client.force_login(leader)
    body = client.get(url(answered)).content.decode()
    assert 'data-testid="previous-review"' not in body


def test_a_later_plan_is_no_previous_review(client, leader, answered, previous):
    Plan.objects.filter(pk=previous.pk).update(issued_on=datetime.date(2021, 1, 1))
    client.force_login(leader)
    body = client.get(url(answered)).content.decode()
    assert 'data-testid="previous-review"' not in body


def test_it_links_the_latest_consolidated_pdf(client, leader, answered, small_tree):
    report = Report.objects.get(campaign=answered, unit=small_tree["P"])
    now = timezone.now()
    DocumentBuild.objects.create(
        report=report, fmt="pdf", status="done", finished_at=now - datetime.timedelta(days=1)
    )
    newest = DocumentBuild.objects.create(report=report, fmt="pdf", status="done", finished_at=now)
    DocumentBuild.objects.create(report=report, fmt="docx", status="done", finished_at=now)
    DocumentBuild.objects.create(report=report, fmt="pdf", status="running")
    client.force_login(leader)
    body = client.get(url(answered)).content.decode()
    link = reverse("consolidation:build_download", args=[report.pk, newest.pk])
    assert f'href="{link}" data-testid="latest-pdf"' in body


def test_it_says_when_no_pdf_was_built(client, leader, answered):
    client.force_login(leader)
    assert 'data-testid="no-pdf"' in client.get(url(answered)).content.decode()


def test_it_is_404_outside_the_users_units(client, answered, levels):
    elsewhere = add_unit(None, "KT", levels["tinh"], name="Tỉnh ủy Kon Tum")
    stranger = MembershipFactory(unit=elsewhere, role=Role.VIEWER).user
    client.force_login(stranger)
    assert client.get(url(answered)).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    client,
    leader,
    answered,
    previous,
    small_tree,
    levels,
    items,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client.force_login(leader)
    client.get(url(answered))  # warm the session
    # With the tree's depth and the grassroots count.
    with django_assert_max_num_queries(25) as few:
        assert client.get(url(answered)).status_code == 200
    for i in range(20):
        unit = add_unit(small_tree["D2"], f"X{i}", levels["co-so"], name=f"Đảng ủy xã X{i}")
        rep = ReportFactory(
            campaign=answered, unit=unit, status=ReportStatus.ACCEPTED, is_late=i % 2 == 0
        )
        AnswerFactory(report=rep, item=items["count"], number=i)
        AnswerFactory(report=rep, item=items["per_year"], per_year={"2019": i})
    with django_assert_num_queries(len(few)):
        assert client.get(url(answered)).status_code == 200
