import datetime

import pytest
from django.core import mail

from chasing import delivery, services, tasks
from chasing.models import DeliveryStatus, Reminder, ReminderKind, ReminderPolicy
from config.celery_app import app as celery_app
from notifications import delivery as sender
from notifications import emails
from notifications.models import Notification, Preference
from orgunits.models import OrgUnit, Role
from reports.models import Report, ReportStatus
from tests.factories import MembershipFactory, UserFactory, build_province, publish_plan

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def run_sweep(now, capture):
    with capture(execute=True):
        return services.sweep(now=now)


def test_a_unit_due_tomorrow_gets_one_reminder(
    province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    plan = publish_plan(province, grassroots_due=today + DAY)
    mail.outbox.clear()
    result = run_sweep(nine_am, django_capture_on_commit_callbacks)
    assert len(result.reminders) == 10  # the ten communes
    reminder = Reminder.objects.get(unit__code="C0")
    assert reminder.step == f"before-1@{(today + DAY).isoformat()}"
    assert reminder.status == DeliveryStatus.SENT
    sent = [m for m in mail.outbox if "c0.bc@example.vn" in m.bcc + m.to]
    assert len(sent) == 1
    assert plan.number_symbol in sent[0].subject
    assert "/bao-cao/" in sent[0].body
    assert sent[0].alternatives  # HTML part
    assert (
        Notification.objects.filter(user=commune_people["reporter"], kind="reminder").count() == 1
    )


def test_running_the_sweep_twice_reminds_once(
    province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    publish_plan(province, grassroots_due=today + DAY)
    mail.outbox.clear()
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    second = run_sweep(nine_am + datetime.timedelta(hours=1), django_capture_on_commit_callbacks)
    assert second.reminders == []
    assert Reminder.objects.filter(unit__code="C0").count() == 1
    assert len([m for m in mail.outbox if "c0.bc@example.vn" in m.bcc + m.to]) == 1


def test_two_parallel_sweeps_claim_each_reminder_once(
    province, levels, commune_people, today, nine_am
):
    publish_plan(province, grassroots_due=today + DAY)
    # Two schedulers at once: both insert, only one insert per step wins.
    first = services.sweep(now=nine_am)
    second = services.sweep(now=nine_am)
    assert len(first.reminders) == 10
    assert second.reminders == []


def test_the_same_task_delivered_twice_sends_once(province, levels, commune_people, today, nine_am):
    publish_plan(province, grassroots_due=today + DAY)
    result = services.sweep(now=nine_am)  # callbacks not run: nothing sent yet
    reminder_id = Reminder.objects.get(unit__code="C0").pk
    assert reminder_id in result.reminders
    mail.outbox.clear()
    assert tasks.send_reminder.apply(args=[reminder_id]).get() == "sent"
    assert tasks.send_reminder.apply(args=[reminder_id]).get() == "already claimed"
    assert len(mail.outbox) == 1


def test_a_worker_killed_before_the_server_took_the_reminder_sends_it_again_once(
    province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    publish_plan(province, grassroots_due=today + DAY)
    services.sweep(now=nine_am)
    reminder = Reminder.objects.get(unit__code="C0")
    assert delivery.claim(reminder.pk)  # the worker took it, then died
    # A message redelivered to another worker finds it claimed.
    assert tasks.send_reminder.apply(args=[reminder.pk]).get() == "already claimed"
    mail.outbox.clear()
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=nine_am - datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        counts = sender.sweep(nine_am)
    assert counts["chasing.Reminder"]["retried"] == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.interruptions) == (DeliveryStatus.SENT, 1)
    # Only the reminder's own messages: before 9 a.m. the sweep at nine_am also
    # finds the plan's notification e-mails queued "hours ago" and sends them.
    reminder_id = sender.message_id(Reminder, reminder.pk)
    sent = [m for m in mail.outbox if m.extra_headers.get("Message-ID") == reminder_id]
    assert len(sent) == 1
    assert "c0.bc@example.vn" in sent[0].bcc + sent[0].to


def test_a_failed_send_is_retried_then_marked_failed(
    province, levels, commune_people, today, nine_am, monkeypatch
):
    publish_plan(province, grassroots_due=today + DAY)
    services.sweep(now=nine_am)
    reminder = Reminder.objects.get(unit__code="C0")

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr("notifications.emails.send", broken)
    # Eager mode runs the retries at once; let them finish without raising.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    tasks.send_reminder.apply(args=[reminder.pk], throw=False)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.FAILED
    assert reminder.attempts == tasks.RETRIES + 1
    assert "SMTP down" in reminder.last_error


def test_submitted_units_are_not_reminded(province, levels, commune_people, today, nine_am):
    plan = publish_plan(province, grassroots_due=today + DAY)
    Report.objects.filter(campaign=plan, unit__code="C0").update(status=ReportStatus.SUBMITTED)
    services.sweep(now=nine_am)
    assert not Reminder.objects.filter(unit__code="C0").exists()
    assert Reminder.objects.filter(unit__code="C1").exists()


def test_late_units_are_escalated_in_one_digest_per_unit_above(
    province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    publish_plan(province, grassroots_due=today - 3 * DAY)
    mail.outbox.clear()
    result = run_sweep(nine_am, django_capture_on_commit_callbacks)
    assert len(result.escalations) == 10
    escalation = Reminder.objects.get(unit__code="C0", kind=ReminderKind.ESCALATION)
    assert escalation.status == DeliveryStatus.SENT
    digests = [m for m in mail.outbox if "d0.dp@example.vn" in m.bcc + m.to]
    assert len(digests) == 1
    assert "Đảng ủy xã 0" in digests[0].body
    assert "Đảng ủy xã 10" not in digests[0].body  # C10 does not exist; D0 has C0 only
    # The next day: a new overdue reminder, but no second escalation.
    run_sweep(nine_am + DAY, django_capture_on_commit_callbacks)
    assert Reminder.objects.filter(unit__code="C0", kind=ReminderKind.ESCALATION).count() == 1


def test_a_user_who_turned_email_off_still_gets_the_bell(
    province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=commune_people["reporter"], email_enabled=False)
    publish_plan(province, grassroots_due=today + DAY)
    mail.outbox.clear()
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    recipients = [r for m in mail.outbox for r in m.bcc + m.to]
    assert "c0.bc@example.vn" not in recipients
    assert "c0.duyet@example.vn" in recipients
    assert Notification.objects.filter(user=commune_people["reporter"], kind="reminder").exists()


def test_a_disabled_policy_sends_nothing(province, levels, commune_people, today, nine_am):
    plan = publish_plan(province, grassroots_due=today + DAY)
    ReminderPolicy.objects.create(plan=plan, enabled=False)
    assert services.sweep(now=nine_am).reminders == []


def test_chasing_by_hand_is_logged_and_sent(
    province, levels, commune_people, today, django_capture_on_commit_callbacks
):
    plan = publish_plan(province, grassroots_due=today + 20 * DAY)
    reports = list(Report.objects.filter(campaign=plan, unit__code__in=["C0", "C1"]))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ids = services.chase_now(
            plan=plan,
            reports=reports,
            by=commune_people["district_coordinator"],
            note="Đề nghị khẩn trương hoàn thành.",
        ).ids
    assert len(ids) == 2
    statuses = dict(Reminder.objects.filter(pk__in=ids).values_list("unit__code", "status"))
    assert statuses == {"C0": DeliveryStatus.SENT, "C1": DeliveryStatus.NO_RECIPIENT}  # C1: nobody
    assert set(Reminder.objects.filter(pk__in=ids).values_list("kind", flat=True)) == {
        ReminderKind.MANUAL
    }
    assert any("Đề nghị khẩn trương" in m.body for m in mail.outbox)


def test_the_sweep_runs_the_same_queries_for_100_and_2000_units(
    levels, today, nine_am, django_assert_max_num_queries, django_assert_num_queries
):
    small = build_province(levels, communes=90)
    plan = publish_plan(small, grassroots_due=today + DAY)
    with django_assert_max_num_queries(8) as captured:
        services.sweep(now=nine_am)
    assert Reminder.objects.filter(plan=plan).count() == 90

    large = build_province(levels, communes=1990, prefix="L")
    plan = publish_plan(large, grassroots_due=today + DAY)
    with django_assert_num_queries(len(captured)):
        services.sweep(now=nine_am)
    assert Reminder.objects.filter(plan=plan).count() == 1990


def test_a_reminder_that_failed_for_good_shows_on_the_board(
    client, province, levels, commune_people, today, nine_am
):
    from django.urls import reverse

    from orgunits.models import Membership, Role

    plan = publish_plan(province, grassroots_due=today + DAY)
    services.sweep(now=nine_am)
    Reminder.objects.filter(unit__code="C0").update(
        status=DeliveryStatus.FAILED, last_error="SMTP down"
    )
    coordinator = Membership.objects.filter(unit=province, role=Role.COORDINATOR).first().user
    client.force_login(coordinator)
    html = client.get(reverse("chasing:board", args=[plan.pk])).content.decode()
    assert html.count('data-testid="reminder-failed"') == 1


def test_a_digest_that_failed_is_retried_without_sending_the_others_twice(
    province, levels, commune_people, today, nine_am, monkeypatch
):
    MembershipFactory(
        unit=OrgUnit.objects.get(code="D1"),
        role=Role.COORDINATOR,
        user=UserFactory(email="d1.dp@example.vn"),
    )
    MembershipFactory(unit=OrgUnit.objects.get(code="C1"), role=Role.REPORTER)
    publish_plan(province, grassroots_due=today - 3 * DAY)
    result = services.sweep(now=nine_am)  # claimed, not sent: the callbacks did not run
    mail.outbox.clear()
    send = emails.send
    failures = []

    def once_broken_for_d0(template, to, context):
        if "d0.dp@example.vn" in to and not failures:
            failures.append(to)
            raise OSError("SMTP down")
        send(template, to, context)

    monkeypatch.setattr("notifications.emails.send", once_broken_for_d0)
    # Eager mode runs the retry at once; let it finish without raising.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    tasks.send_escalations.apply(args=[result.escalations], throw=False)
    received = [address for m in mail.outbox for address in m.to + m.bcc]
    assert sorted(received) == ["d0.dp@example.vn", "d1.dp@example.vn"]
    escalations = Reminder.objects.filter(kind=ReminderKind.ESCALATION, unit__code__in=["C0", "C1"])
    assert {(e.unit.code, e.status, e.attempts) for e in escalations} == {
        ("C0", DeliveryStatus.SENT, 2),
        ("C1", DeliveryStatus.SENT, 1),
    }
