import datetime

import pytest
from django.urls import reverse

from dialogues.models import DialoguePlan, Meeting, MeetingStatus
from orgunits.models import Role
from tests.factories import MeetingFactory, MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def reporter(small_tree):
    return MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user


@pytest.fixture
def meeting(small_tree):
    return MeetingFactory(
        unit=small_tree["D1"], target_group="Đảng viên xã Cao Xá", date=D(2018, 3, 20), venue=""
    )


def _meeting_rows(index: int, **fields) -> dict:
    row = {
        "target_group": "",
        "month": "",
        "date": "",
        "time": "",
        "venue": "",
        "chair": "",
        "secretary": "",
        "order_of_business": "",
        "preparations": "",
    }
    row.update(fields)
    return {f"meetings-{index}-{name}": value for name, value in row.items()}


def _plan_data(unit) -> dict:
    return {
        "unit": unit.pk,
        "year": 2018,
        "number": 45,
        "issuer_symbol": "KH/HU",
        "place_name": "Tứ Kỳ",
        "issued_on": "2018-01-15",
        "summary": "tiếp xúc, đối thoại trực tiếp năm 2018",
        "purpose": "Nắm bắt tâm tư, nguyện vọng.",
        "recipients": "Thường trực Tỉnh ủy\n\nLưu VP",
        "signer_position": "BÍ THƯ",
        "signer_name": "Nguyễn Văn B",
        "meetings-TOTAL_FORMS": 2,
        "meetings-INITIAL_FORMS": 0,
        "meetings-MIN_NUM_FORMS": 0,
        "meetings-MAX_NUM_FORMS": 1000,
        **_meeting_rows(
            0,
            target_group="Cán bộ, hội viên MTTQ xã Cao Xá",
            month=3,
            date="2018-03-20",
            time="08:00",
            venue="Hội trường UBND xã",
        ),
        **_meeting_rows(1, target_group="Đảng viên xã Hà Kỳ", month=9),
    }


def test_a_coordinator_creates_a_plan_with_two_meetings(client, office, small_tree):
    client.force_login(office)
    calendar = client.get(reverse("dialogues:calendar"), {"year": 2018})
    assert b'data-testid="new-plan"' in calendar.content
    page = client.get(reverse("dialogues:plan_create"))
    assert page.status_code == 200
    assert b'data-testid="plan-form"' in page.content

    response = client.post(reverse("dialogues:plan_create"), _plan_data(small_tree["D1"]))
    assert response.status_code == 302
    assert response.url == reverse("dialogues:calendar") + "?year=2018"
    plan = DialoguePlan.objects.get()
    assert plan.unit == small_tree["D1"]
    assert plan.recipients == ["Thường trực Tỉnh ủy", "Lưu VP"]
    assert sorted(plan.meetings.values_list("month", flat=True)) == [3, 9]

    edit = client.get(reverse("dialogues:plan_edit", args=[plan.pk]))
    assert edit.status_code == 200


def test_a_reporter_may_not_plan(client, reporter, small_tree, meeting):
    client.force_login(reporter)
    calendar = client.get(reverse("dialogues:calendar"), {"year": 2018})
    assert b'data-testid="new-plan"' not in calendar.content
    url = reverse("dialogues:plan_create")
    assert client.get(url).status_code == 403
    assert client.post(url, _plan_data(small_tree["D1"])).status_code == 403
    assert client.get(reverse("dialogues:plan_edit", args=[meeting.plan.pk])).status_code == 403
    record = reverse("dialogues:meeting_record", args=[meeting.pk])
    assert client.post(record, {"held_on": "2018-03-20"}).status_code == 403
    assert DialoguePlan.objects.count() == 1
    assert Meeting.objects.get().status == MeetingStatus.PLANNED


def test_a_coordinator_records_the_meeting(client, office, meeting):
    client.force_login(office)
    page = client.get(reverse("dialogues:meeting", args=[meeting.pk]))
    assert b'data-testid="record-meeting"' in page.content

    response = client.post(
        reverse("dialogues:meeting_record", args=[meeting.pk]),
        {
            "held_on": "2018-03-20",
            "attendance": "Cán bộ: 35\nHội viên: 90",
            "minutes": "Biên bản",
            "conclusions": "Kết luận",
            "notice_done_on": "2018-03-10",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.attendance == {"Cán bộ": 35, "Hội viên": 90}
    assert meeting.status == MeetingStatus.HELD
    assert meeting.held_on == D(2018, 3, 20)
    assert meeting.notice_done_on == D(2018, 3, 10)


def test_a_bad_attendance_line_changes_nothing(client, office, meeting):
    client.force_login(office)
    response = client.post(
        reverse("dialogues:meeting_record", args=[meeting.pk]),
        {"held_on": "2018-03-20", "attendance": "Cán bộ: 35\nabc"},
    )
    assert response.status_code == 200
    assert b'data-testid="meeting-record-form"' in response.content
    assert "Dòng 2" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.attendance, meeting.held_on) == (
        MeetingStatus.PLANNED,
        {},
        None,
    )


def test_host_units_are_chosen_among_the_coordinators_units(client, office, small_tree):
    client.force_login(office)
    data = _plan_data(small_tree["D1"])
    data["meetings-0-host_units"] = [small_tree["D1C1"].pk, small_tree["D1C2"].pk]
    assert client.post(reverse("dialogues:plan_create"), data).status_code == 302
    meeting = Meeting.objects.get(month=3)
    assert set(meeting.host_units.values_list("code", flat=True)) == {"D1C1", "D1C2"}

    # Another district's commune is not offered and is refused.
    data["meetings-0-host_units"] = [small_tree["D2C1"].pk]
    response = client.post(reverse("dialogues:plan_create"), data)
    assert response.status_code == 200
    assert "D2C1" not in response.content.decode().split('name="meetings-0-host_units"')[1][:2000]
    assert DialoguePlan.objects.count() == 1


def test_a_meeting_with_records_is_not_deleted_but_can_be_cancelled(client, office, small_tree):
    client.force_login(office)
    assert (
        client.post(reverse("dialogues:plan_create"), _plan_data(small_tree["D1"])).status_code
        == 302
    )
    plan = DialoguePlan.objects.get()
    held = plan.meetings.get(month=3)
    held.status = MeetingStatus.HELD
    held.save()
    planned = plan.meetings.get(month=9)
    data = _plan_data(small_tree["D1"])
    data["meetings-INITIAL_FORMS"] = 2
    data["meetings-0-id"], data["meetings-1-id"] = held.pk, planned.pk
    data["meetings-0-DELETE"] = "on"
    response = client.post(reverse("dialogues:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 200
    assert "không thể xóa" in response.content.decode()
    assert plan.meetings.count() == 2

    cancel = client.post(reverse("dialogues:meeting_cancel", args=[planned.pk]), follow=True)
    assert "Đã hủy cuộc đối thoại" in cancel.content.decode()
    planned.refresh_from_db()
    assert planned.status == MeetingStatus.CANCELLED
    again = client.post(reverse("dialogues:meeting_cancel", args=[held.pk]), follow=True)
    assert "Chỉ hủy được cuộc đối thoại dự kiến" in again.content.decode()
    held.refresh_from_db()
    assert held.status == MeetingStatus.HELD
