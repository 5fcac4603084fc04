"""The window of dates the app takes: 1945-01-01 to 2100-12-31.

Every date a user types (plans, deadlines, reports, terms, dialogues) is in
it: a date like 0001-01-01 passes the browser's date input and Python's
``date`` but breaks the arithmetic after it ("year 0 is out of range"), and
1900 makes terms like "1895–1900". Model DateFields carry
``validate_date_window`` (so model forms and the admin check it); form-only
date inputs use ``documents.forms.DateField``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext

from .formatting import short_date

DATE_MIN = datetime.date(1945, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
# For <input type="date" min=… max=…>: the browser's picker stays in the window.
DATE_INPUT_ATTRS = {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def in_window(value: datetime.date) -> bool:
    if isinstance(value, datetime.datetime):
        value = value.date()
    return DATE_MIN <= value <= DATE_MAX


def validate_date_window(value: datetime.date | None) -> None:
    if value is None or in_window(value):
        return
    raise ValidationError(
        gettext("Enter a date between %(first)s and %(last)s.")
        % {"first": short_date(DATE_MIN), "last": short_date(DATE_MAX)},
        code="date_window",
    )


def validate_year_window(value: int | None) -> None:
    """A year (a reviewed period's start or end) of the window."""
    if value is None or DATE_MIN.year <= value <= DATE_MAX.year:
        return
    raise ValidationError(
        gettext("Enter a year between %(first)s and %(last)s.")
        % {"first": DATE_MIN.year, "last": DATE_MAX.year},
        code="year_window",
    )


class WindowDateField(models.DateField):
    """A model DateField of the window: validated on the model (the admin, any
    full_clean) and, as documents.forms.DateField, on every form made from it,
    before any clean() method computes with the date."""

    default_validators = [validate_date_window]

    def formfield(self, **kwargs):
        from .forms import DateField

        return super().formfield(**{"form_class": DateField, **kwargs})
