"""orgunits.tables reads what it needs of a file, whatever the file claims
(issue #16, item 4): bounded columns and rows, and a friendly error for a
broken or hostile workbook."""

import io
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from orgunits import tables
from orgunits.tables import EMPTY_ROWS_STOP, MAX_COLUMNS, TableError, read_table, sheet_count

INVALID = "Tệp không phải là bảng tính XLSX hợp lệ."


def workbook_bytes(rows, *, far_cell: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_cell_in_column_xfd_is_read_in_bounded_memory():
    """6,000 rows and one cell in XFD: openpyxl pads every row to 16,384 cells
    when asked for all columns (1.1 GB in the audit)."""
    data = workbook_bytes(
        [["code", "name", "parent_code", "level"]]
        + [[f"U{i}", f"Đơn vị {i}", "", "tinh"] for i in range(6000)],
        far_cell="XFD3",
    )
    assert len(data) < 200_000
    tracemalloc.start()
    try:
        table = read_table(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert table.header == ["code", "name", "parent_code", "level"] + [""] * (MAX_COLUMNS - 4)
    assert len(table.rows) == 6000
    assert all(len(cells) == MAX_COLUMNS for _number, cells in table.rows)
    assert table.rows[-1][1][:2] == ["U5999", "Đơn vị 5999"]


def test_a_csv_line_of_a_million_separators_is_cut_to_the_known_columns():
    data = ("code,name\r\nA,Tỉnh" + "," * 1_000_000 + "\r\n").encode()
    table = read_table(data)
    assert table.rows == [(2, ["A", "Tỉnh"] + [""] * (MAX_COLUMNS - 2))]


def test_reading_stops_at_a_block_of_blank_rows():
    rows = [["code", "name"], ["A", "Một"]] + [[None, None]] * EMPTY_ROWS_STOP + [["B", "Hai"]]
    table = read_table(workbook_bytes(rows))
    assert [cells[0] for _number, cells in table.rows] == ["A"]
    fewer = [["code", "name"], ["A", "Một"]] + [[None, None]] * 10 + [["B", "Hai"]]
    assert [n for n, _cells in read_table(workbook_bytes(fewer)).rows] == [2, 13]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_past_the_row_limit_is_refused_with_a_message(settings, kind):
    settings.ORGUNIT_IMPORT_MAX_ROWS = 100
    rows = [["code", "name"]] + [[f"U{i}", "x"] for i in range(150)]
    if kind == "xlsx":
        data = workbook_bytes(rows)
    else:
        data = "\n".join(",".join(row) for row in rows).encode()
    with pytest.raises(TableError, match="Tệp có hơn 100 dòng"):
        read_table(data)
    settings.ORGUNIT_IMPORT_MAX_ROWS = 151
    assert len(read_table(data).rows) == 150


LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
)


def replaced(data: bytes, member: str, text: str) -> bytes:
    """``data`` (an XLSX) with ``member`` replaced by ``text``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = text.encode() if info.filename == member else source.read(info.filename)
            target.writestr(info.filename, content)
    return buffer.getvalue()


SHEET_BOMB = LAUGHS + (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    "</sheetData></worksheet>"
)
WORKBOOK_BOMB = LAUGHS + (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol9;</workbook>'
)


@pytest.mark.parametrize(
    ("member", "text"),
    [("xl/worksheets/sheet1.xml", SHEET_BOMB), ("xl/workbook.xml", WORKBOOK_BOMB)],
)
def test_a_billion_laughs_workbook_is_not_a_valid_xlsx(member, text):
    data = replaced(workbook_bytes([["code", "name"], ["A", "Một"]]), member, text)
    tracemalloc.start()
    try:
        with pytest.raises(TableError) as error:
            read_table(data)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(error.value) == INVALID
    assert peak < 50 * 1024 * 1024
    assert sheet_count(data) in (0, 1)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: replaced(data, "xl/workbook.xml", "<workbook"),  # cut short
        lambda data: replaced(data, "xl/worksheets/sheet1.xml", "<worksheet><sheetData><row"),
        lambda data: replaced(data, "[Content_Types].xml", "not xml"),
    ],
)
def test_a_damaged_workbook_is_not_a_valid_xlsx(damage):
    data = damage(workbook_bytes([["code", "name"], ["A", "Một"]]))
    with pytest.raises(TableError) as error:
        read_table(data)
    assert str(error.value) == INVALID


def test_openpyxl_parses_with_defusedxml():
    """requirements.txt installs defusedxml; openpyxl takes it up by itself."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
    assert tables.DefusedXmlException.__module__.startswith("defusedxml")


def test_writing_a_workbook_never_rescans_the_sheet_per_row(monkeypatch):
    """Each appended row costs the same: a sheet of n rows is written in
    linear time (the sheet's extent, a scan of every cell, is not asked per row)."""
    from openpyxl.worksheet.worksheet import Worksheet

    scans = []
    extent = Worksheet.max_row

    def counted(sheet):
        scans.append(1)
        return extent.fget(sheet)

    monkeypatch.setattr(Worksheet, "max_row", property(counted))
    rows = [[f"=xã {i}", str(i)] for i in range(300)]
    data = tables.write_xlsx(["Đơn vị", "Mã"], rows, title="T")
    assert len(scans) < 10
    book = tables.load_workbook(io.BytesIO(data))
    cells = [(c.value, c.data_type) for c in book.active["A"]][-1:]
    assert cells == [("=xã 299", "s")]  # stored as text, never as a formula
