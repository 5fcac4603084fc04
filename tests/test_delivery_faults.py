"""Faults of the broker and the worker lose no e-mail (issue #16, finding 9).

(1) The broker down during a web action: the action answers as usual, its
    e-mails wait in their rows and one sweep sends each once the broker is back.
(2) The broker restarted empty (queued tasks lost): one sweep queues again.
(3) A worker killed during the SMTP send, against a local SMTP server: sent
    again once with the same Message-ID, finished without a second send when
    the server had accepted, "to check" after a second interruption.
"""

from __future__ import annotations

import datetime
import email
import socketserver
import threading
from collections import Counter

import pytest
from celery.app.task import Task
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from chasing import services as chasing_services
from chasing import tasks as chasing_tasks
from chasing.models import Reminder, ReminderKind
from notifications import delivery, tasks
from notifications.models import DeliveryStatus, EmailOutbox, Notification, NotificationKind
from notifications.outbox import queue_email
from notifications.services import notify
from orgunits.models import Membership, Role
from reports.models import Report
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


def later(minutes: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(minutes=minutes)


def broker_down(monkeypatch) -> None:
    """Every publish fails as it does with Redis stopped."""

    def refused(self, *args, **kwargs):
        raise OperationalError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refused)


def broker_loses_messages(monkeypatch) -> list:
    """The broker takes every message, then restarts empty: none is ever run."""
    lost = []
    monkeypatch.setattr(Task, "apply_async", lambda self, *a, **k: lost.append(self.name))
    return lost


def received(outbox) -> Counter:
    """(kind of message, recipient) -> how many messages they got."""
    return Counter(
        (m.extra_headers.get("X-Tongket-Message"), address)
        for m in outbox
        for address in m.to + m.bcc
    )


@pytest.fixture
def province_coordinator(published_plan):
    return Membership.objects.get(unit=published_plan.issuing_unit, role=Role.COORDINATOR).user


@pytest.fixture
def unit_members(people):
    return [people["reporter"], people["approver"], people["viewer"]]


# --- (1) The broker down during a web action ------------------------------------


def test_with_the_broker_down_chasing_and_reopening_answer_and_one_sweep_sends_each_once(
    client,
    published_plan,
    commune_report,
    people,
    unit_members,
    province_coordinator,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    broker_down(monkeypatch)
    client.force_login(province_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        chased = client.post(
            reverse("chasing:chase", args=[published_plan.pk]), {"report": [commune_report.pk]}
        )
    client.force_login(people["district_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        reopened = client.post(reverse("reports:reopen", args=[commune_report.pk]))

    assert (chased.status_code, reopened.status_code) == (302, 302)
    reminder = Reminder.objects.get(report=commune_report, kind=ReminderKind.MANUAL)
    assert reminder.status == DeliveryStatus.QUEUED
    assert Report.objects.get(pk=commune_report.pk).reopened
    waiting = EmailOutbox.objects.filter(notification__kind=NotificationKind.REPORT_REOPENED)
    assert waiting.count() == 3
    assert {r.status for r in waiting} == {DeliveryStatus.QUEUED}
    assert mail.outbox == []

    # Still down a minute later: nothing is lost, nothing is sent.
    delivery.sweep(later(3))
    assert mail.outbox == []
    assert Reminder.objects.get(pk=reminder.pk).status == DeliveryStatus.QUEUED

    monkeypatch.undo()  # the broker is back
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(later(6))
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(later(20))  # a second sweep sends nothing again
    addresses = {user.email for user in unit_members}
    expected = {("notification", a): 1 for a in addresses}
    expected |= {("reminder", people[role].email): 1 for role in ("reporter", "approver")}
    assert received(mail.outbox) == expected
    assert set(waiting.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert Reminder.objects.get(pk=reminder.pk).status == DeliveryStatus.SENT


def test_with_the_broker_down_every_other_enqueue_is_safe_too(
    monkeypatch, django_capture_on_commit_callbacks
):
    user = UserFactory(email="a@example.vn")
    broker_down(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], kind=NotificationKind.REPORT_ACCEPTED, title="Đã tiếp nhận")
        queue_email("b@example.vn", "Thư mời", "Nội dung")
    assert set(EmailOutbox.objects.values_list("status", flat=True)) == {DeliveryStatus.QUEUED}
    monkeypatch.undo()
    mail.outbox.clear()
    delivery.sweep(later(3))
    assert sorted(a for m in mail.outbox for a in m.to) == ["a@example.vn", "b@example.vn"]


# --- (2) The broker restarted empty --------------------------------------------


def test_after_the_broker_restarted_empty_one_sweep_sends_each_message_once(
    client,
    published_plan,
    commune_report,
    people,
    unit_members,
    province_coordinator,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    mail.outbox.clear()
    lost = broker_loses_messages(monkeypatch)
    client.force_login(province_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("chasing:chase", args=[published_plan.pk]), {"report": [commune_report.pk]}
        )
    client.force_login(people["district_coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:reopen", args=[commune_report.pk]))
    assert sorted(lost) == ["chasing.tasks.send_reminder", "notifications.tasks.send_outbox"]
    monkeypatch.undo()  # the broker runs again, empty

    # Within REQUEUE_AFTER the tasks may still be on their way: left alone.
    delivery.sweep(later(1))
    assert mail.outbox == []
    delivery.sweep(later(3))  # one sweep
    delivery.sweep(later(4))
    delivery.sweep(later(10))
    addresses = {user.email for user in unit_members}
    expected = {("notification", a): 1 for a in addresses}
    expected |= {("reminder", people[role].email): 1 for role in ("reporter", "approver")}
    assert received(mail.outbox) == expected


def test_a_task_retrying_after_a_mail_error_is_not_queued_again_before_its_countdown(
    monkeypatch,
):
    """The sweep queues again only what was lost, not a row waiting for its retry."""
    user = UserFactory(email="a@example.vn")
    (notification,) = notify(users=[user], kind="test", title="T", email=False)
    row = EmailOutbox.objects.create(notification=notification)
    assert delivery.claim(row.pk, EmailOutbox)
    delivery.release([row.pk], "SMTP down", final=False, model=EmailOutbox, countdown=480)
    queued = []
    monkeypatch.setattr(Task, "apply_async", lambda self, args, *a, **k: queued.append(args))
    delivery.sweep(later(5))
    assert queued == []
    delivery.sweep(later(8 + 3))  # the retry never came
    assert queued == [([row.pk],)]


# --- (3) A worker killed during the SMTP send -----------------------------------


class WorkerKilled(BaseException):
    """The worker process dies (not an error the sender could catch)."""


class SMTPStub(socketserver.StreamRequestHandler):
    """Just enough SMTP: every message is accepted ("250 queued") and kept."""

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 stub.example.vn ESMTP")
        while line := self.rfile.readline():
            verb = line.decode("ascii", "replace").strip().upper()
            if verb.startswith("EHLO"):
                self.wfile.write(b"250-stub.example.vn\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                self.server.messages.append(email.message_from_bytes(data))
                self.reply(f"250 2.0.0 queued as {len(self.server.messages)}")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


@pytest.fixture
def smtp_server(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), SMTPStub)
    server.daemon_threads = True
    server.messages = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = server.server_address
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def kill_the_worker(monkeypatch, target, name: str, times: int = 1) -> None:
    """``target.name`` kills the worker the next ``times`` times it is called."""
    real = getattr(target, name)
    kills = [times]

    def dying(*args, **kwargs):
        if kills[0]:
            kills[0] -= 1
            raise WorkerKilled
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, dying)


def chase(report, by) -> Reminder:
    (pk,) = chasing_services.chase_now(plan=report.plan, reports=[report], by=by).ids
    return Reminder.objects.get(pk=pk)


def send_and_die(reminder: Reminder) -> None:
    with pytest.raises(WorkerKilled):
        chasing_tasks.send_reminder.apply(args=[reminder.pk])


def ids_of(server) -> list[str]:
    return [m["Message-ID"] for m in server.messages]


def test_a_worker_killed_after_the_server_accepted_sends_again_once_with_the_same_message_id(
    smtp_server, commune_report, people, province_coordinator, monkeypatch
):
    reminder = chase(commune_report, province_coordinator)
    # Killed between the server's "250 queued" and the end of the send.
    kill_the_worker(monkeypatch, EmailBackend, "close")
    send_and_die(reminder)
    assert len(smtp_server.messages) == 1
    reminder.refresh_from_db()
    assert (reminder.status, reminder.accepted_at) == (DeliveryStatus.SENDING, None)
    # The broker gives the message to another worker (acks late): it is claimed.
    assert chasing_tasks.send_reminder.apply(args=[reminder.pk]).get() == "already claimed"

    delivery.sweep(later(10))  # within the lease: the send may still be running
    assert len(smtp_server.messages) == 1
    counts = delivery.sweep(timezone.now() + delivery.LEASE + MINUTE)
    assert counts["chasing.Reminder"] == {"retried": 1, "requeued": 1}
    reminder.refresh_from_db()
    assert (reminder.status, reminder.interruptions) == (DeliveryStatus.SENT, 1)
    assert reminder.smtp_response.startswith("smtp: accepted")
    # Sent again once, as the same message: a mailbox keeps one of the two.
    assert len(smtp_server.messages) == 2
    assert len(set(ids_of(smtp_server))) == 1
    assert ids_of(smtp_server)[0] == delivery.message_id(Reminder, reminder.pk)
    assert Notification.objects.filter(user=people["reporter"], kind="reminder").count() == 1
    delivery.sweep(timezone.now() + 3 * delivery.LEASE)
    assert len(smtp_server.messages) == 2


def test_a_worker_killed_once_the_acceptance_was_recorded_finishes_without_a_second_send(
    smtp_server, commune_report, people, province_coordinator, monkeypatch
):
    reminder = chase(commune_report, province_coordinator)
    kill_the_worker(monkeypatch, delivery, "mark_sent")
    send_and_die(reminder)
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENDING
    assert reminder.accepted_at is not None
    counts = delivery.sweep(timezone.now() + delivery.LEASE + MINUTE)
    assert counts["chasing.Reminder"] == {"accepted": 1, "requeued": 1}
    reminder.refresh_from_db()
    assert reminder.status == DeliveryStatus.SENT
    assert len(smtp_server.messages) == 1  # exactly once
    assert Notification.objects.filter(user=people["reporter"], kind="reminder").count() == 1


def test_a_send_interrupted_twice_is_marked_to_check_and_shown_on_the_board(
    client, smtp_server, published_plan, commune_report, people, province_coordinator, monkeypatch
):
    reminder = chase(commune_report, province_coordinator)
    kill_the_worker(monkeypatch, EmailBackend, "close", times=2)
    send_and_die(reminder)
    with pytest.raises(WorkerKilled):  # the retry dies too
        delivery.sweep(timezone.now() + delivery.LEASE + MINUTE)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.interruptions) == (DeliveryStatus.SENDING, 1)
    counts = delivery.sweep(timezone.now() + 3 * delivery.LEASE)
    assert counts["chasing.Reminder"] == {"to_check": 1}
    reminder.refresh_from_db()
    assert (reminder.status, reminder.interruptions) == (DeliveryStatus.TO_CHECK, 2)
    assert "check whether it arrived" in reminder.last_error
    assert len(smtp_server.messages) == 2
    assert len(set(ids_of(smtp_server))) == 1
    delivery.sweep(timezone.now() + 5 * delivery.LEASE)
    assert len(smtp_server.messages) == 2  # never a third time
    client.force_login(province_coordinator)
    html = client.get(reverse("chasing:board", args=[published_plan.pk])).content.decode()
    assert html.count('data-testid="reminder-to-check"') == 1
    assert "cần kiểm tra" in html


def test_a_notification_email_killed_mid_send_is_sent_again_once(
    smtp_server, monkeypatch, django_capture_on_commit_callbacks
):
    """The outbox rows of notification e-mails take the same path; one of a
    batch that was interrupted does not hold back the others."""
    users = [UserFactory(email=f"n{i}@example.vn") for i in range(3)]
    kill_the_worker(monkeypatch, EmailBackend, "close")
    with pytest.raises(WorkerKilled), django_capture_on_commit_callbacks(execute=True):
        notify(users=users, kind=NotificationKind.REPORT_ACCEPTED, title="Đã tiếp nhận")
    assert Counter(EmailOutbox.objects.values_list("status", flat=True)) == {
        DeliveryStatus.SENDING: 3
    }
    delivery.sweep(timezone.now() + delivery.LEASE + MINUTE)
    assert set(EmailOutbox.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    by_id = Counter(ids_of(smtp_server))
    assert len(by_id) == 3
    assert sorted(by_id.values()) == [1, 1, 2]
    assert all(n.emailed_at for n in Notification.objects.all())


def test_tasks_module_registers_every_delivery_model():
    assert set(delivery.SENDERS) == {
        "notifications.EmailOutbox",
        "chasing.Reminder",
        "dialogues.DialogueReminder",
        "conferences.ConferenceReminder",
    }
    assert tasks.sweep_deliveries.name == "notifications.tasks.sweep_deliveries"


def test_the_minute_sweep_is_scheduled(settings):
    schedule = {v["task"]: v["schedule"] for v in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "notifications.tasks.sweep_deliveries" in schedule
    assert schedule["notifications.tasks.sweep_deliveries"].minute == set(range(60))


# --- Small ones from the same audit ---------------------------------------------


def test_two_clicks_on_nhac_ngay_in_the_same_minute_make_one_reminder(
    client,
    published_plan,
    commune_report,
    people,
    province_coordinator,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # Both clicks within one minute, whenever the test runs.
    fixed = timezone.now().replace(second=10)
    monkeypatch.setattr(timezone, "now", lambda: fixed)
    client.force_login(province_coordinator)
    url = reverse("chasing:chase", args=[published_plan.pk])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"report": [commune_report.pk]}, follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(url, {"report": [commune_report.pk]}, follow=True)
    assert Reminder.objects.filter(report=commune_report, kind=ReminderKind.MANUAL).count() == 1
    assert len([m for m in mail.outbox if m.extra_headers["X-Tongket-Message"] == "reminder"]) == 1
    said = [(m.level_tag, m.message) for m in second.context["messages"]]
    assert said == [
        (
            "info",
            "Vừa gửi lời nhắc tới Đảng ủy xã D1C1: mỗi đơn vị chỉ được nhắc một lần mỗi phút, "
            "không gửi thêm lời nhắc nữa.",
        )
    ]


def test_nhac_ngay_a_minute_later_reminds_again(
    published_plan, commune_report, province_coordinator, monkeypatch
):
    now = timezone.now()
    first = chase(commune_report, province_coordinator)
    monkeypatch.setattr(timezone, "now", lambda: now + MINUTE)
    second = chase(commune_report, province_coordinator)
    assert first.pk != second.pk
    assert first.step != second.step


def test_the_loser_of_a_double_submit_is_told_the_report_went(
    client, commune_report, people, published_plan
):
    second_approver = MembershipFactory(unit=commune_report.unit, role=Role.APPROVER).user
    for item in published_plan.outline_items.filter(required=True):
        item.required = False
        item.save()
    url = reverse("reports:submit", args=[commune_report.pk])
    client.force_login(people["approver"])
    assert client.post(url, follow=True).status_code == 200
    client.force_login(second_approver)
    response = client.post(url, follow=True)
    said = [(m.level_tag, m.message) for m in response.context["messages"]]
    (level, message) = said[0]
    assert len(said) == 1
    assert level == "info"
    assert message.startswith("Báo cáo đã được gửi lúc ")
    assert people["approver"].get_full_name() in message
    assert Notification.objects.filter(kind=NotificationKind.REPORT_SUBMITTED).count() == len(
        set(
            Notification.objects.filter(kind=NotificationKind.REPORT_SUBMITTED).values_list(
                "user", flat=True
            )
        )
    )


def test_outgoing_emails_are_listed_in_the_admin_without_their_text(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        queue_email(["a@example.vn", "b@example.vn"], "Đặt lại mật khẩu", "bí mật", secret=True)
    row = EmailOutbox.objects.get()
    EmailOutbox.objects.filter(pk=row.pk).update(status=DeliveryStatus.TO_CHECK)
    listing = admin_client.get(reverse("admin:notifications_emailoutbox_changelist"))
    assert "a@example.vn, b@example.vn" in listing.content.decode()
    page = admin_client.get(reverse("admin:notifications_emailoutbox_change", args=[row.pk]))
    assert page.status_code == 200
    assert "bí mật" not in page.content.decode()


def test_a_refused_publish_stops_the_others_of_the_action(monkeypatch):
    """Each refusal may cost the publisher's retries: one is enough to know."""
    tries = []

    def refused(self, *args, **kwargs):
        tries.append(self.name)
        raise OperationalError("Connection refused.")

    monkeypatch.setattr(Task, "apply_async", refused)
    chasing_services.enqueue_sends([1, 2, 3, 4], [5])
    assert tries == ["chasing.tasks.send_reminder"]


def test_a_build_queued_while_the_broker_was_down_is_queued_again_once(commune_report, monkeypatch):
    from consolidation.models import DocumentBuild

    build = DocumentBuild.objects.create(
        report=commune_report, fmt="pdf", include_submitted=False, fingerprint="f"
    )
    queued = []
    monkeypatch.setattr(Task, "apply_async", lambda self, args, *a, **k: queued.append(args))
    delivery.sweep(later(1))
    assert queued == []
    delivery.sweep(later(2.5))
    delivery.sweep(later(3.5))  # once
    assert queued == [(build.pk,)]
