"""Tell users about something, in the app and (by a background job) by e-mail."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.text import Truncator

from .models import EmailOutbox, Notification, NotificationKind, Preference
from .outbox import enqueue_emails

# Kinds told by e-mail in an hourly digest, not one e-mail each: on deadline day
# hundreds of units submit to the same coordinators (notifications.tasks.send_digests).
DIGEST_KINDS = frozenset({NotificationKind.REPORT_SUBMITTED})


def notify(
    *,
    users: Iterable[AbstractBaseUser],
    kind: NotificationKind | str,
    title: str,
    body: str = "",
    url: str = "",
    email: bool = True,
    params: dict | None = None,
) -> list[Notification]:
    """One in-app notification per user (deduplicated); with ``email``, an
    outbox row for each, sent after commit (or by the minute sweep).

    ``params`` (plain strings) let a kind of ``notifications.messages`` be
    worded when read, in the reader's language; ``title`` and ``body`` are
    kept as the wording when sent."""
    unique = {user.pk: user for user in users}
    params = params or {}
    # A long subject (a conference named after its plan) is cut to the
    # column; the wording when read comes from ``params``, whole.
    title = Truncator(title).chars(Notification._meta.get_field("title").max_length)
    notifications = Notification.objects.bulk_create(
        [
            Notification(user_id=pk, kind=kind, title=title, body=body, url=url, params=params)
            for pk in unique
        ]
    )
    if email and notifications and kind not in DIGEST_KINDS:
        rows = EmailOutbox.objects.bulk_create(
            [
                EmailOutbox(notification=notification)
                for notification in notifications
                if unique[notification.user_id].email
            ]
        )
        ids = [row.pk for row in rows]
        transaction.on_commit(partial(enqueue_emails, ids))
    return notifications


def unread_count(user: AbstractBaseUser) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def email_addresses(users: Iterable[AbstractBaseUser]) -> list[str]:
    """Addresses of ``users`` who have one and did not turn e-mail off (one query)."""
    users = [user for user in users if user.email]
    muted = set(
        Preference.objects.filter(user__in=users, email_enabled=False).values_list(
            "user_id", flat=True
        )
    )
    return sorted({user.email for user in users if user.pk not in muted})
