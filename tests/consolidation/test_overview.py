"""The leader's page of a plan: completion, key figures against the previous review, PDF."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import services as plan_services
from campaigns.models import AnswerType, Plan
from consolidation.models import DocumentBuild
from orgunits.models import Role
from reports.models import Report, ReportStatus
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.consolidation import test_rollup
from tests.consolidation.test_rollup import answer, item
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db

# The tree and the answers of the roll-up tests.
answered, items = test_rollup.answered, test_rollup.items


@pytest.fixture
def leader(small_tree):
    return MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user


@pytest.fixture
def previous(answered, small_tree, levels):
    """The 2018 review of the same decision 553-QĐ/TU: the count was 2 + 3."""
    plan = seed000_plan(small_tree["P"], number=101)
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    plan_services.publish(plan=plan, by=coordinator)
    Plan.objects.filter(pk=plan.pk).update(issued_on=datetime.date(2018, 3, 1))
    plan.refresh_from_db()
    count = item(plan, "1.1.", AnswerType.INTEGER)
    for code, number in (("D1C1", 2), ("D1C2", 3), ("D2C1", 50)):
        rep = Report.objects.get(campaign=plan, unit=small_tree[code])
        rep.status = ReportStatus.ACCEPTED if code != "D2C1" else ReportStatus.SUBMITTED
        rep.save()
        answer(rep, count, number=number)
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


def _queries(client, plan) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(plan))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_runs_a_fixed_number_of_queries(
    client, leader, answered, previous, small_tree, levels, items
):
    client.force_login(leader)
    _queries(client, answered)
    before = _queries(client, answered)
    for i in range(20):
        unit = add_unit(small_tree["D2"], f"X{i}", levels["co-so"], name=f"Đảng ủy xã X{i}")
        rep = Report.objects.create(
            campaign=answered,
            plan=answered,
            unit=unit,
            due_on=answered.deadlines.first().due_on,
            status=ReportStatus.ACCEPTED,
            is_late=i % 2 == 0,
        )
        answer(rep, items["count"], number=i)
        answer(rep, items["per_year"], per_year={"2019": i})
    assert _queries(client, answered) == before
    assert before <= 25, before  # with the tree's depth and the grassroots count
