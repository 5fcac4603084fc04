"""The dialogue plan (seed 001) as a signed KẾ HOẠCH: PDF and DOCX."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from dialogues import documents
from dialogues.models import DialoguePlan, Meeting
from documents.docx import render_docx
from documents.numbering import BLANK
from documents.pdf import render_pdf
from orgunits.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

SUMMARY = "tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư Huyện ủy với nhân dân năm 2018"


@pytest.fixture
def plan(small_tree):
    plan = DialoguePlan.objects.create(
        unit=small_tree["D1"],
        year=2018,
        number=5,
        issuer_symbol="HU",
        place_name="Tân Yên",
        issued_on=datetime.date(2018, 2, 6),
        summary=SUMMARY,
        introduction=(
            "Thực hiện Quyết định số 1158-QĐ/TU ngày 09/7/2015 của Ban Thường vụ Tỉnh ủy; "
            "Bí thư Huyện ủy xây dựng Kế hoạch tiếp xúc, đối thoại với nhân dân năm 2018."
        ),
        purpose="1- Mục đích\nLắng nghe tâm tư, nguyện vọng của nhân dân.\n2- Yêu cầu\n"
        "Thiết thực, hiệu quả.",
        content="1- Đối tượng tiếp xúc, đối thoại\n- Cán bộ, đảng viên thuộc đảng bộ các xã.",
        implementation="<div>1- Các cơ quan, đơn vị chuẩn bị nội dung.</div>"
        "<div>2- Ban Dân vận Huyện ủy tổng hợp ý kiến, kiến nghị./.</div>",
        recipients=["Thường trực Tỉnh ủy (b/c)", "Đảng ủy các xã, thị trấn", "Lưu VTHU"],
        signer_position="Bí thư",
        signer_name="Lâm Thị Hương Thành",
    )
    # Created out of order: the document lists them by month.
    Meeting.objects.create(
        plan=plan,
        target_group="Cán bộ, đảng viên xã Hợp Đức",
        month=8,
        venue="Hội trường UBND xã Hợp Đức",
    )
    Meeting.objects.create(
        plan=plan,
        target_group="Cán bộ, đoàn viên, hội viên xã Cao Xá, thị trấn Cao Thượng",
        month=3,
        venue="Hội trường UBND xã Cao Xá",
    )
    Meeting.objects.create(
        plan=plan,
        target_group="Cán bộ, đảng viên xã Lam Cốt",
        month=7,
        date=datetime.date(2018, 7, 12),
        venue="Hội trường UBND xã Lam Cốt",
    )
    return plan


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_build_lays_out_the_plan(plan):
    doc = documents.build(plan)
    assert doc.issuer_name == "HUYỆN ỦY D1"
    assert doc.number_symbol == "05-KH/HU"
    assert doc.place_date == "Tân Yên, ngày 06 tháng 02 năm 2018"
    assert doc.sign_on_behalf == ""
    assert doc.signer_position == "BÍ THƯ"
    assert doc.recipients[-1] == "Lưu VTHU."
    texts = [block.text for block in doc.blocks]
    assert texts.index("I- MỤC ĐÍCH, YÊU CẦU") < texts.index("II- NỘI DUNG")
    assert texts.index("II- NỘI DUNG") < texts.index("III- TỔ CHỨC THỰC HIỆN")
    schedule = [t for t in texts if t.startswith(("- Tháng", "- Ngày"))]
    assert schedule == [
        "- Tháng 3/2018: Cán bộ, đoàn viên, hội viên xã Cao Xá, thị trấn Cao Thượng "
        "tại Hội trường UBND xã Cao Xá.",
        "- Ngày 12/7/2018: Cán bộ, đảng viên xã Lam Cốt tại Hội trường UBND xã Lam Cốt.",
        "- Tháng 8/2018: Cán bộ, đảng viên xã Hợp Đức tại Hội trường UBND xã Hợp Đức.",
    ]


def test_a_plan_without_number_or_date_leaves_blanks(plan):
    plan.number = None
    plan.issued_on = None
    plan.issuer_symbol = ""
    doc = documents.build(plan)
    assert doc.number_symbol == f"{BLANK}-KH/HU"
    assert doc.place_date == f"Tân Yên, ngày{BLANK}tháng{BLANK}năm 2018"


def test_pdf_shows_the_plan(plan):
    text = _text(render_pdf(documents.build(plan)))
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "KẾ HOẠCH" in text
    assert "tiếp xúc, đối thoại trực tiếp" in text
    assert "T/M" not in text
    assert text.index("Cao Xá, thị trấn") < text.index("xã Lam Cốt tại") < text.index("Hợp Đức tại")
    assert "Lâm Thị Hương Thành" in text


def test_docx_opens_with_the_title(plan):
    document = Document(io.BytesIO(render_docx(documents.build(plan))))
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        text += "\n".join(cell.text for row in table.rows for cell in row.cells)
    assert "KẾ HOẠCH" in text
    assert "Hội trường UBND xã Lam Cốt" in text


def test_views_serve_the_documents_to_the_unit_only(client, plan, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    response = client.get(reverse("dialogues:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    response = client.get(reverse("dialogues:plan_docx", args=[plan.pk]))
    assert response.status_code == 200
    assert response.getvalue()[:2] == b"PK"

    client.force_login(MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user)
    assert client.get(reverse("dialogues:plan_pdf", args=[plan.pk])).status_code == 404


def test_views_need_a_login(client, plan):
    response = client.get(reverse("dialogues:plan_pdf", args=[plan.pk]))
    assert response.status_code == 302


def test_the_plan_and_notice_print_the_districts_header_and_its_bodys_signer(plan):
    from orgunits.bodies import default_body, save_body

    body = default_body(plan.unit)
    body.signer_name = "Lâm Thị Hương Thành"
    save_body(body=body)
    plan.signer_name = ""
    plan.save()
    doc = documents.build(plan)
    assert (doc.superior_body, doc.issuer_name) == ("ĐẢNG BỘ TỈNH GIA LAI", "HUYỆN ỦY D1")
    assert (doc.sign_on_behalf, doc.signer_name) == ("", "Lâm Thị Hương Thành")
