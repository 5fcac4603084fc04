"""Petition workflow and the figures dialogue records give to a review."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from orgunits.models import Membership, OrgUnit, Role
from orgunits.selectors import scope_paths

from .models import (
    OPEN_STATUSES,
    Meeting,
    MeetingStatus,
    Petition,
    PetitionProgress,
    PetitionStatus,
)


class PetitionError(Exception):
    """A step the petition's state forbids; the message is for the user."""


def petitions_visible_to(user: AbstractBaseUser):
    """A unit sees its own petitions (and those of its subtree); an agency sees
    the petitions assigned to it (or to a unit below it)."""
    paths = scope_paths(user)
    if paths is None:
        return Petition.objects.all()
    if not paths:
        return Petition.objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(unit__path__startswith=path) | Q(agency__path__startswith=path)
    return Petition.objects.filter(condition)


def _acts_for(user: AbstractBaseUser, unit: OrgUnit | None) -> bool:
    if unit is None:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, unit__path__in=[unit.path, *unit.ancestor_paths()]
    ).exists()


def coordinates(user: AbstractBaseUser, unit: OrgUnit) -> bool:
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, role=Role.COORDINATOR, unit__path__in=[unit.path, *unit.ancestor_paths()]
    ).exists()


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
    unit = meeting.plan.unit
    if not coordinates(by, unit):
        raise PermissionDenied
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
    if not coordinates(by, petition.unit):
        raise PermissionDenied
    if petition.status not in (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED):
        raise PetitionError(_("Only a petition not yet being handled can be assigned."))
    if due_on < timezone.localdate():
        raise PetitionError(_("The due date cannot be in the past."))
    petition.agency, petition.due_on, petition.status = agency, due_on, PetitionStatus.ASSIGNED
    petition._history_user = by
    petition.save()


@transaction.atomic
def report_progress(*, petition: Petition, text: str, by: AbstractBaseUser) -> None:
    """The agency records what it has done so far."""
    if not _acts_for(by, petition.agency):
        raise PermissionDenied
    if petition.status not in (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS):
        raise PetitionError(_("This petition is not being handled by an agency."))
    PetitionProgress.objects.create(petition=petition, text=text, by=by)
    if petition.status == PetitionStatus.ASSIGNED:
        petition.status = PetitionStatus.IN_PROGRESS
        petition._history_user = by
        petition.save()


@transaction.atomic
def answer(*, petition: Petition, text: str, by: AbstractBaseUser) -> None:
    """The agency gives its final answer."""
    if not _acts_for(by, petition.agency):
        raise PermissionDenied
    if petition.status not in (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS):
        raise PetitionError(_("This petition is not being handled by an agency."))
    if not text.strip():
        raise PetitionError(_("Write the answer given to the petitioner."))
    petition.answer, petition.answered_on = text.strip(), timezone.localdate()
    petition.status = PetitionStatus.ANSWERED
    petition._history_user = by
    petition.save()


@transaction.atomic
def close(*, petition: Petition, by: AbstractBaseUser) -> None:
    """The head's office closes an answered petition."""
    if not coordinates(by, petition.unit):
        raise PermissionDenied
    if petition.status != PetitionStatus.ANSWERED:
        raise PetitionError(_("Only an answered petition can be closed."))
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
    return {
        MEETINGS_PER_YEAR: {str(row["year"]): row["n"] for row in meetings},
        PETITIONS_RECEIVED: petitions["received"],
        PETITIONS_ON_THE_SPOT: petitions["on_the_spot"],
        PETITIONS_RESOLVED_AFTER: petitions["resolved_after"],
        PETITIONS_OPEN: petitions["open"],
    }
