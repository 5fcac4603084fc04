"""Issue #15: the composer's unit pickers searched as one types (with the parent
and the code shown), and typed as codes without JavaScript."""

import datetime
import os
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from orgunits import demo
from orgunits.models import OrgUnit
from tests.browser import axe
from tests.browser.conftest import BROWSER_TIMEOUT_MS, fill_date, log_in, pick_unit
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture
def plan(demo_province):
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    return PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        issued_on=today,
        deadlines={
            "chi-bo": today + 3 * day,
            "co-so": today + 5 * day,
            "huyen": today + 12 * day,
        },
    )


def _save(page) -> None:
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state("networkidle")


def test_a_pilot_unit_is_picked_by_typing_part_of_its_name(page, live_server, plan):
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(live_server.url + reverse("campaigns:compose", args=[plan.pk, "deadlines"]))
    # No accent typed: "ia kring" finds "Đảng ủy phường Ia Kring", shown under its city.
    pick_unit(page, "#id_pilot_units", "ia kring", "Thành ủy Pleiku")
    pick_unit(page, "#id_excluded_units", "an khe", "Thị ủy An Khê")
    chosen = page.locator("#id_pilot_units + .ts-wrapper .item")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Ia Kring — Thành ủy Pleiku ·")
    # The dropdown open on a second search, for axe and the screenshot.
    box = page.locator("#id_pilot_units + .ts-wrapper .ts-control input")
    box.press_sequentially("tai chinh", delay=20)
    expect(page.locator("#id_pilot_units + .ts-wrapper .ts-dropdown .option").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "unit-picker.png"), full_page=False)
    violations = [v for v in axe.check(page) if v["impact"] in axe.BLOCKING]
    assert violations == [], violations
    box.press("Escape")
    fill_date(page, "#id_pilot_due_on", timezone.localdate().isoformat())
    _save(page)

    plan.refresh_from_db()
    pilot = OrgUnit.objects.get(pk=plan.pilot_units.get().pk)
    assert "Ia Kring" in pilot.name
    assert list(plan.excluded_units.values_list("code", flat=True)) == ["GL.AK"]

    # Coming back, the chosen units are shown as chosen (and only they are on the page).
    page.goto(live_server.url + reverse("campaigns:compose", args=[plan.pk, "deadlines"]))
    expect(page.locator("#id_excluded_units + .ts-wrapper .item")).to_contain_text("Thị ủy An Khê")
    assert page.locator("option").count() < 5


def test_without_javascript_units_are_typed_as_codes(browser, live_server, plan):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    try:
        log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
        page.goto(live_server.url + reverse("campaigns:compose", args=[plan.pk, "deadlines"]))
        expect(page.locator("#id_pilot_units_helptext")).to_contain_text(
            "Nhập mã đơn vị, cách nhau bằng dấu phẩy"
        )
        page.fill("#id_excluded_units", "GL.AK, KHONG-CO")
        page.fill("#id_pilot_units", "GL.PK")
        page.fill("#id_pilot_due_on", timezone.localdate().isoformat())
        _save(page)
        expect(page.locator("#id_excluded_units")).to_have_value("GL.AK, KHONG-CO")  # kept
        expect(page.locator("body")).to_contain_text("KHONG-CO")
        assert plan.excluded_units.count() == 0
        page.fill("#id_excluded_units", "GL.AK")
        _save(page)
        assert list(plan.excluded_units.values_list("code", flat=True)) == ["GL.AK"]
        assert list(plan.pilot_units.values_list("code", flat=True)) == ["GL.PK"]
        page.goto(live_server.url + reverse("campaigns:compose", args=[plan.pk, "deadlines"]))
        expect(page.locator("#id_excluded_units")).to_have_value("GL.AK")
        expect(page.locator(".unit-picker-chosen").first).to_contain_text("Thị ủy An Khê")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "unit-picker-nojs-phone.png"), full_page=True)
    finally:
        context.close()
