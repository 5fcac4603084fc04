"""Webhooks: the events of plans and reports told to each client that sees them.

An event (a plan published, a report submitted, returned or accepted) makes
one ``WebhookDelivery`` per client that subscribed to it and may see the
object by the pages' own rules, in the transaction of the step (a step
rolled back tells nobody); the sending is queued on commit. Each try POSTs
the JSON payload signed with the client's secret:

    X-TongKet-Timestamp: <Unix seconds of this try>
    X-TongKet-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>
    X-TongKet-Event: report.submitted
    X-TongKet-Delivery: <the row's id, the same on every try>

A receiver recomputes the HMAC over the raw body (``verify``) and refuses a
timestamp older than a few minutes (replays). A 2xx answer delivers; any
other answer, a refused connection or a time-out releases the row to be
tried again with a growing countdown (``notifications.delivery.deliver``),
``failed`` after the last try; the minute sweep re-queues a lost task and
finishes an interrupted one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from functools import partial

from campaigns.models import Plan
from notifications import delivery
from notifications.outbox import enqueue, enqueue_on_commit
from orgunits.access import assume_memberships, can
from reports.models import Report
from reports.registry import ReportEvent

from .models import IntegrationClient, WebhookDelivery, WebhookEvent

TIMEOUT = 10  # seconds for one POST
TOLERANCE = 300  # seconds a receiver should accept a timestamp for
USER_AGENT = "TongKet-Webhook/1"

REPORT_EVENTS = {
    ReportEvent.SUBMITTED: WebhookEvent.REPORT_SUBMITTED,
    ReportEvent.RETURNED: WebhookEvent.REPORT_RETURNED,
    ReportEvent.ACCEPTED: WebhookEvent.REPORT_ACCEPTED,
}


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, *, now: float | None = None
) -> bool:
    """What a receiver checks: the signature over the raw body, and a fresh timestamp."""
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - moment) > TOLERANCE:
        return False
    return hmac.compare_digest(sign(secret, moment, body), signature or "")


# --- Events -----------------------------------------------------------------


def _subscribers(event: str) -> list[IntegrationClient]:
    clients = (
        IntegrationClient.objects.filter(is_active=True, revoked_at=None)
        .exclude(webhook_url="")
        .select_related("user")
        .prefetch_related("scopes__unit")
    )
    found = []
    for client in clients:
        if client.wants(event):
            assume_memberships(client.user, [(s.unit.path, s.role) for s in client.scopes.all()])
            found.append(client)
    return found


def _unit(unit) -> dict:
    return {"id": unit.pk, "code": unit.code, "name": unit.name}


def _queue(event: str, action: str, obj, data: dict) -> list[int]:
    rows = [
        WebhookDelivery(client=client, event=event, payload={"event": event, "data": data})
        for client in _subscribers(event)
        if can(client.user, action, obj)
    ]
    if not rows:
        return []
    from .tasks import send_webhooks

    created = WebhookDelivery.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    enqueue_on_commit(send_webhooks, ids)
    return ids


def plan_published(plan: Plan) -> None:
    """campaigns.registry.published: a plan or a revision of it was published."""
    _queue(
        WebhookEvent.PLAN_PUBLISHED,
        "campaigns.view_plan",
        plan,
        {
            "plan": {
                "id": plan.pk,
                "number_symbol": plan.number_symbol,
                "title": plan.summary,
                "status": plan.status,
                "parent": plan.parent_id,
                "issuing_unit": _unit(plan.issuing_unit),
            }
        },
    )


def report_moved(report: Report, event: str) -> None:
    """reports.registry.moved: a report was submitted, returned or accepted."""
    webhook_event = REPORT_EVENTS.get(event)
    if webhook_event is None:
        return
    _queue(
        webhook_event,
        "reports.view_report",
        report,
        {
            "report": {
                "id": report.pk,
                "plan": report.plan_id,
                "campaign": report.campaign_id,
                "unit": _unit(report.unit),
                "status": report.status,
                "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
                "reviewed_at": report.reviewed_at.isoformat() if report.reviewed_at else None,
            }
        },
    )


# --- Sending ----------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer that does not deliver: never followed."""

    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(row: WebhookDelivery, *, now: float | None = None) -> int:
    """POST the row's payload, signed now; 1 when the receiver answered 2xx.
    Anything else raises ``OSError`` (the sender's cue to try again later)."""
    client = row.client
    body = json.dumps(
        {**row.payload, "id": row.pk, "occurred_at": row.created.isoformat()},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    timestamp = int(now if now is not None else time.time())
    request = urllib.request.Request(
        client.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            "X-TongKet-Event": row.event,
            "X-TongKet-Delivery": str(row.pk),
            "X-TongKet-Timestamp": str(timestamp),
            "X-TongKet-Signature": sign(client.webhook_secret, timestamp, body),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as answer:
            status = answer.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise OSError(f"webhook not delivered: {error}") from error
    WebhookDelivery.objects.filter(pk=row.pk).update(response_status=status)
    if not 200 <= status < 300:
        raise OSError(f"webhook answered HTTP {status}")
    return 1


def outgoing(ids: list[int]) -> list[delivery.Outgoing]:
    rows = WebhookDelivery.objects.filter(pk__in=ids).select_related("client")
    return [
        delivery.Outgoing([row.pk], partial(post, row), reachable=row.client.wants(row.event))
        for row in rows
    ]


def enqueue_ids(ids: list[int]) -> None:
    """The minute sweep's re-queue of lost rows (notifications.delivery.register)."""
    from .tasks import send_webhooks

    enqueue(send_webhooks, ids)
