"""Sending a speech reminder through the review reminders' one sender (chasing.delivery)."""

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

from .models import ConferenceReminder
from .rules import ACTING


def title(reminder: ConferenceReminder) -> str:
    """What is due, for the bell and the e-mail subject."""
    speech = reminder.speech
    values = {
        "due": short_date(reminder.due_on),
        "n": abs(reminder.days_left),
        "topic": Truncator(speech.topic.rstrip(".")).words(12),
        "date": short_date(speech.conference.date),
    }
    what = _("Send in the speech “%(topic)s” for the conference of %(date)s") % values
    if reminder.days_left > 0:
        when = _("due %(due)s, %(n)s day(s) left") % values
    elif reminder.days_left == 0:
        when = _("due today (%(due)s)") % values
    else:
        when = _("%(n)s day(s) overdue (due %(due)s)") % values
    return f"{what}: {when}"


def url(reminder: ConferenceReminder) -> str:
    return reverse("conferences:speech", args=[reminder.speech_id])


@shared_task(bind=True, max_retries=RETRIES, time_limit=120, soft_time_limit=100)
def send_reminder(self, reminder_id: int) -> str:
    """Send one speech reminder, exactly once (the claim), retrying on mail errors."""
    return delivery.outcome_of_one(
        delivery.deliver(self, ConferenceReminder, [reminder_id], messages)
    )


def messages(ids: list[int]) -> list[delivery.Message]:
    reminders = ConferenceReminder.objects.filter(pk__in=ids).select_related(
        "unit", "speech__conference__unit"
    )
    return [message(reminder) for reminder in reminders]


def message(reminder: ConferenceReminder) -> delivery.Message:
    context = {
        "reminder": reminder,
        "title": title(reminder),
        "unit": reminder.unit,
        "speech": reminder.speech,
        "conference": reminder.speech.conference,
        "url": url(reminder),
    }
    return delivery.Message(
        delivery_ids=[reminder.pk],
        people=chasing.members(reminder.unit_id, sorted(ACTING)),
        template="conference_reminder",
        context=context,
        kind=NotificationKind.CONFERENCE_SPEECH,
        title=context["title"],
        url=context["url"],
    )
