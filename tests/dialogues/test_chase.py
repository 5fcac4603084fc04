"""The dialogue deadlines (10-day opinions, 7-day radio notice, petitions) are chased."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from chasing import tasks as chasing_tasks
from chasing.delivery import RETRIES
from config.celery_app import app as celery_app
from dialogues import chase, services
from dialogues import tasks as dialogue_tasks
from dialogues.models import (
    DialogueError,
    DialogueReminder,
    DialogueReminderKind,
    MeetingStatus,
)
from notifications.models import Notification
from orgunits.models import Role
from tests.factories import (
    MeetingFactory,
    MembershipFactory,
    PetitionFactory,
    UserFactory,
    add_unit,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def at_nine(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


@pytest.fixture
def office(small_tree):
    return MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user


@pytest.fixture
def host_cadre(small_tree):
    return MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user


def plan_meeting(small_tree, date, hosts=("D1C1", "D1C2")):
    """A meeting of district D1 on ``date``, in a plan of its own."""
    return MeetingFactory(
        unit=small_tree["D1"], date=date, hosts=[small_tree[code] for code in hosts]
    )


def sweep(now, capture):
    with capture(execute=True):
        return chase.sweep(now)


def test_host_units_are_reminded_before_the_ten_day_opinions_deadline(
    small_tree, office, host_cadre, today, django_capture_on_commit_callbacks
):
    # The meeting is 13 days away: opinions are due in 3 days, the notice in 6.
    meeting = plan_meeting(small_tree, today + 13 * DAY)
    counts = sweep(at_nine(today), django_capture_on_commit_callbacks)
    assert counts == {DialogueReminderKind.OPINIONS: 2}
    reminders = DialogueReminder.objects.order_by("unit__path")
    assert [(r.unit.code, r.due_on, r.days_left) for r in reminders] == [
        ("D1C1", meeting.opinions_due, 3),
        ("D1C2", meeting.opinions_due, 3),
    ]
    # D1C1's reporter gets it; D1C2 has nobody to send to, and its record says so.
    assert [r.status for r in reminders] == ["sent", "no_recipient"]
    assert [m.to for m in mail.outbox] == [[host_cadre.email]]
    assert "3 ngày" in mail.outbox[0].subject or "3 day" in mail.outbox[0].subject
    bell = Notification.objects.get(user=host_cadre)
    assert bell.url.endswith(f"/hop/{meeting.pk}/#opinions")


def test_a_unit_that_sent_its_opinions_is_not_reminded_again(
    small_tree, office, host_cadre, today, django_capture_on_commit_callbacks
):
    meeting = plan_meeting(small_tree, today + 11 * DAY)  # opinions due tomorrow
    services.send_opinions(
        meeting=meeting, unit=small_tree["D1C1"], text="Ý kiến về đường liên thôn", by=host_cadre
    )
    sweep(at_nine(today), django_capture_on_commit_callbacks)
    assert list(DialogueReminder.objects.values_list("unit__code", flat=True)) == ["D1C2"]
    # The same hour again claims nothing new; the next day is a new step (and
    # the radio notice, now 3 days away, starts being chased too).
    assert (
        sweep(at_nine(today) + datetime.timedelta(hours=1), django_capture_on_commit_callbacks)
        == {}
    )
    assert sweep(at_nine(today + DAY), django_capture_on_commit_callbacks) == {
        DialogueReminderKind.OPINIONS: 1,
        DialogueReminderKind.NOTICE: 1,
    }


def test_the_radio_notice_is_chased_seven_days_before_until_recorded(
    small_tree, office, today, django_capture_on_commit_callbacks
):
    meeting = plan_meeting(small_tree, today + 7 * DAY, hosts=())  # notice due today
    sweep(at_nine(today), django_capture_on_commit_callbacks)
    notice = DialogueReminder.objects.get()
    assert (notice.kind, notice.unit, notice.days_left) == (
        DialogueReminderKind.NOTICE,
        small_tree["D1"],
        0,
    )
    assert [m.to for m in mail.outbox] == [[office.email]]
    services.give_notice(meeting=meeting, on=today, by=office)
    assert sweep(at_nine(today + DAY), django_capture_on_commit_callbacks) == {}


def test_nothing_is_chased_for_a_held_meeting_or_on_the_meeting_day(
    small_tree, office, today, django_capture_on_commit_callbacks
):
    plan_meeting(small_tree, today)  # today: opinions 10 days late, but pointless now
    held = plan_meeting(small_tree, today + 12 * DAY)
    held.status = MeetingStatus.HELD
    held.save()
    assert sweep(at_nine(today), django_capture_on_commit_callbacks) == {}


def test_no_reminder_before_the_send_hour(
    small_tree, office, today, django_capture_on_commit_callbacks
):
    plan_meeting(small_tree, today + 13 * DAY)
    six_am = timezone.make_aware(datetime.datetime.combine(today, datetime.time(6, 0)))
    # At 06:00 the effective day is yesterday: 4 days before, no step yet.
    assert sweep(six_am, django_capture_on_commit_callbacks) == {}


def assigned_petition(small_tree, agency, due_on):
    """A petition of a meeting held 60 days before ``due_on``, assigned to ``agency``."""
    meeting = MeetingFactory(unit=small_tree["D1"], date=due_on - 60 * DAY, held=True)
    return PetitionFactory(
        meeting=meeting,
        subject="Cấp giấy chứng nhận quyền sử dụng đất",
        assigned_to=agency,
        due_on=due_on,
    )


def test_an_overdue_petition_is_chased_at_the_agency_then_sent_to_the_heads_office(
    small_tree, office, agency, today, django_capture_on_commit_callbacks
):
    officer = MembershipFactory(unit=agency, role=Role.REPORTER).user
    petition = assigned_petition(small_tree, agency, today - 3 * DAY)
    counts = sweep(at_nine(today), django_capture_on_commit_callbacks)
    assert counts == {
        DialogueReminderKind.PETITION: 1,
        DialogueReminderKind.PETITION_ESCALATION: 1,
    }
    by_kind = {r.kind: r for r in DialogueReminder.objects.all()}
    assert by_kind[DialogueReminderKind.PETITION].unit == agency
    assert by_kind[DialogueReminderKind.PETITION_ESCALATION].unit == small_tree["D1"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([officer.email, office.email])
    office_bell = Notification.objects.get(user=office)
    assert office_bell.url.endswith(f"/kien-nghi/{petition.pk}/")
    assert "3" in office_bell.title
    # Answered: nothing more is chased.
    services.answer(petition=petition, text="Đã giải quyết", by=officer)
    assert sweep(at_nine(today + 7 * DAY), django_capture_on_commit_callbacks) == {}


def test_a_petition_not_yet_due_gets_the_seven_day_reminder(
    small_tree, office, agency, today, django_capture_on_commit_callbacks
):
    assigned_petition(small_tree, agency, today + 7 * DAY)
    assert sweep(at_nine(today), django_capture_on_commit_callbacks) == {
        DialogueReminderKind.PETITION: 1
    }
    assert DialogueReminder.objects.get().days_left == 7


def test_the_hourly_sweep_task_and_the_command_chase_dialogues_too(
    small_tree, office, today, django_capture_on_commit_callbacks
):
    plan_meeting(small_tree, today + 7 * DAY, hosts=())
    with django_capture_on_commit_callbacks(execute=True):
        result = chasing_tasks.sweep()
    assert result["dialogues"] == {DialogueReminderKind.NOTICE: 1}
    plan_meeting(small_tree, today + 6 * DAY, hosts=())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_reminders", stdout=open("/dev/null", "w"))
    assert DialogueReminder.objects.filter(kind=DialogueReminderKind.NOTICE).count() == 2


def test_the_dialogue_sweep_runs_the_same_queries_for_few_and_many(
    small_tree,
    office,
    agency,
    levels,
    today,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    plan_meeting(small_tree, today + 13 * DAY)
    assigned_petition(small_tree, agency, today - 3 * DAY)
    with django_assert_max_num_queries(12) as captured:
        chase.sweep(at_nine(today))
    communes = [
        add_unit(small_tree["D2"], f"D2X{i}", levels["co-so"], name=f"Xã {i}") for i in range(30)
    ]
    for i in range(10):
        meeting = plan_meeting(small_tree, today + 13 * DAY, hosts=())
        meeting.host_units.set(communes[i * 3 : i * 3 + 3])
        assigned_petition(small_tree, agency, today - (3 + i) * DAY)
    with django_assert_num_queries(len(captured)):
        chase.sweep(at_nine(today + DAY))
    assert DialogueReminder.objects.count() > 40


def test_only_a_host_unit_may_send_opinions(small_tree, office, today):
    meeting = plan_meeting(small_tree, today + 20 * DAY, hosts=("D1C1",))
    outsider = MembershipFactory(unit=small_tree["D1C2"], role=Role.REPORTER).user
    with pytest.raises(PermissionDenied):
        services.send_opinions(meeting=meeting, unit=small_tree["D1C2"], text="x", by=outsider)
    cadre = MembershipFactory(unit=small_tree["D1C1"], role=Role.APPROVER).user
    with pytest.raises(DialogueError):
        services.send_opinions(meeting=meeting, unit=small_tree["D1C1"], text="  ", by=cadre)
    services.send_opinions(meeting=meeting, unit=small_tree["D1C1"], text="Lần 1", by=cadre)
    services.send_opinions(meeting=meeting, unit=small_tree["D1C1"], text="Lần 2", by=cadre)
    report = meeting.opinion_reports.get()
    assert report.text == "Lần 2"
    assert report.history.count() == 2


def test_the_notice_date_cannot_be_in_the_future(small_tree, office, today):
    meeting = plan_meeting(small_tree, today + 20 * DAY)
    with pytest.raises(DialogueError):
        services.give_notice(meeting=meeting, on=today + DAY, by=office)
    cadre = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    with pytest.raises(PermissionDenied):
        services.give_notice(meeting=meeting, on=today, by=cadre)


def test_a_host_unit_with_only_inactive_users_gets_a_no_recipient_reminder(
    small_tree, office, today, django_capture_on_commit_callbacks
):
    gone = MembershipFactory(
        unit=small_tree["D1C1"], role=Role.REPORTER, user=UserFactory(is_active=False)
    ).user
    plan_meeting(small_tree, today + 13 * DAY, hosts=("D1C1",))
    sweep(at_nine(today), django_capture_on_commit_callbacks)
    reminder = DialogueReminder.objects.get()
    assert (reminder.status, reminder.sent_at, reminder.attempts) == ("no_recipient", None, 1)
    assert mail.outbox == []
    assert not Notification.objects.filter(user=gone).exists()
    assert dialogue_tasks.send_reminder.apply(args=[reminder.pk]).get() == "already claimed"


def test_a_dialogue_reminder_is_retried_on_a_mail_error_then_failed(
    small_tree, office, host_cadre, today, monkeypatch
):
    plan_meeting(small_tree, today + 13 * DAY, hosts=("D1C1",))
    chase.sweep(at_nine(today))  # claimed, not sent: the callbacks did not run
    reminder = DialogueReminder.objects.get()

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("notifications.emails.send", broken)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    dialogue_tasks.send_reminder.apply(args=[reminder.pk], throw=False)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("failed", RETRIES + 1)
    assert not Notification.objects.filter(user=host_cadre).exists()
