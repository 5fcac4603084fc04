"""Unit reports written against a plan's outline.

A report record exists for every participating unit from the moment its plan
is published; the unit fills it in, its approver submits it, and the level
above returns or accepts it. Every change is kept (django-simple-history).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import OutlineItem, Plan, PlanStatus, validate_figure
from documents.dates import WindowDateField
from documents.formatting import short_date
from documents.numbering import DOC_TYPE_REPORT, number_symbol
from documents.responses import unguessable_path
from documents.richtext import to_plain_text as plain_text
from orgunits.bodies import default_body
from orgunits.history import attribute
from orgunits.models import IssuingBody, OrgUnit, Term


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class ReceivedVia(models.TextChoices):
    """How a report reached the level above: written in the app, or sent
    outside it and recorded by a coordinator of the level above."""

    APP = "app", _("in the app")
    EMAIL = "email", _("by e-mail")
    PAPER = "paper", _("on paper")
    OTHER = "other", _("by other means")


EDITABLE_STATUSES = {ReportStatus.PENDING, ReportStatus.DRAFT, ReportStatus.RETURNED}


class WorkflowError(Exception):
    """A transition that the report's state or the plan forbids; for the user."""


class AlreadyDone(WorkflowError):
    """The step was taken a moment ago by someone else (two approvers submit
    at once): said to the second one as information, not as an error."""


class Report(models.Model):
    """A unit's report in a review campaign.

    ``campaign`` is the plan that opened the campaign; ``plan`` is the one the
    unit answers to, which is its district's implementing plan once the
    district has published one (the rule: ``campaigns.selectors.governing_plan``).
    One report per unit per campaign.
    """

    campaign = models.ForeignKey(
        Plan, models.CASCADE, related_name="campaign_reports", verbose_name=_("campaign")
    )
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="reports", verbose_name=_("plan"))
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="reports", verbose_name=_("unit")
    )
    due_on = WindowDateField(_("due on"))
    # The unit's name as the report prints it, taken at submission and when the
    # unit is merged (orgunits.mergers): empty, the unit's current name.
    unit_name = models.CharField(_("name of the unit"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    # The document: "Số 45-BC/HU", place and date, signatory.
    term = models.ForeignKey(Term, models.PROTECT, null=True, blank=True, verbose_name=_("term"))
    # The body the report is issued by; empty: the unit's default body.
    issuing_body = models.ForeignKey(
        IssuingBody,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("issuing body"),
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    issuer_symbol = models.CharField(_("issuer symbol"), max_length=30, blank=True)
    issued_on = WindowDateField(_("date"), null=True, blank=True)
    sign_on_behalf = models.CharField(
        _("on behalf of"), max_length=100, blank=True, default="T/M BAN THƯỜNG VỤ"
    )
    signer_position = models.CharField(
        _("signer's position"), max_length=100, blank=True, default="BÍ THƯ"
    )
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)
    recipients = models.JSONField(_("recipients (Nơi nhận)"), default=list, blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_late = models.BooleanField(_("late"), default=False)
    # A report sent by e-mail or on paper is recorded by the level above: its
    # files are attachments, ``submitted_at`` is the day it arrived.
    received_via = models.CharField(
        _("received"), max_length=10, choices=ReceivedVia.choices, default=ReceivedVia.APP
    )
    received_note = models.TextField(_("note on receipt"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened = models.BooleanField(
        _("reopened"), default=False, help_text=_("May be changed although the plan is locked.")
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="report_one_per_unit"),
            models.UniqueConstraint(
                fields=["unit", "term", "number"],
                condition=models.Q(number__isnull=False),
                name="report_number_unique_in_register",
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["status", "due_on"]),
            # The board's poll: what changed since the last one (chasing.board_tree).
            models.Index(fields=["campaign", "modified"], name="report_campaign_modified"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.plan.number_symbol}"

    @property
    def number_symbol(self) -> str:
        if self.number is None:
            return ""
        return number_symbol(self.number, DOC_TYPE_REPORT, self.issuer_symbol or self.unit.symbol)

    @property
    def unit_label(self) -> str:
        """The unit's name as this report knows it: as it was when the report was
        submitted or its unit merged, else as it is."""
        return self.unit_name or self.unit.name

    @property
    def body(self) -> IssuingBody:
        """The body the report is issued by: the one chosen, else the unit's default."""
        if self.issuing_body_id is not None:
            return self.issuing_body
        if not hasattr(self, "_default_body"):
            self._default_body = default_body(self.unit)
        return self._default_body

    @property
    def is_editable_status(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def due_text(self) -> str:
        """The deadline as the pages show it: in its short form ("tháng 9/2024",
        "15/9 – gửi 20/9/2024") when the report is due on the last day of its
        level's deadline in its plan, else the day it is due. Served by
        ``prefetch_related("plan__deadlines")`` on lists."""
        for deadline in self.plan.deadlines.all():
            if deadline.level_id == self.unit.level_id and deadline.last_day == self.due_on:
                return deadline.cited
        return short_date(self.due_on)

    @property
    def received_outside(self) -> bool:
        return self.received_via != ReceivedVia.APP

    @property
    def document_date(self) -> datetime.date:
        """The date its BÁO CÁO prints: its own, else today; in a campaign
        recorded after the fact, not yet dated: its deadline (never later than
        today), the campaign's own time rather than the day it is entered."""
        if self.issued_on:
            return self.issued_on
        today = timezone.localdate()
        if self.plan.recorded_after_the_fact:
            return min(self.due_on, today)
        return today

    def days_left(self, today: datetime.date | None = None) -> int:
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def days_overdue(self) -> int:
        return max(0, -self.days_left())

    # --- Guards: the report's state and its plan allow the step, or a
    # WorkflowError with a message for the user. Who may take it is checked
    # by the services (rules.py).

    def require_status(self, *statuses: str) -> None:
        if self.status not in statuses:
            raise WorkflowError(
                _("This report is %(status)s: that is not possible now.")
                % {"status": self.get_status_display().lower()}
            )

    def require_open_plan(self) -> None:
        """The plan is not closed, and not locked unless this report was reopened."""
        if self.plan.status == PlanStatus.CLOSED:
            raise WorkflowError(_("The plan is closed: reports can no longer change."))
        if self.plan.is_locked and not self.reopened:
            raise WorkflowError(
                _(
                    "The plan was locked after its deadline; ask the level above to reopen "
                    "your report."
                )
            )

    def require_changeable(self) -> None:
        """Answers, attachments and the document's details change now: the report
        is being written (or was returned) and its plan takes changes."""
        if not self.is_editable_status:
            raise WorkflowError(
                _("This report is %(status)s and cannot be changed.")
                % {"status": self.get_status_display().lower()}
            )
        self.require_open_plan()

    @property
    def is_changeable(self) -> bool:
        try:
            self.require_changeable()
        except WorkflowError:
            return False
        return True

    # --- State changes, each recorded in the history under ``by``.

    def mark_started(self) -> None:
        if self.status == ReportStatus.PENDING:
            self.status = ReportStatus.DRAFT
            self.save(update_fields=["status", "modified"])

    def submit(self, *, by, at: datetime.datetime | None = None) -> None:
        """Submitted now, or ``at`` (a campaign recorded after the fact)."""
        self.require_changeable()
        now = at or timezone.now()
        self.status = ReportStatus.SUBMITTED
        self.submitted_at = now
        self.submitted_by = by
        self.unit_name = self.unit_name or self.unit.name
        self.is_late = timezone.localdate(now) > self.due_on
        self.received_via, self.received_note = ReceivedVia.APP, ""
        self.reopened = False
        attribute(self, by).save()

    def record_received(self, *, by, via: str, received_on: datetime.date, note: str) -> None:
        """The level above records the report the unit sent outside the app:
        it counts as submitted on the day it arrived (timeliness included)."""
        self.require_changeable()
        self.status = ReportStatus.SUBMITTED
        self.received_via = via
        self.received_note = note
        self.submitted_at = received_at(received_on)
        self.submitted_by = by
        self.is_late = received_on > self.due_on
        self.reopened = False
        attribute(self, by).save()

    def send_back(self, *, by) -> None:
        self.require_status(ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)
        self.status = ReportStatus.RETURNED
        self.reviewed_at = timezone.now()
        self.reviewed_by = by
        attribute(self, by).save()

    def accept(self, *, by, at: datetime.datetime | None = None) -> None:
        """Accepted now, or ``at`` (a campaign recorded after the fact)."""
        self.require_status(ReportStatus.SUBMITTED)
        self.status = ReportStatus.ACCEPTED
        self.reviewed_at = at or timezone.now()
        self.reviewed_by = by
        attribute(self, by).save()

    def reopen(self, *, by) -> None:
        """The unit may change and submit its report although the plan is locked;
        a submitted or accepted report goes back to the unit."""
        self.reopened = True
        if self.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
            self.status = ReportStatus.RETURNED
        attribute(self, by).save(update_fields=["reopened", "status", "modified"])


def received_at(day: datetime.date) -> datetime.datetime:
    """The submission time of a report received on ``day``: the start of that
    day in the project's time zone (Asia/Ho_Chi_Minh), whatever is active."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)


class Answer(models.Model):
    """A unit's answer to one outline item. ``version`` counts saves: a save
    that started from an older version is refused instead of overwriting."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="answers")
    item = models.ForeignKey(OutlineItem, models.CASCADE, related_name="answers")
    text = models.TextField(_("text"), blank=True)
    # ``text`` as plain text (``documents.richtext.to_plain_text``), kept by
    # ``save()`` and by every other writer of ``text``: the roll-up reads it,
    # never converting the HTML of thousands of answers on a page view.
    text_plain = models.TextField(_("plain text"), blank=True, editable=False)
    # 0 ≤ figure ≤ campaigns.models.FIGURE_MAX, here and in each year of per_year.
    number = models.DecimalField(
        _("number"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[validate_figure],
    )
    per_year = models.JSONField(
        _("figures per year"), default=dict, blank=True, validators=[validate_figure]
    )
    boolean = models.BooleanField(_("yes / no"), null=True, blank=True)
    choice = models.CharField(_("choice"), max_length=255, blank=True)
    points = models.JSONField(_("points"), default=list, blank=True)
    # A table answer (AnswerType.TABLE): one dict a row, ``reports.tables``.
    rows = models.JSONField(_("table rows"), default=list, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["text_plain"])

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["report", "item"], name="answer_one_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.item}"

    def save(self, *args, **kwargs) -> None:
        self.fill_plain()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_plain"}
        super().save(*args, **kwargs)

    def fill_plain(self) -> Answer:
        """Set ``text_plain`` from ``text``: call it before a ``bulk_create``."""
        self.text_plain = plain_text(self.text)
        return self

    @property
    def is_empty(self) -> bool:
        return not (
            self.text.strip()
            or self.number is not None
            or any(v not in (None, "") for v in self.per_year.values())
            or self.boolean is not None
            or self.choice
            or any(str(p).strip() for p in self.points)
            or bool(self.rows)
        )


class ReviewComment(models.Model):
    """Why a report was returned: overall, or on one outline item."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="comments")
    item = models.ForeignKey(
        OutlineItem, models.CASCADE, null=True, blank=True, related_name="review_comments"
    )
    text = models.TextField(_("comment"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")

    def __str__(self) -> str:
        return self.text[:60]


class AttachmentKind(models.TextChoices):
    SIGNED_SCAN = "signed_scan", _("Signed and stamped copy")
    ANNEX = "annex", _("Annex")
    FIGURES = "figures", _("Annex of figures")


def attachment_path(instance: Attachment, filename: str) -> str:
    """Under a random folder: the path is never a URL, and never guessable either."""
    report = instance.report
    return unguessable_path(f"reports/{report.campaign_id}/{report.unit.code}", filename)


class Attachment(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="attachments")
    kind = models.CharField(
        _("kind"), max_length=20, choices=AttachmentKind.choices, default=AttachmentKind.ANNEX
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=500)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
