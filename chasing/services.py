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

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Plan, PlanStatus
from orgunits.models import Membership, OrgUnit, Role
from reports.models import EDITABLE_STATUSES, Report

from . import policy
from .models import Delivery, DeliveryStatus, Reminder, ReminderKind, ReminderPolicy

# A send still "sending" after this long was interrupted (worker killed):
# it is marked failed for the coordinator to see, never sent again blindly.
SENDING_LEASE = datetime.timedelta(hours=1)
REQUEUE_AFTER = datetime.timedelta(minutes=15)
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
    failed_stale: int


def sweep(*, now: datetime.datetime | None = None) -> SweepResult:
    """Find every reminder due now across open plans and enqueue its sending."""
    now = timezone.localtime(now or timezone.now())
    stale = fail_interrupted(Reminder, now)

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
        return SweepResult([], [], stale)
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
        failed_stale=stale,
    )
    transaction.on_commit(lambda: enqueue(result.reminders, result.escalations))
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
    return list(
        model.objects.filter(
            Q(sweep_token=token) | Q(status=DeliveryStatus.QUEUED, created__lt=now - REQUEUE_AFTER)
        ).values_list("id", "kind")
    )


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
    extra = "status, attempts, last_error, sweep_token, created"
    if connection.vendor == "postgresql":
        values = ", ".join(
            f"r->>{i}" if kind == "text" else f"(r->>{i})::{kind}" for i, kind in enumerate(types)
        )
        sql = (
            f"INSERT INTO {table} ({names}, {extra}) "
            f"SELECT {values}, %s, 0, '', %s, %s "
            "FROM jsonb_array_elements(%s::jsonb) AS r "
            f"ON CONFLICT ({', '.join(unique)}) DO NOTHING"
        )
    else:
        values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(types)))
        sql = (
            f"INSERT OR IGNORE INTO {table} ({names}, {extra}) "
            f"SELECT {values}, %s, 0, '', %s, %s FROM json_each(%s)"
        )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                DeliveryStatus.QUEUED,
                token,
                connection.ops.adapt_datetimefield_value(now),
                json.dumps(rows),
            ],
        )


def enqueue(reminder_ids: list[int], escalation_ids: list[int]) -> None:
    from .tasks import send_escalations, send_reminder

    for pk in reminder_ids:
        send_reminder.delay(pk)
    if escalation_ids:
        send_escalations.delay(escalation_ids)


def fail_interrupted(model: type[Delivery], now: datetime.datetime) -> int:
    """Sends still "sending" after the lease were interrupted: mark them failed."""
    return model.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - SENDING_LEASE
    ).update(status=DeliveryStatus.FAILED, last_error="interrupted while sending")


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


@transaction.atomic
def chase_now(
    *, plan: Plan, reports: list[Report], by: AbstractBaseUser, note: str = ""
) -> list[int]:
    """Remind the chosen units at once, with an optional personal line."""
    today = timezone.localdate()
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
    reminders = Reminder.objects.bulk_create(
        [
            Reminder(
                plan=plan,
                report=report,
                unit_id=report.unit_id,
                kind=ReminderKind.MANUAL,
                step=f"manual@{stamp}",
                due_on=report.due_on,
                days_left=(report.due_on - today).days,
                note=note.strip(),
                sent_by=by,
            )
            for report in reports
            if report.status in EDITABLE_STATUSES and not plan.recorded_after_the_fact
        ]
    )
    ids = [r.pk for r in reminders]
    transaction.on_commit(lambda: enqueue(ids, []))
    return ids


def escalation_groups(reminders: list[Reminder]) -> dict[str, list[Reminder]]:
    """Escalations grouped by the parent unit whose coordinators get the digest."""
    groups: dict[str, list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        groups[reminder.unit.parent_path()].append(reminder)
    return groups
