"""A plan's review conference (hội nghị sơ kết / tổng kết): its invitations
and replies, its programme, the speeches (tham luận) units are asked for,
and the conclusions it ends with (the THÔNG BÁO KẾT LUẬN)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Plan
from documents.dates import WindowDateField
from documents.responses import unguessable_path
from notifications.models import Delivery
from orgunits.models import IssuingBody, OrgUnit, Term


class ConferenceError(Exception):
    """A step the conference's state forbids; the message is for the user."""


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Conference(models.Model):
    """The conference a plan's issuing unit holds (the province's, or a
    district's on its implementing plan)."""

    plan = models.ForeignKey(
        Plan, models.CASCADE, related_name="conferences", verbose_name=_("plan")
    )
    # The organiser: the plan's issuing unit, kept here for the scoped reads.
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="conferences", verbose_name=_("organising unit")
    )
    # The body whose register numbers the notice of conclusions ("-TB/HU").
    issuing_body = models.ForeignKey(
        IssuingBody, models.PROTECT, related_name="conferences", verbose_name=_("issuing body")
    )
    title = models.CharField(_("title"), max_length=255)
    date = WindowDateField(_("date"))
    time = models.TimeField(_("time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255)
    chair = models.CharField(
        _("chair"), max_length=150, help_text=_("e.g. “Nguyễn Văn A, Bí thư Huyện ủy”.")
    )
    guests = models.TextField(
        _("people invited by name"),
        blank=True,
        help_text=_(
            "One a line: the name, then the e-mail address if any, e.g. “Đ/c Trần B, b@x.vn”."
        ),
    )
    # The addresses of the people invited by name already e-mailed: each once.
    guests_invited = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ConferenceStatus.choices,
        default=ConferenceStatus.PLANNED,
    )
    minutes = models.TextField(_("minutes"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    # The THÔNG BÁO KẾT LUẬN: numbered in the body's TB register for the term when issued.
    notice_number = models.PositiveIntegerField(_("notice number"), null=True, blank=True)
    notice_term = models.ForeignKey(
        Term, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("term")
    )
    notice_issued_on = WindowDateField(_("notice date"), null=True, blank=True)
    notice_recipients = models.JSONField(_("recipients (Nơi nhận)"), default=list, blank=True)
    sign_on_behalf = models.CharField(_("on behalf of"), max_length=100, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=100, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("review conference")
        verbose_name_plural = _("review conferences")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "notice_term", "notice_number"],
                condition=Q(notice_number__isnull=False),
                name="conference_notice_number_unique_in_register",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_planned(self) -> bool:
        return self.status == ConferenceStatus.PLANNED

    def is_past(self, today: datetime.date | None = None) -> bool:
        return self.date < (today or timezone.localdate())

    @property
    def notice_issued(self) -> bool:
        return self.notice_number is not None

    def guest_list(self) -> list[tuple[str, str]]:
        """(name, e-mail) of each person invited by name."""
        people = []
        for line in self.guests.splitlines():
            name, _comma, email = line.strip().rpartition(",")
            if "@" not in email:
                name, email = line.strip(), ""
            if name.strip():
                people.append((name.strip(), email.strip()))
        return people

    def guests_to_invite(self) -> list[tuple[str, str]]:
        """(name, e-mail) of the people invited by name not e-mailed yet."""
        done = set(self.guests_invited)
        return [(name, email) for name, email in self.guest_list() if email and email not in done]

    def require_replies_open(self, today: datetime.date | None = None) -> None:
        if not self.is_planned or self.is_past(today):
            raise ConferenceError(_("The conference has taken place; replies are closed."))

    def record(self, *, minutes: str, conclusions: str, today: datetime.date | None = None) -> None:
        """The minutes and conclusions, once the day has come; the conference is then held."""
        if self.status == ConferenceStatus.CANCELLED:
            raise ConferenceError(_("The conference was cancelled."))
        if self.date > (today or timezone.localdate()):
            raise ConferenceError(
                _("The minutes are recorded once the conference has taken place.")
            )
        if self.notice_issued:
            raise ConferenceError(
                _("The notice of conclusions has been issued; the conclusions no longer change.")
            )
        self.minutes, self.conclusions = minutes.strip(), conclusions.strip()
        self.status = ConferenceStatus.HELD

    def cancel(self) -> None:
        if not self.is_planned:
            raise ConferenceError(_("Only a planned conference can be cancelled."))
        self.status = ConferenceStatus.CANCELLED


class Reply(models.TextChoices):
    PENDING = "pending", _("No reply yet")
    ATTEND = "attend", _("Will attend")
    DEPUTY = "deputy", _("Sends a deputy")
    DECLINE = "decline", _("Will not attend")


class Invitation(models.Model):
    """A unit invited to the conference, and its reply."""

    conference = models.ForeignKey(Conference, models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(
        OrgUnit, models.CASCADE, related_name="conference_invitations", verbose_name=_("unit")
    )
    sent_at = models.DateTimeField(_("invitation sent at"), null=True, blank=True)
    reply = models.CharField(
        _("reply"), max_length=10, choices=Reply.choices, default=Reply.PENDING
    )
    attendee = models.CharField(
        _("who attends"),
        max_length=150,
        blank=True,
        help_text=_("The name and position of the deputy sent."),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "unit__path"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["conference", "unit"], name="invitation_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.conference}"

    @property
    def confirmed(self) -> bool:
        return self.reply in (Reply.ATTEND, Reply.DEPUTY)

    def answer(self, *, reply: str, attendee: str = "", note: str = "", by) -> None:
        """The unit's reply; it may change it until the conference's day."""
        self.conference.require_replies_open()
        if reply not in (Reply.ATTEND, Reply.DEPUTY, Reply.DECLINE):
            raise ConferenceError(_("Choose a reply."))
        attendee = " ".join(attendee.split())
        if reply == Reply.DEPUTY and not attendee:
            raise ConferenceError(_("Give the name of the deputy who attends."))
        self.reply = reply
        self.attendee = attendee if reply == Reply.DEPUTY else ""
        self.note = note.strip()[:255]
        self.replied_at, self.replied_by = timezone.now(), by


class ProgrammeItem(models.Model):
    """One item of the programme, in order."""

    conference = models.ForeignKey(Conference, models.CASCADE, related_name="programme")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    time = models.TimeField(_("time"), null=True, blank=True)
    title = models.CharField(_("item"), max_length=255)
    presenter = models.CharField(_("who"), max_length=150, blank=True)

    class Meta:
        ordering = ["conference", "position", "time", "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")

    def __str__(self) -> str:
        return self.title


def speech_path(instance: Speech, filename: str) -> str:
    return unguessable_path(f"conferences/{instance.conference_id}", filename)


class Speech(models.Model):
    """A speech (tham luận) a unit is asked to give, due before the conference."""

    conference = models.ForeignKey(Conference, models.CASCADE, related_name="speeches")
    unit = models.ForeignKey(
        OrgUnit, models.CASCADE, related_name="conference_speeches", verbose_name=_("unit")
    )
    topic = models.CharField(_("topic"), max_length=255)
    due_on = WindowDateField(_("due on"))
    text = models.TextField(_("text of the speech"), blank=True)
    file = models.FileField(_("file"), upload_to=speech_path, max_length=500, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    submitted_at = models.DateTimeField(_("sent in at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["conference", "due_on", "unit__path"]
        verbose_name = _("speech")
        verbose_name_plural = _("speeches")
        indexes = [models.Index(fields=["submitted_at", "due_on"])]

    def __str__(self) -> str:
        return self.topic

    @property
    def is_in(self) -> bool:
        return self.submitted_at is not None

    def is_late(self, today: datetime.date | None = None) -> bool:
        """Still missing after its day, or sent in after it."""
        if self.submitted_at is None:
            return self.due_on < (today or timezone.localdate())
        return timezone.localdate(self.submitted_at) > self.due_on

    def require_open(self) -> None:
        if not self.conference.is_planned:
            raise ConferenceError(_("The conference has taken place; speeches are closed."))


class ConferenceReminder(Delivery):
    """One reminder of a speech due, claimed by its unique key as the review
    reminders are: ``speech:<speech>:<unit>:before-3@2026-03-05``."""

    SPEECH = "speech"

    key = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, default=SPEECH)
    speech = models.ForeignKey(Speech, models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(
        OrgUnit,
        models.CASCADE,
        related_name="conference_reminders",
        help_text=_("Whose people are reminded."),
    )
    due_on = models.DateField()
    days_left = models.IntegerField(help_text=_("Negative when overdue."))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("speech reminder")
        verbose_name_plural = _("speech reminders")
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return self.key

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)
