"""Tables in rich text (issue #14): a table pasted from Word is kept by the
sanitiser, becomes a table block, and prints as a table in the PDF and DOCX."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from documents import richtext
from documents.content import PARA, TABLE, Block, OfficialDocument
from documents.docx import render_docx
from documents.html import render_html
from documents.pdf import render_pdf

# What Word puts on the clipboard for a 2×2 grid table (trimmed).
WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"><head>
<meta name=Generator content="Microsoft Word 15">
<style>p.MsoNormal{margin:0cm;font-size:11.0pt}</style>
<script>alert("x")</script></head><body lang=VI style='tab-interval:36.0pt'>
<!--StartFragment-->
<p class=MsoNormal style='text-align:justify'>Kết quả <b>tiếp xúc</b> <i>cử tri</i>:<o:p></o:p></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0
 style='border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt'>
  <p class=MsoNormal><b>Năm<o:p></o:p></b></p></td>
  <td width=301 valign=top style='width:225.4pt;border:solid windowtext 1.0pt'>
  <p class=MsoNormal><b>Số cuộc<o:p></o:p></b></p></td>
 </tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'>
  <td width=301 valign=top style='width:225.4pt' onclick="steal()">
  <p class=MsoNormal>2023<o:p></o:p></p></td>
  <td width=301 valign=top style='width:225.4pt'>
  <p class=MsoNormal>4<o:p></o:p></p></td>
 </tr>
</table>
<p class=MsoNormal>Đoạn sau bảng.<o:p></o:p></p>
<!--EndFragment--></body></html>"""


def document(blocks: list[Block]) -> OfficialDocument:
    return OfficialDocument(
        issuer_name="BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ",
        superior_body="ĐẢNG UỶ KHỐI DOANH NGHIỆP TỈNH",
        number_symbol="12-BC/BCĐ",
        place_date="Hạ Long, ngày 14 tháng 3 năm 2017",
        doc_type="BÁO CÁO",
        summary="kết quả tiếp xúc cử tri năm 2016",
        blocks=blocks,
        signer_position="TRƯỞNG BAN",
        signer_name="Trần Thị B",
    )


def test_a_word_table_is_kept_and_its_styles_and_scripts_go():
    cleaned = richtext.sanitize(WORD_HTML)
    assert "<table>" in cleaned
    assert cleaned.count("<tr>") == 2
    assert cleaned.count("<td>") == 4
    for gone in ("style", "class", "Mso", "script", "alert", "onclick", "width", "o:p", "<!--"):
        assert gone not in cleaned
    assert "<b>tiếp xúc</b>" in cleaned
    assert "<i>cử tri</i>" in cleaned


def test_a_word_table_becomes_a_table_block_between_its_paragraphs():
    blocks = richtext.to_blocks(WORD_HTML)
    assert [block.style for block in blocks] == [PARA, TABLE, PARA]
    table = blocks[1].table
    assert table.header == []
    assert table.rows == [["Năm", "Số cuộc"], ["2023", "4"]]
    assert blocks[1].text == "Năm | Số cuộc\n2023 | 4"
    assert blocks[2].text == "Đoạn sau bảng."


def test_a_header_row_and_merged_cells():
    stored = (
        "<table><thead><tr><th>Đơn vị</th><th>2022</th><th>2023</th></tr></thead>"
        "<tbody><tr><td rowspan='2'>Xã A</td><td>3</td><td>4</td></tr>"
        "<tr><td>5</td><td>6</td></tr>"
        "<tr><td colspan='3'>Cộng: 18</td></tr></tbody></table>"
    )
    table = richtext.to_blocks(stored)[0].table
    assert table.header == ["Đơn vị", "2022", "2023"]
    assert table.rows == [["Xã A", "3", "4"], ["", "5", "6"], ["Cộng: 18", "", ""]]
    assert table.merges == [(0, 0, 2, 1), (2, 0, 1, 3)]
    assert table.numeric_columns == {1, 2}


@pytest.mark.parametrize(
    ("span", "kept"),
    [("2", 'colspan="2"'), ("20", 'colspan="20"'), ("21", None), ("0", None), ("2;x", None)],
)
def test_spans_are_bounded(span, kept):
    cleaned = richtext.sanitize(f'<table><tr><td colspan="{span}">a</td></tr></table>')
    if kept:
        assert kept in cleaned
    else:
        assert "colspan" not in cleaned


def test_a_line_break_in_a_cell_splits_the_cell_not_the_table():
    cleaned = richtext.sanitize("<div>x<table><tr><td>a<br>b</td><td>c</td></tr></table></div>")
    assert "<br" not in cleaned
    assert cleaned.count("<td>") == 2
    table = [b for b in richtext.to_blocks(cleaned) if b.table][0].table
    assert table.rows == [["a\nb", "c"]]


ALLOWED = richtext.ALLOWED_TAGS - {"br"}  # a <br> is always split away
TAGS = ["p", "div", "br", "b", "i", "u", "ul", "li", "table", "tr", "td", "th", "tbody",
        "span", "script", "style", "a", "img", "font", "o:p", "h1"]  # fmt: skip


@st.composite
def markup(draw, depth=0):
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            attrs = draw(
                st.sampled_from(
                    ["", ' style="color:red"', ' colspan="3"', ' rowspan="99"', ' onclick="x()"']
                )
            )
            inner = draw(markup(depth=depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
        else:
            parts.append(draw(st.text(alphabet="aăb &<>\n", max_size=5)))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
@example("<h1><table><h1></h1></table></h1>")  # one pass of the parser was not enough (CI)
def test_sanitising_is_idempotent_and_keeps_only_allowed_tags(value):
    cleaned = richtext.sanitize(value)
    assert richtext.sanitize(cleaned) == cleaned
    tags = set(re.findall(r"</?([a-zA-Z0-9:]+)", cleaned))
    assert tags <= ALLOWED
    attributes = re.findall(r"<[a-z0-9]+\s+([^>]*)>", cleaned)
    for attribute in attributes:
        assert re.fullmatch(r'((colspan|rowspan)="([2-9]|1\d|20)"\s*)+', attribute)
    assert richtext.to_blocks(cleaned) == richtext.to_blocks(value)


def test_the_table_is_a_table_in_the_print_html():
    html = render_html(document(richtext.to_blocks(WORD_HTML)))
    assert '<table class="doc-table doc-table--body">' in html
    assert "<td>Năm</td>" in html
    assert "<td>4</td>" in html


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
def test_the_table_reaches_the_pdf_in_columns(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_pdf(document(richtext.to_blocks(WORD_HTML))))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Năm\s{3,}Số cuộc", text)
    assert re.search(r"2023\s{3,}4", text)
    assert text.index("cử tri") < text.index("Năm") < text.index("Đoạn sau bảng.")


def test_the_table_is_a_word_table_with_borders_and_widths():
    word = Document(io.BytesIO(render_docx(document(richtext.to_blocks(WORD_HTML)))))
    body_tables = [t for t in word.tables if t.style.name == "Table Grid"]
    assert len(body_tables) == 1
    table = body_tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Năm", "Số cuộc"],
        ["2023", "4"],
    ]
    widths = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(widths) == 2
    assert all(width > 0 for width in widths)
    # the table sits between its paragraphs in the body
    order = [child.tag.split("}")[1] for child in word.element.body]
    texts = [p.text for p in word.paragraphs]
    assert "Đoạn sau bảng." in texts
    assert "tbl" in order


def test_merged_cells_are_merged_in_word():
    stored = "<table><tr><td colspan='2'>Tổng</td></tr><tr><td>1</td><td>2</td></tr></table>"
    word = Document(io.BytesIO(render_docx(document(richtext.to_blocks(stored)))))
    table = [t for t in word.tables if t.style.name == "Table Grid"][0]
    first_row = table.rows[0]._tr
    cells = first_row.findall(qn("w:tc"))
    assert len(cells) == 1
    assert cells[0].find(qn("w:tcPr")).find(qn("w:gridSpan")).get(qn("w:val")) == "2"
    assert table.rows[0].cells[0].text == "Tổng"
