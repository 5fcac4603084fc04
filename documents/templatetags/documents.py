"""Dates as official documents write them, document symbols kept on one line and
the pagination rule of body blocks, for templates: ``{% load documents %}``."""

from __future__ import annotations

import datetime
import re

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

from documents import formatting
from documents.content import Block, leads, split_lines
from documents.numbering import SYMBOL_RE

register = template.Library()

_TAG = re.compile(r"(<[^>]*>)")


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


@register.filter(needs_autoescape=True)
def keep_symbols(value, autoescape: bool = True) -> str:
    """Text (escaped here) or safe inline HTML with each document symbol
    ("554-QĐ/TU", "QĐ/TU") in a ``span.doc-symbol``, which the print
    stylesheet keeps on one line. Only text between tags is searched."""
    if value is None:
        return ""
    markup = str(value) if isinstance(value, SafeData) else str(conditional_escape(value))
    parts = _TAG.split(markup)
    for index in range(0, len(parts), 2):
        parts[index] = SYMBOL_RE.sub(_symbol_span, parts[index])
    return mark_safe("".join(parts))  # noqa: S308  (escaped above or already safe)


def _symbol_span(match: re.Match) -> str:
    return f'<span class="doc-symbol">{match.group()}</span>'


@register.filter
def with_leads(blocks: list[Block]) -> list[tuple[Block, bool]]:
    """Each block, one a line (content.split_lines), with whether it stays with
    the next one (content.leads)."""
    blocks = split_lines(list(blocks or []))
    return list(zip(blocks, leads(blocks), strict=True))
