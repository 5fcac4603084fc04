"""The print layout of official Party documents (documents/templates/documents, document.css)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.template import engines
from pypdf import PdfReader

from documents.content import PARA, Block, OfficialDocument
from documents.formatting import place_date, undated_place_date
from documents.html import stylesheet_url
from documents.numbering import DOC_TYPE_NOTICE, number_symbol
from documents.pdf import html_to_pdf, render_pdf

MM = 72 / 25.4  # PDF points per millimetre

# Seed 000 (Kế hoạch 279-KH/TU of the Gia Lai Provincial Committee), abridged
# like the reference pictures in /work/shared/reference.
SUMMARY = (
    "sơ kết 03 năm triển khai thực hiện Quyết định số 553-QĐ/TU, ngày 14 tháng 3 "
    "năm 2017 của Ban Thường vụ Tỉnh ủy về Quy chế tiếp xúc, đối thoại trực tiếp "
    "của người đứng đầu cấp ủy, chính quyền các cấp với nhân dân trên địa bàn "
    "tỉnh; Quyết định số 554-QĐ/TU, ngày 14 tháng 3 năm 2017 của Ban Thường vụ "
    "Tỉnh ủy về Quy định trách nhiệm của các cấp ủy, tổ chức đảng, chính quyền "
    "trong việc tiếp thu ý kiến đóng góp xây dựng đảng, xây dựng chính quyền"
)
BODY = [
    (
        "doc-para",
        "Thực hiện Chương trình làm việc năm 2020, Ban Thường vụ Tỉnh ủy xây "
        "dựng Kế hoạch sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU, Quyết định "
        "554-QĐ/TU, cụ thể như sau:",
    ),
    ("doc-heading-1", "I- MỤC ĐÍCH, YÊU CẦU"),
    (
        "doc-para",
        "1. Việc sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU, Quyết định "
        "554-QĐ/TU nhằm đánh giá những kết quả đạt được trong triển khai thực hiện, "
        "từ đó, nêu bật được ý nghĩa quan trọng trong việc nâng cao vai trò lãnh đạo "
        "của cấp ủy, sự quản lý của chính quyền …",
    ),
    (
        "doc-para",
        "2. Công tác sơ kết việc triển khai thực hiện Quyết định 553-QĐ/TU, "
        "Quyết định 554-QĐ/TU phải được chỉ đạo thực hiện từ cơ sở, đảm bảo nghiêm "
        "túc, thiết thực, hiệu quả; đề cao trách nhiệm của các cấp ủy trong việc tự "
        "tổ chức kiểm tra và sơ kết.",
    ),
    ("doc-heading-1", "II- NỘI DUNG SƠ KẾT"),
    (
        "doc-heading-2",
        "1. Đánh giá công tác lãnh đạo, chỉ đạo, tổ chức quán triệt và "
        "thực hiện Quyết định 553-QĐ/TU, Quyết định 554-QĐ/TU",
    ),
    (
        "doc-heading-3",
        "1.1. Công tác lãnh đạo, chỉ đạo của cấp ủy trong việc quán "
        "triệt, triển khai và tổ chức thực hiện.",
    ),
    ("doc-heading-3", "1.2. Việc ban hành các văn bản triển khai thực hiện."),
    (
        "doc-heading-2",
        "2. Đánh giá kết quả thực hiện quy chế tiếp xúc, đối thoại trực tiếp với nhân dân",
    ),
    ("doc-bullet", "- Số cuộc tiếp xúc, đối thoại đã triển khai từng năm."),
    ("doc-bullet-2", "+ Việc lựa chọn chủ đề tiếp xúc, đối thoại trực tiếp."),
    ("doc-heading-1", "III- HÌNH THỨC, THỜI GIAN SƠ KẾT"),
    ("doc-heading-2", "1. Hình thức sơ kết: Bằng văn bản."),
    ("doc-heading-2", "2. Thời gian sơ kết:"),
    ("doc-bullet", "- Cấp cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020."),
    ("doc-bullet", "- Cấp huyện: Hoàn thành trước ngày 24 tháng 3 năm 2020."),
    ("doc-bullet", "- Cấp tỉnh: Hoàn thành trước ngày 31 tháng 3 năm 2020."),
]
RECIPIENTS = [
    "Cơ quan Thường trực Ban Dân vận Trung ương tại Đà Nẵng (để báo cáo),",
    "Ban cán sự đảng Ủy ban nhân dân tỉnh,",
    "Các huyện ủy, thị ủy, thành ủy,",
    "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy,",
    "Lưu Văn phòng Tỉnh ủy.",
]
SAMPLE_TEMPLATE = """{% extends "documents/base_document.html" %}
{% block body %}{% for css_class, text in body %}
<p class="{{ css_class }}">{{ text }}</p>{% endfor %}
{% endblock %}
{% block annexes %}{% if annex %}
<section class="doc-annex doc-annex--landscape">
  <h2 class="doc-annex__title">PHỤ LỤC</h2>
  <p class="doc-annex__subtitle">(kèm theo Kế hoạch số 279-KH/TU, ngày 25/02/2020
    của Ban Thường vụ Tỉnh ủy)</p>
  <table class="doc-table">
    <thead><tr><th>TT</th><th>Đơn vị</th><th>Số cuộc tiếp xúc, đối thoại</th>
      <th>Số ý kiến đóng góp</th><th>Đã giải quyết</th></tr></thead>
    <tbody>{% for row in annex %}<tr><td class="center">{{ forloop.counter }}</td>
      <td>{{ row.0 }}</td><td class="num">{{ row.1 }}</td><td class="num">{{ row.2 }}</td>
      <td class="num">{{ row.3 }}</td></tr>{% endfor %}</tbody>
  </table>
</section>{% endif %}{% endblock %}
"""


def sample_context(annex: bool = False) -> dict:
    return {
        "stylesheet_url": stylesheet_url(),
        "doc": {
            "issuer_name": "Tỉnh ủy Gia Lai",
            "number_symbol": "279-KH/TU",
            "place_date": place_date("Gia Lai", datetime.date(2020, 2, 25)),
            "doc_type": "KẾ HOẠCH",
            "summary": SUMMARY,
            "recipients": RECIPIENTS,
            "sign_on_behalf": "T/M BAN THƯỜNG VỤ",
            "signer_position": "BÍ THƯ",
            "signer_name": "Dương Văn Trang",
        },
        "body": BODY,
        "annex": [("Huyện Chư Păh", 12, 48, 45), ("Thành phố Pleiku", 20, 75, 70)] if annex else [],
    }


def render_sample_html(annex: bool = False) -> str:
    return engines["django"].from_string(SAMPLE_TEMPLATE).render(sample_context(annex))


@pytest.fixture(scope="module")
def sample_pdf() -> PdfReader:
    return PdfReader(io.BytesIO(html_to_pdf(render_sample_html(annex=True))))


def top_margin_text(page) -> str:
    """The text drawn in the page's top 20 mm (where the page number goes)."""
    height = float(page.mediabox.height)
    parts: list[str] = []

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and y > height - 20 * MM:
            parts.append(text.strip())

    page.extract_text(visitor_text=visit)
    return "".join(parts)


def test_it_renders_the_header_title_and_date(sample_pdf):
    text = sample_pdf.pages[0].extract_text()
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 279-KH/TU",
        "KẾ HOẠCH",
        "Gia Lai, ngày 25 tháng 02 năm 2020",
        "TỈNH ỦY GIA LAI",
    ):
        assert expected in text


def test_it_renders_the_recipients_and_signature(sample_pdf):
    text = "\n".join(page.extract_text() for page in sample_pdf.pages)
    assert "Nơi nhận:" in text
    assert "- Lưu Văn phòng Tỉnh ủy." in text
    assert "T/M BAN THƯỜNG VỤ" in text
    assert "Dương Văn Trang" in text


def test_it_embeds_only_tinos(sample_pdf):
    names = set()
    for page in sample_pdf.pages:
        fonts = page["/Resources"]["/Font"]
        names |= {str(fonts[key].get_object()["/BaseFont"]) for key in fonts}
    assert names
    assert all("Tinos" in name for name in names), names


def test_it_numbers_pages_from_the_second_one(sample_pdf):
    assert len(sample_pdf.pages) >= 3
    assert top_margin_text(sample_pdf.pages[0]) == ""
    assert top_margin_text(sample_pdf.pages[1]) == "2"


def test_it_lays_out_a4_portrait_and_a_landscape_annex(sample_pdf):
    first, annex = sample_pdf.pages[0], sample_pdf.pages[-1]
    assert round(float(first.mediabox.width) / MM) == 210
    assert round(float(first.mediabox.height) / MM) == 297
    assert round(float(annex.mediabox.width) / MM) == 297
    assert "(kèm theo Kế hoạch số 279-KH/TU" in annex.extract_text()


def _closing_test_document(paragraphs: int) -> OfficialDocument:
    """A short notice: numbered paragraphs, then "Đề nghị …" and the closing."""
    text = (
        "Tiếp xúc, đối thoại trực tiếp được tiến hành công khai, minh bạch, dân chủ, "
        "khách quan, thẳng thắn, trọng tâm, trọng điểm với tinh thần xây dựng vì lợi ích chung."
    )
    blocks = [Block(style=PARA, text=f"{n}. {text}") for n in range(1, paragraphs + 1)]
    blocks.append(
        Block(
            style=PARA,
            text="Đề nghị Đài truyền thanh huyện thông báo rộng rãi để cán bộ, đảng viên, "
            "đoàn viên, hội viên và nhân dân được biết và tham gia./.",
        )
    )
    return OfficialDocument(
        issuer_name="HUYỆN ỦY TÂN YÊN",
        number_symbol=number_symbol(None, DOC_TYPE_NOTICE, "HU"),
        place_date=undated_place_date("Tân Yên", 2018),
        doc_type="THÔNG BÁO",
        summary="về việc tổ chức hội nghị tiếp xúc, đối thoại trực tiếp",
        blocks=blocks,
        recipients=["Đài truyền thanh huyện,", "Lưu VT."],
        signer_position="BÍ THƯ",
        signer_name="Lâm Thị Hương Thành",
    )


def _page_of(pages: list[str], text: str) -> int:
    found = [index for index, page in enumerate(pages) if text in page]
    assert len(found) == 1, (text, found)
    return found[0]


def test_the_last_paragraph_stays_with_the_signature():
    # Add paragraphs until the document no longer fits on one page: the body
    # then ends near the foot of page 1, where the closing alone used to be
    # pushed over to page 2 and leave the signature on a page of its own.
    for paragraphs in range(4, 20):
        reader = PdfReader(io.BytesIO(render_pdf(_closing_test_document(paragraphs))))
        pages = [" ".join(page.extract_text().split()) for page in reader.pages]
        if len(pages) > 1:
            break
    assert len(pages) == 2
    assert _page_of(pages, f"{paragraphs - 1}. Tiếp xúc") == 0  # the body fills page 1
    signed = _page_of(pages, "Lâm Thị Hương Thành")
    assert _page_of(pages, "Đề nghị Đài truyền thanh") == signed
    assert _page_of(pages, "được biết và tham gia./.") == signed
    assert _page_of(pages, "Nơi nhận:") == signed


def test_it_escapes_document_text():
    context = sample_context()
    context["doc"]["signer_name"] = "<b>Dương</b>"
    html = engines["django"].from_string(SAMPLE_TEMPLATE).render(context)
    assert "&lt;b&gt;Dương&lt;/b&gt;" in html
