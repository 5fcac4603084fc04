"""Seed 001 in the browser: the district secretary's dialogue plan is entered,
a meeting is announced, hosted, held and recorded with two petitions; one is
assigned to the commune, which answers it; then the district's report in a
seed 000 review starts with those figures."""

import datetime
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from dialogues.models import DialoguePlan, Meeting, OpinionReport, Petition, PetitionStatus
from orgunits import demo
from orgunits.models import OrgUnit
from reports.models import Report
from tests.browser.conftest import fill_date, log_in, pick_unit
from tests.factories import PlanFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
PASSWORD = demo.PASSWORD

PURPOSE = (
    "1- Mục đích\n"
    "Lắng nghe tâm tư, nguyện vọng và tiếp thu ý kiến góp ý của cán bộ, đảng viên, đoàn viên, "
    "hội viên và nhân dân.\n"
    "2- Yêu cầu\n"
    "Chương trình, nội dung, thời gian và địa điểm tiếp xúc, đối thoại phải được thông báo rộng "
    "rãi trên hệ thống truyền thanh."
)
IMPLEMENTATION = (
    "Các cơ quan, đơn vị tổng hợp các ý kiến, kiến nghị; báo cáo Thường trực Huyện ủy (qua Ban "
    "Dân vận Huyện ủy) trước khi tổ chức Hội nghị tiếp xúc, đối thoại ít nhất 10 ngày.\n"
    "Phối hợp với Đài truyền thanh huyện thông báo rộng rãi trên hệ thống truyền thanh cơ sở "
    "trước 07 ngày./."
)


@pytest.fixture
def district_review(demo_province):
    """The province's seed 000 review (2017–2020), with the district taking part."""
    day = datetime.timedelta(days=1)
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=OrgUnit.objects.get(code="GL"),
        seed000=True,
        issued_on=today - 3 * day,
        deadlines={"co-so": today + 10 * day, "huyen": today + 20 * day, "tinh": today + 30 * day},
        published_by=get_user_model().objects.get(username="tinh.dieuphoi"),
    )
    return Report.objects.get(campaign=plan, unit__code="GL.CS")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_seed_001_runs_through_a_meeting_and_its_petitions_into_a_seed_000_review(
    page, live_server, district_review
):
    district = OrgUnit.objects.get(code="GL.CS")
    commune = OrgUnit.objects.get(code=demo.DEMO_COMMUNE)
    town = OrgUnit.objects.get_children(district).exclude(pk=commune.pk).order_by("path").first()

    # 1. The district office enters seed 001's plan with its first meeting.
    log_in(page, live_server, "huyen.dieuphoi", PASSWORD)
    page.goto(f"{live_server.url}/doi-thoai/")
    page.get_by_test_id("new-plan").click()
    pick_unit(page, "#id_unit", district.code, district.name)
    page.fill("#id_year", "2018")
    page.fill("#id_number", "05")
    page.fill("#id_place_name", "Chư Sê")
    fill_date(page, "#id_issued_on", "2018-02-06")
    page.fill(
        "#id_summary",
        "tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư Huyện ủy với nhân dân năm 2018",
    )
    page.fill(
        "#id_introduction",
        "Thực hiện Quyết định số 1158-QĐ/TU ngày 09/7/2015 của Ban Thường vụ Tỉnh ủy ban hành "
        "Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy Đảng, chính quyền các "
        "cấp với nhân dân; Bí thư Huyện ủy xây dựng Kế hoạch như sau:",
    )
    page.fill("#id_purpose", PURPOSE)
    page.fill("#id_content", "1- Đối tượng tiếp xúc, đối thoại\n2- Nội dung tiếp xúc, đối thoại")
    page.fill("#id_implementation", IMPLEMENTATION)
    page.fill(
        "#id_recipients",
        "Thường trực Tỉnh ủy (b/c)\nĐảng ủy các xã, thị trấn\nLưu VTHU",
    )
    page.fill("#id_signer_name", "Lâm Thị Hương Thành")
    meeting_form = page.get_by_test_id("meeting-form").first
    meeting_form.locator("[name='meetings-0-target_group']").fill(
        "Cán bộ, đoàn viên, hội viên của MTTQ và các tổ chức chính trị - xã hội"
    )
    for host in (commune, town):  # searched by code, shown with their names
        pick_unit(meeting_form, "[name='meetings-0-host_units']", host.code, host.name)
    meeting_form.locator("[name='meetings-0-month']").fill("3")
    fill_date(meeting_form, "[name='meetings-0-date']", "2018-03-20")
    meeting_form.locator("[name='meetings-0-time']").fill("08:00")
    meeting_form.locator("[name='meetings-0-venue']").fill("Hội trường UBND xã Ia Blang")
    meeting_form.locator("[name='meetings-0-chair']").fill("Bí thư Huyện ủy")
    page.get_by_test_id("plan-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "year=2018" in page.url
    meeting = Meeting.objects.get(plan__unit=district)
    assert meeting.opinions_due == datetime.date(2018, 3, 10)
    assert set(meeting.host_units.all()) == {commune, town}
    calendar = page.get_by_test_id("calendar-meeting")
    expect(calendar).to_have_count(1)
    expect(calendar).to_contain_text("10/3/2018")  # opinions due
    expect(calendar).to_contain_text("13/3/2018")  # radio notice due

    # The plan prints as a KẾ HOẠCH; the meeting's radio notice as a THÔNG BÁO.
    plan = DialoguePlan.objects.get()
    pdf = page.request.get(f"{live_server.url}/doi-thoai/ke-hoach/{plan.pk}/ke-hoach.pdf")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF")
    calendar.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    notice_url = live_server.url + page.get_by_test_id("notice-pdf").get_attribute("href")
    notice = page.request.get(notice_url)
    assert notice.ok
    assert notice.body().startswith(b"%PDF")
    fill_date(page.get_by_test_id("notice-form"), "input[name=on]", "2018-03-12")
    page.get_by_test_id("notice-form").locator("button").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("notice")).to_contain_text("12/3/2018")

    # 2. The commune sends in the opinions it collected.
    page.context.clear_cookies()
    log_in(page, live_server, "xa.baocao", PASSWORD)
    page.goto(f"{live_server.url}/doi-thoai/hop/{meeting.pk}/")
    form = page.get_by_test_id("opinions-form")
    form.locator("textarea[name=text]").fill("Ông Rơ Châm H'Lim, thôn Tung Breng: đường liên thôn")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("host-unit").filter(has_text=commune.name)).to_contain_text("đã gửi")
    assert OpinionReport.objects.get().unit == commune

    # 3. The district records the meeting and its two petitions.
    page.context.clear_cookies()
    log_in(page, live_server, "huyen.dieuphoi", PASSWORD)
    page.goto(f"{live_server.url}/doi-thoai/hop/{meeting.pk}/")
    page.get_by_test_id("record-meeting").click()
    fill_date(page, "#id_held_on", "2018-03-20")
    page.fill("#id_attendance", "Cán bộ MTTQ và đoàn thể: 35\nĐoàn viên, hội viên: 80")
    page.fill("#id_minutes", "Đồng chí Bí thư Huyện ủy thông báo tình hình; 6 ý kiến phát biểu.")
    page.fill("#id_conclusions", "Giao UBND xã giải quyết kiến nghị về đường liên thôn.")
    page.get_by_test_id("meeting-record-form").locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("attendance")).to_contain_text("115")

    petition_form = page.get_by_test_id("petition-form")
    petition_form.locator("#id_petitioner").fill("Bà Siu H'Mai, hội viên Hội Phụ nữ")
    petition_form.locator("#id_subject").fill("Chế độ cho hội viên nghèo vay vốn")
    petition_form.locator("#id_field").select_option("social")
    petition_form.locator("#id_answered_on_spot").check()
    petition_form.locator("#id_answer").fill("Ngân hàng Chính sách xã hội huyện đã trả lời.")
    petition_form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    petition_form = page.get_by_test_id("petition-form")
    petition_form.locator("#id_petitioner").fill("Ông Rơ Châm H'Lim, thôn Tung Breng")
    petition_form.locator("#id_subject").fill("Sửa chữa đường liên thôn Tung Breng bị sạt lở")
    petition_form.locator("#id_field").select_option("economy")
    petition_form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("meeting-petition")).to_have_count(2)

    road = page.get_by_test_id("meeting-petition").filter(has_text="đường liên thôn")
    due = timezone.localdate() + datetime.timedelta(days=30)
    pick_unit(road, "input[name=agency]", commune.code, commune.name)
    fill_date(road, "input[name=due_on]", due.isoformat())
    road.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    petition = Petition.objects.get(subject__contains="đường liên thôn")
    assert (petition.status, petition.agency, petition.due_on) == (
        PetitionStatus.ASSIGNED,
        commune,
        due,
    )
    shot(page, "dialogue-meeting.png")

    # 4. The commune, as the agency, answers it.
    page.context.clear_cookies()
    log_in(page, live_server, "xa.baocao", PASSWORD)
    page.goto(f"{live_server.url}/doi-thoai/kien-nghi/")
    page.get_by_role("link", name=re.compile("đường liên thôn")).click()
    page.wait_for_load_state("networkidle")
    answer = page.get_by_test_id("answer-form")
    answer.locator("textarea").fill("UBND xã đã sửa chữa xong đoạn đường sạt lở.")
    answer.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("petition-answer")).to_contain_text("đã sửa chữa xong")
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED

    # 5. The district's seed 000 report starts with its own dialogue figures.
    page.context.clear_cookies()
    log_in(page, live_server, "huyen.baocao", PASSWORD)
    page.goto(f"{live_server.url}/bao-cao/{district_review.pk}/")
    meetings_item = page.get_by_test_id("report-item").filter(has_text="Số cuộc tiếp xúc")
    expect(meetings_item.get_by_test_id("computed")).to_contain_text("2018: 1")
    expect(meetings_item.locator("input[name$='-year_2018']")).to_have_value("1")
    expect(meetings_item.locator("input[name$='-year_2017']")).to_have_value("")
    petitions_item = page.get_by_test_id("report-item").filter(
        has_text="Công tác giải quyết những ý kiến kiến nghị"
    )
    expect(petitions_item.get_by_test_id("computed")).to_contain_text(
        "tiếp nhận 02 ý kiến, kiến nghị, trong đó: trả lời trực tiếp tại hội nghị 01 ý kiến; "
        "giải quyết, trả lời sau hội nghị 01 ý kiến; đang giải quyết 00 ý kiến."
    )
    expect(petitions_item.locator(".ql-editor")).to_contain_text("đã tổ chức 01 cuộc tiếp xúc")
    shot(page, "dialogue-review-form.png")
