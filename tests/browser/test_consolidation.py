"""The provincial coordinator consolidates the demo campaign: fills the figures,
starts the PDF, watches its progress, edits a section, downloads the PDF."""

import io
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from consolidation import tasks
from consolidation.models import DocumentBuild
from orgunits import demo
from reports.demo import load_campaign
from reports.models import Report
from tests.browser import axe
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def queued_builds(monkeypatch):
    """Builds wait in the queue until the test runs them, as a worker would later."""
    queued = []
    monkeypatch.setattr(tasks.build_document, "delay", lambda pk: queued.append(pk))
    return queued


def test_the_province_builds_its_consolidated_report(
    page, live_server, demo_province, queued_builds, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    plan = load_campaign()
    own = Report.objects.get(campaign=plan, unit__code="GL")
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{own.pk}/")
    page.get_by_test_id("consolidate").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("completeness")).to_contain_text("Cấp cơ sở")

    page.get_by_test_id("include-submitted").check()
    page.wait_for_url("**submitted=1**")  # the roll-up was swapped in
    page.wait_for_load_state("networkidle")
    page.get_by_test_id("draft-texts").click()
    expect(page.get_by_test_id("draft-result")).to_be_visible()

    # Start the PDF: it waits in the queue, the bar shows, the worker runs it.
    builds = page.get_by_test_id("consolidated-builds")
    builds.get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    assert len(queued_builds) == 1
    tasks.build_document(queued_builds[0])
    expect(page.get_by_test_id("build-download")).to_be_visible()
    assert DocumentBuild.objects.get(pk=queued_builds[0]).progress == 100

    # Edit one section of the report, then download the PDF.
    page.goto(f"{live_server.url}/bao-cao/{own.pk}/")
    first = page.get_by_test_id("report-item").first
    first.locator(".ql-editor").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Ban Thường vụ Tỉnh ủy đánh giá cao kết quả này.")
    page.locator("body").click(position={"x": 5, "y": 5})
    expect(first.get_by_test_id("saved")).to_be_visible()

    page.goto(f"{live_server.url}/bao-cao/{own.pk}/tong-hop/")
    page.get_by_test_id("consolidated-builds").get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    tasks.build_document(queued_builds[-1])
    download_link = page.get_by_test_id("build-download").first
    expect(download_link).to_be_visible()
    with page.expect_download() as download:
        download_link.click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    for fragment in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        "TỈNH ỦY GIA LAI",
        "đánh giá cao kết quả này",
        "PHỤ LỤC 1",
        "PHỤ LỤC 2",
    ):
        assert fragment in text, fragment
    assert "PHỤ LỤC 3" not in text  # the annexes list the direct subordinates
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "consolidated-285.pdf").write_bytes(content)

    # The annex of every unit, asked on the form: a third annex.
    builds = page.get_by_test_id("consolidated-builds")
    builds.get_by_test_id("build-every-unit").check()
    assert axe.blocking(axe.check(page)) == []
    builds.screenshot(path=str(ARTIFACTS / "consolidated-builds-every-unit.png"))
    builds.get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    tasks.build_document(queued_builds[-1])
    assert DocumentBuild.objects.get(pk=queued_builds[-1]).every_unit
    expect(page.get_by_test_id("build-download").first).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_test_id("consolidated-builds").screenshot(
        path=str(ARTIFACTS / "consolidated-builds-phone.png")
    )
    with page.expect_download() as download:
        page.get_by_test_id("build-download").first.click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split()
    )
    assert "PHỤ LỤC 3 Số liệu tổng hợp theo từng đơn vị" in text


def test_an_item_opens_on_what_the_units_wrote(page, live_server, demo_province):
    """The first paint counts the units; opening an item loads their texts
    (htmx), a page at a time; without JavaScript the link opens them as a page."""
    from tests.browser.axe import blocking, check

    plan = load_campaign()
    own = Report.objects.get(campaign=plan, unit__code="GL")
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{own.pk}/tong-hop/?submitted=1")
    item = page.get_by_test_id("narratives").first
    expect(item.get_by_test_id("narrative")).to_have_count(0)  # not read yet
    item.locator("summary").first.click()
    expect(item.get_by_test_id("narrative").first).to_be_visible()
    assert not blocking(check(page))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "workspace-item-texts.png"), full_page=False)
    points = page.get_by_test_id("points-below").first
    points.locator("summary").first.click()
    expect(points.get_by_test_id("group").first).to_be_visible()
    page.set_viewport_size({"width": 390, "height": 844})
    points.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "workspace-item-points-390.png"))
    link = page.get_by_test_id("texts-link").first.get_attribute("href")
    page.goto(f"{live_server.url}{link}")
    expect(page.get_by_test_id("item-texts")).to_be_visible()
    assert not blocking(check(page))
    page.screenshot(path=str(ARTIFACTS / "item-texts-page-390.png"), full_page=True)
