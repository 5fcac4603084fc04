"""Dates as official documents write them, for templates: ``{% load documents %}``."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone

from documents import formatting

register = template.Library()


def _local(value: datetime.date) -> datetime.date:
    """A date, or an aware datetime seen in the site's time zone."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def short_date(value: datetime.date | None) -> str:
    """ "09/7/2015", "25/02/2020" (see documents.formatting); a datetime by its local day."""
    return formatting.short_date(_local(value)) if value else ""


@register.filter
def short_day_month(value: datetime.date | None) -> str:
    """ "12/3", "05/02"."""
    return formatting.short_day_month(_local(value)) if value else ""


@register.filter
def short_datetime(value: datetime.datetime | None) -> str:
    """ "09/7/2015 08:05": the one way pages write a moment."""
    return formatting.short_datetime(_local(value)) if value else ""


@register.filter
def month_number(value: datetime.date | int | None) -> str:
    """The month of a date, padded only for January and February: "02", "3"."""
    if not value:
        return ""
    return formatting.month_number(value.month if isinstance(value, datetime.date) else value)
