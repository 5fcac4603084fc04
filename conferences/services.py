"""Workflows of a conference: who may take each step (rules.py), then the
model's own rule for it; the invitations in the app and by e-mail."""

from __future__ import annotations

import datetime
import textwrap

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Plan
from documents.formatting import short_date
from notifications.models import NotificationKind
from notifications.outbox import queue_template
from notifications.services import email_addresses, notify
from orgunits.access import can
from orgunits.history import attribute
from orgunits.models import Membership, OrgUnit, Term
from reports.attachments import attachment_names, check_upload

from . import selectors
from .models import Conference, ConferenceError, ConferenceStatus, Invitation, Speech
from .rules import ACTING


def _require(user: AbstractBaseUser, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def new_conference(*, plan: Plan) -> Conference:
    """An unsaved conference of ``plan``, organised by its issuing unit and body."""
    body = plan.issuing_body
    return Conference(
        plan=plan,
        unit=plan.issuing_unit,
        issuing_body=body,
        date=plan.conference_date or timezone.localdate(),
        title=default_title(plan),
        sign_on_behalf=body.sign_on_behalf,
        signer_position=body.signer_position,
        signer_name=body.signer_name,
    )


def default_title(plan: Plan) -> str:
    """ "Hội nghị sơ kết 03 năm …" from the plan's summary line, within 255 characters."""
    summary = " ".join(plan.summary.split()).rstrip(".")
    if not summary.lower().startswith(("sơ kết", "tổng kết")):
        summary = f"{plan.kind_word} {summary}"
    return textwrap.shorten(f"Hội nghị {summary}", width=255, placeholder=" …")


# What an invitation tells: a change of one sends the invitations again.
NOTICED = ("date", "time", "venue")


@transaction.atomic
def save_conference(
    *, conference: Conference, invited: list[OrgUnit], by: AbstractBaseUser
) -> Conference:
    """Save the conference and its invited units: a unit added is invited
    (not yet sent), a unit dropped loses its invitation; a new day, time or
    venue leaves every invitation to be sent again."""
    if conference.pk:
        _require(by, "conferences.organise", conference)
        before = Conference.objects.filter(pk=conference.pk).values(*NOTICED).first()
        if before and any(before[name] != getattr(conference, name) for name in NOTICED):
            # The units invited to another day or place are invited again
            # (their replies stay); people invited by name too.
            conference.invitations.update(sent_at=None)
            conference.guests_invited = []
    else:
        _require(by, "conferences.hold", conference.plan)
        conference.created_by = by
    attribute(conference, by).save()
    wanted = {unit.pk for unit in invited}
    conference.invitations.exclude(unit_id__in=wanted).delete()
    have = set(conference.invitations.values_list("unit_id", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(conference=conference, unit_id=pk) for pk in sorted(wanted - have)]
    )
    return conference


def _when(conference: Conference) -> str:
    day = short_date(conference.date)
    return f"{conference.time:%H:%M}, {day}" if conference.time else day


def _invitation_params(conference: Conference, unit_name: str) -> dict:
    return {
        "title": conference.title,
        "when": _when(conference),
        "venue": conference.venue,
        "organiser": conference.unit.name,
        "unit": unit_name,
    }


@transaction.atomic
def send_invitations(*, conference: Conference, by: AbstractBaseUser) -> int:
    """Invite the units not invited yet, in the app and by e-mail, and the
    people invited by name by e-mail. Each e-mail is rendered in its reader's
    language (their profile's) and goes through the outbox. How many units
    were invited."""
    _require(by, "conferences.organise", conference)
    if not conference.is_planned or conference.is_past():
        raise ConferenceError(_("The conference has taken place; invitations are closed."))
    waiting = list(conference.invitations.filter(sent_at__isnull=True).select_related("unit"))
    url = reverse("conferences:detail", args=[conference.pk])
    people: dict[int, list] = {}
    for membership in Membership.objects.filter(
        unit__in=[i.unit_id for i in waiting], role__in=ACTING, user__is_active=True
    ).select_related("user"):
        people.setdefault(membership.unit_id, {})[membership.user_id] = membership.user
    languages = dict(
        get_user_model()
        .objects.filter(pk__in={pk for users in people.values() for pk in users})
        .values_list("pk", "profile__language")
    )
    for invitation in waiting:
        users = list(people.get(invitation.unit_id, {}).values())
        params = _invitation_params(conference, invitation.unit.name)
        with translation.override("vi"):
            title = invitation_title(params)
        notify(
            users=users,
            kind=NotificationKind.CONFERENCE_INVITATION,
            title=title,
            url=url,
            email=False,
            params=params,
        )
        allowed = set(email_addresses(users))
        for user in users:
            if user.email in allowed:
                _queue_invitation(
                    conference, user.email, params, url, languages.get(user.pk) or "vi"
                )
    guests = conference.guests_to_invite()
    for name, email in guests:
        _queue_invitation(
            conference, email, _invitation_params(conference, name), url, "vi", guest=name
        )
    if guests:
        conference.guests_invited = [
            *conference.guests_invited,
            *(email for _name, email in guests),
        ]
        conference.save(update_fields=["guests_invited"])
    conference.invitations.filter(pk__in=[i.pk for i in waiting]).update(sent_at=timezone.now())
    return len(waiting)


def invitation_title(params: dict) -> str:
    return _("Invitation: %(title)s, %(when)s") % params


def _queue_invitation(
    conference: Conference, email: str, params: dict, url: str, language: str, guest: str = ""
) -> None:
    programme = list(conference.programme.all())
    queue_template(
        "conference_invitation",
        email,
        {
            "conference": conference,
            "params": params,
            "programme": programme,
            "url": url,
            "guest": guest,
            "when": params["when"],
        },
        language=language,
    )


@transaction.atomic
def reply(
    *, invitation: Invitation, reply: str, attendee: str = "", note: str = "", by: AbstractBaseUser
) -> Invitation:
    """The invited unit's people answer: attend, send a deputy (named), or decline."""
    _require(by, "conferences.reply", invitation)
    invitation.answer(reply=reply, attendee=attendee, note=note, by=by)
    attribute(invitation, by).save()
    return invitation


@transaction.atomic
def assign_speech(
    *,
    conference: Conference,
    unit: OrgUnit,
    topic: str,
    due_on: datetime.date,
    by: AbstractBaseUser,
) -> Speech:
    """Ask an invited unit for a speech, due before the conference."""
    _require(by, "conferences.organise", conference)
    if not conference.is_planned:
        raise ConferenceError(_("The conference has taken place; speeches are closed."))
    if not conference.invitations.filter(unit=unit).exists():
        raise ConferenceError(_("Only an invited unit can be asked for a speech."))
    if due_on < timezone.localdate():
        raise ConferenceError(_("The due date cannot be in the past."))
    if due_on > conference.date:
        raise ConferenceError(_("The speech must be due on or before the conference's day."))
    speech = Speech(conference=conference, unit=unit, topic=topic.strip(), due_on=due_on)
    attribute(speech, by).save()
    return speech


@transaction.atomic
def send_speech(
    *, speech: Speech, text: str, upload: UploadedFile | None, by: AbstractBaseUser
) -> Speech:
    """The unit sends its speech in: a text, a file, or both; sending again
    before the conference replaces them (chasing stops at the first)."""
    _require(by, "conferences.send_speech", speech)
    speech.require_open()
    text = text.strip()
    if not text and upload is None and not speech.file:
        raise ConferenceError(_("Write the speech or attach its file."))
    if upload is not None:
        extension, content_type = check_upload(upload)  # ValidationError
        shown, stored = attachment_names(upload.name, extension)
        speech.file.save(stored, upload, save=False)
        speech.original_name, speech.content_type = shown, content_type
    speech.text = text
    if speech.submitted_at is None:
        speech.submitted_at = timezone.now()
    speech.submitted_by = by
    attribute(speech, by).save()
    return speech


@transaction.atomic
def record(*, conference: Conference, minutes: str, conclusions: str, by: AbstractBaseUser) -> None:
    _require(by, "conferences.organise", conference)
    conference.record(minutes=minutes, conclusions=conclusions)
    attribute(conference, by).save()


@transaction.atomic
def cancel(*, conference: Conference, by: AbstractBaseUser) -> None:
    _require(by, "conferences.organise", conference)
    conference.cancel()
    attribute(conference, by).save(update_fields=["status"])


@transaction.atomic
def issue_notice(
    *,
    conference: Conference,
    issued_on: datetime.date,
    recipients: list[str],
    by: AbstractBaseUser,
) -> Conference:
    """Number the THÔNG BÁO KẾT LUẬN in the body's register of notices (TB)
    for the term of its date; a notice issued keeps its number."""
    _require(by, "conferences.organise", conference)
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.notice_issued:
        raise ConferenceError(_("The notice of conclusions has already been issued."))
    if conference.status != ConferenceStatus.HELD or not conference.conclusions:
        raise ConferenceError(_("Record the conclusions of the conference first."))
    if issued_on > timezone.localdate():
        raise ConferenceError(_("The notice date cannot be in the future."))
    if issued_on < conference.date:
        raise ConferenceError(_("The notice cannot be dated before the conference."))
    term = Term.for_date(issued_on)
    # Other notices of the body lock the register row by row: the body's one.
    type(conference.issuing_body).objects.select_for_update().get(pk=conference.issuing_body_id)
    conference.notice_term = term
    conference.notice_number = selectors.last_notice_number(conference.issuing_body, term) + 1
    conference.notice_issued_on = issued_on
    conference.notice_recipients = recipients
    attribute(conference, by).save()
    return conference
