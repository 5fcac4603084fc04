"""Issue #15 in a browser: a past campaign is recorded after the fact (the
publish step asks, the report is submitted on the day typed), and the 2025
demo's board shows its merged communes. axe passes on the new pages."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from orgunits import demo, demo2025
from orgunits.models import OrgUnit
from reports.models import Report, ReportStatus
from tests.browser import axe
from tests.browser.conftest import fill_date, log_in
from tests.factories import PlanFactory
from tests.reports.test_workflow import fill_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def no_blocking(page) -> None:
    found = axe.blocking(axe.check(page))
    assert found == [], [(v["id"], v["nodes"]) for v in found]


def test_a_past_campaign_is_recorded_and_a_report_submitted_on_its_day(
    page, live_server, demo_province
):
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        deadlines={
            "co-so": datetime.date(2020, 3, 12),
            "huyen": datetime.date(2020, 3, 24),
            "tinh": datetime.date(2020, 3, 31),
        },
    )
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/soan/preview/")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("past-deadlines")).to_contain_text("12/3/2020")
    no_blocking(page)
    page.get_by_test_id("publish-recorded").click()
    page.wait_for_load_state("networkidle")
    plan.refresh_from_db()
    assert plan.recorded_after_the_fact

    report = Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)
    approver = get_user_model().objects.get(username="xa.duyet")
    fill_required(report, approver)
    page.context.clear_cookies()
    log_in(page, live_server, "xa.duyet", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    expect(page.get_by_test_id("recorded-badge")).to_be_visible()
    fill_date(page, "#on-submit", "2020-03-10")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.issued_on == datetime.date(2020, 3, 10)
    assert not report.is_late


def test_the_2025_board_shows_the_merged_communes_on_a_phone_too(browser, live_server, levels):
    call_command("load_demo_2025", stdout=io.StringIO())
    plan = OrgUnit.objects.get(code=demo2025.PROVINCE[0]).plans.get()
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        log_in(page, live_server, "dl.dieuphoi", demo2025.PASSWORD)
        page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
        notes = page.get_by_test_id("merged-note")
        expect(notes).to_have_count(2)
        expect(notes.first).to_contain_text("Ea Nuôl")
        no_blocking(page)
        context.close()
