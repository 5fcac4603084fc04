"""Sending a dialogue reminder through the review reminders' one sender (chasing.delivery)."""

from __future__ import annotations

from celery import shared_task
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from chasing import delivery
from chasing import services as chasing
from chasing.delivery import RETRIES
from documents.formatting import short_date
from notifications.models import NotificationKind
from orgunits.models import Role

from .models import DialogueReminder, DialogueReminderKind

NOTIFICATION_KINDS = {
    DialogueReminderKind.OPINIONS: NotificationKind.DIALOGUE_OPINIONS,
    DialogueReminderKind.NOTICE: NotificationKind.DIALOGUE_NOTICE,
    DialogueReminderKind.PETITION: NotificationKind.DIALOGUE_PETITION,
    DialogueReminderKind.PETITION_ESCALATION: NotificationKind.DIALOGUE_PETITION_ESCALATION,
}
# The head's office (its coordinators) gives the notice and hears of overdue
# petitions; a host unit's or an agency's cadres send opinions and answers.
OFFICE_KINDS = (DialogueReminderKind.NOTICE, DialogueReminderKind.PETITION_ESCALATION)


def recipients(reminder: DialogueReminder) -> list:
    roles = [Role.COORDINATOR]
    if reminder.kind not in OFFICE_KINDS:
        roles += [Role.REPORTER, Role.APPROVER]
    return chasing.members(reminder.unit_id, roles)


def title(reminder: DialogueReminder) -> str:
    """What is due, for the bell and the e-mail subject."""
    values = {"due": short_date(reminder.due_on), "n": abs(reminder.days_left)}
    if reminder.petition_id:
        values["subject"] = Truncator(reminder.petition.subject.rstrip(".")).words(12)
    else:
        values["date"] = short_date(reminder.meeting.date)
    what = {
        DialogueReminderKind.OPINIONS: _(
            "Send in the opinions and petitions collected for the dialogue of %(date)s"
        ),
        DialogueReminderKind.NOTICE: _("Announce the dialogue of %(date)s on local radio"),
        DialogueReminderKind.PETITION: _("Answer the petition “%(subject)s”"),
        DialogueReminderKind.PETITION_ESCALATION: _("Overdue petition: “%(subject)s”"),
    }[reminder.kind] % values
    if reminder.days_left > 0:
        when = _("due %(due)s, %(n)s day(s) left") % values
    elif reminder.days_left == 0:
        when = _("due today (%(due)s)") % values
    else:
        when = _("%(n)s day(s) overdue (due %(due)s)") % values
    return f"{what}: {when}"


def url(reminder: DialogueReminder) -> str:
    if reminder.petition_id:
        return reverse("dialogues:petition", args=[reminder.petition_id])
    anchor = "#opinions" if reminder.kind == DialogueReminderKind.OPINIONS else "#notice"
    return reverse("dialogues:meeting", args=[reminder.meeting_id]) + anchor


@shared_task(bind=True, max_retries=RETRIES, time_limit=120, soft_time_limit=100)
def send_reminder(self, reminder_id: int) -> str:
    """Send one dialogue reminder, exactly once (the claim), retrying on mail errors."""
    return delivery.outcome_of_one(
        delivery.deliver(self, DialogueReminder, [reminder_id], messages)
    )


def messages(ids: list[int]) -> list[delivery.Message]:
    reminders = DialogueReminder.objects.filter(pk__in=ids).select_related(
        "unit", "meeting__plan__unit", "petition__agency", "petition__meeting"
    )
    return [message(reminder) for reminder in reminders]


def message(reminder: DialogueReminder) -> delivery.Message:
    context = {
        "reminder": reminder,
        "title": title(reminder),
        "unit": reminder.unit,
        "meeting": reminder.meeting,
        "petition": reminder.petition,
        "url": url(reminder),
    }
    return delivery.Message(
        delivery_ids=[reminder.pk],
        people=recipients(reminder),
        template="dialogue_reminder",
        context=context,
        kind=NOTIFICATION_KINDS[reminder.kind],
        title=context["title"],
        url=context["url"],
    )
