"""Files and dates as offices have them, in an English-locale browser (most
office machines): the file picker and the dates speak Vietnamese (dd/mm/yyyy),
the kind is chosen from the file, and an upload shows its progress in percent."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Attachment, AttachmentKind, Report
from tests.browser.conftest import log_in
from tests.factories import PlanFactory
from tests.reports.test_attachments import PDF

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Big enough that a throttled upload reports progress a few times on the way.
BIG_PDF = PDF + b"%" * (1536 * 1024)
# Records every text the progress bar shows, before the card is swapped away.
RECORD_PROGRESS = """() => {
  window.progressSeen = [];
  new MutationObserver(() => {
    const bar = document.querySelector("[data-testid=upload-progress]");
    if (bar && !bar.closest(".d-none")) window.progressSeen.push(bar.textContent.trim());
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
    attributes: true});
}"""


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


def test_the_file_picker_and_the_upload_speak_vietnamese(
    page, live_server, commune_report, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/")
    card = page.get_by_test_id("report-attachments")
    expect(card.get_by_test_id("file-picker-button")).to_have_text("Chọn tệp")
    expect(card.get_by_test_id("file-picker-name")).to_have_text("Chưa chọn tệp")
    # The native input (which would say "Choose File") is there but not seen.
    native = card.get_by_test_id("attachment-file")
    assert native.bounding_box()["width"] <= 1
    expect(native).to_have_accessible_name(re.compile(r"^Tệp\W+Chọn tệp\W*$"))

    scan = tmp_path / "Báo cáo đã ký.pdf"
    scan.write_bytes(BIG_PDF)
    native.set_input_files(str(scan))
    expect(card.get_by_test_id("file-picker-name")).to_have_text("Báo cáo đã ký.pdf")
    expect(card.locator("select[name=kind]")).to_have_value("signed_scan")
    ARTIFACTS.mkdir(exist_ok=True)
    card.screenshot(path=str(ARTIFACTS / "attachments-file-chosen.png"))

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": -1, "uploadThroughput": 400 * 1024},
    )
    page.evaluate(RECORD_PROGRESS)
    card.get_by_role("button", name="Đính kèm").click()
    expect(page.get_by_test_id("attachment-download")).to_have_text("Báo cáo đã ký.pdf")
    seen = page.evaluate("window.progressSeen")
    percents = {int(text.rstrip("%")) for text in seen}
    assert any(0 < percent < 100 for percent in percents), seen
    assert all(text.endswith("%") for text in seen)
    attachment = Attachment.objects.get(report=commune_report)
    assert attachment.kind == AttachmentKind.SIGNED_SCAN
    assert attachment.size == len(BIG_PDF)

    # The card came back: a second PDF is an annex now, a spreadsheet one of figures.
    card = page.get_by_test_id("report-attachments")
    expect(card.get_by_test_id("file-picker-name")).to_have_text("Chưa chọn tệp")
    other = tmp_path / "Tờ trình.pdf"
    other.write_bytes(PDF)
    card.get_by_test_id("attachment-file").set_input_files(str(other))
    expect(card.locator("select[name=kind]")).to_have_value("annex")
    sheet = tmp_path / "Số liệu.xls"
    sheet.write_bytes(b"")
    card.get_by_test_id("attachment-file").set_input_files(str(sheet))
    expect(card.locator("select[name=kind]")).to_have_value("figures")
    # Once the user picks the kind, the file no longer changes it.
    card.locator("select[name=kind]").select_option("annex")
    card.get_by_test_id("attachment-file").set_input_files(str(other))
    expect(card.locator("select[name=kind]")).to_have_value("annex")


def test_a_date_is_shown_and_typed_as_dd_mm_yyyy(page, live_server, commune_report):
    commune_report.issued_on = datetime.date(2026, 3, 5)
    commune_report.save(update_fields=["issued_on"])
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{commune_report.pk}/")
    page.get_by_text("Thông tin văn bản báo cáo").click()
    shown = page.get_by_role("textbox", name="Ngày (dd/mm/yyyy)")
    expect(shown).to_have_value("05/03/2026")
    hidden = page.locator("input[name=issued_on]")
    expect(hidden).to_have_attribute("type", "hidden")
    expect(hidden).to_have_value("2026-03-05")

    today = timezone.localdate()
    shown.click()
    expect(page.locator(".flatpickr-calendar.open")).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # the calendar fades in
    page.get_by_test_id("report-attachments").screenshot(
        path=str(ARTIFACTS / "attachments-card.png")
    )
    page.screenshot(path=str(ARTIFACTS / "date-picker-open.png"))
    shown.fill(today.strftime("%d/%m/%Y"))
    shown.press("Tab")
    expect(hidden).to_have_value(today.isoformat())
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state("networkidle")
    commune_report.refresh_from_db()
    assert commune_report.issued_on == today
    page.get_by_text("Thông tin văn bản báo cáo").click()
    expect(page.get_by_role("textbox", name="Ngày (dd/mm/yyyy)")).to_have_value(
        today.strftime("%d/%m/%Y")
    )
