"""The review conference in the browser: the province plans it on its plan
and invites a district and a commune; the commune replies that it sends a
deputy; a speech is asked of it and the hourly sweep chases it (a reminder
row, an e-mail); the commune sends it in; the province records the minutes
and conclusions and issues the THÔNG BÁO KẾT LUẬN, whose PDF reads as printed."""

import datetime
import io
import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from chasing import registry
from conferences.models import Conference, ConferenceReminder, Reply, Speech
from notifications.models import DeliveryStatus, EmailOutbox
from orgunits import demo
from orgunits.models import OrgUnit
from tests.browser import axe
from tests.browser.conftest import fill_date, log_in, pick_unit
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PASSWORD = demo.PASSWORD
DAY = datetime.timedelta(days=1)


def shoot(page, name: str) -> None:
    """Desktop and phone screenshots, and no blocking axe violation on either."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert axe.blocking(axe.check(page)) == [], name
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
    assert axe.blocking(axe.check(page)) == [], name
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture
def province_plan(demo_province):
    today = timezone.localdate()
    return PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 10 * DAY,
        deadlines={"co-so": today + 10 * DAY, "huyen": today + 20 * DAY, "tinh": today + 30 * DAY},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )


def test_a_conference_is_planned_replied_to_chased_and_concluded_in_a_printed_notice(
    page, live_server, province_plan
):
    today = timezone.localdate()
    district = OrgUnit.objects.get(code="GL.CS")
    commune = OrgUnit.objects.get(code=demo.DEMO_COMMUNE)
    mail.outbox.clear()

    # 1. The province's office plans the conference from the plan's page.
    log_in(page, live_server, "tinh.dieuphoi", PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{province_plan.pk}/")
    page.get_by_test_id("conference-new").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", "Hội nghị sơ kết 03 năm thực hiện Quyết định số 553-QĐ/TU")
    fill_date(page, "#id_date", today.isoformat())
    page.fill("#id_time", "08:00")
    page.fill("#id_venue", "Hội trường Tỉnh ủy Gia Lai")
    page.fill("#id_chair", "Rơ Mah Thị Hạnh, Phó Bí thư Tỉnh ủy")
    page.fill("#id_guests", "Đ/c Lê Thị Dung, Trưởng Ban Dân vận, dung@example.vn")
    for unit in (district, commune):
        pick_unit(page, "#id_invited", unit.code, unit.name)
    programme = page.get_by_test_id("programme-form")
    for row, (time, title, who) in enumerate(
        [
            ("08:00", "Khai mạc, giới thiệu đại biểu", "Văn phòng Tỉnh ủy"),
            ("08:15", "Báo cáo sơ kết", "Ban Dân vận Tỉnh ủy"),
            ("09:00", "Tham luận của các đơn vị", ""),
        ]
    ):
        programme.locator(f"[name='programme-{row}-time']").fill(time)
        programme.locator(f"[name='programme-{row}-title']").fill(title)
        programme.locator(f"[name='programme-{row}-presenter']").fill(who)
    shoot(page, "conference-form")
    page.get_by_test_id("conference-save").click()
    page.wait_for_load_state("networkidle")
    conference = Conference.objects.get()
    assert conference.plan == province_plan
    assert {i.unit for i in conference.invitations.all()} == {district, commune}
    expect(page.get_by_test_id("programme").locator("li")).to_have_count(3)

    # Invitations: in the app and by e-mail, through the outbox.
    page.get_by_test_id("send-invitations").click()
    page.wait_for_load_state("networkidle")
    reporter = get_user_model().objects.get(username="xa.baocao")
    assert EmailOutbox.objects.filter(to=[reporter.email]).exists()
    assert EmailOutbox.objects.filter(to=["dung@example.vn"]).exists()
    invitation_mail = next(m for m in mail.outbox if reporter.email in m.to + m.bcc)
    assert invitation_mail.subject.startswith("[Tổng kết] Giấy mời: Hội nghị sơ kết")

    # A speech asked of the commune, due today.
    form = page.get_by_test_id("speech-assign-form")
    form.locator("select[name=invitation]").select_option(label=commune.name)
    form.locator("input[name=topic]").fill("Kinh nghiệm thực hiện dân chủ ở cơ sở")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    speech = Speech.objects.get()
    assert (speech.unit, speech.due_on) == (commune, today)

    # 2. The hourly sweep chases it: a reminder row, sent, and an e-mail.
    mail.outbox.clear()
    nine = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    registry.run_all(nine)
    reminder = ConferenceReminder.objects.get()
    assert (reminder.speech, reminder.days_left, reminder.status) == (
        speech,
        0,
        DeliveryStatus.SENT,
    )
    assert any(
        reporter.email in m.to + m.bcc and "Kinh nghiệm thực hiện dân chủ" in m.subject
        for m in mail.outbox
    )

    # 3. The commune replies (a deputy, named) and sends its speech in.
    page.context.clear_cookies()
    log_in(page, live_server, "xa.baocao", PASSWORD)
    page.goto(f"{live_server.url}/thong-bao/")
    page.get_by_text("Giấy mời: Hội nghị sơ kết").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/hoi-nghi/{conference.pk}/")
    reply = page.get_by_test_id("reply-form")
    reply.locator("input[name=reply][value=deputy]").check()
    reply.locator("input[name=attendee]").fill("Siu Thanh, Phó Bí thư Đảng ủy xã")
    reply.get_by_test_id("reply-send").click()
    page.wait_for_load_state("networkidle")
    row = page.get_by_test_id("invitation").filter(has_text=commune.name)
    expect(row).to_contain_text("Siu Thanh, Phó Bí thư Đảng ủy xã")
    invitation = conference.invitations.get(unit=commune)
    assert (invitation.reply, invitation.replied_by) == (Reply.DEPUTY, reporter)
    shoot(page, "conference-commune")
    page.get_by_test_id("speech-open").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_text", "Đảng ủy xã Ia Blang xin trình bày kinh nghiệm thực hiện dân chủ.")
    page.get_by_test_id("speech-send").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("speech-status")).to_contain_text("đã gửi")
    speech.refresh_from_db()
    assert speech.is_in
    registry.run_all(nine + datetime.timedelta(hours=1))
    assert ConferenceReminder.objects.count() == 1  # never chased once it is in

    # 4. The province sees who confirmed and which speeches are in, records
    # the minutes and conclusions, and issues the notice.
    page.context.clear_cookies()
    log_in(page, live_server, "tinh.dieuphoi", PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/{province_plan.pk}/")
    expect(page.get_by_test_id("plan-conference")).to_contain_text("1/2")
    page.get_by_test_id("plan-conference").get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("invitations")).to_contain_text("1/2")
    expect(page.get_by_test_id("speeches")).to_contain_text("1/1")
    shoot(page, "conference-province")
    page.get_by_test_id("conference-record").click()
    page.fill("#id_minutes", "Hội nghị khai mạc lúc 08 giờ; 05 ý kiến tham luận.")
    page.fill(
        "#id_conclusions",
        "Hội nghị đánh giá cao kết quả 03 năm thực hiện Quyết định số 553-QĐ/TU.\n"
        "Đề nghị các cấp ủy tiếp tục lãnh đạo thực hiện tốt dân chủ ở cơ sở.",
    )
    page.get_by_test_id("record-save").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("conference-status")).to_contain_text("Đã tổ chức")
    notice = page.get_by_test_id("notice-form")
    notice.locator("textarea[name=recipients]").fill(
        "Các đảng ủy trực thuộc Tỉnh ủy\nLưu Văn phòng Tỉnh ủy"
    )
    notice.get_by_test_id("notice-issue").click()
    page.wait_for_load_state("networkidle")
    conference.refresh_from_db()
    assert conference.notice_number == 1
    expect(page.get_by_test_id("notice-number")).to_contain_text("số 1")
    shoot(page, "conference-notice")

    with page.expect_download() as download:
        page.get_by_test_id("notice-pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    (ARTIFACTS / "thong-bao-ket-luan.pdf").write_bytes(pdf)
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    symbol = conference.issuing_body.symbol
    assert f"01-TB/{symbol}" in text
    assert "THÔNG BÁO" in text
    assert f"ngày {today:%d} tháng {today:%m} năm {today.year}" in text
    assert "kết luận của đồng chí chủ trì tại Hội nghị sơ kết 03 năm" in text
    assert "Đề nghị các cấp ủy tiếp tục lãnh đạo thực hiện tốt dân chủ ở cơ sở." in text
    assert commune.name in text  # attended (through its deputy)
    assert "Lưu Văn phòng Tỉnh ủy." in text
