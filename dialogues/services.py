"""Workflows of meetings and petitions: who may take each step (rules.py),
then the model's own rule for it; the steps that create records."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from orgunits.access import can
from orgunits.history import attribute
from orgunits.models import OrgUnit

from .models import (
    DialogueError,
    Meeting,
    OpinionReport,
    Petition,
    PetitionProgress,
    PetitionStatus,
)


def _require(user: AbstractBaseUser, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


@transaction.atomic
def send_opinions(
    *, meeting: Meeting, unit: OrgUnit, text: str, by: AbstractBaseUser
) -> OpinionReport:
    """A host unit sends in the opinions and petitions it collected; sending
    again before the meeting replaces the text."""
    _require(by, "dialogues.send_opinions", unit)
    if not meeting.host_units.filter(pk=unit.pk).exists():
        raise PermissionDenied
    meeting.require_opinions_open()
    if not text.strip():
        raise DialogueError(_("Write the opinions and petitions collected."))
    report = OpinionReport.objects.filter(meeting=meeting, unit=unit).first() or OpinionReport(
        meeting=meeting, unit=unit
    )
    report.text, report.by = text.strip(), by
    attribute(report, by).save()
    return report


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, by: AbstractBaseUser) -> None:
    _require(by, "dialogues.coordinate", meeting)
    meeting.cancel(by=by)


@transaction.atomic
def give_notice(*, meeting: Meeting, on: datetime.date, by: AbstractBaseUser) -> None:
    _require(by, "dialogues.coordinate", meeting)
    meeting.record_notice(on=on, by=by)


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
    _require(by, "dialogues.coordinate", meeting)
    petition = Petition(
        meeting=meeting,
        unit=meeting.plan.unit,
        petitioner=petitioner,
        subject=subject,
        field=field,
        answered_on_spot=answered_on_spot,
    )
    if answered_on_spot:
        petition.status = PetitionStatus.ANSWERED
        petition.answer = answer
        petition.answered_on = meeting.held_on or meeting.date
    attribute(petition, by).save()
    return petition


@transaction.atomic
def assign(
    *, petition: Petition, agency: OrgUnit, due_on: datetime.date, by: AbstractBaseUser
) -> None:
    _require(by, "dialogues.coordinate", petition)
    petition.assign(agency=agency, due_on=due_on, by=by)


@transaction.atomic
def report_progress(*, petition: Petition, text: str, by: AbstractBaseUser) -> None:
    """The agency records what it has done so far."""
    _require(by, "dialogues.answer_petition", petition)
    petition.start_handling(by=by)
    PetitionProgress.objects.create(petition=petition, text=text, by=by)


@transaction.atomic
def answer(*, petition: Petition, text: str, by: AbstractBaseUser) -> None:
    _require(by, "dialogues.answer_petition", petition)
    petition.give_answer(text=text, by=by)


@transaction.atomic
def close(*, petition: Petition, by: AbstractBaseUser) -> None:
    _require(by, "dialogues.coordinate", petition)
    petition.close(by=by)
