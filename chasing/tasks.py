"""Thin tasks: they take ids and hand the one sender (chasing.delivery) their messages."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.formatting import short_date
from notifications.models import NotificationKind

from . import board, delivery, export, registry, services
from .delivery import RETRIES
from .models import BoardExport, DeliveryStatus, Reminder, ReminderKind

logger = logging.getLogger(__name__)


@shared_task(time_limit=600, soft_time_limit=570)
def sweep() -> dict:
    """Hourly (django-celery-beat): find and enqueue every reminder due now."""
    now = timezone.now()
    result = services.sweep(now=now)
    return {
        "reminders": len(result.reminders),
        "escalations": len(result.escalations),
        **registry.run_all(now),
    }


@shared_task(bind=True, max_retries=RETRIES, time_limit=120, soft_time_limit=100)
def send_reminder(self, reminder_id: int) -> str:
    """Send one reminder (e-mail to the unit's people and in-app), exactly once."""
    return delivery.outcome_of_one(
        delivery.deliver(self, Reminder, [reminder_id], reminder_messages)
    )


def reminder_messages(ids: list[int]) -> list[delivery.Message]:
    reminders = (
        Reminder.objects.filter(pk__in=ids)
        .select_related("plan", "unit", "report", "sent_by")
        .prefetch_related("plan__deadlines")
    )
    return [reminder_message(reminder) for reminder in reminders]


def reminder_message(reminder: Reminder) -> delivery.Message:
    url = services.report_url(reminder.report_id)
    return delivery.Message(
        delivery_ids=[reminder.pk],
        people=services.unit_people(reminder.unit_id),
        template="reminder",
        context={
            "reminder": reminder,
            "plan": reminder.plan,
            "unit": reminder.unit,
            "url": url,
            "deadline_phrase": _deadline_phrase(reminder),
        },
        kind=NotificationKind.REMINDER,
        title=reminder_title(reminder),
        body=reminder.note,
        url=url,
    )


def _deadline_phrase(reminder: Reminder) -> str:
    """The plan's words for the deadline reminded of when it is more than the
    one day the reminder names (a month, a period, a day for sending the report)."""
    for deadline in reminder.plan.deadlines.all():
        if deadline.level_id == reminder.unit.level_id and deadline.last_day == reminder.due_on:
            return deadline.phrase if deadline.cited != short_date(reminder.due_on) else ""
    return ""


def reminder_title(reminder: Reminder) -> str:
    values = {"plan": reminder.plan.number_symbol, "date": short_date(reminder.due_on)}
    if reminder.days_left > 0:
        values["n"] = reminder.days_left
        return _("Report on plan %(plan)s due %(date)s: %(n)s day(s) left") % values
    if reminder.days_left == 0:
        return _("Report on plan %(plan)s is due today (%(date)s)") % values
    values["n"] = -reminder.days_left
    return _("Report on plan %(plan)s is %(n)s day(s) overdue (due %(date)s)") % values


@shared_task(bind=True, max_retries=RETRIES, time_limit=300, soft_time_limit=270)
def send_escalations(self, reminder_ids: list[int]) -> int:
    """One digest per unit above, listing its late units; each unit once."""
    outcome = delivery.deliver(self, Reminder, reminder_ids, escalation_messages)
    return outcome[DeliveryStatus.SENT]


def escalation_messages(ids: list[int]) -> list[delivery.Message]:
    """A digest per unit above. Late units whose own reminders reach nobody
    are listed apart: only the level above can get someone to answer."""
    reminders = list(
        Reminder.objects.filter(pk__in=ids, kind=ReminderKind.ESCALATION)
        .select_related("plan", "unit", "report")
        .order_by("unit__path")
    )
    reached = services.units_with_people(r.unit_id for r in reminders)
    messages = []
    for group in services.escalation_groups(reminders).values():
        plan = group[0].plan
        late = [r for r in group if r.unit_id in reached]
        unreached = [r for r in group if r.unit_id not in reached]
        body = [r.unit.name for r in late]
        if unreached:
            body += ["", _("Nobody can receive reminders in:")] + [r.unit.name for r in unreached]
        messages.append(
            delivery.Message(
                delivery_ids=[r.pk for r in group],
                people=services.coordinators_above(group[0].unit),
                template="escalation",
                context={
                    "reminders": late,
                    "unreached": unreached,
                    "total": len(group),
                    "plan": plan,
                },
                kind=NotificationKind.ESCALATION,
                title=_("%(n)s unit(s) below you are late on plan %(plan)s")
                % {"n": len(group), "plan": plan.number_symbol},
                body="\n".join(body).strip(),
                url=reverse("chasing:board", args=[plan.pk]) + "?timeliness=overdue",
            )
        )
    return messages


@shared_task(time_limit=600, soft_time_limit=570)
def build_board_export(export_id: int) -> str:
    """Write one large board's XLSX (the documents queue); a failure is kept
    on the job, not raised. Run twice, the second run finds it claimed."""
    if not BoardExport.claim(export_id):
        return "already claimed"
    job = BoardExport.objects.select_related("plan", "requested_by").get(pk=export_id)
    try:
        with translation.override(job.language):
            rows = board.board_rows(job.requested_by, job.plan)
            shown = board.filter_rows(rows, **job.filters)
            content = export.workbook(shown, progress=job.set_progress)
        job.finish(content)
    except SoftTimeLimitExceeded:
        job.fail("The export took too long.")
    except Exception as error:  # noqa: BLE001  (kept on the job; its page says it failed)
        logger.exception("Board export %s failed", export_id)
        job.fail(str(error) or error.__class__.__name__)
    return job.status
