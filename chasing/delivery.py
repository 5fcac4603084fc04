"""Sending claimed deliveries: the one sender of review and dialogue reminders.

A delivery goes ``queued`` → ``sending`` by a conditional update (the claim),
then ``sent`` once e-mailed and shown in the app, ``no_recipient`` when nobody
could receive it (it never counts as sent and is not retried), or back to
``queued`` on a mail error, retried with a growing countdown, and ``failed``
after the last try.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from celery import Task
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications import emails
from notifications.models import NotificationKind
from notifications.services import email_addresses, notify

from .models import Delivery, DeliveryStatus, Reminder

RETRIES = emails.RETRIES  # the tasks' max_retries


@dataclass
class Message:
    """One message to ``people`` that delivers ``delivery_ids`` (several for a digest)."""

    delivery_ids: list[int]
    people: list[AbstractBaseUser]
    template: str  # notifications/email/<template>-…
    context: dict
    kind: NotificationKind
    title: str
    body: str = ""
    url: str = ""


Compose = Callable[[list[int]], list[Message]]


def claim(pk: int, model: type[Delivery] = Reminder) -> bool:
    """Take a queued delivery for sending; False if another worker has it."""
    return bool(
        model.objects.filter(pk=pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING,
            claimed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def release(pks: list[int], error: str, *, final: bool, model: type[Delivery] = Reminder) -> None:
    """A send failed before anything went out: queue it again, or give up."""
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED, last_error=error[:2000]
    )


def mark_sent(pks: list[int], model: type[Delivery] = Reminder) -> None:
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now()
    )


def mark_no_recipient(pks: list[int], model: type[Delivery] = Reminder) -> None:
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.NO_RECIPIENT, last_error="no active user to send to"
    )


def deliver(task: Task, model: type[Delivery], ids: list[int], compose: Compose) -> Counter:
    """Claim ``ids``, compose their messages and send each; the count of
    deliveries by the status they ended in (empty: all claimed elsewhere).

    On a mail error the message's deliveries are released to ``queued`` and
    the task is retried with its own arguments: the claim lets the retry send
    only those, never one already sent.
    """
    claimed = [pk for pk in ids if claim(pk, model)]
    outcome: Counter = Counter()
    if not claimed:
        return outcome
    error: OSError | None = None
    for message in compose(claimed):
        pks = message.delivery_ids
        if not message.people:
            mark_no_recipient(pks, model)
            outcome[DeliveryStatus.NO_RECIPIENT] += len(pks)
            continue
        try:
            addresses = email_addresses(message.people)
            if addresses:
                emails.send(message.template, addresses, message.context)
        except OSError as failure:
            final = task.request.retries >= task.max_retries
            release(pks, str(failure), final=final, model=model)
            outcome[DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED] += len(pks)
            error = failure
            continue
        with transaction.atomic():
            notify(
                users=message.people,
                kind=message.kind,
                title=message.title,
                body=message.body,
                url=message.url,
                email=False,
            )
            mark_sent(pks, model)
        outcome[DeliveryStatus.SENT] += len(pks)
    if outcome[DeliveryStatus.QUEUED]:
        raise task.retry(exc=error, countdown=emails.retry_countdown(task.request.retries))
    return +outcome


def outcome_of_one(outcome: Counter) -> str:
    """What became of a task's single delivery, for its result."""
    return str(next(iter(outcome), "already claimed"))
