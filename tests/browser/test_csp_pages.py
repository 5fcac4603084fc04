"""Pages work under the Content-Security-Policy (issue #16, item 6):
confirmations are asked by static/js/confirm.js, nothing is refused by the
policy, and the lockout page reads well."""

import os

import pytest
from playwright.sync_api import expect

from campaigns.models import Plan
from orgunits import demo
from orgunits.models import OrgUnit
from tests.browser.axe import blocking, check
from tests.browser.conftest import log_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = os.environ.get("TEST_ARTIFACTS", "test-artifacts")


def watch_policy(page) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return refused


def test_deleting_a_draft_asks_first_and_nothing_breaks_the_policy(
    page, live_server, demo_province
):
    draft = PlanFactory(issuing_unit=OrgUnit.objects.get(code="GL"), seed000=True)
    refused = watch_policy(page)
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}{draft.get_absolute_url()}")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Xóa dự thảo").click()
    page.wait_for_timeout(300)
    assert asked == ["Xóa dự thảo này?"]
    assert Plan.objects.filter(pk=draft.pk).exists()  # dismissed: nothing sent

    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    page.get_by_role("button", name="Xóa dự thảo").click()
    page.wait_for_load_state("networkidle")
    assert not Plan.objects.filter(pk=draft.pk).exists()
    for path in ("/", "/ke-hoach/", "/don-vi/", "/doi-thoai/", "/bao-cao/hop-thu/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert refused == []


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)])
def test_the_lockout_page(browser, live_server, demo_province, viewport):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    for _attempt in range(5):
        page.goto(f"{live_server.url}/tai-khoan/login/")
        page.fill("#id_username", "xa.baocao")
        page.fill("#id_password", "sai-mat-khau")
        page.click("main button[type=submit]")
        page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("locked-out")).to_contain_text("Đăng nhập sai quá nhiều lần")
    expect(page.locator("#id_username")).to_have_value("xa.baocao")
    assert blocking(check(page)) == []
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=f"{ARTIFACTS}/lockout-{viewport[0]}.png", full_page=True)
    context.close()
