"""Document symbols ("554-QĐ/TU") are never broken across lines, and annex
tables get column widths from their content (issue #13)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.utils.safestring import mark_safe
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from documents.content import PARA, Annex, Block, OfficialDocument, Table
from documents.docx import WORD_JOINER, column_widths, render_docx
from documents.numbering import BLANK, SYMBOL_RE
from documents.pdf import render_pdf
from documents.templatetags.documents import keep_symbols


@pytest.mark.parametrize(
    ("text", "symbols"),
    [
        ("Quyết định số 553-QĐ/TU, ngày 14 tháng 3 năm 2017", ["553-QĐ/TU"]),
        ("Chỉ thị 30-CT/TW; Hướng dẫn 36-HD/VPTW (2018)", ["30-CT/TW", "36-HD/VPTW"]),
        ("Số 134-CV/UBKTTU.", ["134-CV/UBKTTU"]),
        ("các QĐ/TU và BC/ĐU, CTr/TU", ["QĐ/TU", "BC/ĐU", "CTr/TU"]),
        (f"Số {BLANK}-TB/HU", [f"{BLANK}-TB/HU"]),
        ("T/M BAN THƯỜNG VỤ, ngày 14/3/2017, (b/c), chính trị - xã hội", []),
    ],
)
def test_it_finds_document_symbols(text, symbols):
    assert [match.group() for match in SYMBOL_RE.finditer(text)] == symbols


def test_the_html_keeps_a_symbol_in_a_no_wrap_span():
    assert keep_symbols("Quyết định 554-QĐ/TU & <x>") == (
        'Quyết định <span class="doc-symbol">554-QĐ/TU</span> &amp; &lt;x&gt;'
    )
    # In sanitised inline HTML only the text is touched, never a tag.
    html = mark_safe("<strong>554-QĐ/TU</strong>, <em>QĐ/TU</em>")
    assert keep_symbols(html) == (
        '<strong><span class="doc-symbol">554-QĐ/TU</span></strong>, '
        '<em><span class="doc-symbol">QĐ/TU</span></em>'
    )


def test_the_docx_writes_a_non_breaking_hyphen_and_a_joiner_after_the_slash():
    doc = _document(["Thực hiện Quyết định 554-QĐ/TU của Ban Thường vụ."])
    word = Document(io.BytesIO(render_docx(doc)))
    paragraph = next(p for p in word.paragraphs if p.text.startswith("Thực hiện"))
    run = paragraph.runs[0]._r
    assert run.find(qn("w:noBreakHyphen")) is not None
    texts = [t.text for t in run.findall(qn("w:t"))]
    assert texts == ["Thực hiện Quyết định ", "554", f"QĐ/{WORD_JOINER}TU", " của Ban Thường vụ."]
    # An ordinary hyphen elsewhere stays breakable.
    doc = _document(["chính trị - xã hội"])
    word = Document(io.BytesIO(render_docx(doc)))
    paragraph = next(p for p in word.paragraphs if p.text.startswith("chính"))
    assert paragraph.runs[0]._r.find(qn("w:noBreakHyphen")) is None


# A symbol at every position of a line: with enough shifts one of them would
# fall across the end of a line.
SHIFTED = [
    "ab " * shift + "theo Quyết định 554-QĐ/TU và Chỉ thị 30-CT/TW của Ban Thường vụ Tỉnh ủy"
    for shift in range(0, 24)
]


def _document(lines: list[str]) -> OfficialDocument:
    return OfficialDocument(
        issuer_name="BAN DÂN VẬN TỈNH ỦY",
        number_symbol="21-BC/BDVTU",
        place_date="Gia Lai, ngày 02 tháng 4 năm 2020",
        doc_type="BÁO CÁO",
        summary="kết quả tiếp xúc, đối thoại",
        blocks=[Block(PARA, line) for line in lines],
        signer_position="TRƯỞNG BAN",
        signer_name="Nguyễn Thị C",
    )


def _assert_unbroken(text: str) -> None:
    assert text.count("554-QĐ/TU") == len(SHIFTED)
    assert text.count("30-CT/TW") == len(SHIFTED)
    assert not re.search(r"(554-|554-QĐ/|30-|30-CT/)\s*\n", text)
    assert WORD_JOINER not in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_no_symbol_is_broken_in_the_pdf():
    pdf = render_pdf(_document(SHIFTED))
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    _assert_unbroken(text)


@pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")), reason="needs LibreOffice"
)
def test_no_symbol_is_broken_in_the_docx():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "symbols.docx"
        path.write_bytes(render_docx(_document(SHIFTED)))
        subprocess.run(
            [
                "soffice",
                "--headless",
                f"-env:UserInstallation=file://{folder}/profile",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(path),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )
        text = subprocess.run(
            ["pdftotext", "-layout", str(path.with_suffix(".pdf")), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode()
    _assert_unbroken(text)


# ------------------------------------------------------------ table widths

TABLE = Table(
    header=["STT", "Đơn vị", "Số cuộc tiếp xúc", "Số ý kiến"],
    rows=[
        ["1", "Đảng ủy xã Ia Blang (chưa được Huyện ủy Chư Sê tổng hợp)", "12", "1.281"],
        ["2", "Đảng bộ Công ty Cổ phần Cấp nước Gia Lai", "7", "45"],
        ["", "Tổng cộng", "19", "1.326"],
    ],
    numeric_columns={2, 3},
)


def test_columns_are_sized_by_their_content():
    width = Mm(165)
    stt, unit, meetings, opinions = column_widths(TABLE, width)
    assert abs(sum((stt, unit, meetings, opinions)) - width) < Mm(1)
    assert stt < Mm(20)
    assert unit > width / 2
    assert stt < meetings < unit
    assert opinions < unit


def test_a_table_of_short_cells_fills_the_width_in_proportion():
    table = Table(header=["TT", "Năm", "Số"], rows=[["1", "2019", "5"]], numeric_columns={2})
    widths = column_widths(table, Mm(250))
    assert abs(sum(widths) - Mm(250)) < Mm(1)
    assert widths[1] > widths[0]


def test_the_docx_table_carries_the_widths():
    doc = _document(["Số liệu."])
    doc.annexes = [Annex(title="PHỤ LỤC", tables=[TABLE], landscape=True)]
    word = Document(io.BytesIO(render_docx(doc)))
    table = word.tables[-1]
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] < grid[1] / 4  # STT is narrow, no longer a third of the table
    cells = [cell.width for cell in table.rows[1].cells]
    assert cells == [column.width for column in table.columns]
