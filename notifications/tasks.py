"""Thin tasks: the outbox's e-mails through the one sender (notifications.delivery),
and the minute sweep of every kind of delivery."""

from __future__ import annotations

from functools import partial

from celery import shared_task
from django.utils import timezone

from . import delivery, emails
from .delivery import RETRIES
from .models import DeliveryStatus, EmailOutbox, Notification
from .services import email_addresses


@shared_task(bind=True, max_retries=RETRIES, time_limit=300, soft_time_limit=270)
def send_outbox(self, outbox_ids: list[int]) -> int:
    """Send each outbox row once, whoever runs this task (the claim)."""
    return delivery.deliver(self, EmailOutbox, outbox_ids, outbox_messages)[DeliveryStatus.SENT]


@shared_task(bind=True, max_retries=RETRIES, time_limit=300, soft_time_limit=270)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """Send the e-mail copy of each notification once: its outbox row (made
    here when the notification was made without one)."""
    EmailOutbox.objects.bulk_create(
        [EmailOutbox(notification_id=pk) for pk in notification_ids], ignore_conflicts=True
    )
    ids = list(
        EmailOutbox.objects.filter(notification_id__in=notification_ids).values_list(
            "pk", flat=True
        )
    )
    return delivery.deliver(self, EmailOutbox, ids, outbox_messages)[DeliveryStatus.SENT]


def outbox_messages(ids: list[int]) -> list[delivery.Outgoing]:
    rows = list(EmailOutbox.objects.filter(pk__in=ids).select_related("notification__user"))
    users = [row.notification.user for row in rows if row.notification_id]
    allowed = set(email_addresses(users)) if users else set()
    messages = []
    for row in rows:
        if row.notification_id is None:
            message = emails.composed(row.to, row.subject, row.text, row.html, row.headers)
            messages.append(
                delivery.Outgoing(
                    [row.pk],
                    partial(emails.send_message, message),
                    after_sent=partial(_erase, row.pk) if row.erase_when_sent else None,
                )
            )
            continue
        notification = row.notification
        address = notification.user.email
        if address not in allowed:
            # No address, or e-mails turned off: the bell has it.
            messages.append(delivery.Outgoing([row.pk], None, reachable=False))
            continue
        messages.append(
            delivery.Outgoing(
                [row.pk],
                partial(emails.send, "notification", address, {"notification": notification}),
                after_sent=partial(_mark_emailed, notification.pk),
            )
        )
    return messages


def _erase(outbox_id: int) -> None:
    EmailOutbox.objects.filter(pk=outbox_id).update(text="", html="")


def _mark_emailed(notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())


@shared_task(time_limit=120, soft_time_limit=100)
def sweep_deliveries() -> dict:
    """Every minute (django-celery-beat): finish or retry the sends a dead
    worker left, queue again what the broker lost."""
    return delivery.sweep(timezone.now())


DIGEST_MAX_LISTED = 50  # notifications named in one digest; the others are counted


@shared_task
def send_digests() -> int:
    """One e-mail to each user with notifications of the digest kinds not yet
    e-mailed (submissions: hourly), listing them; they are marked e-mailed.
    Idempotent: marking and queueing commit together. A constant number of
    queries whatever the number of notifications."""
    from django.db import transaction

    from .outbox import queue_template
    from .services import DIGEST_KINDS

    waiting = Notification.objects.filter(
        kind__in=DIGEST_KINDS, emailed_at__isnull=True
    ).select_related("user")
    with transaction.atomic():
        rows = list(waiting.select_for_update(of=("self",)).order_by("user_id", "-created"))
        by_user: dict[int, list[Notification]] = {}
        for notification in rows:
            by_user.setdefault(notification.user_id, []).append(notification)
        users = [items[0].user for items in by_user.values()]
        allowed = set(email_addresses(users)) if users else set()
        sent = 0
        for items in by_user.values():
            user = items[0].user
            if user.email in allowed:
                queue_template(
                    "digest",
                    user.email,
                    {
                        "user": user,
                        "notifications": items[:DIGEST_MAX_LISTED],
                        "more": max(0, len(items) - DIGEST_MAX_LISTED),
                        "count": len(items),
                    },
                )
                sent += 1
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
    return sent
