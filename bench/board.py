"""The progress board of a 2,526-unit province (25 districts, 2,500 communes):
time, size and queries of the first page, a subtree, a filtered page and a 304
poll, against the whole tree rendered at once and a trivial authenticated page."""

import datetime
import os
import statistics
import time
from unittest import mock

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bench.trees import province
from campaigns import services as plan_services
from chasing import board_tree
from chasing.models import BoardExport, DeliveryStatus, Reminder, ReminderKind
from chasing.tasks import build_board_export
from orgunits.models import Level, Membership, OrgUnit, Role
from reports.models import Report, ReportStatus
from tests.campaigns.seeds import seed000_plan
from tests.factories import MembershipFactory

DISTRICTS, COMMUNES = 25, 2500
TRIES = 7


def _tree() -> OrgUnit:
    return province("BT", DISTRICTS, COMMUNES)


def _measure(client: Client, url: str, **headers) -> tuple[float, int, int, int]:
    """Median time (ms), size (bytes, uncompressed), queries and status of GET ``url``."""
    times = []
    for _ in range(TRIES):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), len(response.content), len(queries), response.status_code


def run() -> None:
    province = _tree()
    levels = {level.code: level for level in Level.objects.all()}
    today = timezone.localdate()
    plan = seed000_plan(province)
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    plan.issued_on = today - datetime.timedelta(days=20)
    plan.save()
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], today - datetime.timedelta(days=2)),
            plan_services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=3)),
            plan_services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=9)),
        ],
    )
    user = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan_services.publish(plan=plan, by=user)
    done = Report.objects.filter(plan=plan, unit__code__endswith="7")
    done.update(status=ReportStatus.SUBMITTED, submitted_at=timezone.now())
    units = Report.objects.filter(plan=plan).count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # a database in use has its statistics
    assert Membership.objects.filter(user=user).exists()

    client = Client()
    client.force_login(user)
    board = reverse("chasing:board", args=[plan.pk])
    poll = reverse("chasing:board_rows", args=[plan.pk])
    subtree = reverse("chasing:board_children", args=[plan.pk, "BT.3"])
    since = urlencode({"since": timezone.now().isoformat()})
    etag = client.get(f"{poll}?{since}", HTTP_HX_REQUEST="true")["ETag"]
    figures = {
        "trivial page (home)": _measure(client, reverse("home")),
        "first page": _measure(client, board),
        "subtree of a district (100 communes)": _measure(client, subtree, HTTP_HX_REQUEST="true"),
        "the district's next 50 communes": _measure(
            client, f"{subtree}?page=2", HTTP_HX_REQUEST="true"
        ),
        "filtered page (overdue communes, p. 2)": _measure(
            client, f"{board}?level=co-so&timeliness=overdue&page=2"
        ),
        "poll, nothing changed (304)": _measure(
            client, f"{poll}?{since}", HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag
        ),
    }
    # A report submitted and a reminder failed since the last poll: their rows again.
    Report.objects.filter(plan=plan, unit__code="BT.3.3").update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now(), modified=timezone.now()
    )
    report = Report.objects.get(plan=plan, unit__code="BT.4.4")
    Reminder.objects.create(
        plan=plan,
        report=report,
        unit_id=report.unit_id,
        step="bench",
        kind=ReminderKind.MANUAL,
        due_on=report.due_on,
        days_left=0,
        status=DeliveryStatus.FAILED,
    )
    figures["poll, a report and a reminder changed"] = _measure(
        client, f"{poll}?{since}", HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=etag
    )
    with mock.patch.object(board_tree, "FULL_TREE_MAX", 10**9):
        figures["before: the whole tree at once"] = _measure(client, board)
        figures["before: the whole-tree poll"] = _measure(client, poll, HTTP_HX_REQUEST="true")
    # The export: the link answers the page of the background job at once;
    # the job (the documents worker) writes the same workbook as before.
    export_url = reverse("chasing:board_export", args=[plan.pk])
    figures["export link (to the background job)"] = _measure(client, export_url)
    with mock.patch.object(settings, "BOARD_EXPORT_INLINE_MAX", 10**9):
        start = time.perf_counter()
        inline = client.get(export_url)
        inline_size = len(b"".join(inline.streaming_content))
        inline_ms = (time.perf_counter() - start) * 1000
    job = BoardExport.objects.create(plan=plan, requested_by=user, language="vi", fingerprint="-")
    start = time.perf_counter()
    build_board_export(job.pk)
    job_ms = (time.perf_counter() - start) * 1000
    if os.environ.get("BENCH_SQL"):
        with CaptureQueriesContext(connection) as queries:
            client.get(board)
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(query["time"], query["sql"][:600])
    floor = figures["trivial page (home)"][0]
    print(f"board of {units:,} reports ({connection.vendor}), median of {TRIES}:")
    for name, (ms, size, queries, status) in figures.items():
        print(
            f"  {name:<42} {ms:7.1f} ms ({ms / floor:4.1f}× the floor) "
            f"{size / 1024:8.1f} KiB {queries:3d} queries  HTTP {status}"
        )
    job = BoardExport.objects.get(pk=job.pk)
    label = "the export at once (up to the setting)"
    print(f"  {label:<42} {inline_ms:7.1f} ms {inline_size / 1024:8.1f} KiB")
    size = job.file.size / 1024
    print(f"  {'export job (documents worker)':<42} {job_ms:7.1f} ms {size:8.1f} KiB")
