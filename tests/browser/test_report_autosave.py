"""The report form says honestly where each item stands: editing, saving,
saved, failed; what the connection lost is kept on the device and sent when it
is back; the report's completeness follows every save; a save never
overwrites what someone else saved meanwhile."""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from orgunits import demo
from orgunits.models import OrgUnit
from reports import services
from reports.models import Answer, Report, ReportStatus
from reports.selectors import items_for_unit
from tests.browser.conftest import BROWSER_TIMEOUT_MS, log_in
from tests.factories import PlanFactory
from tests.reports.test_workflow import fill_required

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Records every state an item's status line shows, in order.
STATE_RECORDER = """
window.__states = [];
const status = document.querySelector('.save-status');
new MutationObserver(() => {
  const state = status.querySelector('[data-state]')?.dataset.state;
  if (state && window.__states[window.__states.length - 1] !== state) window.__states.push(state);
}).observe(status, {childList: true, subtree: true});
"""


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


def first_text_item(report):
    return next(
        row.item
        for row in items_for_unit(report)
        if not row.item.is_heading and row.item.answer_type == "text"
    )


def stored_text(report, item) -> str:
    answer = Answer.objects.filter(report=report, item=item).first()
    return answer.text if answer else ""


def wait_for_db(condition) -> None:
    deadline = time.monotonic() + BROWSER_TIMEOUT_MS / 1000
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert condition()


def open_form(page, live_server, report, username="xa.baocao"):
    log_in(page, live_server, username, demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    page.wait_for_load_state("networkidle")


def test_saving_the_last_required_item_completes_the_report_live(page, live_server, commune_report):
    reporter = get_user_model().objects.get(username="xa.baocao")
    item = first_text_item(commune_report)
    fill_required(commune_report, reporter)
    Answer.objects.filter(report=commune_report, item=item).delete()
    Report.objects.filter(pk=commune_report.pk).update(status=ReportStatus.PENDING)
    open_form(page, live_server, commune_report)
    total = sum(
        1 for r in items_for_unit(commune_report) if r.item.required and not r.item.is_heading
    )
    expect(page.get_by_test_id("missing-count")).to_have_text(
        "Còn 1 mục bắt buộc chưa có nội dung."
    )
    expect(page.locator("#report-status")).to_have_text("Chưa bắt đầu")
    expect(page.get_by_test_id("progress-text")).to_have_text(f"{total - 1}/{total} mục")
    # The empty item is a link that jumps to it.
    page.get_by_test_id("missing-items").get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/bao-cao/{commune_report.pk}/#item-{item.pk}")

    page.locator(f"#item-{item.pk} .ql-editor").click()
    page.keyboard.type("Đã quán triệt đầy đủ.")
    expect(page.locator(f"#status-{item.pk} [data-testid=saved]")).to_be_visible()
    expect(page.get_by_test_id("missing-count")).to_have_text(
        "Tất cả các mục bắt buộc đã có nội dung."
    )
    expect(page.locator("#report-status")).to_have_text("Đang soạn")
    expect(page.get_by_test_id("progress-text")).to_have_text(f"{total}/{total} mục")
    expect(page.get_by_test_id("progress")).to_have_attribute("aria-valuenow", str(total))
    for mark in page.locator(f".toc-mark-{item.pk}").all():
        expect(mark).to_have_attribute("data-mark", "saved")


def test_the_four_states_come_in_order(page, live_server, commune_report):
    item = first_text_item(commune_report)
    open_form(page, live_server, commune_report)
    page.evaluate(STATE_RECORDER)
    status = page.locator(f"#status-{item.pk}")
    expect(status).to_have_attribute("aria-live", "polite")
    page.locator(f"#item-{item.pk} .ql-editor").click()
    page.keyboard.type("Đã")
    expect(status).to_have_text("Đang sửa – chưa lưu")
    expect(status.get_by_test_id("saved")).to_contain_text("Đã lưu lúc")
    page.context.set_offline(True)
    page.keyboard.type(" triển khai")
    expect(status.get_by_test_id("save-error")).to_contain_text("Lưu lỗi: mất kết nối")
    expect(status.get_by_role("button", name="Thử lại")).to_be_visible()
    page.context.set_offline(False)
    expect(status.get_by_test_id("saved")).to_be_visible()
    wait_for_db(lambda: stored_text(commune_report, item) == "<p>Đã triển khai</p>")
    states = page.evaluate("window.__states")
    assert states[:3] == ["dirty", "saving", "saved"]
    assert "error" in states
    assert states[-2:] == ["saving", "saved"]


def test_text_typed_offline_survives_a_reload_and_is_saved_when_back_online(
    page, live_server, commune_report
):
    item = first_text_item(commune_report)
    open_form(page, live_server, commune_report)
    context = page.context
    context.set_offline(True)
    page.locator(f"#item-{item.pk} .ql-editor").click()
    page.keyboard.type("Viết khi mất mạng")
    expect(page.locator(f"#status-{item.pk} [data-testid=save-error]")).to_be_visible()
    # The server stays out of reach for saves while the page is reloaded.
    context.route("**/muc/**", lambda route: route.abort("internetdisconnected"))
    context.set_offline(False)
    page.reload()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator(f"#item-{item.pk} [data-testid=restored]")).to_contain_text(
        "Khôi phục bản chưa lưu"
    )
    expect(page.locator(f"#item-{item.pk} .ql-editor")).to_have_text("Viết khi mất mạng")
    expect(page.locator(f"#status-{item.pk} [data-testid=save-error]")).to_be_visible()
    assert stored_text(commune_report, item) == ""
    context.set_offline(True)
    context.unroute("**/muc/**")
    context.set_offline(False)  # the `online` event sends it
    expect(page.locator(f"#status-{item.pk} [data-testid=saved]")).to_be_visible()
    wait_for_db(lambda: stored_text(commune_report, item) == "<p>Viết khi mất mạng</p>")
    assert page.evaluate("localStorage.length") == 0


def test_a_restored_draft_meets_the_newer_server_version_as_a_conflict(
    page, live_server, commune_report
):
    item = first_text_item(commune_report)
    approver = get_user_model().objects.get(username="xa.duyet")
    open_form(page, live_server, commune_report)
    page.context.set_offline(True)
    page.locator(f"#item-{item.pk} .ql-editor").click()
    page.keyboard.type("Bản của tôi")
    expect(page.locator(f"#status-{item.pk} [data-testid=save-error]")).to_be_visible()
    # Meanwhile the approver saved the item from another computer.
    services.save_answer(
        report=commune_report,
        item=item,
        values={"text": "<div>Bản của người duyệt</div>"},
        base_version=0,
        by=approver,
    )
    page.context.set_offline(False)
    conflict = page.locator(f"#status-{item.pk} [data-testid=save-conflict]")
    expect(conflict).to_contain_text("Bản của người duyệt")
    assert stored_text(commune_report, item) == "<div>Bản của người duyệt</div>"
    # Reloading keeps the unsaved version and meets the same conflict.
    page.reload()
    expect(page.locator(f"#item-{item.pk} .ql-editor")).to_have_text("Bản của tôi")
    expect(conflict).to_be_visible()
    assert stored_text(commune_report, item) == "<div>Bản của người duyệt</div>"
    # Only the person's choice saves over it.
    conflict.get_by_test_id("save-anyway").click()
    expect(page.locator(f"#status-{item.pk} [data-testid=saved]")).to_be_visible()
    wait_for_db(lambda: stored_text(commune_report, item) == "<p>Bản của tôi</p>")
