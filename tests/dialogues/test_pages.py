import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dialogues import services
from dialogues.models import Meeting, Petition, PetitionStatus
from documents.responses import XLSX_CONTENT_TYPE
from orgunits.models import Role
from tests.factories import MeetingFactory, MembershipFactory, add_unit

pytestmark = pytest.mark.django_db

D = datetime.date


def _meeting(unit, year: int, target_group: str) -> Meeting:
    return MeetingFactory(
        unit=unit,
        target_group=target_group,
        date=D(year, 3, 20),
        venue="Hội trường UBND xã Cao Xá",
        held=True,
    )


@pytest.fixture
def meeting(small_tree):
    return _meeting(small_tree["D1"], 2018, "Cán bộ, đoàn viên, hội viên MTTQ xã Cao Xá")


@pytest.fixture
def officer(agency):
    return MembershipFactory(unit=agency, role=Role.REPORTER).user


def _petition(meeting, office, subject="Cấp giấy chứng nhận QSDĐ", **fields) -> Petition:
    fields.setdefault("answered_on_spot", False)
    return services.record_petition(
        meeting=meeting, petitioner="Ông A", subject=subject, field="land", by=office, **fields
    )


def _assign(petition, agency, office, days=30) -> None:
    due = timezone.localdate() + datetime.timedelta(days=days)
    services.assign(petition=petition, agency=agency, due_on=due, by=office)


def test_it_lists_visible_meetings_in_the_calendar(
    client, meeting, office, small_tree, django_assert_max_num_queries
):
    other = _meeting(small_tree["D2"], 2018, "Đảng viên xã D2C1")
    _meeting(small_tree["D1"], 2018, "Đảng viên xã D1C2")
    client.force_login(office)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dialogues:calendar"), {"year": 2018})
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="calendar"' in content
    assert content.count('data-testid="calendar-meeting"') == 2
    assert reverse("dialogues:meeting", args=[meeting.pk]) in content
    assert reverse("dialogues:meeting", args=[other.pk]) not in content


def test_it_records_a_petition_and_assigns_it(client, meeting, office, agency):
    client.force_login(office)
    page = client.get(reverse("dialogues:meeting", args=[meeting.pk]))
    assert page.status_code == 200
    assert b'data-testid="petition-form"' in page.content

    response = client.post(
        reverse("dialogues:petition_add", args=[meeting.pk]),
        {"petitioner": "Ông Nguyễn Văn A", "subject": "Đường liên thôn", "field": "economy"},
    )
    assert response.status_code == 302
    petition = Petition.objects.get()
    assert petition.status == PetitionStatus.RECEIVED
    assert petition.unit == meeting.plan.unit

    due = timezone.localdate() + datetime.timedelta(days=20)
    response = client.post(
        reverse("dialogues:petition_assign", args=[petition.pk]),
        {"agency": agency.pk, "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.agency, petition.due_on) == (
        PetitionStatus.ASSIGNED,
        agency,
        due,
    )


def test_it_re_renders_a_petition_answered_on_the_spot_without_an_answer(client, meeting, office):
    client.force_login(office)
    response = client.post(
        reverse("dialogues:petition_add", args=[meeting.pk]),
        {"petitioner": "B", "subject": "Chế độ", "field": "social", "answered_on_spot": "on"},
    )
    assert response.status_code == 200
    assert not Petition.objects.exists()


def test_it_lets_the_agency_answer_and_prints_the_answer(client, meeting, office, agency, officer):
    petition = _petition(meeting, office)
    _assign(petition, agency, office)
    client.force_login(officer)
    page = client.get(reverse("dialogues:petition", args=[petition.pk]))
    assert page.status_code == 200
    assert b'data-testid="answer-form"' in page.content

    client.post(
        reverse("dialogues:petition_progress", args=[petition.pk]), {"text": "Đang xác minh"}
    )
    response = client.post(
        reverse("dialogues:petition_answer", args=[petition.pk]),
        {"text": "Đã cấp giấy chứng nhận cho hộ ông A."},
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.ANSWERED
    assert petition.progress.count() == 1

    printed = client.get(reverse("dialogues:petition_print", args=[petition.pk]))
    assert printed.status_code == 200
    assert "Đã cấp giấy chứng nhận cho hộ ông A." in printed.content.decode()

    client.force_login(office)
    client.post(reverse("dialogues:petition_close", args=[petition.pk]))
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED


def test_it_shows_a_service_refusal_as_a_message(client, meeting, office, agency):
    petition = _petition(meeting, office)
    client.force_login(office)
    response = client.post(reverse("dialogues:petition_close", args=[petition.pk]), follow=True)
    assert response.status_code == 200
    assert len(list(response.context["messages"])) == 1
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RECEIVED


def test_it_filters_the_register_by_status_and_overdue(
    client, meeting, office, agency, django_assert_max_num_queries
):
    late = _petition(meeting, office, subject="Late")
    _assign(late, agency, office)
    Petition.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    on_time = _petition(meeting, office, subject="On time")
    _assign(on_time, agency, office)
    _petition(meeting, office, subject="Spot", answered_on_spot=True, answer="ok")
    client.force_login(office)
    url = reverse("dialogues:register")

    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert 'data-testid="register"' in response.content.decode()
    assert response.content.decode().count('data-testid="petition-row"') == 3

    response = client.get(url, {"status": PetitionStatus.ASSIGNED})
    assert {p.pk for p in response.context["petitions"]} == {late.pk, on_time.pk}

    response = client.get(url, {"overdue": "1"})
    assert [p.pk for p in response.context["petitions"]] == [late.pk]
    assert response.content.decode().count('data-testid="petition-row"') == 1


def test_it_exports_the_filtered_register_as_xlsx(client, meeting, office, agency):
    assigned = _petition(meeting, office, subject="Đường liên thôn")
    _assign(assigned, agency, office)
    _petition(meeting, office, subject="Chính sách", answered_on_spot=True, answer="ok")
    client.force_login(office)
    response = client.get(reverse("dialogues:register_export"), {"status": PetitionStatus.ASSIGNED})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1
    assert "Đường liên thôn" in rows[0]
    assert agency.name in rows[0]


def test_it_hides_another_districts_meeting_and_petitions(client, meeting, office, small_tree):
    petition = _petition(meeting, office)
    outsider = MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user
    client.force_login(outsider)
    assert client.get(reverse("dialogues:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("dialogues:petition", args=[petition.pk])).status_code == 404
    assert client.get(reverse("dialogues:petition_print", args=[petition.pk])).status_code == 404


def test_it_forbids_a_reporter_to_assign(client, meeting, office, agency, small_tree):
    petition = _petition(meeting, office)
    reporter = MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user
    client.force_login(reporter)
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        reverse("dialogues:petition_assign", args=[petition.pk]),
        {"agency": agency.pk, "due_on": due.isoformat()},
    )
    assert response.status_code == 403
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.RECEIVED


@pytest.fixture
def coming(small_tree):
    """A meeting 20 days ahead in commune D1C1, planned by district D1."""
    return MeetingFactory(
        unit=small_tree["D1"],
        target_group="Cán bộ, đảng viên xã D1C1",
        date=timezone.localdate() + datetime.timedelta(days=20),
        hosts=[small_tree["D1C1"]],
    )


def test_a_host_unit_sees_the_meeting_and_sends_its_opinions(client, coming, small_tree):
    cadre = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    client.force_login(cadre)
    calendar = client.get(reverse("dialogues:calendar"), {"year": coming.plan.year})
    assert coming.target_group in calendar.content.decode()
    page = client.get(reverse("dialogues:meeting", args=[coming.pk]))
    assert b'data-testid="opinions-form"' in page.content
    assert b'data-testid="notice-form"' not in page.content  # the head's office records it

    url = reverse("dialogues:meeting_opinions", args=[coming.pk])
    empty = client.post(url, {"unit": small_tree["D1C1"].pk, "text": ""})
    assert empty.status_code == 200
    assert "Trường này là bắt buộc" in empty.content.decode()
    response = client.post(url, {"unit": small_tree["D1C1"].pk, "text": "Ông A: đường liên thôn"})
    assert response.status_code == 302
    assert coming.opinion_reports.get().text == "Ông A: đường liên thôn"
    page = client.get(reverse("dialogues:meeting", args=[coming.pk]))
    assert "Ông A: đường liên thôn" in page.content.decode()

    # A commune that does not host it sees nothing of it.
    other = MembershipFactory(unit=small_tree["D1C2"], role=Role.REPORTER).user
    client.force_login(other)
    assert client.get(reverse("dialogues:meeting", args=[coming.pk])).status_code == 404
    assert client.post(url, {"unit": small_tree["D1C1"].pk, "text": "x"}).status_code == 404


def test_the_office_records_the_radio_notice(client, coming, office):
    client.force_login(office)
    page = client.get(reverse("dialogues:meeting", args=[coming.pk]))
    assert b'data-testid="notice-form"' in page.content
    # The office may also enter a host unit's opinions received on paper.
    assert b'data-testid="opinions-form"' in page.content
    url = reverse("dialogues:meeting_notice", args=[coming.pk])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    refused = client.post(url, {"on": tomorrow.isoformat()}, follow=True)
    assert "không thể là ngày trong tương lai" in refused.content.decode()
    coming.refresh_from_db()
    assert coming.notice_done_on is None
    client.post(url, {"on": timezone.localdate().isoformat()})
    coming.refresh_from_db()
    assert coming.notice_done_on == timezone.localdate()


def test_the_calendar_tells_the_office_of_overdue_petitions(client, meeting, office, agency):
    client.force_login(office)
    url = reverse("dialogues:calendar")
    assert b'data-testid="overdue-petitions"' not in client.get(url, {"year": 2018}).content
    petition = _petition(meeting, office)
    Petition.objects.filter(pk=petition.pk).update(
        agency=agency,
        status=PetitionStatus.ASSIGNED,
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    html = client.get(url, {"year": 2018}).content.decode()
    assert 'data-testid="overdue-petitions"' in html
    assert "1 kiến nghị đã quá hạn" in html


def test_the_meeting_page_runs_the_same_queries_for_few_and_many_hosts(
    client,
    coming,
    office,
    agency,
    small_tree,
    levels,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client.force_login(office)
    coming.host_units.add(small_tree["D1C2"])
    _petition(coming, office)
    page = reverse("dialogues:meeting", args=[coming.pk])
    with django_assert_max_num_queries(22) as captured:
        assert client.get(page).status_code == 200
    few = len(captured)
    hosts = [add_unit(small_tree["D1"], f"D1X{i}", levels["co-so"]) for i in range(12)]
    coming.host_units.add(*hosts)
    for i, host in enumerate(hosts[:6]):
        services.send_opinions(meeting=coming, unit=host, text=f"Ý kiến {i}", by=office)
        _assign(_petition(coming, office, subject=f"Kiến nghị {i}"), agency, office)
    with django_assert_num_queries(few):
        assert client.get(page).status_code == 200


def test_the_calendar_marks_opinions_late_only_while_a_host_unit_has_not_sent(
    client, office, small_tree
):
    soon = timezone.localdate() + datetime.timedelta(days=5)  # opinions were due 5 days ago
    meeting = MeetingFactory(
        unit=small_tree["D1"],
        target_group="Đảng viên",
        date=soon,
        hosts=[small_tree["D1C1"], small_tree["D1C2"]],
    )
    services.send_opinions(meeting=meeting, unit=small_tree["D1C1"], text="Ý kiến", by=office)
    client.force_login(office)

    def opinions_cell() -> str:
        html = client.get(reverse("dialogues:calendar"), {"year": soon.year}).content.decode()
        row = html.split('data-testid="calendar-meeting"')[1]
        return row.split("<td")[5]

    assert "text-danger" in opinions_cell()
    services.send_opinions(meeting=meeting, unit=small_tree["D1C2"], text="Ý kiến", by=office)
    assert "text-danger" not in opinions_cell()
