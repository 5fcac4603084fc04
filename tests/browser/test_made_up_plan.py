"""The made-up plan (tests/campaigns/made_up.py), shaped like nothing in the
demo, typed in the browser by the bloc's coordinator: its steering committee on
the issuing-bodies screen, then the plan in the composer. It prints as its
author wrote it, in PDF and DOCX: the same document as the one the services
build from the same data, the header's superior line and body, the body's
signature block.
"""

import io
import os
import re
import subprocess
from pathlib import Path

import docx
import pytest
from django.db import transaction
from docx.oxml.ns import qn
from playwright.sync_api import expect

from campaigns import documents
from campaigns.models import Plan
from orgunits.models import IssuingBody, Role
from tests.browser.conftest import fill_date, log_in, pick_unit
from tests.campaigns import made_up
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PASSWORD = "secret-pass-123"
SIZES = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


def save_and_continue(page):
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_load_state("networkidle")


def expected_document(levels):
    """The document :func:`made_up.build` makes, built in a transaction that is
    rolled back: the browser then types the same plan into an empty tree."""
    with transaction.atomic():
        document = documents.build(made_up.build(levels))
        transaction.set_rollback(True)
    return document


def blocks(document) -> list[tuple[str, str]]:
    return [(block.style, block.text) for block in document.blocks]


def ordered(text: str, fragments) -> None:
    """Every fragment in the flattened text, each after the one before."""
    flat = " ".join(text.split())
    at = 0
    for fragment in fragments:
        found = flat.find(" ".join(fragment.split()), at)
        assert found != -1, f"{fragment!r} missing after {flat[at : at + 200]!r}"
        at = found + len(" ".join(fragment.split()))


def header_column(text: str) -> str:
    """The header's left column (the issuer's lines) from pdftotext -layout:
    the first chunk of each line before the document's title."""
    lines = text.split("KẾ HOẠCH", 1)[0].splitlines()
    return " ".join(re.split(r"\s{2,}", line.strip())[0] for line in lines if line.strip())


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph of the DOCX in document order, table cells included, as
    Word prints it: a non-breaking hyphen ("120-KL/TW" kept whole) is a hyphen,
    a word joiner nothing."""
    body = docx.Document(io.BytesIO(data)).element.body
    return [
        "".join(_printed(node) for node in p.iter(qn("w:t"), qn("w:noBreakHyphen")))
        .replace(WORD_JOINER, "")
        .strip()
        for p in body.iter(qn("w:p"))
    ]


WORD_JOINER = "\u2060"


def _printed(node) -> str:
    return "-" if node.tag == qn("w:noBreakHyphen") else node.text or ""


def everything_printed(expected):
    """What both files must show, in order, after the header."""
    return [
        f"Số {made_up.NUMBER_SYMBOL}",
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        *made_up.PARTS[0]["paragraphs"],
        "II. NỘI DUNG, HÌNH THỨC VÀ THỜI GIAN TỔNG KẾT",
        *made_up.PARTS[1]["paragraphs"],
        "1. Công tác lãnh đạo, chỉ đạo việc xây dựng và thực hiện Quy chế dân chủ",
        "3. Đánh giá chung, phương hướng và kiến nghị",
        "(Có Đề cương báo cáo tổng kết kèm theo).",
        *made_up.PARTS[2]["paragraphs"],
        made_up.DEADLINE_LINE,
        "III. TỔ CHỨC THỰC HIỆN",
        *made_up.PARTS[3]["paragraphs"],
        "T/M BAN CHỈ ĐẠO",
        "TRƯỞNG BAN",
        "A Pớt",
        "ĐỀ CƯƠNG",
        f"(kèm theo Kế hoạch số {made_up.NUMBER_SYMBOL}",
        "2.3. Số hội nghị cán bộ, công chức, viên chức đã tổ chức.",
        "3.3. Phương hướng, nhiệm vụ, giải pháp; kiến nghị, đề xuất.",
    ]


def screenshots(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(200)
        if size == "390":
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{name} scrolls sideways on a phone ({width}px)"
        else:
            # The bloc's long name in the user menu does not wrap the menu.
            height = page.locator("nav.navbar").bounding_box()["height"]
            assert height < 70, f"the navbar takes {height}px"
        page.screenshot(path=str(ARTIFACTS / f"made-up-{name}-{size}.png"), full_page=True)
    page.set_viewport_size(SIZES["1280"])


def type_paragraphs(page, editor, paragraphs: list[str]) -> None:
    """Into the rich-text editor as a user types: Enter between paragraphs."""
    editor.click()
    for index, text in enumerate(paragraphs):
        if index:
            page.keyboard.press("Enter")
        page.keyboard.type(text)


def test_the_made_up_plan_typed_in_the_browser_prints_as_written(page, live_server, levels):
    expected = expected_document(levels)
    units = made_up.units(levels)
    bloc = units["bloc"]
    coordinator = UserFactory(username="khoi.dieuphoi", first_name="Y", last_name="Blông")
    MembershipFactory(user=coordinator, unit=bloc, role=Role.COORDINATOR)
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, live_server, "khoi.dieuphoi", PASSWORD)

    # The steering committee, on the bloc's issuing-bodies screen.
    body = made_up.BODY
    page.goto(f"{live_server.url}/don-vi/{bloc.code}/co-quan-ban-hanh/")
    page.get_by_test_id("body-add").click()
    page.select_option("#id_kind", body["kind"])
    page.fill("#id_name", body["name"])
    page.fill("#id_phrase", body["phrase"])
    page.fill("#id_symbol", body["symbol"])
    page.select_option("#id_authority", body["authority"])
    page.fill("#id_sign_for", body["sign_for"])
    page.fill("#id_signer_position", body["signer_position"])
    page.fill("#id_signer_name", body["signer_name"])
    page.fill("#id_position", "1")
    page.locator("main").get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_test_id("bodies")
    expect(table).to_contain_text(body["name"])
    expect(table).to_contain_text("KH/BCĐ")
    created = IssuingBody.objects.get(unit=bloc, symbol="BCĐ")
    assert {name: getattr(created, name) for name in body} == body

    # Step 1: the plan of the steering committee.
    plan_data = made_up.PLAN
    page.goto(f"{live_server.url}/ke-hoach/moi/")
    pick_unit(page, "#id_issuing_body", bloc.code, body["phrase"])  # searched by its unit's code
    page.fill("#id_number", str(plan_data["number"]))
    fill_date(page, "#id_issued_on", plan_data["issued_on"].isoformat())
    page.fill("#id_place_name", plan_data["place_name"])
    page.select_option("#id_kind", plan_data["kind"])
    page.fill("#id_period_start", str(plan_data["period_start"]))
    page.fill("#id_period_end", str(plan_data["period_end"]))
    page.fill("#id_summary", plan_data["summary"])
    page.fill("#id_introduction", plan_data["introduction"])
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.wait_for_load_state("networkidle")
    plan = Plan.objects.get(issuing_body=created)
    assert plan.number_symbol == made_up.NUMBER_SYMBOL

    # Step 2: the document under review.
    subject = made_up.SUBJECT
    page.fill("#id_subjects-0-doc_type", subject["doc_type"])
    page.fill("#id_subjects-0-number_symbol", subject["number_symbol"])
    fill_date(page, "#id_subjects-0-issued_on", subject["issued_on"].isoformat())
    page.fill("#id_subjects-0-issuer", subject["issuer"])
    page.fill("#id_subjects-0-title", subject["title"])
    page.fill("#id_subjects-0-short_form", subject["short_form"])
    save_and_continue(page)

    # Step 3: the plan's own choices, then its parts. The skeleton's parts that
    # the made-up plan has not (the form, the pilot units, the closing) go.
    page.select_option("#id_section_style", label="I.")
    page.select_option("#id_outline_placement", "both")
    page.select_option("#id_review_form", plan_data["review_form"])
    fill_date(page, "#id_conference_date", plan_data["conference_date"].isoformat())
    parts = page.locator("[data-part]")
    expect(parts).to_have_count(7)
    for index in (6, 3, 2):  # from the bottom: the indexes above stay right
        parts.nth(index).get_by_role("button", name="Xóa").click()
        page.wait_for_load_state("networkidle")
    expect(parts).to_have_count(len(made_up.PARTS))
    for index, part in enumerate(made_up.PARTS):
        card = parts.nth(index)
        card.locator("input[name$='-title']").fill(part.get("title", ""))
        editor = card.locator(".ql-editor")
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
        type_paragraphs(page, editor, part["paragraphs"])
        card.locator("select[name$='-block']").select_option(part.get("block", ""))
    expect(parts.nth(0).locator("legend")).to_have_text("Mục I")
    expect(parts.nth(2).locator("legend")).to_have_text("Nối tiếp mục II")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_load_state("networkidle")
    screenshots(page, "content")
    save_and_continue(page)

    # Step 4: the outline, pasted as text.
    page.get_by_role("link", name="Dán đề cương dạng văn bản").click()
    page.fill("textarea[name=text]", made_up.OUTLINE)
    page.get_by_role("button", name="Nhập đề cương").click()
    expect(page.locator("#outline-editor")).to_contain_text("3.3.")
    expect(page.locator("#outline-editor")).to_contain_text("Bài học kinh nghiệm")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state("networkidle")

    # Step 5: the grassroots take part, within November with a day to send.
    grassroots = levels["co-so"].pk
    page.locator("#div_id_participating_levels").get_by_label("Cấp cơ sở", exact=True).check()
    page.locator(f"[name=level_{grassroots}_kind][value=month]").check()
    page.fill(f"#id_level_{grassroots}_month", made_up.DEADLINE["due_on"].strftime("%Y-%m"))
    fill_date(page, f"#id_level_{grassroots}_report_by", made_up.DEADLINE["report_by"].isoformat())
    save_and_continue(page)
    expect(page.locator("#id_recipients")).to_be_visible()

    # Step 6: the recipients; the signature block comes from the body.
    expect(page.locator("#id_sign_on_behalf")).to_have_value("T/M BAN CHỈ ĐẠO")
    expect(page.locator("#id_signer_position")).to_have_value(body["signer_position"])
    expect(page.locator("#id_signer_name")).to_have_value(body["signer_name"])
    page.fill("#id_recipients", "\n".join(made_up.RECIPIENTS))
    save_and_continue(page)

    # Step 7: the preview shows the document as printed.
    preview = page.frame_locator('[data-testid="document-preview"]').locator("body")
    expect(preview).to_contain_text(f"Số {made_up.NUMBER_SYMBOL}")
    expect(preview).to_contain_text(made_up.DEADLINE_LINE)
    screenshots(page, "preview")
    page.set_viewport_size(SIZES["390"])
    text_width = (
        page.frame_locator('[data-testid="document-preview"]')
        .locator(".doc-body p")
        .first.evaluate("p => p.getBoundingClientRect().width")
    )
    assert text_width > 250, f"the preview's text is {text_width}px wide on a phone"
    page.set_viewport_size(SIZES["1280"])

    # The strongest check: the plan typed in the browser is the document the
    # services build from the same data, block by block.
    typed = documents.build(Plan.objects.get(pk=plan.pk))
    assert blocks(typed) == blocks(expected)
    assert typed == expected
    assert (typed.superior_body, typed.issuer_name) == made_up.HEADER

    # Publish, then download both files from the plan's page, as a user does.
    page.get_by_test_id("publish").click()
    # Its deadlines are past: the step asks; published as a running campaign.
    page.get_by_test_id("publish-live").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("Đã ban hành kế hoạch")
    files = {}
    for kind in ("pdf", "docx"):
        with page.expect_download() as download:
            page.get_by_test_id(f"download-{kind}").click()
        files[kind] = Path(download.value.path()).read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    for kind, data in files.items():
        (ARTIFACTS / f"made-up-plan.{kind}").write_bytes(data)

    pdf = pdf_text(ARTIFACTS / "made-up-plan.pdf")
    ordered(header_column(pdf), made_up.HEADER)
    ordered(pdf, everything_printed(expected))

    paragraphs = docx_paragraphs(files["docx"])
    ordered("\n".join(paragraphs), [*made_up.HEADER, *everything_printed(expected)])
    for line in (*made_up.HEADER, "I. MỤC ĐÍCH, YÊU CẦU", made_up.DEADLINE_LINE, "A Pớt"):
        assert line in paragraphs, line
