"""Petition workflow and the figures dialogue records give to a review."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
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


# --- Figures for a review (seed 000 asks for them) --------------------------

MEETINGS_PER_YEAR = "meetings_per_year"
PETITIONS_RECEIVED = "petitions_received"
PETITIONS_ON_THE_SPOT = "petitions_on_the_spot"
PETITIONS_RESOLVED_AFTER = "petitions_resolved_after"
PETITIONS_OPEN = "petitions_open"
PETITIONS_SUMMARY = "petitions_summary"


def review_figures(unit: OrgUnit, first_year: int, last_year: int) -> dict[str, object]:
    """What the unit's own dialogue records say for the reviewed period: two
    queries. Meetings per year as {"2018": 3, …}; petitions as counts."""
    meetings = (
        Meeting.objects.filter(
            plan__unit=unit,
            status=MeetingStatus.HELD,
            held_on__year__gte=first_year,
            held_on__year__lte=last_year,
        )
        .annotate(year=ExtractYear("held_on"))
        .values("year")
        .annotate(n=Count("id"))
    )
    petitions = Petition.objects.filter(
        unit=unit, meeting__held_on__year__gte=first_year, meeting__held_on__year__lte=last_year
    ).aggregate(
        received=Count("id"),
        on_the_spot=Count("id", filter=Q(answered_on_spot=True)),
        resolved_after=Count(
            "id",
            filter=Q(
                answered_on_spot=False, status__in=[PetitionStatus.ANSWERED, PetitionStatus.CLOSED]
            ),
        ),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
    )
    per_year = {str(row["year"]): row["n"] for row in meetings}
    return {
        MEETINGS_PER_YEAR: per_year,
        PETITIONS_RECEIVED: petitions["received"],
        PETITIONS_ON_THE_SPOT: petitions["on_the_spot"],
        PETITIONS_RESOLVED_AFTER: petitions["resolved_after"],
        PETITIONS_OPEN: petitions["open"],
        PETITIONS_SUMMARY: petitions_sentence(
            first_year, last_year, sum(per_year.values()), petitions
        ),
    }


def petitions_sentence(first_year: int, last_year: int, meetings: int, petitions: dict) -> str:
    """The records in one sentence of the report (document text, in Vietnamese)."""
    period = (
        f"Năm {first_year}"
        if first_year == last_year
        else f"Từ năm {first_year} đến năm {last_year}"
    )
    return (
        f"{period}, đã tổ chức {meetings:02d} cuộc tiếp xúc, đối thoại trực tiếp với nhân dân; "
        f"tiếp nhận {petitions['received']:02d} ý kiến, kiến nghị, trong đó: trả lời trực tiếp "
        f"tại hội nghị {petitions['on_the_spot']:02d} ý kiến; giải quyết, trả lời sau hội nghị "
        f"{petitions['resolved_after']:02d} ý kiến; đang giải quyết {petitions['open']:02d} ý kiến."
    )
