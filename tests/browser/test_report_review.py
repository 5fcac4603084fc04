"""A commune fills the seed 000 outline with autosave, its approver submits, the
district returns it with a comment, the commune fixes it, the district accepts."""

import datetime
import os
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Answer, Report, ReportStatus
from tests.browser.conftest import BROWSER_TIMEOUT_MS, log_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def commune_report(demo_province):
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 7 * day,
        deadlines={"co-so": today + 5 * day, "huyen": today + 12 * day, "tinh": today + 20 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )
    return Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)


def fill_everything(page):
    for item in page.get_by_test_id("report-item").all():
        editor = item.locator(".ql-editor")
        if editor.count():
            editor.click()
            page.keyboard.type("Đảng ủy xã đã triển khai nghiêm túc.")
            continue
        points = item.locator("input[name$='-point']")
        if points.count():
            points.first.click()
            page.keyboard.type("Cần tiếp tục phát huy.")
            page.keyboard.press("Tab")
            continue
        for cell in item.locator("input[name*='-year_'], input[name$='-number']").all():
            cell.fill("2")
            cell.blur()
    page.locator("body").click(position={"x": 5, "y": 5})  # leave the last field
    for item in page.get_by_test_id("report-item").all():
        expect(item.get_by_test_id("saved")).to_be_visible()


def test_a_report_goes_up_is_returned_fixed_and_accepted(page, live_server, commune_report):
    detail = f"{live_server.url}/bao-cao/{commune_report.pk}/"
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    expect(page.get_by_test_id("inbox-count")).to_be_visible()
    page.goto(detail)
    fill_everything(page)
    expect(page.locator("[data-testid=saved]").first).to_contain_text("Đã lưu lúc")
    answers = Answer.objects.filter(report=commune_report)
    assert answers.count() == page.get_by_test_id("report-item").count()
    # Every last keystroke is stored before the approver opens the report.
    deadline = time.monotonic() + BROWSER_TIMEOUT_MS / 1000
    while any(a.is_empty for a in answers.all()) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert [a.item.numbering for a in answers.all() if a.is_empty] == []

    page.context.clear_cookies()
    log_in(page, live_server, "xa.duyet", demo.PASSWORD)
    page.goto(detail)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("Đã nộp báo cáo")

    page.context.clear_cookies()
    log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/hop-thu/")
    expect(page.get_by_test_id("inbox-to-review")).to_contain_text("Đảng ủy xã Ia Blang")
    page.get_by_test_id("inbox-to-review").get_by_role("link").first.click()
    page.wait_for_load_state("networkidle")
    page.fill("#overall", "Đề nghị bổ sung số liệu cụ thể.")
    page.get_by_test_id("return-report").click()
    page.wait_for_load_state("networkidle")
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.RETURNED

    page.context.clear_cookies()
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(detail)
    expect(page.get_by_test_id("return-comments")).to_contain_text("bổ sung số liệu")
    page.locator(".ql-editor").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" Đã tổ chức 12 cuộc tiếp xúc.")
    page.locator("body").click(position={"x": 5, "y": 5})
    expect(page.get_by_test_id("report-item").first.get_by_test_id("saved")).to_be_visible()

    page.context.clear_cookies()
    log_in(page, live_server, "xa.duyet", demo.PASSWORD)
    page.goto(detail)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")

    page.context.clear_cookies()
    log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
    page.goto(detail)
    page.get_by_test_id("accept-report").click()
    page.wait_for_load_state("networkidle")
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.ACCEPTED
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-accepted.png"), full_page=True)
    page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/lich-su/")
    expect(page.get_by_test_id("timeline")).to_contain_text("Đã tiếp nhận")
    expect(page.get_by_test_id("timeline")).to_contain_text("12 cuộc tiếp xúc")


def test_text_typed_while_offline_is_saved_when_the_connection_returns(
    page, live_server, commune_report
):
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/")
    first = page.get_by_test_id("report-item").first
    page.context.set_offline(True)
    first.locator(".ql-editor").click()
    page.keyboard.type("Gõ khi mất mạng.")
    page.locator("body").click(position={"x": 5, "y": 5})
    expect(first.locator(".save-status")).to_contain_text("mất kết nối")
    page.context.set_offline(False)
    expect(first.get_by_test_id("saved")).to_be_visible()
    answer = Answer.objects.get(report=commune_report, item__numbering="1.1.")
    assert "Gõ khi mất mạng." in answer.text
