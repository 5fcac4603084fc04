"""Webhooks: queued in the step's transaction for the clients that see the
object, POSTed to a local receiver signed with HMAC-SHA256, retried on failure
and by the minute sweep (notifications.delivery)."""

from __future__ import annotations

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from celery.app.task import Task
from django.utils import timezone

from api import webhooks
from api.models import WebhookDelivery, WebhookEvent
from api.services import create_client
from config.celery_app import app as celery_app
from notifications import delivery
from notifications.models import DeliveryStatus
from orgunits.models import Role
from reports import services as report_services
from reports.models import ReportStatus
from reports.selectors import items_for_unit
from tests.factories import SEED000_DEADLINES, MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

SECRET = "bí-mật-của-hệ-thống"  # noqa: S105 (a test secret)
ALL_EVENTS = list(WebhookEvent.values)


class Receiver:
    """A local HTTP endpoint answering the scripted statuses (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received: list[tuple] = []  # (headers, case-insensitive; body)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((self.headers, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def events(self) -> list[str]:
        return [headers["X-TongKet-Event"] for headers, _body in self.received]


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


def subscribe(unit, url, *, role=Role.VIEWER, events=ALL_EVENTS, name=None):
    client, _token = create_client(
        name=name or f"hệ thống {unit.code}",
        scopes=[(unit, role)],
        webhook_url=url,
        webhook_secret=SECRET,
        events=events,
    )
    return client


def answer_everything(report, by) -> None:
    plan = report.plan
    years = {str(y): 1 for y in range(plan.period_start, plan.period_end + 1)}
    for row in items_for_unit(report):
        item = row.item
        if item.is_heading or not item.required:
            continue
        values = {
            "text": {"text": "<p>Có</p>"},
            "integer": {"number": 1},
            "decimal": {"number": 1},
            "integer_per_year": {"per_year": years},
            "boolean": {"boolean": True},
            "choice": {"choice": (item.choices or ["x"])[0]},
            "points": {"points": ["Một"]},
        }[item.answer_type]
        report_services.save_answer(report=report, item=item, values=values, base_version=0, by=by)


def test_a_published_plan_is_told_to_the_systems_that_see_it_signed(
    small_tree, levels, receiver, django_capture_on_commit_callbacks
):
    from tests.factories import add_unit

    commune = subscribe(small_tree["D1C1"], receiver.url)
    subscribe(small_tree["D2"], receiver.url, events=[WebhookEvent.REPORT_SUBMITTED])
    other = add_unit(None, "Q", levels["tinh"], name="Tỉnh ủy khác", symbol="TU")
    subscribe(other, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        plan = PlanFactory(
            issuing_unit=small_tree["P"],
            seed000=True,
            deadlines=SEED000_DEADLINES,
            published_by=MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user,
        )
    assert receiver.events() == ["plan.published"]
    headers, body = receiver.received[0]
    assert webhooks.verify(
        SECRET, headers["X-TongKet-Timestamp"], body, headers["X-TongKet-Signature"]
    )
    payload = json.loads(body)
    assert payload["event"] == "plan.published"
    assert payload["data"]["plan"]["id"] == plan.pk
    row = WebhookDelivery.objects.get()
    assert row.client == commune
    assert payload["id"] == row.pk == int(headers["X-TongKet-Delivery"])
    assert row.status == DeliveryStatus.SENT
    assert row.response_status == 200


def test_submit_return_accept_are_told_to_the_level_above_only(
    published_plan, commune_report, people, small_tree, receiver, django_capture_on_commit_callbacks
):
    district = subscribe(small_tree["D1"], receiver.url)
    subscribe(small_tree["D2"], receiver.url)  # another district: told nothing
    answer_everything(commune_report, people["approver"])
    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit(
            report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
        )
    with django_capture_on_commit_callbacks(execute=True):
        report_services.send_back(
            report=commune_report, by=people["district_coordinator"], overall="Bổ sung", per_item={}
        )
    commune_report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        report_services.submit(
            report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
        )
    with django_capture_on_commit_callbacks(execute=True):
        report_services.accept(report=commune_report, by=people["district_coordinator"])
    assert receiver.events() == [
        "report.submitted",
        "report.returned",
        "report.submitted",
        "report.accepted",
    ]
    assert set(WebhookDelivery.objects.values_list("client", flat=True)) == {district.pk}
    last = json.loads(receiver.received[-1][1])
    assert last["data"]["report"]["id"] == commune_report.pk
    assert last["data"]["report"]["status"] == ReportStatus.ACCEPTED
    assert last["data"]["report"]["unit"]["code"] == "D1C1"


def test_a_failed_post_is_tried_again_with_the_same_id_and_a_fresh_signature(
    published_plan,
    commune_report,
    people,
    small_tree,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    # Eager mode runs each retry at once; let the last one end without raising.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    receiver = Receiver(statuses=[500])
    try:
        subscribe(small_tree["D1"], receiver.url)
        answer_everything(commune_report, people["approver"])
        with django_capture_on_commit_callbacks(execute=True):
            report_services.submit(
                report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
            )
    finally:
        receiver.close()
    row = WebhookDelivery.objects.get()
    assert row.status == DeliveryStatus.SENT
    assert row.attempts == 2
    assert len(receiver.received) == 2
    ids = {headers["X-TongKet-Delivery"] for headers, _body in receiver.received}
    assert ids == {str(row.pk)}
    for headers, body in receiver.received:
        assert webhooks.verify(
            SECRET, headers["X-TongKet-Timestamp"], body, headers["X-TongKet-Signature"]
        )


def test_a_receiver_that_keeps_failing_ends_failed_with_its_answer(
    published_plan,
    commune_report,
    people,
    small_tree,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    # Eager mode runs each retry at once; let the last one end without raising.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    receiver = Receiver(statuses=[503] * 20)
    try:
        subscribe(small_tree["D1"], receiver.url)
        answer_everything(commune_report, people["approver"])
        with django_capture_on_commit_callbacks(execute=True):
            report_services.submit(
                report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
            )
    finally:
        receiver.close()
    row = WebhookDelivery.objects.get()
    assert row.status == DeliveryStatus.FAILED
    assert row.response_status == 503
    assert "HTTP 503" in row.last_error
    assert len(receiver.received) == delivery.RETRIES + 1


def test_a_webhook_whose_task_was_lost_is_sent_by_the_minute_sweep(
    published_plan,
    commune_report,
    people,
    small_tree,
    receiver,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    subscribe(small_tree["D1"], receiver.url)
    answer_everything(commune_report, people["approver"])
    lost = []
    with monkeypatch.context() as patch:
        patch.setattr(Task, "apply_async", lambda self, *a, **k: lost.append(self.name))
        with django_capture_on_commit_callbacks(execute=True):
            report_services.submit(
                report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
            )
    assert lost == ["api.tasks.send_webhooks"]
    assert receiver.received == []
    delivery.sweep(timezone.now() + datetime.timedelta(minutes=3))
    assert receiver.events() == ["report.submitted"]
    assert WebhookDelivery.objects.get().status == DeliveryStatus.SENT


def test_a_revoked_client_s_queued_webhook_is_not_sent(
    published_plan,
    commune_report,
    people,
    small_tree,
    receiver,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from api.services import revoke
    from api.tasks import send_webhooks

    client = subscribe(small_tree["D1"], receiver.url)
    answer_everything(commune_report, people["approver"])
    with monkeypatch.context() as patch:
        patch.setattr(Task, "apply_async", lambda self, *a, **k: None)
        with django_capture_on_commit_callbacks(execute=True):
            report_services.submit(
                report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
            )
    revoke(client)
    send_webhooks.delay([WebhookDelivery.objects.get().pk])
    assert receiver.received == []
    assert WebhookDelivery.objects.get().status == DeliveryStatus.NO_RECIPIENT


def test_verify_refuses_a_changed_body_another_secret_and_an_old_timestamp():
    body = b'{"event":"report.submitted"}'
    now = int(time.time())
    signature = webhooks.sign(SECRET, now, body)
    assert signature.startswith("sha256=")
    assert webhooks.verify(SECRET, str(now), body, signature)
    assert not webhooks.verify(SECRET, str(now), body + b" ", signature)
    assert not webhooks.verify("another", str(now), body, signature)
    assert not webhooks.verify(
        SECRET, str(now - 3600), body, webhooks.sign(SECRET, now - 3600, body)
    )
    assert not webhooks.verify(SECRET, "junk", body, signature)
