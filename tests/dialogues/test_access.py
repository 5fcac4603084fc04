"""Who may run a head's dialogues, send a host unit's opinions and answer a
petition: a viewer reads, never writes."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dialogues import services
from dialogues.models import DialoguePlan, Meeting, OpinionReport, PetitionProgress
from orgunits.access import can
from orgunits.models import Role
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db


def member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


@pytest.fixture
def coming(small_tree):
    """A meeting 20 days ahead in commune D1C1, planned by district D1."""
    day = timezone.localdate() + datetime.timedelta(days=20)
    plan = DialoguePlan.objects.create(unit=small_tree["D1"], year=day.year, summary="đối thoại")
    meeting = Meeting.objects.create(
        plan=plan, target_group="Cán bộ xã D1C1", month=day.month, date=day, venue="Hội trường"
    )
    meeting.host_units.set([small_tree["D1C1"]])
    return meeting


@pytest.fixture
def office(small_tree):
    return member(small_tree["D1"], Role.COORDINATOR)


@pytest.fixture
def assigned(coming, office, small_tree, levels):
    """A petition raised at the meeting and given to the district's land office."""
    agency = add_unit(small_tree["D1"], "D1.TNMT", levels["co-so"], name="Phòng TN&MT")
    petition = services.record_petition(
        meeting=coming,
        petitioner="Ông A",
        subject="Cấp giấy chứng nhận QSDĐ",
        field="land",
        answered_on_spot=False,
        by=office,
    )
    due = timezone.localdate() + datetime.timedelta(days=30)
    services.assign(petition=petition, agency=agency, due_on=due, by=office)
    return petition


def test_the_heads_office_coordinates_a_viewer_or_reporter_does_not(
    coming, office, assigned, small_tree
):
    for obj in (coming.plan, coming, assigned, small_tree["D1"]):
        assert can(office, "dialogues.coordinate", obj)
        assert not can(member(small_tree["D1"], Role.VIEWER), "dialogues.coordinate", obj)
        assert not can(member(small_tree["D1"], Role.REPORTER), "dialogues.coordinate", obj)
    assert can(office, "dialogues.plan_dialogues")
    assert not can(member(small_tree["P"], Role.VIEWER), "dialogues.plan_dialogues")


def test_a_host_units_working_roles_send_its_opinions_a_viewer_does_not(small_tree):
    host = small_tree["D1C1"]
    for role in (Role.REPORTER, Role.APPROVER, Role.COORDINATOR):
        assert can(member(host, role), "dialogues.send_opinions", host)
    assert not can(member(host, Role.VIEWER), "dialogues.send_opinions", host)
    assert not can(member(small_tree["D1C2"], Role.REPORTER), "dialogues.send_opinions", host)


def test_the_agencys_working_roles_answer_a_petition_a_viewer_does_not(assigned, small_tree):
    assert can(member(assigned.agency, Role.REPORTER), "dialogues.answer_petition", assigned)
    assert not can(member(assigned.agency, Role.VIEWER), "dialogues.answer_petition", assigned)
    assert not can(member(small_tree["D1C1"], Role.REPORTER), "dialogues.answer_petition", assigned)


def test_a_viewer_cannot_send_opinions(client, coming, small_tree):
    viewer = member(small_tree["D1C1"], Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.send_opinions(meeting=coming, unit=small_tree["D1C1"], text="x", by=viewer)
    client.force_login(viewer)
    page = client.get(reverse("dialogues:meeting", args=[coming.pk]))
    assert page.status_code == 200  # the viewer still reads the meeting
    assert b'data-testid="opinions-form"' not in page.content
    url = reverse("dialogues:meeting_opinions", args=[coming.pk])
    client.post(url, {"unit": small_tree["D1C1"].pk, "text": "Ông A: đường liên thôn"})
    assert not OpinionReport.objects.exists()


def test_a_viewer_cannot_record_progress_or_answer_a_petition(client, assigned):
    viewer = member(assigned.agency, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.report_progress(petition=assigned, text="Đang xác minh", by=viewer)
    with pytest.raises(PermissionDenied):
        services.answer(petition=assigned, text="Đã cấp giấy.", by=viewer)
    client.force_login(viewer)
    page = client.get(reverse("dialogues:petition", args=[assigned.pk]))
    assert page.status_code == 200
    assert b'data-testid="progress-form"' not in page.content
    assert b'data-testid="answer-form"' not in page.content
    progress = reverse("dialogues:petition_progress", args=[assigned.pk])
    assert client.post(progress, {"text": "Đang xác minh"}).status_code == 403
    answer = reverse("dialogues:petition_answer", args=[assigned.pk])
    assert client.post(answer, {"text": "Đã cấp giấy."}).status_code == 403
    assigned.refresh_from_db()
    assert not PetitionProgress.objects.exists()
    assert assigned.answer == ""
