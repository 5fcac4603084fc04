"""Reading and writing tables as CSV or XLSX, the two formats offices exchange."""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from xml.etree.ElementTree import ParseError
from zipfile import BadZipFile, LargeZipFile

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

XLSX_MAGIC = b"PK\x03\x04"

# What a read takes from a file, whatever the file says of itself (a sheet
# whose one cell sits in column XFD is 16,384 columns wide on every row): the
# columns any of our imports knows, with room to spare; rows up to
# ORGUNIT_IMPORT_MAX_ROWS (a setting); and nothing after a block of
# EMPTY_ROWS_STOP blank rows (what a sheet holds past its data is not data).
MAX_COLUMNS = 40
EMPTY_ROWS_STOP = 50
DEFAULT_MAX_ROWS = 60_000

try:  # openpyxl parses with defusedxml when it is installed (requirements.txt)
    from defusedxml import DefusedXmlException
except ImportError:  # pragma: no cover - the stdlib's expat refuses the bombs then

    class DefusedXmlException(ValueError):
        pass


# Whatever a damaged or hostile workbook can raise while it is read: not a
# zip, a truncated or oversized member, bad XML, entities (billion laughs:
# defusedxml's EntitiesForbidden, or expat's amplification limit).
BROKEN_XLSX = (
    InvalidFileException,
    BadZipFile,
    LargeZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    ValueError,
    TypeError,
    IndexError,
    ParseError,
    SyntaxError,
    DefusedXmlException,
)


def max_rows() -> int:
    return getattr(settings, "ORGUNIT_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


class TableError(ValueError):
    """The file cannot be read as a table at all (wrong format, encoding…)."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    # (row number as the spreadsheet shows it, cells); blank rows are dropped.
    rows: list[tuple[int, list[str]]]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    data: bytes,
    *,
    header_hint: Callable[[list[str]], bool] | None = None,
    sheet: int = 0,
    max_columns: int = MAX_COLUMNS,
) -> Table:
    """Parse ``data`` as XLSX (recognised by content) or else as UTF-8 CSV.

    Offices often put a title above the header row ("DANH SÁCH ĐƠN VỊ…"):
    ``header_hint`` recognises the header among the first rows; without it,
    the first non-blank row is the header. ``sheet`` is the workbook's sheet
    to read (a CSV has only the first). Only the first ``max_columns``
    columns are read, and rows up to ``max_rows()`` (more is a TableError),
    until a block of EMPTY_ROWS_STOP blank rows.
    """
    if is_xlsx(data):
        lines = _xlsx_lines(data, sheet, max_columns=max_columns)
    elif b"\x00" in data[:4096]:
        raise TableError(_("The file is neither a CSV nor an XLSX spreadsheet."))
    else:
        lines = _csv_lines(data, max_columns=max_columns)
    return _table_from_lines(lines, header_hint)


def is_xlsx(data: bytes) -> bool:
    return data.startswith(XLSX_MAGIC)


def sheet_count(data: bytes) -> int:
    """How many sheets a workbook has; a CSV is one sheet."""
    if not is_xlsx(data):
        return 1
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BROKEN_XLSX:
        return 1
    count = len(workbook.worksheets)
    workbook.close()
    return count


def _xlsx_lines(data: bytes, index: int = 0, *, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except BROKEN_XLSX as error:
        raise TableError(_("The file is not a valid XLSX workbook.")) from error
    try:
        if index >= len(workbook.worksheets):
            return []
        sheet = workbook.worksheets[index]
        # The sheet is parsed as it is iterated: its errors surface here.
        rows = sheet.iter_rows(max_col=max_columns, values_only=True)
        return _bounded([_cell_text(v) for v in row] for row in rows)
    except TableError:
        raise
    except BROKEN_XLSX as error:
        raise TableError(_("The file is not a valid XLSX workbook.")) from error
    finally:
        workbook.close()


def _bounded(lines: Iterator[list[str]]) -> list[list[str]]:
    """The lines up to ``max_rows()`` and before a block of blank ones."""
    limit = max_rows()
    kept: list[list[str]] = []
    blank = 0
    for line in islice(lines, limit + 1):
        if any(line):
            blank = 0
        else:
            blank += 1
            if blank >= EMPTY_ROWS_STOP:
                break
        kept.append(line)
    else:
        if len(kept) > limit:
            raise TableError(
                _("The file has more than %(n)s rows: split it into smaller files.")
                % {"n": f"{limit:,}".replace(",", ".")}
            )
    while kept and not any(kept[-1]):
        kept.pop()
    return kept


def _delimiter(first_line: str) -> str:
    """The separator of a CSV file: whichever of ",", ";" or tab the header row
    has most of outside quotes (Excel writes ";" in Vietnamese locales). The
    quoting is always the standard one ("" inside quotes), which is what we
    write and what Excel writes: guessing it made names with quotes grow a
    pair of quotes at every round trip."""
    outside, quoted = [], False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(char)
    counts = {sep: outside.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_lines(data: bytes, *, max_columns: int = MAX_COLUMNS) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TableError(
            _("The CSV file must be saved with UTF-8 encoding (in Excel: “CSV UTF-8”).")
        ) from error
    delimiter = _delimiter(text.split("\n", 1)[0])
    try:
        return _bounded(
            [_unguarded(cell.strip()) for cell in line[:max_columns]]
            for line in csv.reader(io.StringIO(text), delimiter=delimiter)
        )
    except csv.Error as error:  # a NUL past the first 4 KB, a field past csv's limit
        raise TableError(_("The file is neither a CSV nor an XLSX spreadsheet.")) from error


HEADER_SEARCH_ROWS = 10


def _table_from_lines(
    lines: list[list[str]], header_hint: Callable[[list[str]], bool] | None
) -> Table:
    numbered = [(number, cells) for number, cells in enumerate(lines, start=1) if any(cells)]
    if not numbered:
        raise TableError(_("The file is empty."))
    start = 0
    if header_hint is not None:
        for index, (_number, cells) in enumerate(numbered[:HEADER_SEARCH_ROWS]):
            if header_hint(cells):
                start = index
                break
    return Table(header=numbered[start][1], rows=numbered[start + 1 :])


# A cell starting with one of these is run as a formula by a spreadsheet
# (=HYPERLINK(…), =cmd|…): every export writes such text as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _guarded(value: object) -> object:
    """Text that a spreadsheet would run, prefixed with "'" (shown as typed)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _unguarded(text: str) -> str:
    """What :func:`_guarded` wrote, read back as it was typed."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def append_row(sheet, values: Sequence[object]) -> None:
    """Append a row to an openpyxl sheet with every string stored as text,
    never as a formula (openpyxl turns a string starting with "=" into one).

    The cells are made here, not looked up after the append: ``sheet[max_row]``
    scans every cell of the sheet, which made a sheet of n rows cost n² (5 s
    of the progress board's 6-s export at 2,500 units)."""
    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if cell.data_type == "f":
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([_guarded(value) for value in row] for row in rows)
    # A BOM lets Excel open the file as UTF-8 and show Vietnamese correctly.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]], *, title: str) -> bytes:
    return write_xlsx_sheets([(title, header, rows)])


def write_xlsx_sheets(
    sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[str]]]],
) -> bytes:
    """A workbook of (title, header, rows) sheets, in order."""
    workbook = Workbook(write_only=False)
    for index, (title, header, rows) in enumerate(sheets):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = title[:31]
        append_row(sheet, header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            append_row(sheet, row)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in column), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
