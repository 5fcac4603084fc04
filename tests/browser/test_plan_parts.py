"""The content step's list of parts on a phone (390×844): readable, no sideways
scrolling, and moving a part keeps it on the screen."""

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from orgunits import demo
from orgunits.models import Level, OrgUnit
from tests.browser.conftest import log_in
from tests.campaigns.seeds import seed003_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))


def test_the_parts_editor_is_usable_on_a_phone(browser, live_server, demo_province):
    levels = {level.code: level for level in Level.objects.all()}
    plan = seed003_plan(OrgUnit.objects.get(code="GL"), levels, number=174)
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
        page.goto(live_server.url + reverse("campaigns:compose", args=[plan.pk, "content"]))
        page.wait_for_load_state("networkidle")
        parts = page.locator("[data-part]")
        expect(parts).to_have_count(4)
        expect(parts.nth(1).locator("legend")).to_have_text("Mục II")
        expect(parts.nth(2).locator("legend")).to_have_text("Nối tiếp mục II")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # The third part (the deadlines, in the plan's words) moves above II:
        # it stays where it was on the screen.
        third = parts.nth(2)
        part_id = third.get_attribute("id")
        button = third.get_by_role("button", name="Chuyển lên")
        # The button on the screen, the part's top above it (the anchor alone
        # would bring the part's top to the top of the screen).
        button.scroll_into_view_if_needed()
        top = third.bounding_box()["y"]
        assert abs(top) > 100
        button.click()
        page.wait_for_load_state("networkidle")
        moved = page.locator(f"#{part_id}")
        expect(page.locator("[data-part]").nth(1)).to_have_id(part_id)
        page.wait_for_timeout(300)
        assert abs(moved.bounding_box()["y"] - top) < 40
        expect(page.locator("[data-part]").nth(1).locator("legend")).to_have_text("Nối tiếp mục I")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "plan-parts-390.png"))
        page.screenshot(path=str(ARTIFACTS / "plan-parts-390-full.png"), full_page=True)
    finally:
        context.close()
