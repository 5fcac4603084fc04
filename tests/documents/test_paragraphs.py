"""One paragraph per line: the editor's blocks, <br> and pasted line breaks all
become separate body paragraphs, each with its first-line indent (issue #13)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from documents import richtext
from documents.content import PARA, Block, OfficialDocument, split_lines
from documents.docx import WORD_JOINER, render_docx
from documents.html import render_html
from documents.pdf import render_pdf

MM = 72 / 25.4


def document(blocks: list[Block]) -> OfficialDocument:
    return OfficialDocument(
        issuer_name="BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ",
        superior_body="ĐẢNG UỶ KHỐI CÁC CƠ QUAN TỈNH PHÚ THỌ",
        number_symbol="07-BC/BCĐ",
        place_date="Việt Trì, ngày 09 tháng 02 năm 2019",
        doc_type="BÁO CÁO",
        summary="kết quả thực hiện quy chế dân chủ năm 2018",
        blocks=blocks,
        signer_position="TRƯỞNG BAN",
        signer_name="Nguyễn Văn A",
    )


@pytest.mark.parametrize(
    "stored",
    [
        "<div>Đoạn một.</div><div>Đoạn hai.</div><div>Đoạn ba.</div>",  # Enter in the editor
        "<div>Đoạn một.<br>Đoạn hai.<br>Đoạn ba.</div>",  # older text: one block, <br>
        "<div>Đoạn một.<br><br>Đoạn hai.<br>Đoạn ba.<br></div>",
        "Đoạn một.\nĐoạn hai.\r\n\nĐoạn ba.",  # pasted plain text
        "<p>Đoạn một.</p>Đoạn hai.<br>Đoạn ba.",
    ],
)
def test_every_line_is_a_paragraph(stored):
    blocks = richtext.to_blocks(stored)
    assert [block.text for block in blocks] == ["Đoạn một.", "Đoạn hai.", "Đoạn ba."]
    assert {block.style for block in blocks} == {PARA}
    assert "<br" not in richtext.sanitize(stored)


def test_a_line_break_keeps_emphasis_and_the_typed_numbering():
    blocks = richtext.to_blocks(
        "<div>2. Thời gian:<br>- <em>Cấp cơ sở</em>, <strong>a<br>b</strong></div>"
    )
    assert [(block.style, block.text) for block in blocks] == [
        ("heading-2", "2. Thời gian:"),
        ("bullet", "- Cấp cơ sở, a"),
        ("para", "b"),
    ]
    assert blocks[1].html == "- <em>Cấp cơ sở</em>, <strong>a</strong>"
    assert blocks[2].html == "<strong>b</strong>"


def test_a_line_break_in_a_list_item_makes_two_items():
    assert richtext.sanitize("<ul><li>một<br>hai</li></ul>") == "<ul><li>một</li><li>hai</li></ul>"


line = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12
).map(lambda text: text.replace("<", "").replace(">", "").replace("&", ""))


@given(st.lists(line, max_size=6), st.sampled_from(["<br>", "<br><br>", "<br/>"]))
def test_lines_joined_by_breaks_come_back_one_paragraph_each(lines, glue):
    stored = "<div>" + glue.join(lines) + "</div>"
    expected = [" ".join(text.split()) for text in lines if text.strip()]
    blocks = richtext.to_blocks(stored)
    assert [" ".join(block.text.split()) for block in blocks] == expected
    cleaned = richtext.sanitize(stored)
    assert "<br" not in cleaned
    assert richtext.to_blocks(cleaned) == blocks  # sanitising again changes nothing


def test_a_block_with_line_breaks_from_a_builder_is_split_too():
    split = split_lines([Block(PARA, "một\n\nhai"), Block(PARA, html="<em>ba</em><br>bốn")])
    assert [(block.text, block.html) for block in split] == [
        ("một", ""),
        ("hai", ""),
        ("", "<em>ba</em>"),
        ("", "bốn"),
    ]


STORED = "<div>Đoạn thứ nhất của phần này.<br>Đoạn thứ hai.<br>Đoạn thứ ba.</div>"


def test_the_html_has_one_indented_paragraph_per_line():
    html = render_html(document(richtext.to_blocks(STORED)))
    body = html[html.index('<main class="doc-body">') :]
    assert re.findall(r'<p class="doc-para">([^<]*)</p>', body) == [
        "Đoạn thứ nhất của phần này.",
        "Đoạn thứ hai.",
        "Đoạn thứ ba.",
    ]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_every_paragraph_of_the_pdf_starts_indented():
    pdf = render_pdf(document(richtext.to_blocks(STORED)))
    boxes = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    starts = [
        float(x) / MM
        for x, word in re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]+)</word>', boxes)
        if word == "Đoạn"
    ]
    assert len(starts) == 3
    # 30 mm margin + 1.27 cm indent, for all three.
    assert all(abs(start - 42.7) < 1 for start in starts), starts


def test_every_paragraph_of_the_docx_has_its_own_first_line_indent():
    word = Document(io.BytesIO(render_docx(document(richtext.to_blocks(STORED)))))
    body = [p for p in word.paragraphs if p.text.startswith("Đoạn")]
    assert [p.text for p in body] == [
        "Đoạn thứ nhất của phần này.",
        "Đoạn thứ hai.",
        "Đoạn thứ ba.",
    ]
    for paragraph in body:
        indent = paragraph._p.pPr.find(qn("w:ind"))
        assert indent is not None
        assert int(indent.get(qn("w:firstLine"))) == 720  # 1.27 cm in twips
        assert paragraph._p.find(f".//{qn('w:br')}") is None


def test_no_break_space_blanks_stay_in_the_docx():
    doc = document([Block(PARA, "Kính gửi: …")])
    doc.number_symbol = "\u00a0" * 6 + "-TB/HU"
    doc.place_date = "Tân Yên, ngày" + "\u00a0" * 6 + "tháng" + "\u00a0" * 6 + "năm 2018"
    word = Document(io.BytesIO(render_docx(doc)))
    number, place = word.tables[0].rows[1].cells
    assert number.text.replace(WORD_JOINER, "") == "Số " + "\u00a0" * 6 + "-TB/HU"
    assert place.text == "Tân Yên, ngày" + "\u00a0" * 6 + "tháng" + "\u00a0" * 6 + "năm 2018"
    for cell in (number, place):
        blanks = [t for t in cell._tc.iter(qn("w:t")) if "\u00a0" in t.text]
        assert blanks
        assert all(t.get(qn("xml:space")) == "preserve" for t in blanks)
