"""The Word version of official Party documents (documents.docx)."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from documents.content import (
    BULLET,
    BULLET_2,
    HEADING_1,
    HEADING_2,
    PARA,
    Annex,
    Block,
    OfficialDocument,
    Table,
)
from documents.docx import WORD_JOINER, render_docx

# Seed 000 (Kế hoạch 279-KH/TU of the Gia Lai Provincial Committee), abridged.
SUMMARY = (
    "sơ kết 03 năm triển khai thực hiện Quyết định số 553-QĐ/TU,\n"
    "ngày 14 tháng 3 năm 2017 của Ban Thường vụ Tỉnh ủy về Quy chế tiếp xúc,\n"
    "đối thoại trực tiếp của người đứng đầu cấp ủy, chính quyền các cấp"
)


def seed_plan(*, landscape: bool = False) -> OfficialDocument:
    return OfficialDocument(
        issuer_name="TỈNH ỦY GIA LAI",
        superior_body="ĐẢNG BỘ TỈNH GIA LAI",
        number_symbol="279-KH/TU",
        place_date="Gia Lai, ngày 25 tháng 02 năm 2020",
        doc_type="KẾ HOẠCH",
        summary=SUMMARY,
        blocks=[
            Block(PARA, "Thực hiện Chương trình làm việc năm 2020, Ban Thường vụ Tỉnh ủy …"),
            Block(HEADING_1, "I- MỤC ĐÍCH, YÊU CẦU"),
            Block(PARA, "1. Việc sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU …"),
            Block(HEADING_2, "2. Thời gian sơ kết:"),
            Block(BULLET, "- Cấp cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020."),
            Block(BULLET_2, "+ Việc lựa chọn chủ đề tiếp xúc, đối thoại trực tiếp."),
            Block(PARA, html="<strong>đậm</strong> và <em>nghiêng</em><br><span>hết</span>"),
            Block(PARA, "Trên đây là Kế hoạch sơ kết.", bold=True),
        ],
        recipients=[
            "Cơ quan Thường trực Ban Dân vận Trung ương tại Đà Nẵng (để báo cáo),",
            "Các huyện ủy, thị ủy, thành ủy,",
            "Lưu Văn phòng Tỉnh ủy.",
        ],
        sign_on_behalf="T/M BAN THƯỜNG VỤ",
        signer_position="BÍ THƯ",
        signer_name="Dương Văn Trang",
        footnotes=["Viết tắt là: Quyết định 553-QĐ/TU, Quyết định 554-QĐ/TU."],
        annexes=[
            Annex(
                title="PHỤ LỤC\nSố cuộc tiếp xúc, đối thoại",
                subtitle="(kèm theo Kế hoạch số 279-KH/TU, ngày 25/02/2020)",
                blocks=[Block(PARA, "Số liệu từ năm 2017 đến năm 2019.")],
                tables=[
                    Table(
                        header=["TT", "Đơn vị", "Số cuộc"],
                        rows=[["1", "Huyện Chư Sê", "12"], ["2", "Thị xã An Khê", "7"]],
                        numeric_columns={2},
                    )
                ],
                landscape=landscape,
            )
        ],
    )


def reopen(doc: OfficialDocument):
    return Document(io.BytesIO(render_docx(doc)))


@pytest.fixture(scope="module")
def word():
    return reopen(seed_plan())


def paragraph(word, text: str):
    return next(p for p in word.paragraphs if p.text.startswith(text))


def test_it_renders_the_first_page_header_in_two_columns(word):
    header = word.tables[0]
    left, right = header.rows[0].cells
    assert [p.text for p in left.paragraphs] == ["ĐẢNG BỘ TỈNH GIA LAI", "TỈNH ỦY GIA LAI", "*"]
    assert left.paragraphs[1].runs[0].bold
    assert right.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert right.paragraphs[0].runs[0].font.size == Pt(15)
    # The rule is a bottom border, not an underline that would cut the dots of Ộ, Ệ.
    assert not right.paragraphs[0].runs[0].underline
    assert right.paragraphs[0]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}") is not None
    assert [cell.text.replace(WORD_JOINER, "") for cell in header.rows[1].cells] == [
        "Số 279-KH/TU",
        "Gia Lai, ngày 25 tháng 02 năm 2020",
    ]
    assert header.rows[1].cells[1].paragraphs[0].runs[0].italic
    assert header.style.name != "Table Grid"  # borderless
    left_width, right_width = (column.width for column in header.columns)
    assert 0.4 < left_width / (left_width + right_width) < 0.5


def test_it_renders_the_title_and_keeps_the_summary_line_breaks(word):
    title = paragraph(word, "KẾ HOẠCH")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].bold
    assert title.runs[0].font.size == Pt(16)
    summary = paragraph(word, "sơ kết 03 năm")
    assert summary.text.replace(WORD_JOINER, "") == SUMMARY + "()"  # the call: "(", mark, ")"
    assert all(run.bold for run in summary.runs)
    assert paragraph(word, "-----").alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_it_lays_out_body_blocks_with_named_styles(word):
    heading = paragraph(word, "I- MỤC ĐÍCH")
    assert heading.style.name == "doc-heading-1"
    assert heading.style.font.bold
    para = paragraph(word, "Thực hiện Chương trình")
    fmt = para.style.paragraph_format
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert abs(fmt.first_line_indent.cm - 1.27) < 0.01
    assert fmt.space_after == Pt(6)
    assert paragraph(word, "- Cấp cơ sở").style.name == "doc-bullet"
    assert paragraph(word, "+ Việc lựa chọn").style.name == "doc-bullet-2"
    assert paragraph(word, "Trên đây").runs[0].bold


def test_it_turns_inline_html_into_bold_and_italic_runs(word):
    block = paragraph(word, "đậm")
    runs = {run.text: run for run in block.runs}
    assert runs["đậm"].bold
    assert not runs["đậm"].italic
    assert runs["nghiêng"].italic
    assert not runs["nghiêng"].bold
    assert block.text == "đậm và nghiêng"
    # <br> is a paragraph break (an official text has no soft line breaks), <span> plain text
    following = Paragraph(block._p.getnext(), block._parent)
    assert following.text == "hết"
    assert following.style.name == "doc-para"


def test_it_lays_out_an_a4_page_with_party_margins(word):
    section = word.sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [20, 20, 30, 15]


def test_it_sets_times_new_roman_for_every_script(word):
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size == Pt(14)
    fonts = normal.element.rPr.rFonts
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{script}")) == "Times New Roman"
    assert fonts.get(qn("w:asciiTheme")) is None  # a theme font would override it
    defaults = word.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == "Times New Roman"


def test_it_numbers_pages_from_the_second(word):
    section = word.sections[0]
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml
    assert 'w:fldCharType="begin"' in header_xml
    assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in section.first_page_header._element.xml
    assert round(section.header_distance.mm) == 10


def test_it_renders_recipients_and_signature_side_by_side(word):
    recipients, signature = word.tables[1].rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].underline
    items = recipients.paragraphs[1:]
    assert items[0].text == "- Cơ quan Thường trực Ban Dân vận Trung ương tại Đà Nẵng (để báo cáo),"
    assert items[-1].text == "- Lưu Văn phòng Tỉnh ủy."
    assert all(p.runs[0].font.size == Pt(12) for p in items)
    lines = [p.text for p in signature.paragraphs]
    assert lines[:2] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert lines[-1] == "Dương Văn Trang"
    assert lines[2:-1] == [""] * (len(lines) - 3)  # room for signature and seal
    assert signature.paragraphs[0].runs[0].bold
    assert not signature.paragraphs[1].runs[0].bold
    assert signature.paragraphs[-1].runs[0].bold


def test_it_keeps_the_end_of_the_body_with_the_closing(word):
    body = seed_plan().blocks
    last = next(p for p in reversed(word.paragraphs) if p.text == body[-1].text)
    assert last.paragraph_format.keep_with_next
    # The closing table follows that paragraph directly.
    following = last._p.getnext()
    assert following is not None
    assert following.tag == qn("w:tbl")
    middle = next(p for p in word.paragraphs if p.text == body[0].text)
    assert not middle.paragraph_format.keep_with_next


def test_it_makes_the_position_bold_when_signed_in_own_name():
    plan = seed_plan()
    plan.sign_on_behalf = ""
    signature = reopen(plan).tables[1].rows[0].cells[1]
    assert signature.paragraphs[0].text == "BÍ THƯ"
    assert signature.paragraphs[0].runs[0].bold


def test_it_writes_footnotes_as_word_footnotes_called_from_the_summary():
    data = render_docx(seed_plan())
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        body = package.read("word/document.xml").decode()
        notes = package.read("word/footnotes.xml").decode()
        relations = package.read("word/_rels/document.xml.rels").decode()
        types = package.read("[Content_Types].xml").decode()
        settings = package.read("word/settings.xml").decode()
    assert "relationships/footnotes" in relations
    assert 'Target="footnotes.xml"' in relations
    assert "wordprocessingml.footnotes+xml" in types
    assert 'w:type="separator"' in notes
    assert 'w:type="continuationSeparator"' in notes
    assert "<w:footnoteRef/>" in notes
    assert " Viết tắt là: Quyết định 553-QĐ/TU, Quyết định 554-QĐ/TU." in notes
    assert "<w:footnotePr>" in settings
    assert '<w:numFmt w:val="chicago"/>' in settings  # the mark is "*"
    # The call "(*)" sits at the end of the summary, where the PDF puts it.
    word = Document(io.BytesIO(data))
    summary = paragraph(word, "sơ kết 03 năm")
    opening, call, closing = summary.runs[-3:]
    reference = call._r.find(qn("w:footnoteReference"))
    assert reference is not None
    assert reference.get(qn("w:id")) == "1"
    assert (opening.text, closing.text) == ("(", ")")
    assert call._r.rPr.find(qn("w:vertAlign")).get(qn("w:val")) == "baseline"
    # No footnote text in the body any more.
    assert "Viết tắt là" not in body
    assert not any(p.text.startswith("(*)") for p in word.paragraphs)


def test_it_writes_no_footnotes_part_without_footnotes():
    plan = seed_plan()
    plan.footnotes = []
    with zipfile.ZipFile(io.BytesIO(render_docx(plan))) as package:
        assert "word/footnotes.xml" not in package.namelist()
        assert "footnoteReference" not in package.read("word/document.xml").decode()


@pytest.mark.parametrize("landscape", [False, True])
def test_it_starts_each_annex_on_a_new_section(landscape):
    word = reopen(seed_plan(landscape=landscape))
    assert len(word.sections) == 2
    annex = word.sections[1]
    assert annex.start_type == 2  # WD_SECTION.NEW_PAGE
    expected = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    assert annex.orientation == expected
    size = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    assert (round(annex.page_width.mm), round(annex.page_height.mm)) == tuple(
        round(length.mm) for length in size
    )
    assert not annex.different_first_page_header_footer  # numbered from its first page
    title = paragraph(word, "PHỤ LỤC")
    assert title.text == "PHỤ LỤC\nSố cuộc tiếp xúc, đối thoại"
    assert title.runs[0].bold
    assert paragraph(word, "(kèm theo").runs[0].italic


def test_it_renders_the_annex_table(word):
    table = word.tables[2]
    assert table.style.name == "Table Grid"
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["TT", "Đơn vị", "Số cuộc"],
        ["1", "Huyện Chư Sê", "12"],
        ["2", "Thị xã An Khê", "7"],
    ]
    assert all(cell.paragraphs[0].runs[0].bold for cell in table.rows[0].cells)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.cell(1, 2).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert table.cell(1, 1).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.LEFT


def test_it_folds_white_space_as_html_does_and_keeps_no_break_spaces():
    plan = seed_plan()
    plan.blocks = [Block(PARA, "Thực  hiện\n  Kế hoạch"), Block(PARA, "Số\u00a0\u00a0\u00a0-KH")]
    texts = [p.text for p in reopen(plan).paragraphs]
    # A typed line break is a paragraph break; spaces around it go.
    assert ["Thực hiện", "Kế hoạch"] == texts[texts.index("Thực hiện") :][:2]
    assert "Số\u00a0\u00a0\u00a0-KH" in texts
