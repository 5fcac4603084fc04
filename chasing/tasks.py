"""Thin tasks: they take ids, claim with a conditional update, and call services."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications import emails
from notifications.services import email_addresses, notify

from . import registry, services
from .models import Reminder, ReminderKind

RETRIES = 4


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
    if not services.claim(reminder_id):
        return "already claimed"
    reminder = Reminder.objects.select_related("plan", "unit", "report", "sent_by").get(
        pk=reminder_id
    )
    people = services.unit_people(reminder.unit_id)
    url = services.report_url(reminder.report_id)
    context = {"reminder": reminder, "plan": reminder.plan, "unit": reminder.unit, "url": url}
    try:
        addresses = email_addresses(people)
        if addresses:
            emails.send("reminder", addresses, context)
    except OSError as error:
        final = self.request.retries >= RETRIES
        services.release(reminder_id, str(error), final=final)
        if final:
            return "failed"
        raise self.retry(exc=error, countdown=60 * 2**self.request.retries) from error
    with transaction.atomic():
        notify(
            users=people,
            kind="reminder",
            title=reminder_title(reminder),
            body=reminder.note,
            url=url,
            email=False,
        )
        services.mark_sent([reminder_id])
    return "sent"


def reminder_title(reminder: Reminder) -> str:
    values = {"plan": reminder.plan.number_symbol, "date": f"{reminder.due_on:%d/%m/%Y}"}
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
    claimed = [pk for pk in reminder_ids if services.claim(pk)]
    if not claimed:
        return 0
    reminders = list(
        Reminder.objects.filter(pk__in=claimed, kind=ReminderKind.ESCALATION)
        .select_related("plan", "unit", "report")
        .order_by("unit__path")
    )
    sent, failed = 0, []
    for group in services.escalation_groups(reminders).values():
        ids = [r.pk for r in group]
        coordinators = services.coordinators_above(group[0].unit)
        context = {"reminders": group, "plan": group[0].plan}
        try:
            addresses = email_addresses(coordinators)
            if addresses:
                emails.send("escalation", addresses, context)
        except OSError as error:
            final = self.request.retries >= RETRIES
            for pk in ids:
                services.release(pk, str(error), final=final)
            if not final:
                failed += ids
            continue
        with transaction.atomic():
            notify(
                users=coordinators,
                kind="escalation",
                title=_("%(n)s unit(s) below you are late on plan %(plan)s")
                % {"n": len(group), "plan": group[0].plan.number_symbol},
                body="\n".join(r.unit.name for r in group),
                url=reverse("chasing:board", args=[group[0].plan_id]) + "?timeliness=overdue",
                email=False,
            )
            services.mark_sent(ids)
        sent += len(ids)
    if failed:
        # Released to "queued": the retry claims them again.
        raise self.retry(args=[failed], countdown=60 * 2**self.request.retries)
    return sent
