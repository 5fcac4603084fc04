"""Reminders and digests through the one sender of e-mail (notifications.delivery).

A reminder is a delivery: claimed ``queued`` → ``sending``, then ``sent``
once e-mailed and shown in the app, ``no_recipient`` when nobody could
receive it (it never counts as sent and is not retried), or back to
``queued`` on a mail error, retried with a growing countdown, and ``failed``
after the last try; an interrupted send is finished, sent again once or
marked ``to_check`` by the minute sweep.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from celery import Task
from django.contrib.auth.models import AbstractBaseUser

from notifications import delivery as sender
from notifications import emails
from notifications.delivery import RETRIES, outcome_of_one  # noqa: F401 (the tasks' retries)
from notifications.models import NotificationKind
from notifications.services import email_addresses, notify

from .models import Delivery, Reminder


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
    return sender.claim(pk, model)


def outgoing(message: Message) -> sender.Outgoing:
    """The e-mail to those of ``people`` who take e-mail, and the bell to all."""
    if not message.people:
        return sender.Outgoing(message.delivery_ids, None, reachable=False)
    addresses = email_addresses(message.people)
    return sender.Outgoing(
        message.delivery_ids,
        # Looked up when sent: tests and callers may replace emails.send.
        (lambda: emails.send(message.template, addresses, message.context)) if addresses else None,
        after_sent=partial(
            notify,
            users=message.people,
            kind=message.kind,
            title=message.title,
            body=message.body,
            url=message.url,
            email=False,
        ),
    )


def deliver(task: Task, model: type[Delivery], ids: list[int], compose: Compose) -> Counter:
    """Claim ``ids``, compose their messages and send each (notifications.delivery.deliver)."""
    return sender.deliver(
        task, model, ids, lambda claimed: [outgoing(message) for message in compose(claimed)]
    )
