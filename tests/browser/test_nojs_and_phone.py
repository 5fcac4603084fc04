"""Issue #14: the report page read and written without JavaScript, and the
inbox, the report form and the board at 390×844 (a phone)."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from campaigns.models import AnswerType
from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Answer, Report
from tests.browser.conftest import BROWSER_TIMEOUT_MS, log_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def plan(demo_province):
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    return PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 7 * day,
        deadlines={"co-so": today + 5 * day, "huyen": today + 12 * day, "tinh": today + 20 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )


@pytest.fixture
def commune_report(plan):
    return Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)


def _context(browser, **options):
    context = browser.new_context(locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    return context, page


def test_without_javascript_a_rich_text_answer_is_read_edited_and_saved(
    browser, live_server, commune_report
):
    item = (
        commune_report.plan.outline_items.filter(is_heading=False, answer_type=AnswerType.TEXT)
        .order_by("position")
        .first()
    )
    Answer.objects.create(
        report=commune_report,
        item=item,
        version=1,
        text="<div><strong>Đã triển khai</strong> đầy đủ</div>",
    )
    context, page = _context(
        browser, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        log_in(page, live_server, "xa.baocao", demo.PASSWORD)
        page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/")
        card = page.locator(f"#item-{item.pk}")
        expect(card.get_by_test_id("answer-noscript")).to_contain_text("Đã triển khai đầy đủ")
        textarea = card.locator(f"textarea[name='item{item.pk}-text_plain']")
        expect(textarea).to_have_value("Đã triển khai đầy đủ")
        textarea.fill("Đã triển khai đầy đủ\nCòn hai chi bộ chậm")
        card.get_by_role("button", name="Lưu").click()
        page.wait_for_load_state("load")
        expect(page.locator(".alert-success")).to_be_visible()
        answer = Answer.objects.get(report=commune_report, item=item)
        assert answer.text == "<div>Đã triển khai đầy đủ</div><div>Còn hai chi bộ chậm</div>"
        expect(page.locator(f"#item-{item.pk}").get_by_test_id("answer-noscript")).to_contain_text(
            "Còn hai chi bộ chậm"
        )
        # The cards htmx used to load are there; the user menu opens.
        expect(page.get_by_test_id("report-attachments")).to_be_visible()
        expect(page.get_by_test_id("attachment-upload")).to_be_visible()
        expect(page.get_by_test_id("user-menu-list")).to_be_hidden()
        page.get_by_test_id("user-menu").click()
        expect(page.get_by_test_id("user-menu-list")).to_be_visible()
        expect(page.get_by_test_id("user-menu-list")).to_contain_text("Đăng xuất")
        page.screenshot(path=str(ARTIFACTS / "nojs-report.png"))
    finally:
        context.close()


def test_without_javascript_the_district_sees_its_consolidated_document_card(
    browser, live_server, plan
):
    district = Report.objects.get(campaign=plan, unit__code="GL.CS")
    context, page = _context(
        browser, java_script_enabled=False, viewport={"width": 1280, "height": 900}
    )
    try:
        log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
        page.goto(f"{live_server.url}/bao-cao/{district.pk}/tong-hop/")
        expect(page.get_by_test_id("consolidated-builds")).to_be_visible()
    finally:
        context.close()


def _no_horizontal_overflow(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide"


def test_on_a_phone_the_inbox_shows_deadline_and_time_left(browser, live_server, commune_report):
    context, page = _context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        log_in(page, live_server, "xa.baocao", demo.PASSWORD)
        page.goto(f"{live_server.url}/bao-cao/hop-thu/")
        row = page.get_by_test_id("inbox-to-write").get_by_test_id("inbox-row").first
        for cell in (row.get_by_test_id("deadline"), row.get_by_test_id("days-left")):
            expect(cell).to_be_in_viewport()
            box = cell.bounding_box()
            assert box["x"] >= 0
            assert box["x"] + box["width"] <= PHONE["width"]
        _no_horizontal_overflow(page)
        page.screenshot(path=str(ARTIFACTS / "phone-inbox.png"), full_page=True)
    finally:
        context.close()


def test_on_a_phone_the_form_stacks_the_years_and_the_submit_bar_is_at_hand(
    browser, live_server, commune_report
):
    context, page = _context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        log_in(page, live_server, "xa.duyet", demo.PASSWORD)
        page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/")
        page.wait_for_load_state("networkidle")
        _no_horizontal_overflow(page)
        years = page.locator("table.per-year").first.locator("input")
        assert years.count() >= 2
        first, second = years.nth(0).bounding_box(), years.nth(1).bounding_box()
        assert second["y"] > first["y"] + first["height"] - 1  # one under the other
        assert first["x"] + first["width"] <= PHONE["width"]
        page.locator("table.per-year").first.screenshot(path=str(ARTIFACTS / "phone-per-year.png"))
        bar = page.get_by_test_id("phone-bar")
        expect(bar).to_be_in_viewport()
        page.mouse.wheel(0, 3000)
        expect(bar).to_be_in_viewport()
        page.screenshot(path=str(ARTIFACTS / "phone-report.png"))
        page.get_by_test_id("phone-bar-submit").click()
        expect(page.get_by_test_id("submit-report")).to_be_in_viewport()
        page.screenshot(path=str(ARTIFACTS / "phone-report-submit.png"))
        for target in page.locator(".phone-bar .btn, .per-year input").all()[:6]:
            assert target.bounding_box()["height"] >= 24
    finally:
        context.close()


def test_on_a_phone_the_board_targets_are_24px(browser, live_server, plan):
    context, page = _context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
        page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
        page.wait_for_load_state("networkidle")
        targets = page.locator(
            "[data-board-toggle], [data-testid=chase-checkbox], [data-testid=select-all-shown]"
        )
        assert targets.count() > 0
        for target in targets.all()[:10]:
            box = target.bounding_box()
            assert box["width"] >= 24, box
            assert box["height"] >= 24, box
        _no_horizontal_overflow(page)
        row = page.get_by_test_id("board-row").nth(1)
        row.scroll_into_view_if_needed()
        for cell in row.locator("td").all():
            box = cell.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"], box
        page.screenshot(path=str(ARTIFACTS / "phone-board.png"), full_page=True)
    finally:
        context.close()
