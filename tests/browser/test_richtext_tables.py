"""A commune pastes a table from Word into a report answer (issue #14): the
editor keeps it, autosave stores it, it prints as a table in the report's PDF
and DOCX and shows as a table in the district's consolidation workspace. The
editor speaks the page's language and is named by the item's heading."""

import datetime
import io
import re
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from documents import richtext
from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Answer, Report, ReportStatus
from tests.browser.conftest import log_in
from tests.documents.test_richtext_tables import WORD_HTML
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTE_HTML = """([html, text]) => {
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", text);
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  document.activeElement.dispatchEvent(event);
}"""

# What Quill 2 would show in English, and what Trix showed.
ENGLISH = {"Bold", "Italic", "Underline", "Link", "Undo", "Redo", "Bullets", "Numbers", "Save",
           "Edit", "Remove", "Visit URL", "Enter link", "Insert", "Table", "Delete", "Row",
           "Column", "Quote", "Code", "Heading", "Attach Files", "Strikethrough"}  # fmt: skip


@pytest.fixture
def plan(demo_province):
    """A plan of the province whose commune deadline has passed: a past campaign."""
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    return PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 40 * day,
        deadlines={"co-so": today - 2 * day, "huyen": today + 12 * day, "tinh": today + 20 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )


def toolbar_words(page) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.richtext-toolbar button'))
             .flatMap((b) => [b.title, b.getAttribute('aria-label'), b.textContent.trim()])
             .filter(Boolean)"""
    )


def test_a_word_table_goes_from_the_answer_to_the_pdf_docx_and_workspace(
    page, live_server, plan, tmp_path
):
    report = Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")

    # Vietnamese toolbar, nothing of the editor's English on the page.
    words = toolbar_words(page)
    assert "In đậm (Ctrl+B)" in words
    assert "Chèn bảng" in words
    assert not [word for word in words if word.split(" (")[0] in ENGLISH]
    editor_text = page.locator(".richtext").first.inner_text()
    assert not [word for word in ENGLISH if re.search(rf"\b{word}\b", editor_text)]

    item = page.get_by_test_id("report-item").filter(has=page.locator(".ql-editor")).first
    heading = item.locator("h3").inner_text()
    editor = item.locator(".ql-editor")
    # The editor's accessible name is the item's heading, not the field's name.
    expect(page.get_by_role("textbox", name=heading.strip())).to_have_count(1)
    editor.click()
    page.evaluate(PASTE_HTML, [WORD_HTML, "Năm\tSố cuộc\n2023\t4"])
    expect(editor.locator("table td")).to_have_count(4)
    expect(editor.locator("table")).to_contain_text("Số cuộc")
    expect(editor.locator("p").filter(has_text="Đoạn sau bảng.")).to_have_count(1)
    expect(editor.locator("strong, b").filter(has_text="tiếp xúc")).to_have_count(1)
    page.locator("body").click(position={"x": 5, "y": 5})
    expect(item.get_by_test_id("saved")).to_be_visible()

    answer = Answer.objects.get(report=report, item__numbering=heading.split(" ")[0])
    assert "<table>" in answer.text
    assert "Mso" not in answer.text
    assert "style" not in answer.text

    pdf = tmp_path / "report.pdf"
    response = page.request.get(f"{live_server.url}/bao-cao/{report.pk}/bao-cao.pdf")
    assert response.ok
    pdf.write_bytes(response.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Năm\s{3,}Số cuộc", text)
    assert re.search(r"2023\s{3,}4", text)

    response = page.request.get(f"{live_server.url}/bao-cao/{report.pk}/bao-cao.docx")
    assert response.ok
    word = Document(io.BytesIO(response.body()))
    cells = [[cell.text for cell in row.cells] for table in word.tables for row in table.rows]
    assert ["Năm", "Số cuộc"] in cells
    assert ["2023", "4"] in cells

    # The district reads it as a table in its workspace.
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    district = Report.objects.get(campaign=plan, unit__code="GL.CS")
    page.context.clear_cookies()
    log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{district.pk}/tong-hop/?submitted=1")
    for summary in page.locator('[data-testid="narratives"] > summary').all():
        summary.click()  # each item loads what the units wrote when opened
    with_table = page.get_by_test_id("narrative-table")
    narratives = page.get_by_test_id("narratives").filter(has=with_table)
    expect(narratives).to_have_count(1)
    table = narratives.get_by_test_id("narrative-table")
    expect(table.locator("tr")).to_have_count(2)
    expect(table.locator("tr").nth(1).locator("td")).to_have_text(["2023", "4"])


def test_the_toolbar_is_in_english_on_an_english_page(page, live_server, plan):
    report = Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    assert page.evaluate("document.documentElement.lang") == "en"
    words = toolbar_words(page)
    assert "Bold (Ctrl+B)" in words
    assert "Insert a table" in words
    assert not [word for word in words if re.search("[đăơưạảấầẩẫậắằẳẵặ]", word)]


def test_without_javascript_the_answer_is_a_textarea(browser, live_server, plan):
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    report = Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)
    log_in(page, live_server, "xa.baocao", demo.PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    # The editor's own textarea holds HTML: without JavaScript the form shows a
    # plain one instead (one paragraph a line; reports/_answer_text_noscript.html).
    plain = "textarea[name$='-text_plain']"
    item = page.get_by_test_id("report-item").filter(has=page.locator(plain)).first
    area = item.locator(plain)
    expect(area).to_be_visible()
    expect(item.locator("textarea[name$='-text']")).to_be_hidden()
    area.fill("Dòng một.\nDòng hai.")
    item.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("networkidle")
    texts = [a.text for a in Answer.objects.filter(report=report) if a.text]
    assert [[b.text for b in richtext.to_blocks(t)] for t in texts] == [["Dòng một.", "Dòng hai."]]
    context.close()
