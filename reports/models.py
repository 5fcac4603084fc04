"""Unit reports written against a plan's outline.

A report record exists for every participating unit from the moment its plan
is published; the unit fills it in later.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Plan
from orgunits.models import OrgUnit


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    DRAFT = "draft", _("Being written")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


class Report(models.Model):
    """A unit's report in a review campaign.

    ``campaign`` is the plan that opened the campaign; ``plan`` is the one the
    unit answers to, which is its district's implementing plan once the
    district has cascaded one. One report per unit per campaign.
    """

    campaign = models.ForeignKey(
        Plan, models.CASCADE, related_name="campaign_reports", verbose_name=_("campaign")
    )
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="reports", verbose_name=_("plan"))
    unit = models.ForeignKey(
        OrgUnit, models.PROTECT, related_name="reports", verbose_name=_("unit")
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["modified"])

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit"], name="report_one_per_unit")
        ]
        indexes = [models.Index(fields=["plan", "status"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.plan.number_symbol}"
