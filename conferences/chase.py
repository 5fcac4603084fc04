"""Speeches chased by the review reminders' machinery (``chasing.registry``).

A speech asked of a unit is chased like a report: 3 and 1 days before its
due date, on the day, then every day until the conference; never once it is
sent in, nor for a conference held, cancelled or past, nor in a campaign
recorded after the fact. The steps come from the same pure schedule
(``chasing.policy``), the claim is the same unique insert and the sends the
same claimed, retried deliveries; two reads whatever the number of speeches.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import partial

from django.db import transaction
from django.utils import timezone

from chasing import policy
from chasing.services import claim_due
from notifications.outbox import enqueue

from .models import ConferenceReminder, ConferenceStatus, Speech

SPEECHES = policy.Schedule(days_before=(3, 1), overdue_every=1, escalate_after=0)

COLUMNS = ["key", "kind", "speech_id", "unit_id", "due_on", "days_left"]
TYPES = ["text", "text", "bigint", "bigint", "date", "integer"]


def due_rows(now: datetime.datetime) -> list[list]:
    """Every speech reminder due at ``now``, as rows for the claiming insert: one read."""
    today = policy.effective_day(now, SPEECHES.send_hour)
    speeches = Speech.objects.filter(
        submitted_at__isnull=True,
        conference__status=ConferenceStatus.PLANNED,
        conference__date__gte=today,
        conference__plan__recorded_after_the_fact=False,
        due_on__lte=today + datetime.timedelta(days=SPEECHES.horizon),
    ).values_list("id", "unit_id", "due_on", "conference__date")
    rows: list[list] = []
    for speech_id, unit_id, due_on, conference_date in speeches:
        for step in policy.due_steps(SPEECHES, due_on, now):
            if step.days_left < 0 and today >= conference_date:
                continue  # the conference is today: no point chasing any more
            key = f"{ConferenceReminder.SPEECH}:{speech_id}:{unit_id}:{step.key}"
            rows.append(
                [
                    key,
                    ConferenceReminder.SPEECH,
                    speech_id,
                    unit_id,
                    due_on.isoformat(),
                    step.days_left,
                ]
            )
    return rows


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Claim every speech reminder due now and enqueue its sending."""
    now = timezone.localtime(now or timezone.now())
    claimed = claim_due(ConferenceReminder, COLUMNS, TYPES, ("key",), due_rows(now), now)
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
