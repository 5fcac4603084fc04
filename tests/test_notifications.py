import pytest
from django.urls import reverse

from config.celery_app import app as celery_app
from dialogues.models import DialogueReminderKind
from dialogues.tasks import NOTIFICATION_KINDS
from notifications import emails, tasks
from notifications.models import Notification, NotificationKind, Preference
from notifications.services import email_addresses, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_user_turns_emails_off_but_keeps_the_bell(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory(email="a@example.vn")
    client.force_login(user)
    client.post(reverse("notifications:preferences"), {})
    assert Preference.objects.get(user=user).email_enabled is False
    assert email_addresses([user]) == []
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], kind="test", title="Thông báo thử")
    assert mailoutbox == []
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Thông báo thử" in html
    assert 'data-testid="bell-count"' in html


def test_opening_a_notification_marks_it_read(client):
    user = UserFactory()
    (notification,) = notify(users=[user], kind="test", title="T", url="/don-vi/", email=False)
    client.force_login(user)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.url == "/don-vi/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_is_a_404(client):
    (notification,) = notify(users=[UserFactory()], kind="t", title="T", email=False)
    client.force_login(UserFactory())
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_every_dialogue_reminder_kind_has_its_notification_kind():
    assert set(NOTIFICATION_KINDS) == set(DialogueReminderKind)
    assert set(NOTIFICATION_KINDS.values()) <= set(NotificationKind)


def test_a_notification_email_is_retried_like_every_delivery_and_sent_once(monkeypatch, mailoutbox):
    (notification,) = notify(
        users=[UserFactory(email="a@example.vn")], kind="test", title="T", email=False
    )
    real_send, failures, countdowns = emails.send, [OSError("SMTP down")], []

    def flaky(*args, **kwargs):
        if failures:
            raise failures.pop()
        real_send(*args, **kwargs)

    retry = tasks.send_notification_emails.retry

    def recording_retry(*args, **kwargs):
        countdowns.append(kwargs["countdown"])
        return retry(*args, **kwargs)

    monkeypatch.setattr(emails, "send", flaky)
    monkeypatch.setattr(tasks.send_notification_emails, "retry", recording_retry)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    tasks.send_notification_emails.apply(args=[[notification.pk]], throw=False)
    assert countdowns == [emails.retry_countdown(0)]
    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_notification_email_gives_up_after_the_shared_number_of_retries(monkeypatch):
    (notification,) = notify(
        users=[UserFactory(email="a@example.vn")], kind="test", title="T", email=False
    )
    tries = []

    def broken(*args, **kwargs):
        tries.append(1)
        raise OSError("SMTP down")

    monkeypatch.setattr(emails, "send", broken)
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    tasks.send_notification_emails.apply(args=[[notification.pk]], throw=False)
    assert len(tries) == emails.RETRIES + 1
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_a_title_longer_than_its_column_is_cut_and_kept_whole_for_reading():
    # PostgreSQL refuses a value over varchar(255); SQLite would keep it.
    user = UserFactory()
    long_title = "Giấy mời: Hội nghị sơ kết " + "triển khai thực hiện Quyết định số 55 " * 10
    (notification,) = notify(
        users=[user], kind=NotificationKind.PLAN_PUBLISHED, title=long_title, email=False
    )
    notification.refresh_from_db()
    assert len(notification.title) == 255
    assert notification.title.endswith("…")
    assert long_title.startswith(notification.title[:-1])
