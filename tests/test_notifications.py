import pytest
from django.urls import reverse

from dialogues.models import DialogueReminderKind
from dialogues.tasks import NOTIFICATION_KINDS
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
