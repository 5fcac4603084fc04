"""Dates as official documents write them, for templates: ``{% load documents %}``."""

from __future__ import annotations

import datetime

from django import template

from documents import formatting

register = template.Library()


@register.filter
def short_date(value: datetime.date | None) -> str:
    """ "09/7/2015", "25/02/2020" (see documents.formatting)."""
    return formatting.short_date(value) if value else ""


@register.filter
def month_number(value: datetime.date | int | None) -> str:
    """The month of a date, padded only for January and February: "02", "3"."""
    if not value:
        return ""
    return formatting.month_number(value.month if isinstance(value, datetime.date) else value)
