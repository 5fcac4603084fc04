"""The reminder sweep, sending, and chasing by hand.

The sweep runs a constant number of queries whatever the number of units:
it reads the open plans, reads their unsubmitted reports, inserts every due
reminder in one INSERT … SELECT over a JSON array (conflicts on the unique
(plan, unit, step) are skipped, which is the claim), reads back what it
claimed, and enqueues the sends after commit.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from campaigns.models import Plan, PlanStatus
from notifications import delivery
from notifications.outbox import enqueue, enqueue_on_commit
from orgunits.models import Membership, OrgUnit, Role
from reports.models import EDITABLE_STATUSES, Report

from . import board_tree, policy
from .models import (
    EXPORT_KEPT_FOR,
    EXPORT_STALE_AFTER,
    BoardExport,
    Delivery,
    DeliveryStatus,
    ExportStatus,
    Reminder,
    ReminderKind,
    ReminderPolicy,
)

# A queued reminder still queued this long after it was queued lost its task
# (notifications.delivery: the minute sweep queues it again, this one too).
REQUEUE_AFTER = delivery.REQUEUE_AFTER
COLUMNS = ["plan_id", "report_id", "unit_id", "step", "kind", "due_on", "days_left"]


def schedule_of(plan_policy: ReminderPolicy | None) -> policy.Schedule:
    if plan_policy is None:
        return policy.Schedule()
    return policy.Schedule(
        days_before=tuple(sorted({int(d) for d in plan_policy.days_before if int(d) > 0})),
        on_due_day=plan_policy.on_due_day,
        overdue_every=plan_policy.overdue_every,
        escalate_after=plan_policy.escalate_after,
        send_hour=plan_policy.send_hour,
    )


@dataclass
class SweepResult:
    reminders: list[int]
    escalations: list[int]


def sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Find every reminder due now across open plans and enqueue its sending."""
    now = timezone.localtime(now or timezone.now())

    # A campaign recorded after the fact took place before it was entered:
    # nobody is chased for it (its implementing plans carry the same mode).
    plans = list(
        Plan.objects.filter(status=PlanStatus.PUBLISHED, recorded_after_the_fact=False)
        .select_related("reminder_policy")
        .only("id", "locked_at", "reminder_policy")
    )
    schedules = {}
    for plan in plans:
        plan_policy = getattr(plan, "reminder_policy", None)
        if plan_policy is None or plan_policy.enabled:
            schedules[plan.pk] = schedule_of(plan_policy)
    if not schedules:
        return SweepResult([], [])
    horizon = max(s.horizon for s in schedules.values())
    locked = {plan.pk for plan in plans if plan.locked_at}
    reports = (
        Report.objects.filter(
            plan_id__in=list(schedules),
            status__in=EDITABLE_STATUSES,
            due_on__lte=now.date() + datetime.timedelta(days=horizon),
        )
        .filter(~Q(plan_id__in=locked) | Q(reopened=True))
        # The root plan's issuer writes its own report; nobody above chases it.
        .exclude(unit_id=F("plan__issuing_unit_id"))
        .values_list("id", "plan_id", "unit_id", "due_on")
    )
    rows = []
    for report_id, plan_id, unit_id, due_on in reports:
        for step in policy.due_steps(schedules[plan_id], due_on, now):
            rows.append(
                [
                    plan_id,
                    report_id,
                    unit_id,
                    step.key,
                    step.kind,
                    due_on.isoformat(),
                    step.days_left,
                ]
            )
    claimed = claim_due(
        Reminder,
        [*COLUMNS, "note"],
        ["bigint", "bigint", "bigint", "text", "text", "date", "integer", "text"],
        ("plan_id", "unit_id", "step"),
        [[*row, ""] for row in rows],
        now,
    )
    result = SweepResult(
        reminders=[pk for pk, kind in claimed if kind != ReminderKind.ESCALATION],
        escalations=[pk for pk, kind in claimed if kind == ReminderKind.ESCALATION],
    )
    transaction.on_commit(partial(enqueue_sends, result.reminders, result.escalations))
    return result


def claim_due(
    model: type[Delivery],
    columns: list[str],
    types: list[str],
    unique: tuple[str, ...],
    rows: list[list],
    now: datetime.datetime,
) -> list[tuple[int, str]]:
    """Claim the due ``rows`` and return (id, kind) of what this sweep must send:
    its own new rows, and older queued ones whose message may have been lost
    (the claim in the task keeps a second delivery from sending twice)."""
    token = uuid.uuid4().hex
    if rows:
        insert_ignoring_existing(model, columns, types, unique, rows, token, now)
    found = delivery.with_queue_time(model.objects).filter(
        Q(sweep_token=token) | delivery.lost(now)
    )
    claimed = list(found.values_list("id", "kind"))
    model.objects.filter(pk__in=[pk for pk, _kind in claimed]).update(queued_at=now)
    return claimed


def insert_ignoring_existing(
    model: type[Delivery],
    columns: list[str],
    types: list[str],
    unique: tuple[str, ...],
    rows: list[list],
    token: str,
    now: datetime.datetime,
) -> None:
    """One INSERT … SELECT of ``rows`` (lists in ``columns`` order) for any
    number of rows; a row whose ``unique`` columns exist already is skipped,
    which makes the insert the claim. The new rows carry the sweep ``token``."""
    table = model._meta.db_table
    names = ", ".join(columns)
    extra = "status, attempts, last_error, sweep_token, created, changed_at"
    if connection.vendor == "postgresql":
        values = ", ".join(
            f"r->>{i}" if kind == "text" else f"(r->>{i})::{kind}" for i, kind in enumerate(types)
        )
        sql = (
            f"INSERT INTO {table} ({names}, {extra}) "
            f"SELECT {values}, %s, 0, '', %s, %s, %s "
            "FROM jsonb_array_elements(%s::jsonb) AS r "
            f"ON CONFLICT ({', '.join(unique)}) DO NOTHING"
        )
    else:
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(types)))
        sql = (
            f"INSERT OR IGNORE INTO {table} ({names}, {extra}) "
            f"SELECT {values}, %s, 0, '', %s, %s, %s FROM json_each(%s)"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                DeliveryStatus.QUEUED,
                token,
                connection.ops.adapt_datetimefield_value(now),
                connection.ops.adapt_datetimefield_value(now),
                json.dumps(rows),
            ],
        )


def enqueue_sends(reminder_ids: list[int], escalation_ids: list[int]) -> None:
    """Queue the sends (a broker that is down leaves them to the minute sweep)."""
    from .tasks import send_escalations, send_reminder

    # A broker that refused one refuses the others: they wait for the sweep
    # (each refusal may take the publisher's retries, seconds in a request).
    for pk in reminder_ids:
        if not enqueue(send_reminder, pk):
            return
    if escalation_ids:
        enqueue(send_escalations, escalation_ids)


def enqueue_ids(ids: list[int]) -> None:
    """Queue the sends of reminders ``ids``, whatever their kind (the minute sweep)."""
    kinds = dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "kind"))
    enqueue_sends(
        [pk for pk in ids if kinds.get(pk) not in (None, ReminderKind.ESCALATION)],
        [pk for pk in ids if kinds.get(pk) == ReminderKind.ESCALATION],
    )


def _of_unit(unit_ids: list[int]) -> Q:
    """Memberships of the units, or of the units they were merged into (whose
    people take a merged unit's reports over: ``orgunits.mergers``)."""
    return Q(unit_id__in=unit_ids) | Q(unit__predecessors__in=unit_ids)


def members(unit_id: int, roles: list[str]) -> list[AbstractBaseUser]:
    """The active users holding one of ``roles`` in the unit (or in the unit it
    was merged into), each once."""
    memberships = Membership.objects.filter(
        _of_unit([unit_id]), role__in=roles, user__is_active=True
    ).select_related("user")
    return list({m.user.pk: m.user for m in memberships}.values())


# Those who write and submit a unit's report, and get its reminders.
UNIT_ROLES = [Role.REPORTER, Role.APPROVER]


def unit_people(unit_id: int) -> list[AbstractBaseUser]:
    return members(unit_id, UNIT_ROLES)


def units_with_people(unit_ids: Iterable[int]) -> set[int]:
    """Those of ``unit_ids`` whose reminders reach someone (one query)."""
    unit_ids = list(unit_ids)
    reached = Membership.objects.filter(
        _of_unit(unit_ids), role__in=UNIT_ROLES, user__is_active=True
    ).values_list("unit_id", "unit__predecessors")
    wanted = set(unit_ids)
    return {unit for pair in reached for unit in pair if unit in wanted}


def coordinators_above(unit: OrgUnit) -> list[AbstractBaseUser]:
    memberships = Membership.objects.filter(
        unit__path=unit.parent_path(), role=Role.COORDINATOR, user__is_active=True
    ).select_related("user")
    return list({m.user.pk: m.user for m in memberships}.values())


def report_url(report_id: int) -> str:
    return reverse("reports:detail", args=[report_id])


@dataclass
class Chased:
    ids: list[int]  # the reminders made now
    # Units reminded by hand within this minute already: no second reminder.
    just_reminded: list[Report]


@transaction.atomic
def chase_now(*, plan: Plan, reports: list[Report], by: AbstractBaseUser, note: str = "") -> Chased:
    """Remind the chosen units at once, with an optional personal line; once
    per unit and minute (two clicks, or two people, make one reminder: the
    (plan, unit, "manual@<minute>") row is the claim, as in the sweep)."""
    now = timezone.localtime()
    today = now.date()
    step = f"manual@{now:%Y%m%dT%H%M}"
    editable = [
        report
        for report in reports
        if report.status in EDITABLE_STATUSES and not plan.recorded_after_the_fact
    ]
    token = uuid.uuid4().hex
    if editable:
        insert_ignoring_existing(
            Reminder,
            [*COLUMNS, "note", "sent_by_id"],
            ["bigint", "bigint", "bigint", "text", "text", "date", "integer", "text", "bigint"],
            ("plan_id", "unit_id", "step"),
            [
                [
                    plan.pk,
                    report.pk,
                    report.unit_id,
                    step,
                    ReminderKind.MANUAL,
                    report.due_on.isoformat(),
                    (report.due_on - today).days,
                    note.strip(),
                    by.pk,
                ]
                for report in editable
            ],
            token,
            now,
        )
    made = dict(Reminder.objects.filter(sweep_token=token).values_list("report_id", "pk"))
    ids = [made[report.pk] for report in editable if report.pk in made]
    transaction.on_commit(partial(enqueue_sends, ids, []))
    return Chased(ids, [report for report in editable if report.pk not in made])


def escalation_groups(reminders: list[Reminder]) -> dict[str, list[Reminder]]:
    """Escalations grouped by the parent unit whose coordinators get the digest."""
    groups: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        groups[reminder.unit.parent_path()].append(reminder)
    return groups


# --- Exports of large boards (BoardExport) ----------------------------------

# A finished export of the same data is handed back for this long.
EXPORT_REUSED_FOR = datetime.timedelta(minutes=10)
# A job running this long had its worker die under it (the task's time limit is 10 min).
EXPORT_RUN_LIMIT = datetime.timedelta(minutes=15)
EXPORT_INTERRUPTED = "Interrupted: the worker stopped while writing the export."


def start_board_export(
    *, plan: Plan, user: AbstractBaseUser, filters: dict[str, str]
) -> tuple[BoardExport, bool]:
    """A job writing ``plan``'s board as ``user`` sees it, with ``filters``; True
    if queued now. A job of the same user, filters, language and data that is
    under way, or finished a few minutes ago, is handed back instead."""
    from .tasks import build_board_export  # the task module imports this one

    now = timezone.now()
    filters = {name: value for name, value in sorted(filters.items()) if value}
    language = get_language() or settings.LANGUAGE_CODE
    stamp = board_tree.fingerprint(user, plan)
    under_way = [ExportStatus.QUEUED, ExportStatus.RUNNING]
    candidates = BoardExport.objects.filter(
        Q(status__in=under_way, created__gte=now - EXPORT_STALE_AFTER)
        | Q(status=ExportStatus.DONE, finished_at__gte=now - EXPORT_REUSED_FOR),
        plan=plan,
        requested_by=user,
        language=language,
        fingerprint=stamp,
    ).order_by("-pk")
    for job in candidates:
        if job.filters == filters:
            return job, False
    job = BoardExport.objects.create(
        plan=plan, requested_by=user, filters=filters, language=language, fingerprint=stamp
    )
    enqueue_on_commit(build_board_export, job.pk)
    return job, True


def sweep_board_exports(now: datetime.datetime) -> int:
    """The minute sweep: jobs still queued REQUEUE_AFTER after they were queued
    lost their task (queued again, once per REQUEUE_AFTER, until they are
    stale; the claim keeps a duplicate from writing twice); a job running past
    any worker's time limit failed; exports older than a day are deleted with
    their files. Returns how many jobs were queued again."""
    from .tasks import build_board_export

    BoardExport.objects.filter(
        status=ExportStatus.RUNNING, claimed_at__lt=now - EXPORT_RUN_LIMIT
    ).update(status=ExportStatus.FAILED, error=EXPORT_INTERRUPTED, finished_at=now)
    for old in BoardExport.objects.filter(created__lt=now - EXPORT_KEPT_FOR):
        old.file.delete(save=False)
        old.delete()
    lost = BoardExport.objects.filter(
        status=ExportStatus.QUEUED,
        queued_at__lt=now - REQUEUE_AFTER,
        created__gte=now - EXPORT_STALE_AFTER,
    )
    ids = list(lost.values_list("pk", flat=True))
    BoardExport.objects.filter(pk__in=ids).update(queued_at=now)
    for pk in ids:
        if not enqueue(build_board_export, pk):
            return 0
    return len(ids)
