"""A meeting's radio notice (seed 001: announced at least 7 days before) as a THÔNG BÁO."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from dialogues import documents
from dialogues.models import DialoguePlan, Meeting
from documents.docx import render_docx
from documents.html import render_html
from documents.numbering import BLANK
from documents.pdf import render_pdf
from orgunits.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(small_tree):
    return DialoguePlan.objects.create(
        unit=small_tree["D1"],
        year=2018,
        number=5,
        issuer_symbol="HU",
        place_name="Tân Yên",
        issued_on=datetime.date(2018, 2, 6),
        summary="tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư Huyện ủy với nhân dân năm 2018",
        signer_position="Bí thư",
        signer_name="Lâm Thị Hương Thành",
    )


@pytest.fixture
def meeting(plan, small_tree):
    meeting = Meeting.objects.create(
        plan=plan,
        target_group="Cán bộ, đoàn viên, hội viên xã Cao Xá",
        month=3,
        date=datetime.date(2018, 3, 15),
        time=datetime.time(8, 0),
        venue="Hội trường UBND xã Cao Xá",
        order_of_business="Tuyên bố lý do, giới thiệu đại biểu\n\n"
        "+ Đại biểu phát biểu ý kiến, kiến nghị\n"
        "Đồng chí Bí thư kết luận",
    )
    meeting.host_units.add(small_tree["D1C1"])
    return meeting


def _pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_it_builds_a_notice_signed_by_the_head(meeting):
    doc = documents.notice(meeting)
    assert doc.doc_type == "THÔNG BÁO"
    assert doc.number_symbol == f"{BLANK}-TB/HU"
    assert doc.place_date == f"Tân Yên, ngày{BLANK}tháng{BLANK}năm 2018"
    assert doc.summary == (
        "về việc tổ chức hội nghị tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư "
        "với cán bộ, đoàn viên, hội viên xã Cao Xá"
    )
    assert doc.sign_on_behalf == ""
    assert doc.signer_position == "BÍ THƯ"
    assert doc.recipients == ["Đài truyền thanh huyện,", "Đảng ủy xã D1C1,", "Lưu VT."]


def test_it_cites_the_plan_and_lists_the_programme(meeting):
    texts = [block.text for block in documents.notice(meeting).blocks]
    assert texts[0].startswith("Thực hiện Kế hoạch số 05-KH/HU, ngày 06/02/2018 về tiếp xúc")
    assert "1. Thời gian: 08h00, ngày 15/3/2018." in texts
    assert "2. Địa điểm: Hội trường UBND xã Cao Xá." in texts
    assert (
        "3. Thành phần: Cán bộ, đoàn viên, hội viên xã Cao Xá. "
        "Đơn vị phối hợp tổ chức: Đảng ủy xã D1C1." in texts
    )
    assert texts[texts.index("4. Chương trình hội nghị:") + 1 :][:3] == [
        "- Tuyên bố lý do, giới thiệu đại biểu",
        "+ Đại biểu phát biểu ý kiến, kiến nghị",
        "- Đồng chí Bí thư kết luận",
    ]
    assert "chậm nhất ngày 08/3/2018" in texts[-1]
    assert texts[-1].endswith("được biết và tham gia./.")


def test_the_pdf_shows_the_time_venue_and_target_group(meeting):
    text = " ".join(_pages(render_pdf(documents.notice(meeting))))
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "THÔNG BÁO",
        "Số -TB/HU",
        "Thời gian: 08h00, ngày 15/3/2018",
        "Địa điểm: Hội trường UBND xã Cao Xá",
        "Thành phần: Cán bộ, đoàn viên, hội viên xã Cao Xá",
        "- Đài truyền thanh huyện,",
        "Lâm Thị Hương Thành",
    ):
        assert expected in text
    assert "T/M" not in text


def test_a_meeting_without_a_day_is_announced_for_its_month(meeting):
    meeting.date = None
    meeting.time = None
    meeting.save()
    text = " ".join(_pages(render_pdf(documents.notice(meeting))))
    assert "Thời gian: Trong tháng 3/2018 (thời gian cụ thể thông báo sau)." in text
    assert "trước ngày tổ chức hội nghị ít nhất 07 ngày" in text


def test_a_notice_without_host_units_or_programme_leaves_them_out(meeting):
    meeting.host_units.clear()
    meeting.order_of_business = ""
    meeting.save()
    doc = documents.notice(meeting)
    assert doc.recipients == ["Đài truyền thanh huyện,", "Lưu VT."]
    texts = [block.text for block in doc.blocks]
    assert "3. Thành phần: Cán bộ, đoàn viên, hội viên xã Cao Xá." in texts
    assert not any("Chương trình" in text for text in texts)


def test_the_docx_opens_with_the_title(meeting):
    document = Document(io.BytesIO(render_docx(documents.notice(meeting))))
    text = "\n".join(p.text for p in document.paragraphs)
    for table in document.tables:
        text += "\n".join(cell.text for row in table.rows for cell in row.cells)
    assert "THÔNG BÁO" in text
    assert "Địa điểm: Hội trường UBND xã Cao Xá." in text


def test_the_docx_leaves_the_same_blanks_as_the_pdf(meeting):
    doc = documents.notice(meeting)
    number, place = Document(io.BytesIO(render_docx(doc))).tables[0].rows[1].cells
    assert number.text == f"Số {BLANK}-TB/HU"
    assert place.text == f"Tân Yên, ngày{BLANK}tháng{BLANK}năm 2018"
    html = render_html(doc)
    assert f'<td class="doc-number">Số {BLANK}-TB/HU</td>' in html
    assert f'<td class="doc-place-date">Tân Yên, ngày{BLANK}tháng{BLANK}năm 2018</td>' in html


def test_views_serve_the_notice_to_the_unit_only(client, meeting, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    response = client.get(reverse("dialogues:notice_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="thong-bao-{meeting.pk}.pdf"' in response["Content-Disposition"]
    response = client.get(reverse("dialogues:notice_docx", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.getvalue()[:2] == b"PK"
    assert f'filename="thong-bao-{meeting.pk}.docx"' in response["Content-Disposition"]

    client.force_login(MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user)
    assert client.get(reverse("dialogues:notice_pdf", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("dialogues:notice_docx", args=[meeting.pk])).status_code == 404


def test_views_need_a_login(client, meeting):
    response = client.get(reverse("dialogues:notice_pdf", args=[meeting.pk]))
    assert response.status_code == 302
