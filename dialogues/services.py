"""Workflows of meetings and petitions: opinions, cancelling, the radio notice, petitions."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from orgunits.access import can, scope_paths, within_q
from orgunits.models import OrgUnit
from orgunits.selectors import units_visible_to

from .models import (
    OPEN_STATUSES,
    Meeting,
    MeetingStatus,
    OpinionReport,
    Petition,
    PetitionProgress,
    PetitionStatus,
)


class DialogueError(Exception):
    """A step the meeting's or petition's state forbids; the message is for the user."""


def petitions_visible_to(user: AbstractBaseUser):
    """A unit sees its own petitions (and those of its subtree); an agency sees
    the petitions assigned to it (or to a unit below it)."""
    if scope_paths(user) == []:
        return Petition.objects.none()
    return Petition.objects.filter(within_q(user, "unit") | within_q(user, "agency"))


def meetings_visible_to(user: AbstractBaseUser):
    """The meetings of the plans of units the user sees, and those the user's
    units host (a commune sees the district secretary's dialogue held there)."""
    visible = units_visible_to(user)
    hosted = Meeting.host_units.through.objects.filter(orgunit__in=visible).values("meeting_id")
    return Meeting.objects.filter(Q(plan__unit__in=visible) | Q(pk__in=hosted))


def get_meeting_for_user(user: AbstractBaseUser, pk: int) -> Meeting:
    """The meeting if ``user`` sees it (see ``meetings_visible_to``); a 404 otherwise."""
    meeting = meetings_visible_to(user).select_related("plan__unit").filter(pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    return meeting


@transaction.atomic
def send_opinions(
    *, meeting: Meeting, unit: OrgUnit, text: str, by: AbstractBaseUser
) -> OpinionReport:
    """A host unit sends in the opinions and petitions it collected; sending
    again before the meeting replaces the text."""
    if (
        not can(by, "dialogues.send_opinions", unit)
        or not meeting.host_units.filter(pk=unit.pk).exists()
    ):
        raise PermissionDenied
    if meeting.status != MeetingStatus.PLANNED:
        raise DialogueError(_("The meeting has been held; opinions can no longer be sent in."))
    if not text.strip():
        raise DialogueError(_("Write the opinions and petitions collected."))
    report = OpinionReport.objects.filter(meeting=meeting, unit=unit).first() or OpinionReport(
        meeting=meeting, unit=unit
    )
    report.text, report.by = text.strip(), by
    report._history_user = by
    report.save()
    return report


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: AbstractBaseUser) -> None:
    """The office calls a planned meeting off; nothing more is chased for it."""
    if not can(by, "dialogues.coordinate", meeting):
        raise PermissionDenied
    if meeting.status != MeetingStatus.PLANNED:
        raise DialogueError(_("Only a planned meeting can be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting._history_user = by
    meeting.save(update_fields=["status"])


@transaction.atomic
def give_notice(*, meeting: Meeting, on: datetime.date, by: AbstractBaseUser) -> None:
    """The head's office records the day the meeting was announced on local radio."""
    if not can(by, "dialogues.coordinate", meeting):
        raise PermissionDenied
    if on > timezone.localdate():
        raise DialogueError(_("The notice date cannot be in the future."))
    meeting.notice_done_on = on
    meeting._history_user = by
    meeting.save(update_fields=["notice_done_on"])


@transaction.atomic
def record_petition(
    *,
    meeting: Meeting,
    petitioner: str,
    subject: str,
    field: str,
    answered_on_spot: bool,
    answer: str = "",
    by: AbstractBaseUser,
) -> Petition:
    if not can(by, "dialogues.coordinate", meeting):
        raise PermissionDenied
    unit = meeting.plan.unit
    petition = Petition(
        meeting=meeting,
        unit=unit,
        petitioner=petitioner,
        subject=subject,
        field=field,
        answered_on_spot=answered_on_spot,
    )
    if answered_on_spot:
        petition.status = PetitionStatus.ANSWERED
        petition.answer = answer
        petition.answered_on = meeting.held_on or meeting.date
    petition._history_user = by
    petition.save()
    return petition


@transaction.atomic
def assign(
    *, petition: Petition, agency: OrgUnit, due_on: datetime.date, by: AbstractBaseUser
) -> None:
    """The head's office gives an unanswered petition to an agency with a due date."""
    if not can(by, "dialogues.coordinate", petition):
        raise PermissionDenied
    if petition.status not in (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED):
        raise DialogueError(_("Only a petition not yet being handled can be assigned."))
    if due_on < timezone.localdate():
        raise DialogueError(_("The due date cannot be in the past."))
    petition.agency, petition.due_on, petition.status = agency, due_on, PetitionStatus.ASSIGNED
    petition._history_user = by
    petition.save()


@transaction.atomic
def report_progress(*, petition: Petition, text: str, by: AbstractBaseUser) -> None:
    """The agency records what it has done so far."""
    if not can(by, "dialogues.answer_petition", petition):
        raise PermissionDenied
    if petition.status not in (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS):
        raise DialogueError(_("This petition is not being handled by an agency."))
    PetitionProgress.objects.create(petition=petition, text=text, by=by)
    if petition.status == PetitionStatus.ASSIGNED:
        petition.status = PetitionStatus.IN_PROGRESS
        petition._history_user = by
        petition.save()


@transaction.atomic
def answer(*, petition: Petition, text: str, by: AbstractBaseUser) -> None:
    """The agency gives its final answer."""
    if not can(by, "dialogues.answer_petition", petition):
        raise PermissionDenied
    if petition.status not in (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS):
        raise DialogueError(_("This petition is not being handled by an agency."))
    if not text.strip():
        raise DialogueError(_("Write the answer given to the petitioner."))
    petition.answer, petition.answered_on = text.strip(), timezone.localdate()
    petition.status = PetitionStatus.ANSWERED
    petition._history_user = by
    petition.save()


@transaction.atomic
def close(*, petition: Petition, by: AbstractBaseUser) -> None:
    """The head's office closes an answered petition."""
    if not can(by, "dialogues.coordinate", petition):
        raise PermissionDenied
    if petition.status != PetitionStatus.ANSWERED:
        raise DialogueError(_("Only an answered petition can be closed."))
    petition.status = PetitionStatus.CLOSED
    petition._history_user = by
    petition.save()


def overdue(today: datetime.date | None = None):
    today = today or timezone.localdate()
    return Petition.objects.filter(status__in=OPEN_STATUSES, due_on__lt=today)
