"""Who may see, write, submit, review and download a unit's report."""

import pytest

from orgunits.access import can
from orgunits.models import Role
from reports import selectors
from reports.models import Report
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(people, small_tree):
    return {
        **people,
        "commune coordinator": MembershipFactory(
            unit=small_tree["D1C1"], role=Role.COORDINATOR
        ).user,
        "cell reporter": MembershipFactory(unit=small_tree["D1C1CELL"], role=Role.REPORTER).user,
        "province viewer": MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user,
        "nobody": UserFactory(),
    }


def allowed(action, users, report) -> set[str]:
    return {who for who, user in users.items() if can(user, action, report)}


def test_a_report_is_seen_and_downloaded_by_its_unit_and_the_units_above(users, commune_report):
    expected = {
        "reporter",
        "approver",
        "viewer",
        "commune coordinator",
        "district_coordinator",
        "province viewer",
    }
    assert allowed("reports.view_report", users, commune_report) == expected
    assert allowed("reports.download_report", users, commune_report) == expected


def test_a_report_is_written_by_its_units_reporters_approvers_and_coordinators(
    users, commune_report
):
    assert allowed("reports.edit_report", users, commune_report) == {
        "reporter",
        "approver",
        "commune coordinator",
    }


def test_a_report_is_submitted_by_its_units_approver_only(users, commune_report):
    assert allowed("reports.submit_report", users, commune_report) == {"approver"}


def test_a_report_is_reviewed_by_the_coordinators_above_its_unit(users, commune_report):
    assert allowed("reports.review_report", users, commune_report) == {"district_coordinator"}


def test_the_rule_and_the_report_list_agree(users, published_plan):
    reports = list(Report.objects.select_related("unit", "plan"))
    for user in users.values():
        listed = set(selectors.reports_visible_to(user))
        assert {r for r in reports if can(user, "reports.view_report", r)} == listed
