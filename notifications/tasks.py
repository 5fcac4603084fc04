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
