"""Who may see, write, submit, review and download a unit's report."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services as plan_services
from orgunits.access import can
from orgunits.models import Role
from reports import attachments, selectors, services
from reports.models import AttachmentKind, Report
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


def test_the_services_refuse_what_the_rules_refuse(commune_report, people, published_plan):
    with pytest.raises(PermissionDenied):
        plan_services.lock_plan(plan=published_plan, by=people["district_coordinator"])
    with pytest.raises(PermissionDenied):
        attachments.attachment_create(
            report=commune_report,
            upload=SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4\n"),
            kind=AttachmentKind.ANNEX,
            by=people["viewer"],
        )
    with pytest.raises(PermissionDenied):
        services.accept(report=commune_report, by=people["approver"])
    published_plan.refresh_from_db()
    assert published_plan.locked_at is None
    assert not commune_report.attachments.exists()
