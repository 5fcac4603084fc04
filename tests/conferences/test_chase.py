"""Speeches are chased by the hourly sweep like a report: before, on and after
their day until the conference; never once sent in, nor for a conference past,
cancelled or of a campaign recorded after the fact."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chasing import registry
from conferences import chase, services
from conferences.models import ConferenceReminder
from notifications import delivery
from notifications.models import DeliveryStatus, Notification, NotificationKind
from tests.conferences.conftest import make_conference

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def at_nine(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def sweep(now, capture):
    with capture(execute=True):
        return chase.sweep(now)


@pytest.fixture
def speech(conference, organiser, small_tree, today):
    return services.assign_speech(
        conference=conference,
        unit=small_tree["D1C1"],
        topic="Kinh nghiệm lãnh đạo thực hiện dân chủ ở cơ sở",
        due_on=today + 10 * DAY,
        by=organiser,
    )


def test_the_hourly_sweep_runs_the_conferences_chase():
    assert registry._sweeps["conferences"] is chase.sweep


def test_a_speech_is_reminded_three_days_before_its_day(
    speech, commune_reporter, today, django_capture_on_commit_callbacks
):
    assert sweep(at_nine(today), django_capture_on_commit_callbacks) == {}  # ten days left
    counts = sweep(at_nine(today + 7 * DAY), django_capture_on_commit_callbacks)
    assert counts == {ConferenceReminder.SPEECH: 1}
    reminder = ConferenceReminder.objects.get()
    assert (reminder.unit.code, reminder.due_on, reminder.days_left) == ("D1C1", speech.due_on, 3)
    assert reminder.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [[commune_reporter.email]]
    assert "Kinh nghiệm lãnh đạo" in mail.outbox[0].subject
    bell = Notification.objects.get(user=commune_reporter, kind=NotificationKind.CONFERENCE_SPEECH)
    assert bell.url.endswith(f"/hoi-nghi/tham-luan/{speech.pk}/")
    # The same step is never sent twice.
    assert sweep(at_nine(today + 7 * DAY), django_capture_on_commit_callbacks) == {}


def test_a_late_speech_is_chased_every_day_until_the_conference(
    speech, conference, commune_reporter, today, django_capture_on_commit_callbacks
):
    for offset in (10, 11, 12):  # due day, one and two days overdue
        sweep(at_nine(today + offset * DAY), django_capture_on_commit_callbacks)
    assert sorted(ConferenceReminder.objects.values_list("days_left", flat=True)) == [-2, -1, 0]
    # On the conference's day and after, nothing more.
    assert sweep(at_nine(conference.date), django_capture_on_commit_callbacks) == {}
    assert sweep(at_nine(conference.date + DAY), django_capture_on_commit_callbacks) == {}


def test_a_speech_sent_in_is_never_chased_again(
    speech, commune_reporter, today, django_capture_on_commit_callbacks
):
    sweep(at_nine(today + 7 * DAY), django_capture_on_commit_callbacks)
    services.send_speech(
        speech=speech,
        text="",
        upload=SimpleUploadedFile("tham-luan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
        by=commune_reporter,
    )
    speech.refresh_from_db()
    assert speech.is_in
    assert speech.original_name == "tham-luan.pdf"
    for offset in (9, 10, 12):
        assert sweep(at_nine(today + offset * DAY), django_capture_on_commit_callbacks) == {}
    assert ConferenceReminder.objects.count() == 1


def test_a_speech_sent_in_on_time_is_not_late_and_one_sent_after_is(
    speech, commune_reporter, today
):
    services.send_speech(speech=speech, text="Tham luận.", upload=None, by=commune_reporter)
    assert not speech.is_late(today + 20 * DAY)
    speech.submitted_at = at_nine(speech.due_on + DAY)
    assert speech.is_late()


def test_nothing_is_chased_for_a_cancelled_conference_or_a_campaign_recorded_after(
    speech, conference, organiser, published_plan, today, django_capture_on_commit_callbacks
):
    services.cancel(conference=conference, by=organiser)
    assert sweep(at_nine(today + 9 * DAY), django_capture_on_commit_callbacks) == {}
    conference.status = "planned"
    conference.save()
    published_plan.recorded_after_the_fact = True
    published_plan.save()
    assert sweep(at_nine(today + 9 * DAY), django_capture_on_commit_callbacks) == {}


def test_a_speech_is_asked_only_of_an_invited_unit_and_due_by_the_conference(
    conference, organiser, small_tree, today
):
    with pytest.raises(services.ConferenceError):
        services.assign_speech(
            conference=conference,
            unit=small_tree["D1C2"],
            topic="x",
            due_on=today + DAY,
            by=organiser,
        )
    with pytest.raises(services.ConferenceError):
        services.assign_speech(
            conference=conference,
            unit=small_tree["D1C1"],
            topic="x",
            due_on=conference.date + DAY,
            by=organiser,
        )


def test_the_sweep_reads_the_same_whatever_the_number_of_speeches(
    published_plan, organiser, small_tree, today, django_assert_max_num_queries
):
    for _ in range(3):
        conference = make_conference(
            published_plan, organiser, units=[small_tree["D1C1"], small_tree["D2C1"]]
        )
        for code in ("D1C1", "D2C1"):
            services.assign_speech(
                conference=conference,
                unit=small_tree[code],
                topic="Tham luận",
                due_on=today + 3 * DAY,
                by=organiser,
            )
    with django_assert_max_num_queries(1):
        rows = chase.due_rows(at_nine(today))
    assert len(rows) == 6


def test_a_speech_reminder_whose_task_was_lost_is_sent_by_the_minute_sweep(
    speech, commune_reporter, today, django_capture_on_commit_callbacks
):
    now = at_nine(today + 7 * DAY)
    chase.sweep(now)  # the broker lost the task: the callbacks never ran
    reminder = ConferenceReminder.objects.get()
    assert reminder.status == DeliveryStatus.QUEUED
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(now + delivery.REQUEUE_AFTER + datetime.timedelta(minutes=1))
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [[commune_reporter.email]]
