"""Direct dialogue meetings of a unit's head with citizens, and their petitions (seed 001)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chasing.models import Delivery
from documents.dates import WindowDateField
from orgunits.history import attribute
from orgunits.models import IssuingBody, OrgUnit

OPINIONS_DAYS_BEFORE = 10  # opinions and petitions are sent in at least 10 days before
NOTICE_DAYS_BEFORE = 7  # the public notice on local radio at least 7 days before


class DialogueError(Exception):
    """A step the meeting's or petition's state forbids; the message is for the user."""


class DialoguePlan(models.Model):
    """A head's yearly plan of dialogue meetings (Kế hoạch tiếp xúc, đối thoại)."""

    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="dialogue_plans", verbose_name=_("unit")
    )
    # The body whose register of plans (-KH/…) numbers it; empty: the unit's default body.
    issuing_body = models.ForeignKey(
        IssuingBody,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="dialogue_plans",
        verbose_name=_("issuing body"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issuer_symbol = models.CharField(_("issuer symbol"), max_length=30, blank=True)
    place_name = models.CharField(_("place name"), max_length=100, blank=True)
    issued_on = WindowDateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("summary line (trích yếu)"))
    introduction = models.TextField(_("introduction"), blank=True)
    purpose = models.TextField(_("I. Purpose and requirements"), blank=True)
    content = models.TextField(_("II. Content"), blank=True)
    implementation = models.TextField(_("III. Implementation"), blank=True)
    recipients = models.JSONField(_("recipients (Nơi nhận)"), default=list, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=100, default="BÍ THƯ")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        verbose_name = _("dialogue plan")
        verbose_name_plural = _("dialogue plans")

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}"


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    """One dialogue meeting: planned for a month, then dated, then held and recorded."""

    plan = models.ForeignKey(DialoguePlan, models.CASCADE, related_name="meetings")
    target_group = models.CharField(_("target group"), max_length=255)
    host_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="hosted_dialogues", verbose_name=_("host units")
    )
    month = models.PositiveSmallIntegerField(_("month"))
    date = WindowDateField(_("date"), null=True, blank=True)
    time = models.TimeField(_("time"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    chair = models.CharField(_("chair"), max_length=100, blank=True)
    secretary = models.CharField(_("secretary"), max_length=100, blank=True)
    order_of_business = models.TextField(_("order of business"), blank=True)
    preparations = models.TextField(_("who prepares what"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    held_on = WindowDateField(_("held on"), null=True, blank=True)
    attendance = models.JSONField(_("attendance by group"), default=dict, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    conclusions = models.TextField(_("chair's conclusions"), blank=True)
    notice_done_on = WindowDateField(_("radio notice given on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "month", "date"]
        verbose_name = _("dialogue meeting")
        verbose_name_plural = _("dialogue meetings")

    def __str__(self) -> str:
        return f"{self.target_group} · {self.date or self.month}"

    @property
    def opinions_due(self) -> datetime.date | None:
        """Units send their opinions and petitions in by this day."""
        return self.date - datetime.timedelta(days=OPINIONS_DAYS_BEFORE) if self.date else None

    @property
    def notice_due(self) -> datetime.date | None:
        """The public notice on local radio is given by this day."""
        return self.date - datetime.timedelta(days=NOTICE_DAYS_BEFORE) if self.date else None

    @property
    def notice_late(self) -> bool:
        """Still planned, the radio notice not recorded, and its day passed."""
        return (
            self.status == MeetingStatus.PLANNED
            and self.notice_due is not None
            and self.notice_done_on is None
            and self.notice_due < timezone.localdate()
        )

    @property
    def total_attendance(self) -> int:
        return sum(int(v) for v in self.attendance.values() if str(v).isdigit())

    @property
    def is_planned(self) -> bool:
        return self.status == MeetingStatus.PLANNED

    def opinions_late(self, *, hosts: int, sent: int, today: datetime.date) -> bool:
        """Late only while a host unit has still not sent its opinions in."""
        return (
            self.is_planned
            and self.opinions_due is not None
            and self.opinions_due < today
            and sent < hosts
        )

    def opinions_late_from(self, opinions: OpinionReport | None, today: datetime.date) -> bool:
        """A host unit's opinions are late: still missing after their day, or sent after it."""
        if self.opinions_due is None:
            return False
        if opinions is None:
            return self.opinions_due < today
        return timezone.localdate(opinions.sent_at) > self.opinions_due

    def require_opinions_open(self) -> None:
        if not self.is_planned:
            raise DialogueError(_("The meeting has been held; opinions can no longer be sent in."))

    def cancel(self, *, by) -> None:
        """The office calls a planned meeting off; nothing more is chased for it."""
        if not self.is_planned:
            raise DialogueError(_("Only a planned meeting can be cancelled."))
        self.status = MeetingStatus.CANCELLED
        attribute(self, by).save(update_fields=["status"])

    def record_notice(self, *, on: datetime.date, by) -> None:
        """The day the meeting was announced on local radio."""
        if on > timezone.localdate():
            raise DialogueError(_("The notice date cannot be in the future."))
        self.notice_done_on = on
        attribute(self, by).save(update_fields=["notice_done_on"])


class PetitionField(models.TextChoices):
    LAND = "land", _("Land and environment")
    SOCIAL = "social", _("Social policy")
    PARTY = "party", _("Party work")
    ECONOMY = "economy", _("Economy and infrastructure")
    ADMINISTRATION = "administration", _("Administrative procedures")
    SECURITY = "security", _("Security and order")
    OTHER = "other", _("Other")


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS)


class Petition(models.Model):
    """A petition (kiến nghị) raised at a meeting, answered on the spot or assigned."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="petitions")
    unit = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        related_name="petitions",
        verbose_name=_("unit"),
        help_text=_("Whose dialogue it was."),
    )
    petitioner = models.CharField(_("raised by"), max_length=255)
    subject = models.TextField(_("subject"))
    field = models.CharField(
        _("field"), max_length=20, choices=PetitionField.choices, default=PetitionField.OTHER
    )
    answered_on_spot = models.BooleanField(_("answered on the spot"), default=False)
    agency = models.ForeignKey(
        OrgUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_petitions",
        verbose_name=_("responsible agency"),
    )
    due_on = WindowDateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PetitionStatus.choices, default=PetitionStatus.RECEIVED
    )
    answer = models.TextField(_("answer"), blank=True)
    answered_on = WindowDateField(_("answered on"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "created"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.subject[:80]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_assignable(self) -> bool:
        """Not yet being handled by an agency: it may be (re)assigned."""
        return self.status in (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED)

    @property
    def is_being_handled(self) -> bool:
        return self.status in (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS)

    @property
    def may_be_closed(self) -> bool:
        return self.status == PetitionStatus.ANSWERED

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return (
            self.is_open
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )

    def _require_handled(self) -> None:
        if not self.is_being_handled:
            raise DialogueError(_("This petition is not being handled by an agency."))

    def assign(self, *, agency: OrgUnit, due_on: datetime.date, by) -> None:
        """The head's office gives an unanswered petition to an agency with a due date."""
        if not self.is_assignable:
            raise DialogueError(_("Only a petition not yet being handled can be assigned."))
        if due_on < timezone.localdate():
            raise DialogueError(_("The due date cannot be in the past."))
        self.agency, self.due_on, self.status = agency, due_on, PetitionStatus.ASSIGNED
        attribute(self, by).save()

    def start_handling(self, *, by) -> None:
        """The agency recorded its first progress."""
        self._require_handled()
        if self.status == PetitionStatus.ASSIGNED:
            self.status = PetitionStatus.IN_PROGRESS
            attribute(self, by).save()

    def give_answer(self, *, text: str, by) -> None:
        """The agency's final answer to the petitioner."""
        self._require_handled()
        if not text.strip():
            raise DialogueError(_("Write the answer given to the petitioner."))
        self.answer, self.answered_on = text.strip(), timezone.localdate()
        self.status = PetitionStatus.ANSWERED
        attribute(self, by).save()

    def close(self, *, by) -> None:
        """The head's office closes an answered petition."""
        if not self.may_be_closed:
            raise DialogueError(_("Only an answered petition can be closed."))
        self.status = PetitionStatus.CLOSED
        attribute(self, by).save()


class PetitionProgress(models.Model):
    petition = models.ForeignKey(Petition, models.CASCADE, related_name="progress")
    text = models.TextField(_("progress"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return self.text[:60]


class OpinionReport(models.Model):
    """What a host unit collected before a meeting and sent in (at least 10 days before)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="opinion_reports")
    unit = models.ForeignKey(
        OrgUnit, models.CASCADE, related_name="dialogue_opinions", verbose_name=_("unit")
    )
    text = models.TextField(_("opinions and petitions collected"))
    sent_at = models.DateTimeField(_("sent at"), auto_now=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "unit__path"]
        verbose_name = _("opinions sent in")
        verbose_name_plural = _("opinions sent in")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "unit"], name="opinions_once_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.meeting}"


class DialogueReminderKind(models.TextChoices):
    OPINIONS = "opinions", _("Opinions due")
    NOTICE = "notice", _("Radio notice due")
    PETITION = "petition", _("Petition due")
    PETITION_ESCALATION = "petition_escalation", _("Overdue petition, to the head's office")


class DialogueReminder(Delivery):
    """One reminder of a dialogue deadline, claimed by its unique key as the
    review reminders are: ``opinions:<meeting>:<unit>:before-3@2026-03-05``."""

    key = models.CharField(max_length=150, unique=True)
    kind = models.CharField(max_length=30, choices=DialogueReminderKind.choices)
    meeting = models.ForeignKey(
        Meeting, models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    petition = models.ForeignKey(
        Petition, models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    unit = models.ForeignKey(
        OrgUnit,
        models.CASCADE,
        related_name="dialogue_reminders",
        help_text=_("Whose people are reminded."),
    )
    due_on = models.DateField()
    days_left = models.IntegerField(help_text=_("Negative when overdue."))

    class Meta:
        ordering = ["-created"]
        verbose_name = _("dialogue reminder")
        verbose_name_plural = _("dialogue reminders")
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return self.key

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left)
