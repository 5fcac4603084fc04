import datetime

import lxml.html
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from orgunits.models import Role
from reports.context_processors import inbox
from reports.models import Report, ReportStatus
from reports.selectors import inbox_counts, reports_to_review, reports_to_write, returned_reports
from tests.factories import MembershipFactory, ReportFactory, add_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(published_plan):
    """Seed 000, published (tests/conftest.py)."""
    return published_plan


@pytest.fixture
def reports(plan) -> dict[str, Report]:
    return {r.unit.code: r for r in Report.objects.filter(plan=plan).select_related("unit", "plan")}


def member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


def fresh(user):
    """The user as a new request would load it: no cached scope."""
    return type(user).objects.get(pk=user.pk)


def submitted(report: Report) -> Report:
    report.submit(by=member(report.unit, Role.APPROVER))
    return report


def returned(report: Report, *, by) -> Report:
    submitted(report).send_back(by=by)
    return report


def rows(html: str, section: str) -> list:
    doc = lxml.html.fromstring(html)
    return doc.xpath(f'//*[@data-testid="{section}"]//*[@data-testid="inbox-row"]')


def links(row) -> set[str]:
    return {a.get("href") for a in row.xpath(".//a")}


def detail(report: Report) -> str:
    return reverse("reports:detail", args=[report.pk])


def test_it_lists_the_report_of_the_users_own_commune_to_write(small_tree, reports):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    assert list(reports_to_write(reporter)) == [reports["D1C1"]]


def test_it_lists_every_own_unit_soonest_due_first(small_tree, reports):
    approver = member(small_tree["D1"], Role.APPROVER)
    MembershipFactory(user=approver, unit=small_tree["D2C2"], role=Role.REPORTER)
    # A viewer of a unit does not write its report.
    MembershipFactory(user=approver, unit=small_tree["D2C1"], role=Role.VIEWER)
    assert list(reports_to_write(approver)) == [reports["D2C2"], reports["D1"]]


def test_it_drops_submitted_and_accepted_reports_from_to_write(small_tree, reports, coordinator):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    MembershipFactory(user=reporter, unit=small_tree["D1C2"], role=Role.REPORTER)
    submitted(reports["D1C1"])
    submitted(reports["D1C2"]).accept(by=coordinator)
    assert list(reports_to_write(reporter)) == []


def test_it_ignores_reports_of_closed_plans(small_tree, plan, reports):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    plan.close()
    assert list(reports_to_write(reporter)) == []
    assert inbox_counts(fresh(reporter)) == {"to_write": 0, "to_review": 0, "returned": 0}


def test_it_lists_a_returned_report_as_returned_and_still_to_write(
    small_tree, reports, coordinator
):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    returned(reports["D1C1"], by=coordinator)
    assert list(returned_reports(reporter)) == [reports["D1C1"]]
    assert list(reports_to_write(reporter)) == [reports["D1C1"]]
    other = member(small_tree["D1C2"], Role.REPORTER)
    assert list(returned_reports(other)) == []


def test_it_shows_a_district_coordinator_the_submitted_reports_of_its_communes(small_tree, reports):
    district = member(small_tree["D1"], Role.COORDINATOR)
    for code in ("D1C2", "D1C1", "D1", "D2C1"):
        submitted(reports[code])
    # Submitted first, reviewed first; not its own district's report nor D2's communes.
    assert list(reports_to_review(district)) == [reports["D1C2"], reports["D1C1"]]
    assert list(reports_to_write(district)) == []


def test_it_shows_a_superuser_every_submitted_report(small_tree, reports, user_factory):
    admin = user_factory(username="admin", is_superuser=True, is_staff=True)
    for code in ("D1", "D2C1"):
        submitted(reports[code])
    assert set(reports_to_review(admin)) == {reports["D1"], reports["D2C1"]}


def test_it_shows_nothing_to_an_anonymous_user(reports):
    anonymous = AnonymousUser()
    assert list(reports_to_write(anonymous)) == []
    assert list(reports_to_review(anonymous)) == []
    assert inbox_counts(anonymous) == {"to_write": 0, "to_review": 0, "returned": 0}


def test_it_counts_what_the_lists_hold_in_two_queries(
    small_tree, reports, coordinator, django_assert_max_num_queries
):
    user = member(small_tree["D1"], Role.COORDINATOR)
    for code in ("D2C1", "D2C2", "D2"):
        MembershipFactory(user=user, unit=small_tree[code], role=Role.REPORTER)
    returned(reports["D2C2"], by=coordinator)
    submitted(reports["D2"])
    submitted(reports["D1C1"])
    submitted(reports["D1C2"]).accept(by=coordinator)

    user = fresh(user)
    with django_assert_max_num_queries(2):
        counts = inbox_counts(user)
    assert counts == {"to_write": 1 + 1, "to_review": 1, "returned": 1}
    assert counts["to_write"] == len(reports_to_write(user))
    assert counts["to_review"] == len(reports_to_review(user))
    assert counts["returned"] == len(returned_reports(user))


def test_it_shows_the_three_sections_with_links_to_each_report(
    client, small_tree, reports, coordinator
):
    user = member(small_tree["D1"], Role.COORDINATOR)
    for code in ("D2C1", "D2C2"):
        MembershipFactory(user=user, unit=small_tree[code], role=Role.REPORTER)
    returned(reports["D2C2"], by=coordinator)
    submitted(reports["D1C1"])
    client.force_login(user)

    response = client.get(reverse("reports:inbox"))

    assert response.status_code == 200
    html = response.content.decode()
    to_write, back, to_review = (
        rows(html, section) for section in ("inbox-to-write", "inbox-returned", "inbox-to-review")
    )
    # A returned report is listed once: under "Returned to you", not also to write.
    assert [links(row) for row in to_write] == [{detail(reports["D2C1"])}]
    assert [links(row) for row in back] == [{detail(reports["D2C2"])}]
    assert [links(row) for row in to_review] == [{detail(reports["D1C1"])}]
    # The seed's deadlines are long past and D1C1 was submitted after them.
    assert len(to_review[0].xpath('.//*[@data-testid="late-badge"]')) == 1


def test_it_shows_days_left_and_overdue_days(client, small_tree, reports):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    MembershipFactory(user=reporter, unit=small_tree["D1C2"], role=Role.REPORTER)
    MembershipFactory(user=reporter, unit=small_tree["D2C1"], role=Role.REPORTER)
    today = timezone.localdate()
    for code, days in (("D1C1", -5), ("D1C2", 2), ("D2C1", 20)):
        Report.objects.filter(pk=reports[code].pk).update(
            due_on=today + datetime.timedelta(days=days)
        )
    client.force_login(reporter)

    html = client.get(reverse("reports:inbox")).content.decode()

    overdue, soon, later = (
        row.xpath('.//*[@data-testid="days-left"]')[0] for row in rows(html, "inbox-to-write")
    )
    assert overdue.get("data-days") == "-5"
    assert "5" in overdue.text_content()
    assert "text-danger" in overdue.get("class")
    assert soon.get("data-days") == "2"
    assert "2" in soon.text_content()
    assert "text-warning-emphasis" in soon.get("class")
    assert later.get("data-days") == "20"
    assert "text-danger" not in later.get("class")
    assert "text-warning-emphasis" not in later.get("class")


def test_it_shows_the_waiting_count_in_the_navbar(client, small_tree, reports):
    user = member(small_tree["D1"], Role.COORDINATOR)
    MembershipFactory(user=user, unit=small_tree["D2C1"], role=Role.REPORTER)
    submitted(reports["D1C1"])
    client.force_login(user)

    doc = lxml.html.fromstring(client.get(reverse("home")).content.decode())

    assert [e.text_content() for e in doc.xpath('//*[@data-testid="inbox-count"]')] == ["2"]
    assert doc.xpath('//*[@data-testid="inbox-link"]')[0].get("href") == reverse("reports:inbox")


def test_it_shows_no_count_when_nothing_waits(client, small_tree, reports):
    client.force_login(member(small_tree["D1C1"], Role.VIEWER))
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="inbox-link"' in html
    assert 'data-testid="inbox-count"' not in html


def test_it_queries_nothing_until_a_template_uses_the_counts(
    small_tree, reports, django_assert_num_queries
):
    request = RequestFactory().get("/")
    request.user = fresh(member(small_tree["D1C1"], Role.REPORTER))
    with django_assert_num_queries(0):
        context = inbox(request)
    assert context["inbox_counts"]["to_write"] == 1

    request.user = AnonymousUser()
    assert inbox(request) == {}


def _add_communes(district, level, plan, user, *, count: int) -> None:
    """``count`` communes under ``district``: every other one is the user's to write,
    the others have submitted their report."""
    for n in range(count):
        unit = add_unit(district, f"{district.code}X{n}", level)
        if n % 2:
            ReportFactory(campaign=plan, unit=unit, status=ReportStatus.SUBMITTED)
        else:
            MembershipFactory(user=user, unit=unit, role=Role.REPORTER)
            ReportFactory(campaign=plan, unit=unit, due_on=plan.issued_on)


@pytest.mark.parametrize("page", ["reports:inbox", "home"])
def test_it_runs_the_same_queries_for_4_or_40_communes(
    client,
    small_tree,
    levels,
    plan,
    reports,
    coordinator,
    page,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    user = member(small_tree["D1"], Role.COORDINATOR)
    for code in ("D1C1", "D2C1"):
        MembershipFactory(user=user, unit=small_tree[code], role=Role.REPORTER)
    returned(reports["D2C1"], by=coordinator)
    submitted(reports["D1C2"])
    client.force_login(user)

    with django_assert_max_num_queries(16) as captured:
        response = client.get(reverse(page))
    assert response.status_code == 200
    few, few_html = len(captured), response.content.decode()
    _add_communes(small_tree["D1"], levels["co-so"], plan, user, count=36)
    with django_assert_num_queries(few):
        response = client.get(reverse(page))
    assert response.status_code == 200
    many_html = response.content.decode()
    if page == "reports:inbox":
        # D2C1, returned, is listed under "Returned to you" only.
        assert [len(rows(few_html, s)) for s in ("inbox-to-write", "inbox-to-review")] == [1, 1]
        assert [len(rows(many_html, s)) for s in ("inbox-to-write", "inbox-to-review")] == [19, 19]
        assert len(rows(many_html, "inbox-returned")) == 1
