"""The reminder sweep over a 10,000-unit plan: time and query count."""

import datetime
import time
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.trees import province
from campaigns import services as plan_services
from chasing import services
from chasing.models import Reminder
from orgunits.models import Level, OrgUnit
from tests.campaigns.seeds import seed000_plan

DISTRICTS, COMMUNES = 40, 9960


def run() -> None:
    province("SW", DISTRICTS, COMMUNES)
    levels = {level.code: level for level in Level.objects.all()}
    today = timezone.localdate()
    plan = seed000_plan(OrgUnit.objects.get(code="SW"))
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    plan.issued_on = today - datetime.timedelta(days=30)
    plan.save()
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], today - datetime.timedelta(days=3)),
            plan_services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=1)),
            plan_services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=7)),
        ],
    )
    start = time.perf_counter()
    plan_services.publish(plan=plan, by=None)
    print(f"publish to {1 + DISTRICTS + COMMUNES:,} units: {time.perf_counter() - start:.2f} s")

    now = timezone.localtime().replace(hour=9)
    # The sends are the worker's job: measure the sweep alone.
    patcher = mock.patch("chasing.services.enqueue")
    patcher.start()
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = services.sweep(now=now)
        elapsed = time.perf_counter() - start
    claimed = Reminder.objects.filter(plan=plan).count()
    print(
        f"sweep over {1 + DISTRICTS + COMMUNES:,} participating units: {elapsed:.2f} s, "
        f"{len(queries.captured_queries)} queries, {len(result.reminders):,} reminders and "
        f"{len(result.escalations):,} escalations claimed ({claimed:,} rows)"
    )
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        again = services.sweep(now=now)
        elapsed = time.perf_counter() - start
    print(
        f"second sweep (nothing new): {elapsed:.2f} s, {len(queries.captured_queries)} queries, "
        f"{len(again.reminders)} claimed"
    )
    patcher.stop()
    dialogues(now)


def dialogues(now: datetime.datetime) -> None:
    """1,000 meetings 13 days ahead hosted by 3 communes each (opinions due in 3
    days) and 10,000 assigned petitions, half overdue: the dialogue sweep."""
    from dialogues import chase
    from dialogues.models import DialoguePlan, DialogueReminder, Meeting, Petition

    today = now.date()
    districts = list(OrgUnit.objects.filter(code__regex=r"^SW\.\d+$").order_by("code"))
    communes = list(OrgUnit.objects.filter(code__regex=r"^SW\.\d+\.\d+$").order_by("code"))
    plans = DialoguePlan.objects.bulk_create(
        [DialoguePlan(unit=d, year=today.year, summary="đối thoại") for d in districts]
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                plan=plans[i % len(plans)],
                target_group=f"Cán bộ, đảng viên {i}",
                month=(today + datetime.timedelta(days=13)).month,
                date=today + datetime.timedelta(days=13),
            )
            for i in range(1000)
        ]
    )
    Through = Meeting.host_units.through
    Through.objects.bulk_create(
        [
            Through(meeting_id=m.pk, orgunit_id=communes[(i * 3 + k) % len(communes)].pk)
            for i, m in enumerate(meetings)
            for k in range(3)
        ]
    )
    Petition.objects.bulk_create(
        [
            Petition(
                meeting=meetings[i % 1000],
                unit=meetings[i % 1000].plan.unit,
                petitioner="Ông A",
                subject=f"Kiến nghị {i}",
                agency=communes[i % len(communes)],
                due_on=today + datetime.timedelta(days=(i % 2) * 10 - 5),
                status="assigned",
            )
            for i in range(10_000)
        ]
    )
    with mock.patch("dialogues.chase._enqueue"):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            counts = chase.sweep(now)
            elapsed = time.perf_counter() - start
        print(
            f"dialogue sweep over 1,000 meetings and 10,000 petitions: {elapsed:.2f} s, "
            f"{len(queries.captured_queries)} queries, claimed {dict(counts)} "
            f"({DialogueReminder.objects.count():,} rows)"
        )
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            counts = chase.sweep(now)
            elapsed = time.perf_counter() - start
        print(
            f"second dialogue sweep: {elapsed:.2f} s, {len(queries.captured_queries)} queries, "
            f"claimed {sum(counts.values())}"
        )
