"""The province coordinator filters the board to overdue units, chases them all
with a personal line, and a commune's reporter sees the reminder in the bell."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from chasing import board_tree
from chasing.models import Reminder, ReminderKind
from notifications.models import Notification
from orgunits import demo
from orgunits.models import Membership, OrgUnit, Role
from reports.models import Report
from tests.browser import axe
from tests.browser.conftest import log_in
from tests.factories import PlanFactory, build_flat_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PHONE = {"width": 390, "height": 844}
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
    # 221 reports: the first page shows the province and its districts, each
    # with its subtree's counts; filters are pages of 50 from the database.
    districts = OrgUnit.objects.filter(level__code="huyen").count()
    expect(rows).to_have_count(1 + districts)
    with_units = OrgUnit.objects.filter(level__code="huyen", numchild__gt=0).count()
    expect(page.get_by_test_id("subtree-counts")).to_have_count(with_units)

    page.get_by_test_id("filter-timeliness").select_option("overdue")
    page.wait_for_url("**timeliness=overdue**")
    overdue = Report.objects.filter(campaign=overdue_plan, unit__level__code="co-so").count()
    expect(rows).to_have_count(min(overdue, board_tree.PAGE_SIZE))
    expect(page.locator("tr[data-testid=board-row]:not([data-timeliness=overdue])")).to_have_count(
        0
    )
    expect(page.get_by_test_id("parent-name").first).to_be_visible()
    commune = OrgUnit.objects.get(code=demo.DEMO_COMMUNE)
    words = commune.name.split()[-2:]  # "xã …": the demo commune and any namesake
    page.get_by_test_id("filter-q").fill(" ".join(words))
    page.get_by_test_id("filter-q").press("Enter")
    page.wait_for_url("**q=**")
    matching = Report.objects.filter(
        campaign=overdue_plan,
        unit__level__code="co-so",
        unit__in=OrgUnit.objects.search(" ".join(words)),
    ).count()
    expect(rows).to_have_count(matching)
    expect(page.get_by_test_id("chase-submit")).to_be_disabled()

    page.get_by_test_id("select-all-shown").check()
    expect(page.get_by_test_id("chase-checkbox").and_(page.locator(":checked"))).to_have_count(
        matching
    )
    page.get_by_test_id("chase-note").fill(NOTE)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "board-overdue.png"), full_page=True)
    page.get_by_test_id("chase-submit").click()
    page.wait_for_url("**timeliness=overdue**")
    # Only the demo commune has people: the others are named as reaching nobody.
    expect(page.locator(".alert-success")).to_contain_text("Đã nhắc 1 đơn vị")
    if matching > 1:
        expect(page.locator(".alert-warning")).to_contain_text(
            f"Không ai nhận được lời nhắc tại {matching - 1} đơn vị"
        )
    overdue = matching

    reminders = Reminder.objects.filter(plan=overdue_plan, kind=ReminderKind.MANUAL)
    assert reminders.count() == overdue
    assert set(reminders.values_list("note", flat=True)) == {NOTE}
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


def test_the_tree_opens_on_demand_and_the_polling_keeps_ticks(page, live_server, overdue_plan):
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{overdue_plan.pk}/tien-do/")
    districts = OrgUnit.objects.filter(level__code="huyen").count()
    visible = page.locator("tr[data-testid=board-row]:visible")
    expect(visible).to_have_count(1 + districts)

    page.locator("[data-board-collapse=all]").click()
    expect(visible).to_have_count(1)  # the province, its subtree folded
    page.locator("tr[data-unit=GL] [data-board-toggle]").click()
    expect(visible).to_have_count(1 + districts)

    commune = OrgUnit.objects.get(code=demo.DEMO_COMMUNE)
    district = OrgUnit.objects.get(path=commune.path[: -OrgUnit.steplen])
    below = Report.objects.filter(
        campaign=overdue_plan, unit__path__startswith=district.path, unit__depth=district.depth + 1
    ).count()
    toggle = page.locator(f"tr[data-unit='{district.code}'] [data-board-toggle]")
    with page.expect_response(lambda response: "/tien-do/con/" in response.url):
        toggle.click()
    expect(visible).to_have_count(1 + districts + below)
    toggle.click()  # folds without asking the server again
    expect(visible).to_have_count(1 + districts)
    toggle.click()
    expect(visible).to_have_count(1 + districts + below)

    box = page.locator(f"tr[data-unit='{commune.code}'] [data-testid=chase-checkbox]")
    box.check()
    # What the 30-second poll does, now: the changed row comes back and the tick stays.
    report = Report.objects.get(campaign=overdue_plan, unit=commune)
    report.save()
    with page.expect_response(lambda response: "/tien-do/bang/" in response.url) as answer:
        page.evaluate("htmx.trigger('#board-poll', 'board-refresh')")
    assert f'id="board-row-{report.pk}"' in answer.value.text()
    expect(box).to_be_checked()
    expect(visible).to_have_count(1 + districts + below)
    expect(page.locator("[data-board-ticked]")).to_have_text("1")


def test_the_board_opened_on_demand_passes_axe_on_a_desktop_and_a_phone(
    browser, live_server, overdue_plan
):
    commune = OrgUnit.objects.get(code=demo.DEMO_COMMUNE)
    district = OrgUnit.objects.get(path=commune.path[: -OrgUnit.steplen])
    ARTIFACTS.mkdir(exist_ok=True)
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context = browser.new_context(locale="vi-VN", viewport=viewport)
        page = context.new_page()
        log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
        page.goto(f"{live_server.url}/ke-hoach/{overdue_plan.pk}/tien-do/")
        with page.expect_response(lambda response: "/tien-do/con/" in response.url):
            page.locator(f"tr[data-unit='{district.code}'] [data-board-toggle]").click()
        expect(page.locator(f"tr[data-unit='{commune.code}']")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"board-tree-{name}.png"), full_page=True)
        found = axe.blocking(axe.check(page))
        assert found == [], [(v["id"], v["nodes"]) for v in found]
        context.close()


def test_a_unit_with_many_communes_shows_them_fifty_at_a_time(page, live_server, levels):
    """A province whose 120 communes answer to it directly: 50 rows, then
    "Xem thêm" brings the next 50 in its place, and the last 20."""
    province, plan = build_flat_province(timezone.localdate(), 120, districts=2, per_district=20)
    coordinator = Membership.objects.filter(unit=province, role=Role.COORDINATOR).first().user
    log_in(page, live_server, coordinator.username, "secret-pass-123")
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
    rows = page.locator("tr[data-testid=board-row]:visible")
    expect(rows).to_have_count(1 + 50)
    more = page.get_by_test_id("show-more")
    expect(more).to_have_count(1)
    expect(more).to_contain_text("Xem thêm (còn 72 đơn vị)")
    more.click()
    expect(rows).to_have_count(1 + 100)
    expect(more).to_contain_text("Xem thêm (còn 22 đơn vị)")
    more.click()
    expect(rows).to_have_count(1 + 122)
    expect(more).to_have_count(0)
    # Ticks counted on the rows brought in, and folding the province hides them all.
    page.locator("tr[data-unit=C110] [data-testid=chase-checkbox]").check()
    expect(page.locator("[data-board-ticked]")).to_have_text("1")
    page.locator("tr[data-unit=P] [data-board-toggle]").click()
    expect(rows).to_have_count(1)
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("tr[data-unit=P] [data-board-toggle]").click()
    page.screenshot(path=str(ARTIFACTS / "board-more.png"), full_page=False)
