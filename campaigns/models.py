"""Review plans (Kế hoạch sơ kết / tổng kết), their outlines and tiered deadlines."""

from __future__ import annotations

import calendar
import datetime
import re
import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from documents.dates import WindowDateField, validate_year_window
from documents.formatting import (
    date_words,
    day_number,
    month_number,
    month_words,
    short_date,
    short_month,
    vietnamese_number,
)
from documents.numbering import DOC_TYPE_PLAN, number_symbol
from orgunits.issuers import header_lines
from orgunits.models import IssuingBody, Level, OrgUnit, Term

from .tables import TableSpec, table_spec

VIA = re.compile(r"^qua\s+", re.IGNORECASE)  # "qua Ban Dân vận …": through that commission


class PlanKind(models.TextChoices):
    INTERIM = "interim", _("interim review (sơ kết)")
    FINAL = "final", _("final review (tổng kết)")


class ReviewForm(models.TextChoices):
    WRITTEN = "written", _("In writing")
    CONFERENCE = "conference", _("By conference")
    UNIT_CHOICE = "unit_choice", _("In writing or by conference, at each unit's choice")


class SectionStyle(models.TextChoices):
    """How a plan numbers its sections: "I- MỤC ĐÍCH, YÊU CẦU" or "I. MỤC ĐÍCH, YÊU CẦU"."""

    DASH = "-", "I-"
    DOT = ".", "I."


class OutlinePlacement(models.TextChoices):
    BODY = "body", _("In the body, where the outline block stands")
    ANNEX = "annex", _("As an annex (ĐỀ CƯƠNG)")
    BOTH = "both", _("Both: the main items in the body, the full outline as an annex")


class PlanBlock(models.TextChoices):
    """What the application writes itself into a plan, placed by the author."""

    OUTLINE = "outline", _("Outline")
    FORM = "form", _("Form of the review")
    PILOTS = "pilots", _("Pilot units' deadline")
    DEADLINES = "deadlines", _("Deadlines by level")


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
    issued_on = WindowDateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    period_start = models.PositiveSmallIntegerField(
        _("reviewed from (year)"), validators=[validate_year_window]
    )
    period_end = models.PositiveSmallIntegerField(
        _("reviewed to (year)"), validators=[validate_year_window]
    )
    summary = models.TextField(
        _("summary line (trích yếu)"),
        help_text=_("The title under KẾ HOẠCH, e.g. “sơ kết 03 năm triển khai thực hiện …”."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    section_style = models.CharField(
        _("numbering of the sections"),
        max_length=1,
        choices=SectionStyle.choices,
        default=SectionStyle.DASH,
    )
    outline_placement = models.CharField(
        _("where the outline is printed"),
        max_length=10,
        choices=OutlinePlacement.choices,
        default=OutlinePlacement.BODY,
    )
    review_form = models.CharField(
        _("form of review"), max_length=20, choices=ReviewForm.choices, default=ReviewForm.WRITTEN
    )
    conference_date = WindowDateField(_("conference date"), null=True, blank=True)
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
    pilot_due_on = WindowDateField(_("pilot units' deadline"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # A campaign entered after it took place (its deadlines past): nothing is
    # chased, and submissions and acceptances carry the dates typed for them.
    recorded_after_the_fact = models.BooleanField(
        _("recorded after the fact"),
        default=False,
        help_text=_(
            "The campaign took place before it was entered: nobody is reminded, and "
            "reports carry the dates they were really submitted and accepted."
        ),
    )
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
            models.UniqueConstraint(
                fields=["parent", "issuing_unit"],
                condition=Q(parent__isnull=False),
                name="plan_one_implementing_plan_per_unit",
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

    def past_deadlines(self, today: datetime.date | None = None) -> list[Deadline]:
        """The deadlines (their last day) already past on ``today``, in level order."""
        today = today or timezone.localdate()
        return [d for d in self.deadlines.select_related("level") if d.last_day < today]

    @property
    def is_live(self) -> bool:
        """Published, running and not recorded after the fact: days left or
        overdue mean something, and units are chased."""
        return self.status == PlanStatus.PUBLISHED and not self.recorded_after_the_fact

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


class PlanSection(models.Model):
    """A part of a plan's body, in order. A part with a title starts a new
    numbered section ("II- NỘI DUNG SƠ KẾT"); one without continues the
    section before it. After its body a part may carry a block the application
    writes (the outline, the form, the pilot units, the deadlines), in the
    generated wording or in the author's own.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(
        _("section title"),
        max_length=300,
        blank=True,
        help_text=_("Starts a new numbered section; leave empty to continue the one above."),
    )
    body = models.TextField(_("text"), blank=True)
    block = models.CharField(
        _("generated block"), max_length=20, blank=True, choices=PlanBlock.choices
    )
    wording = models.TextField(
        _("wording of the block"),
        blank=True,
        help_text=_("Empty: the application's wording, kept up to date."),
    )
    # The generated text the wording was edited from: when it changes (a
    # deadline moved), the author is told and offered the new text.
    wording_source = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("part of the plan")
        verbose_name_plural = _("parts of the plan")

    def __str__(self) -> str:
        return self.title or f"#{self.position}"

    @property
    def is_edited(self) -> bool:
        return bool(self.block and self.wording.strip())


class SubjectDocument(models.Model):
    """A document under review: "Quyết định số 553-QĐ/TU, ngày 14/3/2017 …"."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="subjects")
    position = models.PositiveSmallIntegerField(default=0)
    doc_type = models.CharField(_("type"), max_length=60, default="Quyết định")
    number_symbol = models.CharField(_("number and symbol"), max_length=60)
    issued_on = WindowDateField(_("date"), null=True, blank=True)
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
    TABLE = "table", _("Table (e.g. commendation proposals)")


# Answers that are one number, and those a consolidation adds up (a number or
# a number per year).
NUMBER_TYPES = (AnswerType.INTEGER, AnswerType.DECIMAL)
FIGURE_TYPES = (*NUMBER_TYPES, AnswerType.INTEGER_PER_YEAR)

# The range of one figure a unit gives (a number, or one year's number): 0 to
# 10^12 (a thousand billion: any count of a Party committee, any sum of money
# in đồng a report names). Enforced by the report's form, by
# reports.services.save_answer (so by the consolidation's fill too) and by any
# import; the roll-up sums in numeric types that hold many such figures.
FIGURE_MIN = 0
FIGURE_MAX = 10**12


def figure_error(value: object) -> str:
    """Why ``value`` is not a figure (a number or a dict of year → number), or ""."""
    values = value.values() if isinstance(value, dict) else [value]
    for one in values:
        if one is None or one == "":
            continue
        try:
            number = Decimal(str(one)) if not isinstance(one, bool) else None
        except (InvalidOperation, ValueError):
            number = None
        if number is None or not number.is_finite():
            return gettext("Enter a number, e.g. 12,5.")
        if number < FIGURE_MIN:
            return gettext("The figure cannot be negative.")
        if number > FIGURE_MAX:
            return figure_too_large_message()
    return ""


def figure_too_large_message() -> str:
    return gettext("The figure is too large (at most %(max)s).") % {
        "max": vietnamese_number(FIGURE_MAX)
    }


def validate_figure(value: object) -> None:
    """A validator of forms and models: ``figure_error`` as a ValidationError."""
    error = figure_error(value)
    if error:
        raise ValidationError(error, code="figure_range")


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
    def table_spec(self) -> TableSpec:
        """A table item's columns, forms and quotas (``campaigns.tables``)."""
        return table_spec(self.choices)

    @property
    def is_locked_by_parent_plan(self) -> bool:
        """An inherited required item cannot be dropped from an implementing plan."""
        return self.inherited_from_id is not None and self.required


def outline_changed(plan_id: int) -> None:
    """``plan_id``'s outline changed: its ``modified`` says so, which is what
    the outline kept per plan (``campaigns.selectors.cached_outline_rows``)
    and the consolidated builds' fingerprint follow. Saving or deleting an
    item, or changing its levels, calls it (below); bulk writes call it
    themselves (``campaigns.outline``)."""
    Plan.objects.filter(pk=plan_id).update(modified=timezone.now())


@receiver([post_save, post_delete], sender=OutlineItem)
def _item_changed(sender, instance: OutlineItem, raw: bool = False, **kwargs) -> None:
    if not raw:
        outline_changed(instance.plan_id)


@receiver(m2m_changed, sender=OutlineItem.levels.through)
def _levels_changed(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        outline_changed(instance.plan_id)


class DeadlineKind(models.TextChoices):
    DAY = "day", _("by a day")
    MONTH = "month", _("within a month")
    PERIOD = "period", _("over a period")


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


class Deadline(models.Model):
    """When units of one level must report (grassroots 12/3, …).

    A deadline is a day ("Hoàn thành trước ngày 15/9"), a month ("trong tháng
    9") or a period ("từ ngày 01/8 đến ngày 15/9"), optionally with a later day
    for sending the report to the level above. ``due_on`` is the day the work
    must be finished by (the day, the month's last day, the period's end);
    ``last_day`` the last day the deadline allows (the sending day if given,
    else ``due_on``): everything that chases, counts days or marks a report
    late goes by ``last_day``.
    """

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="deadlines")
    level = models.ForeignKey(Level, models.PROTECT, related_name="+", verbose_name=_("level"))
    kind = models.CharField(
        _("kind of deadline"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.DAY
    )
    starts_on = WindowDateField(_("start of the period"), null=True, blank=True)
    due_on = WindowDateField(_("finish by"))
    report_by = WindowDateField(_("send the report to the level above by"), null=True, blank=True)
    last_day = WindowDateField(_("last day"))

    class Meta:
        ordering = ["plan", "-level__rank"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        constraints = [
            models.UniqueConstraint(fields=["plan", "level"], name="deadline_one_per_level")
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.short}"

    def save(self, *args, **kwargs) -> None:
        # last_day is derived, stored so that it can be queried and sorted.
        self.normalize()
        super().save(*args, **kwargs)

    def normalize(self) -> Deadline:
        """Keep only the dates the kind uses, a month as its last day, and
        ``last_day`` in step; returns ``self``."""
        if self.kind == DeadlineKind.MONTH and self.due_on:
            self.due_on = month_end(self.due_on)
        if self.kind != DeadlineKind.PERIOD:
            self.starts_on = None
        self.last_day = self.report_by or self.due_on
        return self

    def clean(self) -> None:
        errors = {}
        if self.kind == DeadlineKind.PERIOD:
            if not self.starts_on:
                errors["starts_on"] = _("Give the first day of the period.")
            elif self.due_on and self.starts_on > self.due_on:
                errors["starts_on"] = _("The period must start before it ends.")
        finish = month_end(self.due_on) if self.due_on and self.kind == DeadlineKind.MONTH else None
        finish = finish or self.due_on
        if self.report_by and finish and self.report_by < finish:
            errors["report_by"] = _(
                "The report is sent to the level above on or after the finish date (%(date)s)."
            ) % {"date": short_date(finish)}
        if errors:
            raise ValidationError(errors)

    # --- How the deadline reads. The words are those of the printed plan,
    # Vietnamese whatever the language of the pages.

    @property
    def phrase(self) -> str:
        """ "Hoàn thành trước ngày 15 tháng 9 năm 2024; gửi báo cáo về cấp trên
        trước ngày 20 tháng 9 năm 2024", "Hoàn thành trong tháng 9 năm 2024",
        "Từ ngày 01 tháng 8 năm 2024 đến ngày 15 tháng 9 năm 2024"."""
        if self.kind == DeadlineKind.MONTH:
            text = f"Hoàn thành trong {month_words(self.due_on.month, self.due_on.year)}"
        elif self.kind == DeadlineKind.PERIOD and self.starts_on:
            text = f"Từ {date_words(self.starts_on)} đến {date_words(self.due_on)}"
        else:
            text = f"Hoàn thành trước {date_words(self.due_on)}"
        if self.report_by:
            text += f"; gửi báo cáo về cấp trên trước {date_words(self.report_by)}"
        return text

    @property
    def short(self) -> str:
        """For the pages: "15/9/2024", "tháng 9/2024", "01/8 – 15/9/2024",
        "15/9 – gửi 20/9/2024"."""
        year = (self.report_by or self.due_on).year
        if self.kind == DeadlineKind.MONTH:
            month = short_month(self.due_on.month, self.due_on.year)
            if self.report_by and self.due_on.year == year:
                month = month_number(self.due_on.month)
            text = gettext("in %(month)s") % {"month": month}
        elif self.kind == DeadlineKind.PERIOD and self.starts_on:
            end = _short_in_year(self.due_on, year) if self.report_by else short_date(self.due_on)
            text = f"{_short_in_year(self.starts_on, self.due_on.year)} – {end}"
        else:
            text = _short_in_year(self.due_on, year) if self.report_by else short_date(self.due_on)
        if self.report_by:
            text = gettext("%(finish)s – send by %(send)s") % {
                "finish": text,
                "send": short_date(self.report_by),
            }
        return text

    @property
    def cited(self) -> str:
        """In a sentence of the pages: a plain day as the pages print dates
        ("08/03/2020"), any other deadline in its :attr:`short` form."""
        if self.kind == DeadlineKind.DAY and not self.report_by:
            return short_date(self.due_on)
        return self.short

    # --- As revisions keep it

    def snapshot(self) -> dict:
        return {
            "level": self.level.code,
            "level_name": self.level.name,
            "kind": self.kind,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "due_on": self.due_on.isoformat(),
            "report_by": self.report_by.isoformat() if self.report_by else None,
            "last_day": self.last_day.isoformat(),
        }

    @classmethod
    def from_snapshot(cls, data: dict) -> Deadline:
        """An unsaved deadline from :meth:`snapshot` (or from a revision made
        before deadlines had kinds: a day)."""

        def day(key: str) -> datetime.date | None:
            return datetime.date.fromisoformat(data[key]) if data.get(key) else None

        return cls(
            kind=data.get("kind") or DeadlineKind.DAY,
            starts_on=day("starts_on"),
            due_on=day("due_on"),
            report_by=day("report_by"),
        ).normalize()


def _short_in_year(day: datetime.date, year: int) -> str:
    """ "15/9" when ``day`` is in ``year`` (printed just after), else "15/9/2024"."""
    if day.year == year:
        return f"{day_number(day.day)}/{month_number(day.month)}"
    return short_date(day)


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
    # Units that joined or left the published plan in this revision, as they
    # were named then: [{"code": …, "name": …}]. Outline and deadlines stay those
    # of the revision before.
    units_added = models.JSONField(default=list, blank=True)
    units_removed = models.JSONField(default=list, blank=True)

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
