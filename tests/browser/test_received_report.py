"""A commune sent its report by e-mail: the district coordinator records it
from the PDF with the day it arrived, reviews and accepts it, and the board
and PHỤ LỤC 2 of the district's consolidated report say "thư điện tử" and
that day."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from consolidation import tasks
from documents.formatting import short_date
from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Attachment, ReceivedVia, Report, ReportStatus
from tests.browser import axe
from tests.browser.conftest import fill_date, log_in
from tests.factories import PlanFactory
from tests.reports.test_attachments import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
DAY = datetime.timedelta(days=1)


@pytest.fixture
def campaign(demo_province):
    """Seed 000 of the demo province, issued a month ago; the communes were due
    ten days ago."""
    today = timezone.localdate()
    return PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 30 * DAY,
        deadlines={"co-so": today - 10 * DAY, "huyen": today + 5 * DAY, "tinh": today + 15 * DAY},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )


@pytest.fixture
def queued_builds(monkeypatch):
    queued = []
    monkeypatch.setattr(tasks.build_document, "delay", lambda pk: queued.append(pk))
    return queued


def test_a_district_records_an_emailed_report_and_it_shows_everywhere(
    page, live_server, campaign, queued_builds, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    commune = Report.objects.get(campaign=campaign, unit__code=demo.DEMO_COMMUNE)
    district = Report.objects.get(campaign=campaign, unit__path=commune.unit.parent_path())
    arrived = timezone.localdate() - 7 * DAY  # three days after the deadline
    scan = tmp_path / "Báo cáo sơ kết xã Ia Blang.pdf"
    scan.write_bytes(PDF)
    ARTIFACTS.mkdir(exist_ok=True)

    log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
    # From the board, the list of units below: the commune's row offers it.
    page.goto(f"{live_server.url}/ke-hoach/{campaign.pk}/tien-do/")
    row = page.locator(f"[data-testid=board-row][data-unit='{demo.DEMO_COMMUNE}']")
    row.get_by_test_id("record-received-row").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Ghi nhận báo cáo nhận ngoài hệ thống")

    form = page.get_by_test_id("record-received-form")
    form.locator("input[name=files]").set_input_files(str(scan))
    page.get_by_label("Qua thư điện tử").check()
    fill_date(page, "#id_received_on", arrived.isoformat())
    page.fill("#id_note", "Gửi từ địa chỉ dangbo.iablang@gmail.com")
    figures = form.locator("input[name$='-number']")
    for index in range(figures.count()):
        figures.nth(index).fill(str(10 + index))
    assert axe.blocking(axe.check(page)) == []
    page.screenshot(path=str(ARTIFACTS / "record-received.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "record-received-phone.png"), full_page=True)
    assert axe.blocking(axe.check(page)) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_test_id("record-received").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/bao-cao/{commune.pk}/")
    expect(page.get_by_test_id("received-via")).to_have_text(
        f"nhận qua thư điện tử ngày {short_date(arrived)}"
    )
    expect(page.get_by_test_id("report-attachments")).to_contain_text(
        "Báo cáo sơ kết xã Ia Blang.pdf"
    )
    commune.refresh_from_db()
    assert (commune.status, commune.received_via, commune.is_late) == (
        ReportStatus.SUBMITTED,
        ReceivedVia.EMAIL,
        True,
    )
    assert Attachment.objects.get(report=commune).uploaded_by.username == "huyen.dieuphoi"

    # The usual review: accept.
    page.get_by_test_id("accept-report").click()
    page.wait_for_load_state("networkidle")
    commune.refresh_from_db()
    assert commune.status == ReportStatus.ACCEPTED
    page.screenshot(path=str(ARTIFACTS / "received-report-accepted.png"), full_page=True)

    page.goto(f"{live_server.url}/bao-cao/{commune.pk}/lich-su/")
    expect(page.get_by_test_id("timeline")).to_contain_text(
        "Ghi nhận là báo cáo nhận ngoài hệ thống"
    )
    expect(page.get_by_test_id("timeline")).to_contain_text("Lê Thị Thu")

    page.goto(f"{live_server.url}/ke-hoach/{campaign.pk}/tien-do/")
    row = page.locator(f"[data-testid=board-row][data-unit='{demo.DEMO_COMMUNE}']")
    expect(row.get_by_test_id("received-via")).to_have_text(
        f"qua thư điện tử {short_date(arrived)}"
    )
    expect(row).to_have_attribute("data-timeliness", "late")
    page.screenshot(path=str(ARTIFACTS / "board-received.png"), full_page=True)

    # The district's consolidated report: PHỤ LỤC 2 names how and when it came.
    page.goto(f"{live_server.url}/bao-cao/{district.pk}/tong-hop/")
    builds = page.get_by_test_id("consolidated-builds")
    builds.get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    tasks.build_document(queued_builds[-1])
    download_link = page.get_by_test_id("build-download").first
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    content = Path(download.value.path()).read_bytes()
    (ARTIFACTS / "consolidated-received.pdf").write_bytes(content)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    annex = text.split("PHỤ LỤC 2")[1]
    assert "thư điện tử" in annex
    received = annex.split("Ngày nhận")[-1]  # the table of reports received outside
    assert "Đảng ủy xã Ia Blang" in received
    assert f"qua thư điện tử {short_date(arrived)}" in received
