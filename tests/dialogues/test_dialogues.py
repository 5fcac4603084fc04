import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from campaigns.models import AnswerType
from dialogues import selectors, services
from dialogues.models import DialogueError, Meeting, MeetingStatus, PetitionStatus
from orgunits.models import Role
from reports.models import Report
from tests.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def meeting(small_tree):
    return MeetingFactory(
        plan__summary=(
            "tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư Huyện ủy với nhân dân năm 2018"
        ),
        unit=small_tree["D1"],
        target_group="Cán bộ, đoàn viên, hội viên MTTQ xã Cao Xá",
        date=D(2018, 3, 20),
        venue="Hội trường UBND xã Cao Xá",
        held=True,
    )


def test_opinions_are_due_ten_days_and_the_notice_seven_days_before(meeting):
    assert meeting.opinions_due == D(2018, 3, 10)
    assert meeting.notice_due == D(2018, 3, 13)
    assert meeting.total_attendance == 125


def test_a_petition_goes_from_received_to_closed_with_history(meeting, office, agency):
    petition = services.record_petition(
        meeting=meeting,
        petitioner="Ông Nguyễn Văn A, thôn 3",
        subject="Cấp giấy chứng nhận QSDĐ",
        field="land",
        answered_on_spot=False,
        by=office,
    )
    assert petition.status == PetitionStatus.RECEIVED
    due = timezone.localdate() + datetime.timedelta(days=30)
    services.assign(petition=petition, agency=agency, due_on=due, by=office)
    officer = MembershipFactory(unit=agency, role=Role.REPORTER).user
    services.report_progress(petition=petition, text="Đang xác minh hồ sơ", by=officer)
    assert petition.status == PetitionStatus.IN_PROGRESS
    with pytest.raises(DialogueError):
        services.answer(petition=petition, text=" ", by=officer)
    services.answer(petition=petition, text="Đã cấp giấy chứng nhận.", by=officer)
    services.close(petition=petition, by=office)
    statuses = [h.status for h in petition.history.order_by("history_date")]
    assert statuses == ["received", "assigned", "in_progress", "answered", "closed"]
    assert {h.history_user for h in petition.history.all()} == {office, officer}


def test_an_agency_sees_only_its_petitions_and_units_their_own(meeting, office, agency, small_tree):
    mine = services.record_petition(
        meeting=meeting,
        petitioner="A",
        subject="Đường giao thông",
        field="economy",
        answered_on_spot=False,
        by=office,
    )
    services.record_petition(
        meeting=meeting,
        petitioner="B",
        subject="Chế độ chính sách",
        field="social",
        answered_on_spot=True,
        answer="Đã trả lời",
        by=office,
    )
    services.assign(
        petition=mine,
        agency=agency,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
        by=office,
    )
    officer = MembershipFactory(unit=agency, role=Role.REPORTER).user
    assert list(selectors.petitions_visible_to(officer)) == [mine]
    assert selectors.petitions_visible_to(office).count() == 2
    outsider = MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user
    assert not selectors.petitions_visible_to(outsider).exists()
    with pytest.raises(PermissionDenied):
        services.answer(petition=mine, text="x", by=outsider)
    with pytest.raises(PermissionDenied):
        services.assign(petition=mine, agency=agency, due_on=timezone.localdate(), by=officer)


def test_overdue_petitions_are_found(meeting, office, agency):
    petition = services.record_petition(
        meeting=meeting,
        petitioner="A",
        subject="Đất đai",
        field="land",
        answered_on_spot=False,
        by=office,
    )
    services.assign(
        petition=petition,
        agency=agency,
        due_on=timezone.localdate() + datetime.timedelta(days=2),
        by=office,
    )
    assert not selectors.overdue().exists()
    assert list(selectors.overdue(timezone.localdate() + datetime.timedelta(days=3))) == [petition]


def test_the_records_give_the_review_its_figures(meeting, office, agency):
    services.record_petition(
        meeting=meeting,
        petitioner="A",
        subject="1",
        field="land",
        answered_on_spot=True,
        answer="ok",
        by=office,
    )
    open_one = services.record_petition(
        meeting=meeting,
        petitioner="B",
        subject="2",
        field="land",
        answered_on_spot=False,
        by=office,
    )
    services.assign(
        petition=open_one,
        agency=agency,
        due_on=timezone.localdate() + datetime.timedelta(days=9),
        by=office,
    )
    Meeting.objects.create(
        plan=meeting.plan,
        target_group="Đảng viên xã Lam Cốt",
        month=7,
        date=D(2019, 7, 10),
        held_on=D(2019, 7, 10),
        status=MeetingStatus.HELD,
    )
    figures = selectors.review_figures(meeting.plan.unit, 2017, 2020)
    assert figures["meetings_per_year"] == {"2018": 1, "2019": 1}
    assert figures["petitions_received"] == 2
    assert figures["petitions_on_the_spot"] == 1
    assert figures["petitions_resolved_after"] == 0
    assert figures["petitions_open"] == 1


def test_a_review_form_starts_with_the_units_own_figures(
    client, published_plan, small_tree, meeting, office
):
    services.record_petition(
        meeting=meeting,
        petitioner="A",
        subject="1",
        field="land",
        answered_on_spot=True,
        answer="ok",
        by=office,
    )
    item = published_plan.outline_items.filter(is_heading=False).order_by("position")[1]
    item.answer_type = AnswerType.INTEGER_PER_YEAR
    item.figure_source = "meetings_per_year"
    item.save()
    other = published_plan.outline_items.filter(is_heading=False).order_by("position")[2]
    other.answer_type = AnswerType.INTEGER
    other.figure_source = "petitions_received"
    other.save()
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    writer = MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user
    client.force_login(writer)
    html = client.get(reverse("reports:detail", args=[district.pk])).content.decode()
    bound = published_plan.outline_items.exclude(figure_source="")
    assert {item.pk, other.pk} <= set(bound.values_list("pk", flat=True))
    assert html.count('data-testid="computed"') == bound.count()
    assert f'name="item{item.pk}-year_2018" value="1"' in html
    assert f'name="item{other.pk}-number" value="1"' in html


def test_seed_000s_outline_is_bound_to_the_dialogue_figures_when_pasted(published_plan):
    bound = dict(
        published_plan.outline_items.exclude(figure_source="").values_list("figure_source", "title")
    )
    assert set(bound) == {"meetings_per_year", "petitions_summary"}
    assert "Số cuộc tiếp xúc, đối thoại đã triển khai từng năm" in bound["meetings_per_year"]
    assert bound["petitions_summary"].startswith("Công tác giải quyết những ý kiến kiến nghị")


def test_the_petitions_item_starts_with_a_sentence_from_the_records(
    client, published_plan, small_tree, meeting, office
):
    for answered in (True, False):
        services.record_petition(
            meeting=meeting,
            petitioner="A",
            subject="Đường",
            field="economy",
            answered_on_spot=answered,
            answer="Đã trả lời" if answered else "",
            by=office,
        )
    item = published_plan.outline_items.get(figure_source="petitions_summary")
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user)
    html = client.get(reverse("reports:detail", args=[district.pk])).content.decode()
    years = f"{published_plan.period_start} đến năm {published_plan.period_end}"
    sentence = (
        f"Từ năm {years}, đã tổ chức 01 cuộc tiếp xúc, đối thoại trực tiếp với nhân dân; "
        "tiếp nhận 02 ý kiến, kiến nghị, trong đó: trả lời trực tiếp tại hội nghị 01 ý kiến; "
        "giải quyết, trả lời sau hội nghị 00 ý kiến; đang giải quyết 01 ý kiến."
    )
    assert sentence in html
    assert f'id="id_item{item.pk}-text"' in html
