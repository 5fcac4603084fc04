"""Reads of dialogue plans."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from orgunits.models import OrgUnit, Term

from .models import DialoguePlan


def plan_numbers_taken(
    unit: OrgUnit,
    term: Term,
    *,
    numbers: list[int] | None = None,
    exclude: models.Model | None = None,
) -> set[int]:
    """Numbers of ``unit``'s dialogue plans in ``term``: they share the unit's
    register of plans ("-KH/HU") with review plans (registered into
    ``campaigns.selectors.PLAN_NUMBER_REGISTERS``). An undated dialogue plan
    counts in the term of 1 January of its year."""
    years = [
        year
        for year in range(term.starts_on.year, term.ends_on.year + 1)
        if term.starts_on <= datetime.date(year, 1, 1) <= term.ends_on
    ]
    plans = DialoguePlan.objects.filter(
        Q(issued_on__range=(term.starts_on, term.ends_on))
        | Q(issued_on__isnull=True, year__in=years),
        unit=unit,
        number__isnull=False,
    )
    if isinstance(exclude, DialoguePlan):
        plans = plans.exclude(pk=exclude.pk)
    if numbers is not None:
        plans = plans.filter(number__in=numbers)
    return set(plans.values_list("number", flat=True))
