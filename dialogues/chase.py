"""Dialogue deadlines chased by the review reminders' machinery.

Three deadlines (seed 001): each host unit sends in the opinions and
petitions it collected at least 10 days before a meeting; the head's office
has the meeting announced on local radio at least 7 days before; an agency
answers an assigned petition by its due date, and an overdue petition goes
to the head's office. The steps come from the same pure schedule
(``chasing.policy``), the claim is the same unique insert and the sends the
same claimed, retried deliveries. The sweep runs a constant number of
queries whatever the number of meetings and petitions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import partial

from django.db import transaction
from django.utils import timezone

from chasing import policy
from chasing.models import ReminderKind
from chasing.services import claim_due
from notifications.outbox import enqueue

from .models import (
    NOTICE_DAYS_BEFORE,
    OPINIONS_DAYS_BEFORE,
    DialogueReminder,
    DialogueReminderKind,
    Meeting,
    MeetingStatus,
    OpinionReport,
    Petition,
    PetitionStatus,
)

# Opinions and the radio notice: 3 and 1 days before, on the day, then every
# day until the meeting; nothing is escalated (the meeting page shows who is late).
OPINIONS = policy.Schedule(days_before=(3, 1), overdue_every=1, escalate_after=0)
NOTICE = policy.Schedule(days_before=(3, 1), overdue_every=1, escalate_after=0)
# An assigned petition: 7, 3, 1 days before its due date, weekly once overdue,
# and to the head's office 3 days after.
PETITIONS = policy.Schedule(days_before=(7, 3, 1), overdue_every=7, escalate_after=3)

COLUMNS = ["key", "kind", "meeting_id", "petition_id", "unit_id", "due_on", "days_left"]
TYPES = ["text", "text", "bigint", "bigint", "bigint", "date", "integer"]


def due_rows(now: datetime.datetime) -> list[list]:
    """Every dialogue reminder due at ``now``, as rows for the claiming insert.

    Four reads: the meetings ahead, their host units, the opinions already
    sent in, and the petitions being handled."""
    today = policy.effective_day(now, OPINIONS.send_hour)
    window = datetime.timedelta(days=OPINIONS_DAYS_BEFORE + OPINIONS.horizon)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.PLANNED, date__gte=today, date__lte=today + window
    )
    ahead = list(meetings.values_list("id", "date", "plan__unit_id", "notice_done_on"))
    hosts = defaultdict(list)
    for meeting_id, unit_id in Meeting.host_units.through.objects.filter(
        meeting__in=meetings
    ).values_list("meeting_id", "orgunit_id"):
        hosts[meeting_id].append(unit_id)
    sent = set(
        OpinionReport.objects.filter(meeting__in=meetings).values_list("meeting_id", "unit_id")
    )
    rows: list[list] = []

    def add(kind, schedule, due_on, unit_id, meeting_id, meeting_date):
        for step in policy.due_steps(schedule, due_on, now):
            if step.days_left < 0 and today >= meeting_date:
                continue  # the meeting is today: no point chasing any more
            key = f"{kind}:{meeting_id}:{unit_id}:{step.key}"
            rows.append([key, kind, meeting_id, None, unit_id, due_on.isoformat(), step.days_left])

    for meeting_id, date, head_unit_id, notice_done_on in ahead:
        opinions_due = date - datetime.timedelta(days=OPINIONS_DAYS_BEFORE)
        for unit_id in hosts[meeting_id]:
            if (meeting_id, unit_id) not in sent:
                add(
                    DialogueReminderKind.OPINIONS, OPINIONS, opinions_due, unit_id, meeting_id, date
                )
        if notice_done_on is None:
            notice_due = date - datetime.timedelta(days=NOTICE_DAYS_BEFORE)
            add(DialogueReminderKind.NOTICE, NOTICE, notice_due, head_unit_id, meeting_id, date)

    petitions = Petition.objects.filter(
        status__in=[PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS],
        agency__isnull=False,
        due_on__lte=today + datetime.timedelta(days=PETITIONS.horizon),
    ).values_list("id", "meeting_id", "agency_id", "unit_id", "due_on")
    for petition_id, meeting_id, agency_id, unit_id, due_on in petitions:
        for step in policy.due_steps(PETITIONS, due_on, now):
            escalation = step.kind == ReminderKind.ESCALATION
            kind = (
                DialogueReminderKind.PETITION_ESCALATION
                if escalation
                else DialogueReminderKind.PETITION
            )
            whom = unit_id if escalation else agency_id
            key = f"{kind}:{petition_id}:{whom}:{step.key}"
            rows.append(
                [key, kind, meeting_id, petition_id, whom, due_on.isoformat(), step.days_left]
            )
    return rows


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Claim every dialogue reminder due now and enqueue its sending."""
    now = timezone.localtime(now or timezone.now())
    claimed = claim_due(DialogueReminder, COLUMNS, TYPES, ("key",), due_rows(now), now)
    ids = [pk for pk, _kind in claimed]
    transaction.on_commit(partial(enqueue_sends, ids))
    counts: dict[str, int] = defaultdict(int)
    for _pk, kind in claimed:
        counts[kind] += 1
    return dict(counts)


def enqueue_sends(ids: list[int]) -> None:
    """Queue the sends (a broker that is down leaves them to the minute sweep)."""
    from .tasks import send_reminder

    for pk in ids:
        if not enqueue(send_reminder, pk):
            return  # the broker is down: the others wait for the sweep too
