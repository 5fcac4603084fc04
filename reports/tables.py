"""Rows of a table answer (``AnswerType.TABLE``): pasted, checked, counted.

A row is stored in ``Answer.rows`` as a dict::

    {"uid": "3f9a1c2e", "cells": ["Nguyễn Văn A", "Bí thư", "…"], "form": "Bằng khen"}

``cells`` follow the plan's columns (``campaigns.tables.TableSpec.columns``)
and ``form`` is one of its forms of commendation. A row taken from a unit
below keeps the unit that proposed it — ``unit`` (its name), ``unit_id``,
``level_id`` — and ``origin`` ("<report id>:<uid>", so it is taken once);
a unit's own row has none of these: its unit is the report's.

Pasting reads a table copied from Word (HTML, through the rich-text
sanitiser) or from Excel (tab-separated text, cells with line breaks quoted);
a first column of row numbers (STT) and a header row are recognised and left
out.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from campaigns.tables import TableSpec
from documents import richtext

MAX_ROWS = 150
# Each row posts a field a column, its form and its uid: the rows of a wide
# table are fewer, so that a post stays under Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) and a long list is refused with this
# module's message, not a bare 400.
FIELDS_PER_POST = 900


def row_limit(spec: TableSpec) -> int:
    return min(MAX_ROWS, FIELDS_PER_POST // (len(spec.header) + 2))


MAX_CELL = 2000  # characters
_NUMBER = re.compile(r"^\s*\d{1,4}\s*[.)]?\s*$")
UNIT_KEYS = ("unit", "unit_id", "level_id", "origin")
UID = re.compile(r"[0-9a-f]{8}")


def new_uid() -> str:
    return secrets.token_hex(4)


def clean_cell(text: str) -> str:
    lines = [" ".join(line.split()) for line in str(text).replace("\r", "").split("\n")]
    return "\n".join(line for line in lines if line)


# ------------------------------------------------------------ pasting


def pasted_cells(text: str = "", html: str = "") -> list[list[str]]:
    """The cells of a pasted table, row by row: from ``html`` when it holds a
    table (Word, a web page), else from ``text`` split on tabs (Excel; a
    Word table pasted as text is tab-separated too)."""
    if html and "<table" in html.lower():
        tables = [b.table for b in richtext.to_blocks(richtext.sanitize(html)) if b.table]
        if tables:
            rows = []
            for table in tables:
                if table.header:
                    rows.append(table.header)
                rows += table.rows
            return [[clean_cell(c) for c in row] for row in rows]
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n")), delimiter="\t")
    return [[clean_cell(c) for c in row] for row in reader]


def _is_header(cells: list[str], spec: TableSpec) -> bool:
    labels = {" ".join(label.split()).casefold() for label in ["STT", *spec.header]}
    return any(" ".join(c.split()).casefold() in labels for c in cells if c)


def rows_from_cells(cells: list[list[str]], spec: TableSpec) -> list[dict]:
    """Pasted cells as rows of ``spec``: empty rows and a header left out, a
    first column of row numbers dropped; a row with more cells than the
    table keeps the extra cells (``validate`` names the row)."""
    width = len(spec.header)
    rows = []
    for index, row in enumerate(cells):
        if not any(row):
            continue
        if index == 0 and _is_header(row, spec):
            continue
        if len(row) > width and (_NUMBER.match(row[0]) or not row[0]):
            row = row[1:]
        row = row + [""] * (width - len(row))
        values = row[: len(spec.columns)] + row[width:]  # extra cells kept, to be refused
        form = row[len(spec.columns)] if spec.forms else ""
        rows.append(
            {
                "uid": new_uid(),
                "cells": values,
                "form": spec.canonical_form(form) or form,
            }
        )
    return rows


# ------------------------------------------------------------ checking


@dataclass
class RowError:
    row: int  # 1-based, as STT prints it
    message: str

    def __str__(self) -> str:
        return _("Row %(n)s: %(message)s") % {"n": self.row, "message": self.message}


def validate(rows: list[dict], spec: TableSpec, *, level_code: str = "") -> list[str]:
    """What is wrong with ``rows``, each in a sentence the unit can act on."""
    errors: list[str] = []
    if len(rows) > row_limit(spec):
        errors.append(_("At most %(n)s rows per table.") % {"n": row_limit(spec)})
    columns = len(spec.columns)
    for number, row in enumerate(rows, start=1):
        cells = row.get("cells", [])
        if len(cells) > columns:
            errors.append(
                str(
                    RowError(
                        number,
                        _("it has %(given)s columns, the table has %(n)s.")
                        % {"given": len(cells) + (1 if spec.forms else 0), "n": len(spec.header)},
                    )
                )
            )
            continue
        if not (cells[0] if cells else "").strip():
            errors.append(
                str(RowError(number, _("“%(column)s” is empty.") % {"column": spec.columns[0]}))
            )
        long = next((spec.columns[i] for i, c in enumerate(cells) if len(c) > MAX_CELL), None)
        if long:
            errors.append(
                str(
                    RowError(
                        number,
                        _("“%(column)s” is longer than %(n)s characters.")
                        % {"column": long, "n": MAX_CELL},
                    )
                )
            )
        if spec.forms:
            form = row.get("form", "")
            if not form:
                errors.append(
                    str(
                        RowError(
                            number,
                            _("choose the %(column)s.") % {"column": spec.form_label.lower()},
                        )
                    )
                )
            elif form not in spec.forms:
                errors.append(
                    str(
                        RowError(
                            number,
                            _("“%(form)s” is not one of the plan's forms (%(forms)s).")
                            % {"form": form, "forms": ", ".join(spec.forms)},
                        )
                    )
                )
    for line in quota_lines(rows, spec, level_code):
        if line.remaining < 0:
            errors.append(
                _(
                    "The plan allows at most %(quota)s “%(form)s” for your level; the list has "
                    "%(used)s. Remove %(over)s."
                )
                % {
                    "quota": line.quota,
                    "form": line.form,
                    "used": line.used,
                    "over": -line.remaining,
                }
            )
    return errors


@dataclass
class QuotaLine:
    form: str
    used: int
    quota: int

    @property
    def remaining(self) -> int:
        return self.quota - self.used


def quota_lines(rows: list[dict], spec: TableSpec, level_code: str) -> list[QuotaLine]:
    """For each form the plan caps for ``level_code``: used and allowed."""
    used = Counter(row.get("form", "") for row in rows)
    return [
        QuotaLine(form, used[form], quota) for form, quota in spec.quota_for(level_code).items()
    ]


def form_counts(rows: list[dict], spec: TableSpec) -> dict[str, int]:
    """Rows per form, in the plan's order of forms (others after)."""
    counts = Counter(row.get("form", "") for row in rows if row.get("form"))
    order = {form: i for i, form in enumerate(spec.forms)}
    return dict(sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))


def clean_stored(rows: object) -> list[dict]:
    """Stored rows, a malformed one left out (what is printed and counted)."""
    if not isinstance(rows, list):
        return []
    result = []
    for row in rows:
        if isinstance(row, dict) and isinstance(row.get("cells"), list):
            result.append(
                {**row, "cells": [str(c) for c in row["cells"]], "form": str(row.get("form", ""))}
            )
    return result


def taken_row(row: dict, *, report_id: int, unit: str, unit_id: int, level_id: int) -> dict:
    """A row of a unit below taken into a list: a copy that keeps the unit
    that proposed it (the unit of the report, or the one it came from)."""
    taken = {
        "uid": new_uid(),
        "cells": list(row["cells"]),
        "form": row.get("form", ""),
        "origin": f"{report_id}:{row['uid']}",
    }
    for key, value in (("unit", unit), ("unit_id", unit_id), ("level_id", level_id)):
        taken[key] = row.get(key) or value
    return taken
