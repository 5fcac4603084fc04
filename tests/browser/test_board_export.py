"""A large board's Excel export: the province's coordinator asks for it, the
job's page shows its progress (polled) and then the download button."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from chasing import tasks
from chasing.models import BoardExport, ExportStatus
from orgunits import demo
from orgunits.models import OrgUnit
from tests.browser import axe
from tests.browser.conftest import log_in
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
        issued_on=today - 20 * day,
        deadlines={"co-so": today - 3 * day, "huyen": today + 7 * day, "tinh": today + 14 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )


def test_a_coordinator_exports_a_large_board_in_the_background(page, live_server, plan, settings):
    settings.BOARD_EXPORT_INLINE_MAX = 100  # the demo board has 221 reports
    ARTIFACTS.mkdir(exist_ok=True)
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
    page.get_by_test_id("board-export").click()
    form = page.get_by_test_id("export-start")
    expect(form).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "board-export-start.png"), full_page=True)
    form.locator("button[type=submit]").click()
    # The job ran on commit (eager in tests): its page offers the file.
    download = page.get_by_test_id("export-download")
    expect(download).to_be_visible()
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "tien-do-279.xlsx"

    # A job under way: the bar, then (polled) the button, without reloading.
    user = get_user_model().objects.get(username="tinh.dieuphoi")
    job = BoardExport.objects.create(
        plan=plan,
        requested_by=user,
        language="vi",
        fingerprint="-",
        filters={"level": "co-so"},
        status=ExportStatus.RUNNING,
        rows_done=1250,
        rows_total=2526,
    )
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/xuat/{job.pk}/")
    expect(page.get_by_test_id("export-progress")).to_be_visible()
    assert not axe.blocking(axe.check(page))
    page.screenshot(path=str(ARTIFACTS / "board-export-progress.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(ARTIFACTS / "board-export-progress-phone.png"), full_page=True)
    BoardExport.objects.filter(pk=job.pk).update(status=ExportStatus.QUEUED)
    tasks.build_board_export(job.pk)
    expect(page.get_by_test_id("export-download")).to_be_visible(timeout=10_000)
    expect(page.get_by_test_id("export-progress")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "board-export-done-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "board-export-done.png"), full_page=True)
