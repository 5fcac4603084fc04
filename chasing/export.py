"""The progress board as an XLSX workbook: one writer for the export made at
once (a small board) and the background job (chasing.tasks.build_board_export)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.formatting import short_date, short_datetime
from orgunits.tables import write_xlsx

from .board import BoardRow

PROGRESS_EVERY = 250  # rows written between two updates of a job's progress

Progress = Callable[[int, int], None]  # (rows done, rows in all)


def _cell_time(value) -> str:
    return short_datetime(timezone.localtime(value)) if value else ""


def header() -> list[str]:
    return [
        _("Unit"),
        _("Code"),
        _("Level"),
        _("Status"),
        _("Timeliness"),
        _("Due on"),
        _("Submitted at"),
        _("Last reminder sent"),
    ]


def cells(row: BoardRow) -> list[str]:
    report = row.report
    if row.received_label and report.submitted_at:
        submitted = f"{row.received_label} {short_date(timezone.localdate(report.submitted_at))}"
    else:
        submitted = _cell_time(report.submitted_at)
    if row.unreached_at:
        reminded = f"{_cell_time(row.unreached_at)} ({_('no recipient')})"
    else:
        reminded = _cell_time(row.last_reminder)
    return [
        "    " * row.indent + row.unit.name,
        row.unit.code,
        row.level.name,
        row.status_label,
        row.timeliness_label,
        short_date(report.due_on),
        submitted,
        reminded,
    ]


def _counted(rows: list[BoardRow], progress: Progress | None) -> Iterator[list[str]]:
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield cells(row)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)


def workbook(rows: Iterable[BoardRow], *, progress: Progress | None = None) -> bytes:
    """The board's ``rows`` (filtered and indented as shown) as a workbook;
    ``progress(done, total)`` is told every PROGRESS_EVERY rows and at the end."""
    rows = list(rows)
    if progress is not None:
        progress(0, len(rows))
    return write_xlsx(header(), _counted(rows, progress), title=_("Progress"))
