"""The API's browsable docs: Swagger UI from vendored files, under the
Content-Security-Policy (no inline script, nothing refused), at desktop and
phone widths."""

import os

import pytest
from playwright.sync_api import expect

from tests.browser.test_csp_pages import ARTIFACTS, watch_policy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [(1280, 900), (390, 844)])
def test_the_docs_show_the_schema_s_operations_and_the_policy_refuses_nothing(
    browser, live_server, viewport
):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    refused = watch_policy(page)
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".opblock-summary-path").first).to_be_visible(timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/reports/{id}/answers/{item_id}/" in p.replace("\u200b", "") for p in paths)
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    assert refused == []
    assert [url for url in outside if not url.startswith("data:")] == []
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=f"{ARTIFACTS}/api-docs-{viewport[0]}.png")
    context.close()
