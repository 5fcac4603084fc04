"""The rich-text editor writes one paragraph per line: Enter starts a new
paragraph and pasted line breaks become paragraphs (static/js/richtext.js)."""

import pytest

from campaigns.models import Plan
from documents import richtext
from orgunits import demo
from orgunits.models import OrgUnit
from tests.browser.conftest import log_in
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE = """(text) => {
  const data = new DataTransfer();
  data.setData("text/plain", text);
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  document.activeElement.dispatchEvent(event);
}"""


def holds(page, html: str) -> None:
    """Wait until the editor's hidden input holds ``html``; say what it holds if not."""
    try:
        page.wait_for_function(
            "(html) => document.querySelector('[data-richtext-input]').value === html",
            arg=html,
            timeout=10000,
        )
    except Exception:  # noqa: BLE001
        value = page.evaluate("document.querySelector('[data-richtext-input]').value")
        raise AssertionError(f"{value!r} != {html!r}") from None


def test_enter_and_pasted_line_breaks_make_paragraphs(page, live_server, demo_province):
    province = OrgUnit.objects.get(name="Tỉnh ủy Gia Lai")
    plan = PlanFactory(issuing_unit=province)
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/soan/content/")
    editor = page.locator(".ql-editor").first
    editor.click()
    page.keyboard.type("1. Đoạn một.")
    page.keyboard.press("Enter")
    page.keyboard.type("2. Đoạn hai.")
    page.keyboard.press("Enter")
    holds(page, "<p>1. Đoạn một.</p><p>2. Đoạn hai.</p><p></p>")
    page.evaluate(PASTE, "- Dòng dán một;\n- Dòng dán hai.\n\nĐoạn cuối")
    page.wait_for_function(
        "document.querySelector('[data-richtext-input]').value.includes('<p>Đoạn cuối')"
    )
    page.keyboard.type(" tiếp.")
    # The editor itself holds one block per paragraph, before the server sees it.
    holds(
        page,
        "<p>1. Đoạn một.</p><p>2. Đoạn hai.</p><p>- Dòng dán một;</p>"
        "<p>- Dòng dán hai.</p><p></p><p>Đoạn cuối tiếp.</p>",
    )
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_load_state("networkidle")

    # The first editor is part I's body (MỤC ĐÍCH, YÊU CẦU).
    purpose = Plan.objects.get(pk=plan.pk).sections.order_by("position").first().body
    assert "<br" not in purpose
    assert [block.text for block in richtext.to_blocks(purpose)] == [
        "1. Đoạn một.",
        "2. Đoạn hai.",
        "- Dòng dán một;",
        "- Dòng dán hai.",
        "Đoạn cuối tiếp.",
    ]
