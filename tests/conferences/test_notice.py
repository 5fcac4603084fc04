"""The THÔNG BÁO KẾT LUẬN: numbered in its body's register of notices (TB)
for the term, printed with the body's header, the date line, the recipients
and the signature block."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conferences import services
from conferences.documents import notice
from conferences.models import ConferenceError, Reply
from orgunits.models import IssuingBody, IssuingBodyKind, SigningAuthority
from tests.conferences.conftest import make_conference

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def commission(small_tree):
    """Another body of the province: its Ban Tuyên giáo và Dân vận."""
    return IssuingBody.objects.create(
        unit=small_tree["P"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN TUYÊN GIÁO VÀ DÂN VẬN",
        phrase="Ban Tuyên giáo và Dân vận Tỉnh ủy Gia Lai",
        symbol="BTGDVTU",
        authority=SigningAuthority.DEPUTY,
        sign_for="TRƯỞNG BAN",
        signer_position="PHÓ TRƯỞNG BAN",
        signer_name="Lê Văn Giáo",
    )


def held(plan, by, units, **fields):
    conference = make_conference(
        plan, by, units=units, date=timezone.localdate() - 2 * DAY, **fields
    )
    services.record(
        conference=conference,
        minutes="Hội nghị khai mạc lúc 8 giờ.",
        conclusions="Đánh giá cao kết quả đạt được.\nĐề nghị các cấp ủy tiếp tục quán triệt.",
        by=by,
    )
    conference.refresh_from_db()
    return conference


def issue(conference, by, on=None):
    return services.issue_notice(
        conference=conference,
        issued_on=on or timezone.localdate(),
        recipients=["Các đảng ủy trực thuộc", "Lưu Văn phòng Tỉnh ủy"],
        by=by,
    )


def test_notices_are_numbered_per_issuing_body(published_plan, organiser, small_tree, commission):
    units = [small_tree["D1C1"]]
    first = issue(held(published_plan, organiser, units), organiser)
    second = issue(held(published_plan, organiser, units), organiser)
    other = issue(held(published_plan, organiser, units, issuing_body=commission), organiser)
    assert (first.notice_number, second.notice_number, other.notice_number) == (1, 2, 1)
    assert notice(second).number_symbol == "02-TB/TU"
    document = notice(other)
    assert document.number_symbol == "01-TB/BTGDVTU"
    assert (document.superior_body, document.issuer_name) == (
        "TỈNH ỦY GIA LAI",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN",
    )
    # A notice issued keeps its number.
    with pytest.raises(ConferenceError):
        issue(first, organiser)


def test_a_notice_needs_the_conclusions_and_a_date_after_the_conference(
    published_plan, organiser, small_tree
):
    ahead = make_conference(published_plan, organiser, units=[small_tree["D1C1"]])
    with pytest.raises(ConferenceError):
        issue(ahead, organiser)
    past = held(published_plan, organiser, [small_tree["D1C1"]])
    with pytest.raises(ConferenceError):
        issue(past, organiser, on=past.date - DAY)
    with pytest.raises(ConferenceError):
        issue(past, organiser, on=timezone.localdate() + DAY)


def test_the_notice_pdf_reads_as_the_office_prints_it(
    client, published_plan, organiser, small_tree, commune_reporter
):
    conference = held(published_plan, organiser, [small_tree["D1C1"], small_tree["D2C1"]])
    invitation = conference.invitations.get(unit=small_tree["D1C1"])
    invitation.reply = Reply.ATTEND
    invitation.save()
    issue(conference, organiser, on=timezone.localdate())
    client.force_login(commune_reporter)
    answer = client.get(reverse("conferences:notice_pdf", args=[conference.pk]))
    assert answer.status_code == 200
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(b"".join(answer.streaming_content))).pages
    )
    text = " ".join(text.split())
    today = timezone.localdate()
    assert "THÔNG BÁO" in text
    assert "01-TB/TU" in text
    assert f"ngày {today:%d} tháng {today:%m} năm {today.year}" in text
    assert "kết luận của đồng chí chủ trì" in text
    assert "Đánh giá cao kết quả đạt được." in text
    assert "Dự hội nghị có đại diện: Đảng ủy xã D1C1." in text
    assert "Nơi nhận" in text
    assert "Lưu Văn phòng Tỉnh ủy." in text
    assert "T/M BAN THƯỜNG VỤ" in text
    docx = client.get(reverse("conferences:notice_docx", args=[conference.pk]))
    assert docx.status_code == 200


def test_a_draft_notice_leaves_the_number_and_date_blank(published_plan, organiser, small_tree):
    conference = held(published_plan, organiser, [small_tree["D1C1"]])
    document = notice(conference)
    assert document.number_symbol.endswith("-TB/TU")
    assert not document.number_symbol[0].isdigit()
    assert "tháng" in document.place_date
    assert str(conference.date.year) in document.place_date


def test_the_default_title_names_the_review_once(published_plan):
    title = services.default_title(published_plan)
    assert title.startswith("Hội nghị sơ kết 03 năm")
    assert "sơ kết sơ kết" not in title
    assert len(title) <= 255
