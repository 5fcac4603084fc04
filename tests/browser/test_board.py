"""The province coordinator filters the board to overdue units, chases them all
with a personal line, and a commune's reporter sees the reminder in the bell."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from chasing.models import Reminder, ReminderKind
from notifications.models import Notification
from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Report
from tests.browser.conftest import log_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
NOTE = "Đề nghị các đồng chí gửi báo cáo trước thứ Sáu."


@pytest.fixture
def overdue_plan(demo_province):
    """Seed 000 published on the demo province; the communes' deadline has passed."""
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 20 * day,
        deadlines={"co-so": today - 3 * day, "huyen": today + 7 * day, "tinh": today + 14 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )
    # The publication notices are read: the bell starts empty.
    Notification.objects.update(read_at=timezone.now())
    return plan


def test_a_coordinator_chases_the_overdue_units_and_the_commune_sees_it(
    page, live_server, overdue_plan
):
    board = f"{live_server.url}/ke-hoach/{overdue_plan.pk}/tien-do/"
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    expect(page.get_by_test_id("bell")).to_be_visible()
    expect(page.get_by_test_id("bell-count")).to_have_count(0)

    page.context.clear_cookies()
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(board)
    rows = page.get_by_test_id("board-row")
    total = Report.objects.filter(campaign=overdue_plan).count()
    expect(rows).to_have_count(total)

    page.get_by_test_id("filter-timeliness").select_option("overdue")
    page.wait_for_url("**timeliness=overdue")
    overdue = Report.objects.filter(campaign=overdue_plan, unit__level__code="co-so").count()
    expect(rows).to_have_count(overdue)
    expect(page.locator("tr[data-testid=board-row]:not([data-timeliness=overdue])")).to_have_count(
        0
    )
    expect(page.get_by_test_id("chase-submit")).to_be_disabled()

    page.get_by_test_id("select-all-shown").check()
    expect(page.get_by_test_id("chase-checkbox").and_(page.locator(":checked"))).to_have_count(
        overdue
    )
    page.get_by_test_id("chase-note").fill(NOTE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-overdue.png"), full_page=True)
    page.get_by_test_id("chase-submit").click()
    page.wait_for_url("**timeliness=overdue")
    # Only the demo commune has people: the others are named as reaching nobody.
    expect(page.locator(".alert-success")).to_contain_text("Đã nhắc 1 đơn vị")
    expect(page.locator(".alert-warning")).to_contain_text(
        f"Không ai nhận được lời nhắc tại {overdue - 1} đơn vị"
    )

    reminders = Reminder.objects.filter(plan=overdue_plan, kind=ReminderKind.MANUAL)
    assert reminders.count() == overdue
    assert set(reminders.values_list("note", flat=True)) == {NOTE}
    commune = OrgUnit.objects.get(code=demo.DEMO_COMMUNE)
    expect(
        page.locator(f"tr[data-unit='{commune.code}'] [data-testid=last-reminder]")
    ).not_to_have_text("—")

    page.context.clear_cookies()
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    count = page.get_by_test_id("bell-count")
    expect(count).to_be_visible()
    assert int(count.inner_text()) >= 1
    page.get_by_test_id("bell").click()
    expect(page.locator("main")).to_contain_text(NOTE)


def test_the_tree_folds_and_the_polling_keeps_ticks(page, live_server, overdue_plan):
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{overdue_plan.pk}/tien-do/")
    districts = OrgUnit.objects.filter(level__code="huyen").count()
    visible = page.locator("tr[data-testid=board-row]:visible")

    page.locator("[data-board-collapse=all]").click()
    expect(visible).to_have_count(1)  # the province, its subtree folded
    page.locator("tr[data-unit=GL] [data-board-toggle]").click()
    expect(visible).to_have_count(1 + districts)
    page.locator("[data-board-collapse=none]").click()
    expect(visible).to_have_count(Report.objects.filter(campaign=overdue_plan).count())

    commune = page.locator(f"tr[data-unit='{demo.DEMO_COMMUNE}'] [data-testid=chase-checkbox]")
    commune.check()
    # What the 30-second poll does, now: the rows come back and the tick stays.
    with page.expect_response(lambda response: "/tien-do/bang/" in response.url):
        page.evaluate("htmx.trigger('#board-table', 'board-refresh')")
    expect(commune).to_be_checked()
