"""Sending claimed deliveries: the one sender of every outbound e-mail
(notification copies, queued messages, review and dialogue reminders).

A delivery goes ``queued`` → ``sending`` by a conditional update (the claim;
its lease starts at ``claimed_at``) → ``sent``. On the way:

- as soon as the SMTP server has taken the message (``send()`` returned),
  ``accepted_at`` and ``smtp_response`` are written, before anything else, so a
  send interrupted after the server accepted is told from one that never went;
- on a mail error it goes back to ``queued`` with a growing countdown, and
  ``failed`` after the last try; ``no_recipient`` when nobody could receive it;
- every message of a delivery carries the same ``Message-ID`` (``message_id``),
  whoever sends it and however often.

The minute sweep (``sweep``, run by ``notifications.tasks.sweep_deliveries``)
finds what a dead worker or a lost broker left behind, for every model
registered with ``register``: a row still ``sending`` after ``LEASE`` is
finished without a second send when the server had accepted it, sent again
once (same Message-ID) when it had not, and marked ``to_check`` for a person
when it was interrupted again; a row still ``queued`` ``REQUEUE_AFTER`` after
it was queued lost its task and is queued again. Nothing is dropped silently.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from . import emails
from .models import Delivery, DeliveryStatus

logger = logging.getLogger(__name__)

RETRIES = emails.RETRIES  # the sending tasks' max_retries
# Longer than the longest task time limit (CELERY_TASK_TIME_LIMIT, 10 min):
# a row "sending" longer than this was left by a worker that died.
LEASE = datetime.timedelta(minutes=15)
# A row queued this long ago and still queued lost its task (broker restarted
# empty, or down when it was queued): the minute sweep queues it again.
REQUEUE_AFTER = datetime.timedelta(minutes=2)

INTERRUPTED_RETRY = "interrupted while sending: sent again once, with the same Message-ID"
INTERRUPTED_TWICE = "interrupted twice while sending: check whether it arrived"


@dataclass
class Outgoing:
    """What delivers ``delivery_ids`` (several for a digest)."""

    delivery_ids: list[int]
    # Sends the e-mail (through notifications.emails, which gives it the
    # delivery's Message-ID) and returns how many messages the server took.
    # None: nothing to e-mail (nobody has an address); it is still delivered
    # in the app by ``after_sent``.
    send: Callable[[], int | None] | None
    # False: nobody at all could receive it (``no_recipient``; never retried).
    reachable: bool = True
    # Runs in the transaction that marks the deliveries sent (the in-app copy).
    after_sent: Callable[[], object] | None = None


Compose = Callable[[list[int]], list[Outgoing]]


def message_id(model: type[Delivery], pk: int) -> str:
    """The Message-ID of ``model`` row ``pk``: the same on every try."""
    name = f"{model._meta.label_lower}.{pk}"
    digest = hmac.new(settings.SECRET_KEY.encode(), name.encode(), hashlib.sha256).hexdigest()
    domain = urlsplit(settings.SITE_URL).hostname or "tongket.local"
    return f"<{name}.{digest[:16]}@{domain}>"


def claim(pk: int, model: type[Delivery]) -> bool:
    """Take a queued delivery for sending; False if another worker has it."""
    return bool(
        model.objects.filter(pk=pk, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.SENDING,
            claimed_at=timezone.now(),
            changed_at=timezone.now(),
            attempts=F("attempts") + 1,
        )
    )


def release(
    pks: list[int], error: str, *, final: bool, model: type[Delivery], countdown: int = 0
) -> None:
    """A send failed before anything went out: queue it again, or give up.
    The sweep leaves it to the task's retry until ``countdown`` has passed."""
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED,
        last_error=error[:2000],
        queued_at=timezone.now() + datetime.timedelta(seconds=countdown),
        changed_at=timezone.now(),
    )


def record_accepted(pks: list[int], model: type[Delivery], response: str) -> None:
    """The SMTP server took the message: written at once, before it is marked sent."""
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        accepted_at=timezone.now(), smtp_response=response[:255]
    )


def mark_sent(pks: list[int], model: type[Delivery]) -> None:
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), changed_at=timezone.now()
    )


def mark_no_recipient(pks: list[int], model: type[Delivery], why: str = "") -> None:
    model.objects.filter(pk__in=pks, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.NO_RECIPIENT,
        last_error=why or "no active user to send to",
        changed_at=timezone.now(),
    )


def smtp_send(send: Callable[[], int | None], mid: str) -> str:
    """Send with Message-ID ``mid``; what the sender answered, for
    ``smtp_response``. Django's ``send()`` returns how many messages the
    server accepted: none is a failure like a refused connection."""
    with emails.message_id(mid):
        accepted = send()
    if accepted == 0:
        raise OSError("the mail server accepted nothing")
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
    return f"{backend}: accepted ({accepted if accepted is not None else 1}) {mid}"


def deliver(task: Task, model: type[Delivery], ids: list[int], compose: Compose) -> Counter:
    """Claim ``ids``, compose their messages and send each; the count of
    deliveries by the status they ended in (empty: all claimed elsewhere).

    On a mail error the message's deliveries are released to ``queued`` and
    the task is retried with its own arguments: the claim lets the retry send
    only those, never one already sent. A delivery whose message the server
    accepted already (a worker died before marking it sent) is finished
    without being sent again.
    """
    claimed = [pk for pk in ids if claim(pk, model)]
    outcome: Counter = Counter()
    if not claimed:
        return outcome
    state = {
        pk: (attempts, accepted_at)
        for pk, attempts, accepted_at in model.objects.filter(pk__in=claimed).values_list(
            "pk", "attempts", "accepted_at"
        )
    }
    countdown = emails.retry_countdown(task.request.retries)
    error: OSError | None = None
    for out in compose(claimed):
        pks = out.delivery_ids
        if not out.reachable:
            mark_no_recipient(pks, model)
            outcome[DeliveryStatus.NO_RECIPIENT] += len(pks)
            continue
        went_out = all(state.get(pk, (0, None))[1] for pk in pks)
        if out.send is not None and not went_out:
            try:
                response = smtp_send(out.send, message_id(model, min(pks)))
            except OSError as failure:
                # Counted over the rows too: a task queued again by the sweep
                # starts its own retries from zero.
                final = (
                    task.request.retries >= task.max_retries
                    or max(state.get(pk, (0, None))[0] for pk in pks) > RETRIES
                )
                release(pks, str(failure), final=final, model=model, countdown=countdown)
                outcome[DeliveryStatus.FAILED if final else DeliveryStatus.QUEUED] += len(pks)
                error = failure
                continue
            record_accepted(pks, model, response)
        with transaction.atomic():
            if out.after_sent is not None:
                out.after_sent()
            mark_sent(pks, model)
        outcome[DeliveryStatus.SENT] += len(pks)
    if outcome[DeliveryStatus.QUEUED]:
        raise task.retry(exc=error, countdown=countdown)
    return +outcome


def outcome_of_one(outcome: Counter) -> str:
    """What became of a task's single delivery, for its result."""
    return str(next(iter(outcome), "already claimed"))


# --- The minute sweep -----------------------------------------------------------

Enqueue = Callable[[list[int]], None]
SENDERS: dict[str, tuple[type[Delivery], Enqueue]] = {}


def register(model: type[Delivery], enqueue: Enqueue) -> None:
    """``enqueue(ids)`` queues the sending of ``model`` rows (safely: see
    notifications.outbox.enqueue); called by the minute sweep."""
    SENDERS[model._meta.label] = (model, enqueue)


# Other work queued on commit whose task the broker may have lost (builds):
# name -> fn(now) returning how many were queued again.
OTHER_SWEEPS: dict[str, Callable[[datetime.datetime], int]] = {}


def register_sweep(name: str, fn: Callable[[datetime.datetime], int]) -> None:
    OTHER_SWEEPS[name] = fn


def lost(now: datetime.datetime) -> Q:
    """Queued rows whose task was lost: queued REQUEUE_AFTER ago or earlier."""
    return Q(status=DeliveryStatus.QUEUED, queue_time__lt=now - REQUEUE_AFTER)


def with_queue_time(queryset):
    return queryset.alias(queue_time=Coalesce("queued_at", "created"))


def recover_interrupted(model: type[Delivery], now: datetime.datetime) -> Counter:
    """Rows still "sending" after the lease: back to ``queued`` when the
    server had accepted the message (it is finished without a second send)
    or when this is the first interruption (sent again, same Message-ID);
    ``to_check`` when it was interrupted again."""
    stale = model.objects.filter(status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE)
    lost_since = now - REQUEUE_AFTER - datetime.timedelta(seconds=1)  # queued again at once
    counts: Counter = Counter()
    counts["accepted"] = stale.filter(accepted_at__isnull=False).update(
        status=DeliveryStatus.QUEUED, queued_at=lost_since, changed_at=now
    )
    counts["to_check"] = stale.filter(interruptions__gte=1).update(
        status=DeliveryStatus.TO_CHECK,
        interruptions=F("interruptions") + 1,
        last_error=INTERRUPTED_TWICE,
        changed_at=now,
    )
    counts["retried"] = stale.update(
        status=DeliveryStatus.QUEUED,
        interruptions=F("interruptions") + 1,
        last_error=INTERRUPTED_RETRY,
        queued_at=lost_since,
        changed_at=now,
    )
    return counts


def requeue_lost(model: type[Delivery], now: datetime.datetime, enqueue: Enqueue) -> list[int]:
    """Queue again every row whose task was lost; each is queued again at most
    once per REQUEUE_AFTER (the claim keeps a duplicate task from sending)."""
    ids = list(with_queue_time(model.objects).filter(lost(now)).values_list("pk", flat=True))
    if ids:
        model.objects.filter(pk__in=ids).update(queued_at=now)
        enqueue(ids)
    return ids


def sweep(now: datetime.datetime | None = None) -> dict[str, dict[str, int]]:
    """Recover interrupted sends and queue again what the broker lost, for
    every registered model; a constant number of queries per model."""
    now = now or timezone.now()
    report = {}
    for label, (model, enqueue) in SENDERS.items():
        counts = recover_interrupted(model, now)
        counts["requeued"] = len(requeue_lost(model, now, enqueue))
        if counts["to_check"]:
            logger.warning("%s: %s interrupted send(s) to check", label, counts["to_check"])
        report[label] = dict(+counts)
    for name, fn in OTHER_SWEEPS.items():
        report[name] = {"requeued": fn(now)}
    return report
