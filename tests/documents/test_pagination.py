"""Pagination of official documents (documents.content.leads): a heading or a
report item's question never ends a page, and no chain of paragraphs is kept
together beyond a heading (per level) and its first paragraph."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from documents.content import (
    BLOCK_STYLES,
    BULLET,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    HEADINGS,
    PARA,
    Block,
    OfficialDocument,
    leads,
)
from documents.docx import render_docx
from documents.pdf import render_pdf


def document(blocks: list[Block]) -> OfficialDocument:
    return OfficialDocument(
        issuer_name="HUYỆN ỦY CHƯ SÊ",
        superior_body="ĐẢNG BỘ TỈNH GIA LAI",
        number_symbol="12-BC/HU",
        place_date="Chư Sê, ngày 20 tháng 3 năm 2020",
        doc_type="BÁO CÁO",
        summary="sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU",
        blocks=blocks,
        signer_position="BÍ THƯ",
        signer_name="Nguyễn Văn B",
    )


def is_lead(block: Block) -> bool:
    """A heading that is a title, not a numbered sentence, or a marked block."""
    if block.keep_with_next or block.style == HEADING_1:
        return True
    return block.style in HEADINGS and not block.text.rstrip().endswith((".", ";"))


def test_the_plan_s_numbered_lines_do_not_chain():
    blocks = [
        Block(HEADING_1, "III- HÌNH THỨC, THỜI GIAN SƠ KẾT"),
        Block(HEADING_2, "1. Hình thức sơ kết: Bằng văn bản."),  # a sentence: body text
        Block(HEADING_2, "2. Thời gian sơ kết:"),  # a title: stays with its first line
        Block(BULLET, "- Cấp cơ sở: Hoàn thành trước ngày 27 tháng 11 năm 2026."),
        Block(BULLET, "- Cấp huyện: Hoàn thành trước ngày 07 tháng 12 năm 2026."),
        Block(HEADING_1, "IV- TỔ CHỨC THỰC HIỆN"),
        Block(HEADING_2, "1. Đánh giá công tác lãnh đạo"),
        Block(HEADING_3, "1.1. Công tác lãnh đạo, chỉ đạo"),  # sibling follows: a list line
        Block(HEADING_3, "1.2. Việc ban hành văn bản"),
        Block(PARA, "Nội dung."),
    ]
    assert leads(blocks) == [True, False, True, False, False, True, True, False, True, False]


def test_a_report_question_stays_with_its_answer_but_not_with_the_next_question():
    blocks = [
        Block(HEADING_2, "1. Đánh giá chung.", keep_with_next=True),  # marked: a lead
        Block(BULLET, "- Số cuộc tiếp xúc", keep_with_next=True),
        Block(PARA, "Kết quả: 12."),
        Block(BULLET, "- Số ý kiến", keep_with_next=True),  # no answer
        Block(BULLET, "- Số kiến nghị", keep_with_next=True),
        Block(PARA, "Kết quả: 3."),
    ]
    assert leads(blocks) == [True, True, False, False, True, False]


block = st.builds(
    Block,
    style=st.sampled_from(BLOCK_STYLES),
    text=st.sampled_from(["1. Tiêu đề", "2. Thời gian:", "1. Câu hoàn chỉnh.", "- Ý", "Đoạn."]),
    keep_with_next=st.booleans(),
)


@given(st.lists(block, max_size=25))
def test_only_leads_keep_and_every_lead_with_body_after_it_keeps(blocks):
    flags = leads(blocks)
    for index, flag in enumerate(flags):
        if flag:
            assert is_lead(blocks[index])  # body text never holds on to the next
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if following is not None and flags[index] is False and is_lead(blocks[index]):
            # A lead lets go only of a block it does not head: a lead too.
            assert is_lead(following)
    assert not flags or not flags[-1]
    run = longest = 0
    for flag in flags:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    assert longest <= 4  # I-, 1., 1.1., a question: then one paragraph


@settings(max_examples=25, deadline=None)
@given(st.lists(block, min_size=1, max_size=15))
def test_the_docx_keeps_with_next_exactly_the_leads(blocks):
    word = Document(io.BytesIO(render_docx(document(blocks))))
    texts = [p.text for p in word.paragraphs]
    body = word.paragraphs[texts.index("-----") + 1 :]
    assert len(body) == len(blocks)
    kept = [bool(p.paragraph_format.keep_with_next) for p in body]
    expected = leads(blocks)
    expected[-1] = True  # the end of the body stays with the closing
    assert kept == expected
    for first, second, one, two in zip(blocks, blocks[1:], kept, kept[1:], strict=False):
        assert not (one and two and not is_lead(first) and not is_lead(second))


def test_no_docx_style_keeps_with_next():
    word = Document(io.BytesIO(render_docx(document([Block(HEADING_1, "I- MỤC ĐÍCH")]))))
    styles = [style for style in word.styles if style.name.startswith("doc-")]
    assert styles
    assert not any(style.paragraph_format.keep_with_next for style in styles)
    assert all(style.paragraph_format.widow_control for style in styles)


# ---------------------------------------------------------------- rendered

HEADING = "II- NỘI DUNG SƠ KẾT"
FIRST_LINE = "Đánh giá thực chất kết quả"


def _heading_test_document(fillers: int) -> OfficialDocument:
    """One-line paragraphs, then a heading and a long paragraph after it."""
    blocks = [Block(PARA, f"Đoạn số {n} của phần mở đầu.") for n in range(1, fillers + 1)]
    blocks += [
        Block(HEADING_1, HEADING),
        Block(PARA, FIRST_LINE + " sau 03 năm triển khai thực hiện, " * 6),
    ]
    return document(blocks)


def _pages(pdf: bytes) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return text.split("\f")


def _page_of(pages: list[str], text: str) -> int:
    return next(index for index, page in enumerate(pages) if text in page)


def _last_on_first_page(pages: list[str]) -> int:
    return max(n for n in range(1, 60) if f"Đoạn số {n} " in pages[0])


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_a_heading_never_ends_a_pdf_page():
    fits = _last_on_first_page(_pages(render_pdf(_heading_test_document(40))))
    # With one filler fewer or more, the heading would be the last line of page 1.
    for fillers in (fits - 2, fits - 1, fits):
        pages = _pages(render_pdf(_heading_test_document(fillers)))
        assert _page_of(pages, HEADING) == _page_of(pages, FIRST_LINE), fillers


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice"
)
def test_a_heading_never_ends_a_docx_page():
    fits = _last_on_first_page(_pages(render_pdf(_heading_test_document(40))))
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for fillers in range(fits - 3, fits + 3):
            path = Path(folder) / f"heading-{fillers}.docx"
            path.write_bytes(render_docx(_heading_test_document(fillers)))
            paths.append(path)
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                *map(str, paths),
            ],
            capture_output=True,
            check=True,
            timeout=180,
        )
        for path in paths:
            pages = _pages(path.with_suffix(".pdf").read_bytes())
            assert _page_of(pages, HEADING) == _page_of(pages, FIRST_LINE), path.name
