"""Reads of conferences, scoped to the user."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from campaigns.models import Plan
from notifications.models import DeliveryStatus
from orgunits.access import scope_paths, within_q
from orgunits.models import IssuingBody, Term

from .models import Conference, ConferenceReminder, Invitation, Reply, Speech


def conferences_visible_to(user: AbstractBaseUser) -> QuerySet[Conference]:
    """The conferences of the units the user reaches, and those a unit the
    user reaches is invited to (a commune sees the district's conference it
    is asked to; its sibling, not invited, sees nothing)."""
    if scope_paths(user) == []:
        return Conference.objects.none()
    invited = Invitation.objects.filter(within_q(user, "unit")).values("conference_id")
    return Conference.objects.filter(within_q(user, "unit") | Q(pk__in=invited))


def get_conference_for_user(user: AbstractBaseUser, pk: int) -> Conference:
    """The conference if ``user`` sees it (``conferences_visible_to``); a 404 otherwise."""
    conference = (
        conferences_visible_to(user)
        .select_related("plan", "unit", "issuing_body__unit")
        .filter(pk=pk)
        .first()
    )
    if conference is None:
        raise Http404("No such conference.")
    return conference


def get_speech_for_user(user: AbstractBaseUser, pk: int) -> Speech:
    """A speech of a conference the user sees, if the user reaches its unit
    or organises the conference; a 404 otherwise."""
    visible = conferences_visible_to(user)
    speech = (
        Speech.objects.filter(conference__in=visible)
        .filter(within_q(user, "unit") | within_q(user, "conference__unit"))
        .select_related("conference__plan", "conference__unit", "unit")
        .filter(pk=pk)
        .first()
    )
    if speech is None:
        raise Http404("No such speech.")
    return speech


def plan_conferences(user: AbstractBaseUser, plan: Plan) -> list[Conference]:
    """The plan's conferences the user sees, each with ``invited_count``,
    ``confirmed_count``, ``speeches_count`` and ``speeches_in``: one query."""
    confirmed = Q(invitations__reply__in=[Reply.ATTEND, Reply.DEPUTY])
    return list(
        conferences_visible_to(user)
        .filter(plan=plan)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            confirmed_count=Count("invitations", filter=confirmed, distinct=True),
            speeches_count=Count("speeches", distinct=True),
            speeches_in=Count(
                "speeches", filter=Q(speeches__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("date", "pk")
    )


def invitations(conference: Conference) -> list[Invitation]:
    return list(conference.invitations.select_related("unit", "replied_by").order_by("unit__path"))


def speeches(conference: Conference) -> list[Speech]:
    """The speeches, each with ``reminded_at`` (its last reminder sent): two queries."""
    rows = list(conference.speeches.select_related("unit", "submitted_by"))
    reminded = {}
    for speech_id, sent_at in (
        ConferenceReminder.objects.filter(speech__conference=conference, status=DeliveryStatus.SENT)
        .order_by("sent_at")
        .values_list("speech_id", "sent_at")
    ):
        reminded[speech_id] = sent_at
    for speech in rows:
        speech.reminded_at = reminded.get(speech.pk)
    return rows


def last_notice_number(body: IssuingBody, term: Term) -> int:
    """The last number of ``body``'s register of notices (TB) in ``term``."""
    last = Conference.objects.filter(issuing_body=body, notice_term=term).aggregate(
        n=Max("notice_number")
    )["n"]
    return last or 0
