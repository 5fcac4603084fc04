"""Queuing work for the Celery worker without ever failing a committed action.

Every task of the project is queued through ``enqueue_on_commit`` (or
``enqueue`` outside a transaction): when the broker is down the action that
was committed stays committed and answers normally; a warning is logged and
the work waits in its row (a delivery, a build) for the minute sweep
(``notifications.delivery.sweep``), which queues it again once the broker is
back. ``queue_email`` puts a composed e-mail in the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from .models import EmailOutbox

logger = logging.getLogger(__name__)

try:  # Redis is the production broker; the file broker needs no client.
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # pragma: no cover
    RedisConnectionError = RedisTimeoutError = OSError

# What a broker that is down or unreachable raises when a task is published.
BROKER_ERRORS = (OperationalError, RedisConnectionError, RedisTimeoutError, OSError)

EMAIL_BATCH = 100


def enqueue(task: Task, *args) -> bool:
    """Queue ``task(*args)``; False (and a warning) when the broker is unreachable."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as error:
        logger.warning("Broker unreachable, %s left to the sweep: %s", task.name, error)
        return False
    return True


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue ``task(*args)`` once the current transaction commits; a broker
    that is down never turns the committed action into an error."""
    transaction.on_commit(partial(enqueue, task, *args))


def enqueue_emails(ids: list[int]) -> None:
    """Queue the sending of outbox rows ``ids``, in batches."""
    from .tasks import send_outbox

    for start in range(0, len(ids), EMAIL_BATCH):
        if not enqueue(send_outbox, ids[start : start + EMAIL_BATCH]):
            return  # the broker is down: the other batches wait for the sweep too


def queue_email(
    to: str | Iterable[str],
    subject: str,
    text: str,
    html: str = "",
    headers: dict | None = None,
    *,
    secret: bool = False,
) -> EmailOutbox:
    """Put one composed e-mail in the outbox; the worker sends it after commit
    (several recipients are blind copies of each other), the sweep if the
    broker was down. A ``secret`` text (a link that logs in) is erased once sent."""
    row = EmailOutbox.objects.create(
        to=[to] if isinstance(to, str) else list(to),
        subject=" ".join(subject.split())[:255],
        text=text,
        html=html,
        headers=headers or {},
        erase_when_sent=secret,
    )
    transaction.on_commit(partial(enqueue_emails, [row.pk]))
    return row


def queue_template(
    template: str,
    to: str,
    context: dict,
    *,
    language: str | None = None,
    secret: bool = False,
) -> EmailOutbox:
    """``queue_email`` of the message ``emails.build`` renders from ``template``."""
    from .emails import build

    message = build(template, to, context, language=language)
    html = next((body for body, kind in message.alternatives if kind == "text/html"), "")
    return queue_email(
        message.to or message.bcc,
        message.subject,
        message.body,
        html,
        headers=message.extra_headers,
        secret=secret,
    )
