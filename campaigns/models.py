"""Review plans (Kế hoạch sơ kết / tổng kết), their outlines and tiered deadlines."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.formatting import date_words
from documents.numbering import DOC_TYPE_PLAN, number_symbol
from orgunits.issuers import header_lines
from orgunits.models import IssuingBody, Level, OrgUnit, Term

VIA = re.compile(r"^qua\s+", re.IGNORECASE)  # "qua Ban Dân vận …": through that commission


class PlanKind(models.TextChoices):
    INTERIM = "interim", _("interim review (sơ kết)")
    FINAL = "final", _("final review (tổng kết)")


class ReviewForm(models.TextChoices):
    WRITTEN = "written", _("In writing")
    CONFERENCE = "conference", _("By conference")
    UNIT_CHOICE = "unit_choice", _("In writing or by conference, at each unit's choice")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Plan(models.Model):
    """A Kế hoạch: the plan that opens a review campaign, or a unit's
    implementing plan ("Thực hiện Kế hoạch số 279-KH/TU…") in a cascade."""

    # The body that issues the plan; its unit's subtree takes part.
    issuing_body = models.ForeignKey(
        IssuingBody, models.PROTECT, related_name="plans", verbose_name=_("issuing body")
    )
    issuing_unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="plans", verbose_name=_("issuing unit")
    )
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("implements plan"),
    )
    term = models.ForeignKey(Term, models.PROTECT, verbose_name=_("term"))
    number = models.PositiveIntegerField(_("number"))
    issuer_symbol = models.CharField(
        _("issuer symbol"), max_length=30, help_text=_('e.g. "TU" in 279-KH/TU.')
    )
    # The header as the plan prints it, taken from the body while the plan is
    # a draft (``take_header_from_body``): a published plan keeps its own.
    superior_body = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_('Printed above the issuer, e.g. "ĐẢNG BỘ TỈNH GIA LAI".'),
    )
    issuer_line = models.CharField(
        _("issuer line"),
        max_length=200,
        blank=True,
        help_text=_('The issuer in the header, e.g. "TỈNH ỦY GIA LAI", "BAN DÂN VẬN".'),
    )
    place_name = models.CharField(_("place name"), max_length=100)
    issued_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    period_start = models.PositiveSmallIntegerField(_("reviewed from (year)"))
    period_end = models.PositiveSmallIntegerField(_("reviewed to (year)"))
    summary = models.TextField(
        _("summary line (trích yếu)"),
        help_text=_("The title under KẾ HOẠCH, e.g. “sơ kết 03 năm triển khai thực hiện …”."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    purpose = models.TextField(_("I. Purpose and requirements"), blank=True)
    content_intro = models.TextField(_("II. Content: introduction"), blank=True)
    outline_annexed = models.BooleanField(
        _("outline annexed"),
        default=False,
        help_text=_("Print the outline as a separate ĐỀ CƯƠNG annex instead of in section II."),
    )
    review_form = models.CharField(
        _("form of review"), max_length=20, choices=ReviewForm.choices, default=ReviewForm.WRITTEN
    )
    conference_date = models.DateField(_("conference date"), null=True, blank=True)
    implementation = models.TextField(_("IV. Implementation"), blank=True)
    closing = models.TextField(_("closing paragraph"), blank=True)
    lead_commission = models.CharField(
        _("lead commission"),
        max_length=200,
        blank=True,
        help_text=_(
            "Receives the reports, e.g. “Ban Dân vận Tỉnh ủy”; Nơi nhận then reads "
            "“(qua Ban Dân vận Tỉnh ủy)”."
        ),
    )
    lead_body = models.ForeignKey(
        IssuingBody,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving body"),
        help_text=_("A body of the issuing unit that receives the reports, e.g. its Ban Dân vận."),
    )
    recipients = models.JSONField(_("recipients (Nơi nhận)"), default=list, blank=True)
    sign_on_behalf = models.CharField(
        _("on behalf of"), max_length=100, blank=True, default="T/M BAN THƯỜNG VỤ"
    )
    signer_position = models.CharField(_("signer's position"), max_length=100, default="BÍ THƯ")
    signer_name = models.CharField(_("signer's name"), max_length=100, blank=True)

    participating_levels = models.ManyToManyField(
        Level,
        blank=True,
        related_name="+",
        verbose_name=_("participating levels"),
        help_text=_("Leave empty for every level of the issuing unit's subtree."),
    )
    excluded_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name=_("excluded units")
    )
    pilot_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name=_("pilot units (chọn điểm)")
    )
    pilot_due_on = models.DateField(_("pilot units' deadline"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    locked_at = models.DateTimeField(
        _("locked at"),
        null=True,
        blank=True,
        help_text=_(
            "After the deadline the issuer may lock reports; single units can be reopened."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"], m2m_fields=[])

    class Meta:
        ordering = ["-issued_on", "-number"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_body", "term", "number"], name="plan_number_unique_in_register"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            ),
        ]
        indexes = [models.Index(fields=["status", "issued_on"])]

    def __str__(self) -> str:
        return f"{self.number_symbol} · {self.summary[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", args=[self.pk])

    @property
    def number_symbol(self) -> str:
        """ "279-KH/TU": numbers start from 01, so 1–9 are padded."""
        return number_symbol(self.number, DOC_TYPE_PLAN, self.issuer_symbol)

    @property
    def via_lead_commission(self) -> str:
        """ "qua Ban Dân vận Tỉnh ủy", once, whether or not "qua" was typed; "" without one.
        The receiving body when one is chosen, else the typed name."""
        if self.lead_body_id is not None:
            return f"qua {self.lead_body.phrase}"
        name = VIA.sub("", self.lead_commission.strip().strip("()").strip())
        return f"qua {name}" if name else ""

    @property
    def issuer_phrase(self) -> str:
        """The issuing body in running text: "Ban Thường vụ Tỉnh ủy Gia Lai"."""
        return self.issuing_body.phrase

    def header_lines(self) -> tuple[str, str]:
        """(superior line, issuer line) as printed, never the same words twice."""
        return header_lines(self.superior_body, self.issuer_line or self.issuing_unit.name)

    def take_body(self, body: IssuingBody, *, signature: bool = True) -> None:
        """Issue the plan from ``body``: its unit, header and symbol, and (unless
        ``signature`` is False) its signature block, which stays editable."""
        self.issuing_body = body
        self.issuing_unit = body.unit
        self.superior_body, self.issuer_line = body.header_lines()
        self.issuer_symbol = body.symbol
        if signature:
            self.sign_on_behalf = body.sign_on_behalf
            self.signer_position = body.signer_position
            self.signer_name = body.signer_name or self.signer_name

    @property
    def kind_word(self) -> str:
        return "sơ kết" if self.kind == PlanKind.INTERIM else "tổng kết"

    @property
    def is_draft(self) -> bool:
        return self.status == PlanStatus.DRAFT

    @property
    def root(self) -> Plan:
        plan = self
        while plan.parent_id is not None:  # cascades are two or three plans deep
            plan = plan.parent
        return plan

    def clean(self) -> None:
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The end of the reviewed period is before its start.")
        if self.review_form == ReviewForm.CONFERENCE and not self.conference_date:
            errors["conference_date"] = _("Give the date of the conference.")
        if self.conference_date and self.issued_on and self.conference_date < self.issued_on:
            errors["conference_date"] = _("The conference cannot be before the plan's date.")
        if self.pilot_due_on and self.issued_on and self.pilot_due_on < self.issued_on:
            errors["pilot_due_on"] = _("No deadline can be before the plan's date.")
        if errors:
            raise ValidationError(errors)

    def close(self) -> None:
        self.status = PlanStatus.CLOSED
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at", "modified"])

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def lock(self) -> None:
        """After the deadlines: reports stop changing, but for the units reopened one by one."""
        self.locked_at = timezone.now()
        self.save(update_fields=["locked_at", "modified"])

    def unlock(self) -> None:
        self.locked_at = None
        self.save(update_fields=["locked_at", "modified"])


class SubjectDocument(models.Model):
    """A document under review: "Quyết định số 553-QĐ/TU, ngày 14/3/2017 …"."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="subjects")
    position = models.PositiveSmallIntegerField(default=0)
    doc_type = models.CharField(_("type"), max_length=60, default="Quyết định")
    number_symbol = models.CharField(_("number and symbol"), max_length=60)
    issued_on = models.DateField(_("date"), null=True, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    title = models.TextField(_("title"), blank=True)
    short_form = models.CharField(
        _("short form"),
        max_length=100,
        blank=True,
        help_text=_("Used in the text after the first mention, e.g. “Quyết định 553-QĐ/TU”."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("document under review")
        verbose_name_plural = _("documents under review")

    def __str__(self) -> str:
        return self.full_citation

    @property
    def full_citation(self) -> str:
        """ "Quyết định số 553-QĐ/TU, ngày 14 tháng 3 năm 2017 của Ban Thường vụ Tỉnh ủy về …"."""
        parts = [f"{self.doc_type} số {self.number_symbol}"]
        if self.issued_on:
            parts.append(f", {date_words(self.issued_on)}")
        if self.issuer:
            parts.append(f" của {self.issuer}")
        if self.title:
            parts.append(f" {self.title}")
        return "".join(parts)

    @property
    def short(self) -> str:
        return self.short_form or f"{self.doc_type} {self.number_symbol}"


class AnswerType(models.TextChoices):
    TEXT = "text", _("Narrative text")
    INTEGER = "integer", _("Whole number")
    INTEGER_PER_YEAR = "integer_per_year", _("Whole number per year")
    DECIMAL = "decimal", _("Decimal number")
    BOOLEAN = "boolean", _("Yes / no")
    CHOICE = "choice", _("Choice from a list")
    POINTS = "points", _("List of points")


# Answers that are one number, and those a consolidation adds up (a number or
# a number per year).
NUMBER_TYPES = (AnswerType.INTEGER, AnswerType.DECIMAL)
FIGURE_TYPES = (*NUMBER_TYPES, AnswerType.INTEGER_PER_YEAR)


class FigureSource(models.TextChoices):
    """Figures computed from the dialogue meetings and petitions a unit recorded."""

    MEETINGS_PER_YEAR = "meetings_per_year", _("Dialogue meetings held, per year")
    PETITIONS_RECEIVED = "petitions_received", _("Petitions received")
    PETITIONS_ON_THE_SPOT = "petitions_on_the_spot", _("Petitions answered on the spot")
    PETITIONS_RESOLVED_AFTER = "petitions_resolved_after", _("Petitions resolved after")
    PETITIONS_OPEN = "petitions_open", _("Petitions still open")
    PETITIONS_SUMMARY = "petitions_summary", _("How petitions were handled (a sentence)")


class OutlineItem(models.Model):
    """An item of a plan's outline (Đề cương): a heading, or something to answer.

    Outlines are small (tens of items) and always loaded whole, one query per
    plan, so a parent link and a position are enough.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="outline_items")
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    # The item's identity across revisions. An inherited copy keeps its
    # original's key, so a parent plan's revision is matched against an
    # implementing plan's outline even after the original was deleted.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    numbering = models.CharField(_("numbering"), max_length=20, blank=True)
    title = models.TextField(_("title"))
    guidance = models.TextField(_("guidance"), blank=True)
    is_heading = models.BooleanField(_("heading only"), default=False)
    answer_type = models.CharField(
        _("answer type"), max_length=20, choices=AnswerType.choices, default=AnswerType.TEXT
    )
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    levels = models.ManyToManyField(
        Level,
        blank=True,
        related_name="+",
        verbose_name=_("answered by levels"),
        help_text=_("Leave empty for every level."),
    )
    figure_source = models.CharField(
        _("pre-filled from"),
        max_length=40,
        blank=True,
        choices=FigureSource.choices,
        help_text=_("A figure the unit's own dialogue records give; the unit can still edit it."),
    )
    inherited_from = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inherited_copies",
        verbose_name=_("inherited from"),
    )

    class Meta:
        ordering = ["plan", "position"]
        verbose_name = _("outline item")
        verbose_name_plural = _("outline items")
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="outline_item_key_unique")
        ]
        indexes = [models.Index(fields=["plan", "parent", "position"])]

    def __str__(self) -> str:
        return f"{self.numbering} {self.title}".strip()

    @property
    def is_answerable(self) -> bool:
        return not self.is_heading

    @property
    def is_locked_by_parent_plan(self) -> bool:
        """An inherited required item cannot be dropped from an implementing plan."""
        return self.inherited_from_id is not None and self.required


class Deadline(models.Model):
    """The date by which units of one level must report (grassroots 12/3, …)."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="deadlines")
    level = models.ForeignKey(Level, models.PROTECT, related_name="+", verbose_name=_("level"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["plan", "-level__rank"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(fields=["plan", "level"], name="deadline_one_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.due_on:%d/%m/%Y}"


class PlanRevision(models.Model):
    """What units were given at a publication: outline and deadlines, frozen.

    A change after publication makes a new revision; comparing two revisions
    tells units what changed.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("what changed"), blank=True)
    outline = models.JSONField(default=list)
    deadlines = models.JSONField(default=list)

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan.number_symbol} r{self.number}"

    @property
    def contents(self) -> dict:
        """What :func:`campaigns.revisions.compare` compares."""
        return {"outline": self.outline, "deadlines": self.deadlines}


class UpstreamChange(models.Model):
    """A revision of the parent plan, for an implementing plan to adopt.

    ``base`` is the parent's revision that the implementing plan last followed,
    ``revision`` the parent's newest one: what changed is their comparison.
    Parent revisions published before the implementing plan adopts them make
    one pending change (the base stays, the revision moves on).
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="upstream_changes")
    base = models.ForeignKey(PlanRevision, models.CASCADE, related_name="+")
    revision = models.ForeignKey(PlanRevision, models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(_("adopted at"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["plan", "-created"]
        verbose_name = _("change of the parent plan")
        verbose_name_plural = _("changes of the parent plan")
        constraints = [
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(adopted_at__isnull=True),
                name="upstream_change_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan.number_symbol} ← {self.revision}"

    @property
    def is_pending(self) -> bool:
        return self.adopted_at is None
