"""Readable history: what changed in each saved version of a report, a word
diff of narrative answers and a summary of the other answers."""

from __future__ import annotations

import difflib
import html
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.models import NUMBER_TYPES, AnswerType
from documents.formatting import short_date
from documents.richtext import to_plain_text

from .models import DOC_TYPE_REPORT, ReceivedVia, Report


@dataclass
class Change:
    label: str
    value: str = ""
    is_status: bool = False


def _document_fields(record, report: Report) -> dict[str, str]:
    """The document fields of one version of ``report``, as shown."""
    number = (
        f"{record.number:02d}-{DOC_TYPE_REPORT}/{record.issuer_symbol or report.unit.symbol}"
        if record.number is not None
        else ""
    )
    signer = (record.sign_on_behalf, record.signer_position, record.signer_name)
    return {
        str(_("Number/symbol")): number,
        str(_("Date")): short_date(record.issued_on) if record.issued_on else "",
        str(_("Signed by")): " ".join(part for part in signer if part),
        str(_("Recipients (Nơi nhận)")): "; ".join(record.recipients or []),
    }


def report_changes(record, previous, report: Report) -> list[Change]:
    """What ``record`` (a historical report) changed since ``previous`` (None:
    the first version): the status only if it moved, then each document field
    that differs. Empty when it changed nothing shown."""
    changes = []
    if previous is None or record.status != previous.status:
        changes.append(Change(str(_("Status")), record.get_status_display(), is_status=True))
    if record.reopened and previous is not None and not previous.reopened:
        changes.append(Change(str(_("Reopened by the level above")), is_status=True))
    if record.received_via != ReceivedVia.APP and (
        previous is None
        or (record.received_via, record.submitted_at)
        != (previous.received_via, previous.submitted_at)
    ):
        changes.append(Change(str(_("Recorded as received outside the app")), _received(record)))
    if previous is None:
        return changes
    before = _document_fields(previous, report)
    for label, value in _document_fields(record, report).items():
        if value != before[label]:
            changes.append(Change(label, value or "—"))
    return changes


def _received(record) -> str:
    """How and when a report recorded by the level above arrived, and its note."""
    parts = [
        ReceivedVia(record.received_via).label,
        short_date(timezone.localdate(record.submitted_at)) if record.submitted_at else "",
        record.received_note,
    ]
    return " · ".join(str(part) for part in parts if part)


def _words(record) -> list[str]:
    return to_plain_text(record.text).split() if record is not None else []


def text_diff(before, after) -> str:
    """HTML with <del> and <ins> marking the words that changed."""
    old, new = _words(before), _words(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"<del>{html.escape(' '.join(old[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{html.escape(' '.join(new[j1:j2]))}</ins>")
        if op == "equal":
            parts.append(html.escape(" ".join(new[j1:j2])))
    return " ".join(parts)


def summary(record) -> str:
    """The answer's value as one line of plain text."""
    kind = record.item.answer_type
    if kind == AnswerType.TEXT:
        text = to_plain_text(record.text)
        return text[:200] + ("…" if len(text) > 200 else "")
    if kind in NUMBER_TYPES:
        return "" if record.number is None else f"{record.number.normalize():f}"
    if kind == AnswerType.INTEGER_PER_YEAR:
        return "; ".join(f"{year}: {value}" for year, value in sorted(record.per_year.items()))
    if kind == AnswerType.BOOLEAN:
        return {True: "✓", False: "✗", None: ""}[record.boolean]
    if kind == AnswerType.CHOICE:
        return record.choice
    if kind == AnswerType.TABLE:
        rows = [row for row in record.rows or [] if isinstance(row, dict)]
        return "; ".join(
            " | ".join([*map(str, row.get("cells", [])), str(row.get("form", ""))]).strip(" |")
            for row in rows
        )
    return "; ".join(str(p) for p in record.points)
