"""A district's office enters the province's plan in its incoming register
from the plan's page, with its scan, routes it to the district's Ban Dân vận,
and finds it in the register; the plan's coordinator attaches the signed
plan, which the district downloads. Axe on the registers' pages."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from orgunits import demo
from orgunits.models import IssuingBody, IssuingBodyKind, OrgUnit
from registers.models import IncomingDocument, PlanFile
from tests.browser import axe
from tests.browser.conftest import fill_date, log_in
from tests.factories import PlanFactory
from tests.reports.test_attachments import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
DAY = datetime.timedelta(days=1)


def shoot(page, name: str) -> None:
    """Desktop and phone screenshots, and no blocking axe violation on either."""
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert axe.blocking(axe.check(page)) == [], name
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    assert axe.blocking(axe.check(page)) == [], name
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_plan_goes_into_the_districts_incoming_register(
    page, live_server, demo_province, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    ARTIFACTS.mkdir(exist_ok=True)
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 5 * DAY,
        deadlines={"co-so": today + 5 * DAY, "huyen": today + 12 * DAY, "tinh": today + 20 * DAY},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )
    district = OrgUnit.objects.get(code="GL.CS")
    dan_van, _created = IssuingBody.objects.get_or_create(
        unit=district,
        phrase="Ban Dân vận Huyện ủy Chư Sê",
        defaults={"kind": IssuingBodyKind.COMMISSION, "name": "BAN DÂN VẬN", "symbol": "BDVHU"},
    )
    signed = tmp_path / "Kế hoạch 279 đã ký.pdf"
    signed.write_bytes(PDF)

    # The province's coordinator attaches the signed plan.
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    files = page.get_by_test_id("plan-files")
    files.locator("input[type=file]").set_input_files(str(signed))
    files.get_by_test_id("plan-file-upload").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("plan-file")).to_contain_text("Kế hoạch 279 đã ký.pdf")
    assert PlanFile.objects.filter(plan=plan).count() == 1

    # The district's office: downloads it, enters the plan in its register.
    page.context.clear_cookies()
    log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    with page.expect_download() as download:
        page.get_by_test_id("plan-file").get_by_role("link").click()
    assert Path(download.value.path()).read_bytes() == PDF
    page.get_by_test_id("plan-incoming-new").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#id_symbol")).to_have_value("279-KH/TU")
    fill_date(page, "#id_received_on", (today - 3 * DAY).isoformat())
    page.select_option("#id_routed_to", label="Ban Dân vận Huyện ủy Chư Sê")
    page.locator("input[name=files]").set_input_files(str(signed))
    shoot(page, "incoming-form")
    page.get_by_test_id("incoming-save").click()
    page.wait_for_load_state("networkidle")
    entry = IncomingDocument.objects.get(unit=district)
    assert (entry.number, entry.plan_id, entry.routed_to_id) == (1, plan.pk, dan_van.pk)
    expect(page.get_by_test_id("incoming-files")).to_contain_text("Kế hoạch 279 đã ký.pdf")
    shoot(page, "incoming-detail")

    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    expect(page.get_by_test_id("plan-incoming-entry")).to_contain_text("số 1/")
    shoot(page, "plan-with-registers")

    page.goto(f"{live_server.url}/so-van-ban/{district.pk}/den/")
    expect(page.get_by_test_id("incoming-row")).to_have_count(1)
    page.select_option("#id_body", label="Ban Dân vận Huyện ủy Chư Sê")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("incoming-row")).to_have_count(1)
    shoot(page, "incoming-register")

    page.context.clear_cookies()
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/so-van-ban/{plan.issuing_unit_id}/di/")
    expect(page.get_by_test_id("outgoing-row").first).to_contain_text("279-KH/TU")
    shoot(page, "outgoing-register")
    page.get_by_test_id("user-menu").click()
    page.get_by_test_id("registers-link").click()
    page.wait_for_load_state("networkidle")
    shoot(page, "registers-index")
