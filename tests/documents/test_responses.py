"""Documents and files served for download (documents.responses)."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from documents.content import PARA, Block, OfficialDocument
from documents.responses import (
    DOCX_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    document_response,
    file_download,
)


@pytest.fixture(scope="module")
def doc() -> OfficialDocument:
    return OfficialDocument(
        issuer_name="TỈNH ỦY GIA LAI",
        number_symbol="279-KH/TU",
        place_date="Gia Lai, ngày 25 tháng 02 năm 2020",
        doc_type="KẾ HOẠCH",
        summary="sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU",
        blocks=[Block(style=PARA, text="Thực hiện Chương trình làm việc năm 2020.")],
        recipients=["Lưu Văn phòng Tỉnh ủy."],
        signer_position="BÍ THƯ",
        signer_name="Dương Văn Trang",
    )


def test_it_serves_a_pdf_to_save(doc):
    response = document_response(doc, "pdf", "ke-hoach-279.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-279.pdf"'
    content = response.getvalue()
    assert int(response["Content-Length"]) == len(content)
    assert "Số 279-KH/TU" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_it_serves_a_pdf_to_show_in_the_browser(doc):
    response = document_response(doc, "pdf", "ke-hoach-279.pdf", inline=True)
    assert response["Content-Disposition"] == 'inline; filename="ke-hoach-279.pdf"'
    assert response.getvalue().startswith(b"%PDF")


def test_it_serves_a_docx(doc):
    response = document_response(doc, "docx", "ke-hoach-279.docx")
    assert response["Content-Type"] == DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="ke-hoach-279.docx"'
    document = Document(io.BytesIO(response.getvalue()))
    assert "KẾ HOẠCH" in [paragraph.text for paragraph in document.paragraphs]


def test_it_names_a_file_in_vietnamese_for_every_browser(doc):
    response = document_response(doc, "docx", "Kế hoạch 279.docx")
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''K%E1%BA%BF%20ho%E1%BA%A1ch%20279.docx"
    )


def test_it_refuses_an_unknown_format(doc):
    with pytest.raises(ValueError, match="odt"):
        document_response(doc, "odt", "ke-hoach.odt")


def test_it_serves_any_file_as_a_download():
    response = file_download(b"PK\x03\x04 sheet", 'tien "do".xlsx', XLSX_CONTENT_TYPE)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == r'attachment; filename="tien \"do\".xlsx"'
    assert response.getvalue() == b"PK\x03\x04 sheet"
