"""Reads of the registers: a unit's incoming register, its outgoing register
(the documents its bodies issued), the next incoming number; each a fixed
number of queries whatever the number of entries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import Plan, PlanStatus
from dialogues.models import DialoguePlan
from documents.numbering import DOC_TYPE_PLAN, number_symbol
from orgunits.access import User, require, scope_paths, within_q
from orgunits.bodies import default_body
from orgunits.models import IssuingBody, OrgUnit
from reports.models import Report

from .models import IncomingDocument

ISSUED = [PlanStatus.PUBLISHED, PlanStatus.CLOSED]


def get_unit_for_user(user: User, pk: int, action: str = "registers.view_register") -> OrgUnit:
    """The unit if ``user`` may do ``action`` on its registers, else a 404."""
    unit = OrgUnit.objects.select_related("level").filter(pk=pk).first()
    if unit is None:
        raise Http404("No such unit.")
    require(user, action, unit, hide=True)
    return unit


def register_units(user: User) -> QuerySet[OrgUnit]:
    """The units whose registers the index lists: the tops of the user's
    scope and the units right below them (a superuser: the top two levels)."""
    paths = scope_paths(user)
    units = OrgUnit.objects.filter(is_active=True).select_related("level").order_by("path")
    if paths is None:
        return units.filter(depth__lte=2)
    if not paths:
        return units.none()
    deepest = max(len(path) for path in paths) // OrgUnit.steplen + 1
    return units.filter(within_q(user, ""), depth__lte=deepest)


# --- The incoming register ------------------------------------------------------


def next_incoming_number(unit: OrgUnit, year: int) -> int:
    last = IncomingDocument.objects.filter(unit=unit, year=year).aggregate(Max("number"))
    return (last["number__max"] or 0) + 1


def incoming(
    unit: OrgUnit, *, year: int | None = None, body: int | None = None, q: str = ""
) -> QuerySet[IncomingDocument]:
    """The unit's register, the latest first, with what the list shows (three queries)."""
    entries = IncomingDocument.objects.filter(unit=unit)
    if year:
        entries = entries.filter(year=year)
    if body:
        entries = entries.filter(routed_to_id=body)
    for word in q.split():
        entries = entries.filter(
            Q(summary__icontains=word) | Q(sender__icontains=word) | Q(symbol__icontains=word)
        )
    return (
        entries.select_related("routed_to", "plan", "recorded_by")
        .prefetch_related("files")
        .order_by("-year", "-number")
    )


def incoming_years(unit: OrgUnit) -> list[int]:
    years = set(
        IncomingDocument.objects.filter(unit=unit).values_list("year", flat=True).distinct()
    )
    return sorted(years | {timezone.localdate().year}, reverse=True)


def bodies_of(unit: OrgUnit) -> list[IssuingBody]:
    return list(IssuingBody.objects.filter(unit=unit).order_by("-is_default", "position", "pk"))


# --- The outgoing register ------------------------------------------------------------


class OutgoingType:
    PLAN = "plan"
    REPORT = "report"
    CONSOLIDATED = "consolidated"
    DIALOGUE_PLAN = "dialogue_plan"

    CHOICES = [
        (PLAN, _("Plan")),
        (REPORT, _("Report")),
        (CONSOLIDATED, _("Consolidated report")),
        (DIALOGUE_PLAN, _("Dialogue plan")),
    ]


@dataclass
class Outgoing:
    """One document the unit's bodies issued."""

    kind: str
    number: int
    number_symbol: str
    issued_on: datetime.date | None
    summary: str
    body: IssuingBody
    url: str

    @property
    def kind_label(self) -> str:
        return str(dict(OutgoingType.CHOICES)[self.kind])

    @property
    def year(self) -> int | None:
        return self.issued_on.year if self.issued_on else None


def outgoing(
    unit: OrgUnit, *, year: int | None = None, body: int | None = None, kind: str = ""
) -> list[Outgoing]:
    """The numbered documents issued by ``unit``'s bodies: its published plans,
    its submitted reports (consolidated when units below report in the same
    campaign) and its dialogue plans; the latest first. Four queries."""
    default = default_body(unit)
    bodies = {b.pk: b for b in bodies_of(unit)}
    bodies.setdefault(default.pk, default)

    def body_of(obj) -> IssuingBody:
        return bodies.get(obj.issuing_body_id) or default

    rows: list[Outgoing] = []
    if kind in ("", OutgoingType.PLAN):
        plans = Plan.objects.filter(issuing_unit=unit, status__in=ISSUED)
        if year:
            plans = plans.filter(issued_on__year=year)
        for plan in plans.only(
            "id", "number", "issuer_symbol", "issued_on", "summary", "issuing_body_id"
        ):
            rows.append(
                Outgoing(
                    OutgoingType.PLAN,
                    plan.number,
                    plan.number_symbol,
                    plan.issued_on,
                    plan.summary,
                    body_of(plan),
                    plan.get_absolute_url(),
                )
            )
    if kind in ("", OutgoingType.REPORT, OutgoingType.CONSOLIDATED):
        below = Report.objects.filter(
            campaign=OuterRef("campaign"),
            unit__path__startswith=OuterRef("unit__path"),
            unit__depth__gt=OuterRef("unit__depth"),
        )
        reports = Report.objects.filter(
            unit=unit, number__isnull=False, plan__status__in=ISSUED
        ).annotate(consolidated=Exists(below))
        if year:
            reports = reports.filter(issued_on__year=year)
        if kind:
            reports = reports.filter(consolidated=kind == OutgoingType.CONSOLIDATED)
        for report in reports.select_related("plan", "unit"):
            rows.append(
                Outgoing(
                    OutgoingType.CONSOLIDATED if report.consolidated else OutgoingType.REPORT,
                    report.number,
                    report.number_symbol,
                    report.issued_on,
                    report.plan.summary,
                    body_of(report),
                    reverse("reports:detail", args=[report.pk]),
                )
            )
    if kind in ("", OutgoingType.DIALOGUE_PLAN):
        dialogue_plans = DialoguePlan.objects.filter(unit=unit, number__isnull=False)
        if year:
            dialogue_plans = dialogue_plans.filter(issued_on__year=year)
        for plan in dialogue_plans:
            rows.append(
                Outgoing(
                    OutgoingType.DIALOGUE_PLAN,
                    plan.number,
                    number_symbol(
                        plan.number, DOC_TYPE_PLAN, plan.issuer_symbol or body_of(plan).symbol
                    ),
                    plan.issued_on,
                    plan.summary,
                    body_of(plan),
                    reverse("dialogues:plan_pdf", args=[plan.pk]),
                )
            )
    if body:
        rows = [row for row in rows if row.body.pk == body]
    rows.sort(key=lambda r: (r.issued_on or datetime.date.min, r.number), reverse=True)
    return rows


def outgoing_years(rows: list[Outgoing]) -> list[int]:
    return sorted(
        {row.year for row in rows if row.year} | {timezone.localdate().year}, reverse=True
    )
