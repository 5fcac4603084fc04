import os

import pytest
from playwright.sync_api import expect

from orgunits import demo
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = os.environ.get("TEST_ARTIFACTS", "test-artifacts")


def test_a_demo_coordinator_logs_in_and_browses_the_tree(page, live_server, demo_province):
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)

    expect(page.get_by_test_id("my-units")).to_contain_text("Tỉnh ủy Gia Lai")
    expect(page.get_by_test_id("user-menu")).to_contain_text("Rơ Mah Thị Hạnh")
    expect(page.locator("body")).to_contain_text("Điều phối")

    page.click("text=Đơn vị")
    expect(page.get_by_test_id("unit-tree")).to_contain_text("Huyện ủy Chư Sê")
    expect(page.get_by_test_id("level-counts")).to_contain_text("Cấp cơ sở")

    # Expand a district: its communes load without a page reload.
    # (the toggle is named by the unit: its link is beside it, not inside it)
    page.locator("summary[aria-label='Các đơn vị trực thuộc Huyện ủy Chư Sê']").click()
    expect(page.get_by_test_id("unit-tree")).to_contain_text("Đảng ủy xã Ia Blang")

    # Search without diacritics.
    page.fill("#unit-search", "ia blang")
    expect(page.get_by_test_id("search-results")).to_contain_text("Đảng ủy xã Ia Blang")
    expect(page.get_by_test_id("search-results")).to_contain_text("Huyện ủy Chư Sê")
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=f"{ARTIFACTS}/tree.png", full_page=True)


def test_a_commune_reporter_sees_only_their_commune(page, live_server, demo_province):
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    expect(page.get_by_test_id("my-units")).to_contain_text("Đảng ủy xã Ia Blang")
    response = page.goto(f"{live_server.url}/don-vi/GL.CS/")
    assert response.status == 404
