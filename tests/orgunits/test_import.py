import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from orgunits.models import OrgUnit, Role
from orgunits.services import COLUMNS, export_orgunits, import_orgunits
from orgunits.tables import read_table, write_csv
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HEADER = [key for key, _label in COLUMNS]


def csv_file(*rows: list[str], header: list[str] = HEADER) -> bytes:
    return write_csv(header, [list(row) + [""] * (len(header) - len(row)) for row in rows])


def xlsx_file(*rows: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages(result) -> list[tuple[int, str]]:
    return [(error.row, error.message) for error in result.errors]


def test_it_creates_a_tree_from_csv(levels):
    data = csv_file(
        [
            "P",
            "Tỉnh ủy Gia Lai",
            "Tỉnh ủy",
            "",
            "tinh",
            "party_committee",
            "TU",
            "tu@gl.vn",
            "Gia Lai",
        ],
        ["D", "Huyện ủy Chư Sê", "", "P", "huyen", "", "HU"],
        ["C", "Đảng ủy xã Ia Blang", "", "D", "Cấp cơ sở", "Đảng ủy cơ sở", "ĐU"],
    )
    result = import_orgunits(data=data)
    assert result.ok, result.errors
    assert result.created == 3
    commune = OrgUnit.objects.get(code="C")
    assert [a.code for a in OrgUnit.objects.get_ancestors(commune)] == ["P", "D"]
    assert commune.level.code == "co-so"
    assert commune.kind == "grassroots_committee"
    assert OrgUnit.objects.get(code="P").numchild == 1
    assert OrgUnit.objects.get(code="P").place_name == "Gia Lai"
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_it_reads_xlsx_with_numeric_codes(levels):
    data = xlsx_file(["1", "Tỉnh ủy", "", "", "tinh"], [2, "Huyện ủy", "", 1, "huyen"])
    result = import_orgunits(data=data)
    assert result.ok, result.errors
    assert OrgUnit.objects.get(code="2").depth == 2


def test_it_lists_every_error_with_its_row_and_saves_nothing(levels, small_tree):
    before = OrgUnit.objects.count()
    data = csv_file(
        ["N1", "Xã mới 1", "", "NOPE", "co-so"],  # row 2: unknown parent
        ["N2", "Xã mới 2", "", "D1", "co-so"],  # row 3: fine
        ["N2", "Xã mới 2 lặp", "", "D1", "co-so"],  # row 4: duplicate code
        ["N3", "", "", "D1", "co-so"],  # row 5: empty name
        ["N4", "Xã mới 4", "", "D1", "phuong-tinh"],  # row 6: unknown level
        ["A", "Đơn vị A", "", "B", "co-so"],  # row 7: cycle A → B → A
        ["B", "Đơn vị B", "", "A", "co-so"],  # row 8: cycle B → A → B
        ["N5", "Xã mới 5", "", "D1", "co-so", "", "", "not-an-email"],  # row 9
    )
    with translation.override("vi"):
        result = import_orgunits(data=data)
        text = [str(error) for error in result.errors]
    rows = [row for row, _message in messages(result)]
    assert rows == [2, 4, 5, 6, 7, 8, 9]
    assert OrgUnit.objects.count() == before
    assert "Dòng 2" in text[0]
    assert "NOPE" in text[0]
    assert "lặp lại" in text[1]
    assert "dòng 3" in text[1]
    assert "tên" in text[2]
    assert "phuong-tinh" in text[3]
    assert "vòng lặp" in text[4]
    assert "A → B → A" in text[4]
    assert "not-an-email" in text[6]


def test_it_refuses_a_move_that_makes_a_cycle_with_stored_units(small_tree):
    data = csv_file(["D1", "Huyện ủy D1", "", "D1C1", "huyen"])
    result = import_orgunits(data=data)
    assert not result.ok
    assert OrgUnit.objects.get(code="D1").depth == 2


def test_it_refuses_a_child_level_not_below_its_parent(small_tree):
    result = import_orgunits(data=csv_file(["X", "Tỉnh ủy khác", "", "D1", "tinh"]))
    assert messages(result)[0][0] == 2
    assert not OrgUnit.objects.filter(code="X").exists()


def test_it_reports_missing_columns(levels):
    result = import_orgunits(data=csv_file(["P", "Tỉnh"], header=["code", "name"]))
    assert messages(result)[0][0] == 1
    assert "parent" in messages(result)[0][1].lower() or "cấp trên" in messages(result)[0][1]


def test_it_refuses_a_file_that_is_neither_csv_nor_xlsx(levels):
    result = import_orgunits(data=b"\xff\xfe\x00garbage\x00\x01")
    assert not result.ok
    assert OrgUnit.objects.count() == 0


def test_it_accepts_vietnamese_headers_and_semicolons(levels):
    with translation.override("vi"):
        header = [str(label) for _key, label in COLUMNS]
    text = ";".join(header) + "\nP;Tỉnh ủy Gia Lai;;;tinh;;TU;;Gia Lai\n"
    result = import_orgunits(data=text.encode("utf-8"))
    assert result.ok, result.errors
    assert OrgUnit.objects.get(code="P").symbol == "TU"


def test_it_updates_and_moves_existing_units(small_tree):
    data = csv_file(
        ["D2C1", "Đảng ủy xã Mới", "Xã Mới", "D1", "co-so", "grassroots_committee", "ĐU"],
        ["D1C2", "Đảng ủy xã D1C2", "Xã D1C2", "D1", "co-so", "party_committee"],
    )
    result = import_orgunits(data=data)
    assert result.ok, result.errors
    assert (result.updated, result.moved) == (2, 1)
    moved = OrgUnit.objects.get(code="D2C1")
    assert moved.name == "Đảng ủy xã Mới"
    assert moved.path.startswith(OrgUnit.objects.get(code="D1").path)
    assert OrgUnit.objects.get(code="D1").numchild == 3
    assert OrgUnit.objects.get(code="D2").numchild == 1
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_it_round_trips_export_and_import(small_tree, file_format):
    OrgUnit.objects.filter(code="D1").update(email="d1@gl.vn", place_name="Chư Sê")
    exported = export_orgunits(OrgUnit.objects.all(), file_format=file_format)
    before = read_table(exported).rows
    snapshot = sorted(
        OrgUnit.objects.values_list(
            "code", "name", "level__code", "kind", "symbol", "email", "depth"
        )
    )
    OrgUnit.objects.all().delete()

    result = import_orgunits(data=exported)
    assert result.ok, result.errors
    after = sorted(
        OrgUnit.objects.values_list(
            "code", "name", "level__code", "kind", "symbol", "email", "depth"
        )
    )
    assert after == snapshot
    assert [
        r[1]
        for r in read_table(export_orgunits(OrgUnit.objects.all(), file_format=file_format)).rows
    ] == [r[1] for r in before]
    # Importing the same file again changes nothing.
    again = import_orgunits(data=exported)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(snapshot))


def test_it_keeps_a_coordinator_inside_their_subtree(small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    data = csv_file(
        ["N1", "Xã mới", "", "D1", "co-so"],  # allowed
        ["N2", "Xã khác", "", "D2", "co-so"],  # parent outside the subtree
        ["D2C1", "Đổi tên", "", "D2", "co-so"],  # unit outside the subtree
        ["N3", "Tỉnh mới", "", "", "tinh"],  # new root
    )
    result = import_orgunits(data=data, by=coordinator)
    assert [row for row, _m in messages(result)] == [3, 4, 5]
    assert not OrgUnit.objects.filter(code="N1").exists()


def test_it_shows_errors_on_the_upload_page_and_saves_nothing(client, small_tree):
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    client.force_login(coordinator)
    before = OrgUnit.objects.count()
    upload = io.BytesIO(csv_file(["N1", "", "", "ZZZ", "co-so"]))
    upload.name = "don-vi.csv"
    response = client.post(reverse("orgunits:import"), {"file": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert "không có gì được lưu" in html.lower()
    assert "ZZZ" in html
    assert OrgUnit.objects.count() == before


def test_it_imports_through_the_upload_page(client, small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    client.force_login(coordinator)
    upload = io.BytesIO(csv_file(["N1", "Đảng ủy xã Mới", "", "D1", "co-so"]))
    upload.name = "don-vi.csv"
    response = client.post(reverse("orgunits:import"), {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orgunits:tree")
    assert OrgUnit.objects.get(code="N1").path.startswith(small_tree["D1"].path)


def test_the_command_imports_a_file(tmp_path, levels, capsys):
    path = tmp_path / "tree.xlsx"
    path.write_bytes(
        xlsx_file(["P", "Tỉnh ủy", "", "", "tinh"], ["D", "Huyện ủy", "", "P", "huyen"])
    )
    call_command("import_orgunits", str(path))
    assert OrgUnit.objects.count() == 2


def test_the_command_lists_errors_and_fails(tmp_path, levels, capsys):
    path = tmp_path / "tree.csv"
    path.write_bytes(csv_file(["P", "", "", "", "tinh"], ["D", "Huyện", "", "Q", "huyen"]))
    with pytest.raises(CommandError):
        call_command("import_orgunits", str(path))
    err = capsys.readouterr().err
    assert "Dòng 2" in err
    assert "Dòng 3" in err
    assert OrgUnit.objects.count() == 0


def test_it_finds_the_header_below_a_title_row(levels):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH TỔ CHỨC ĐẢNG TRỰC THUỘC"])
    sheet.append([])
    sheet.append(["Mã", "Tên", "Tên viết tắt", "Mã đơn vị cấp trên", "Cấp"])
    sheet.append(["P", "Tỉnh ủy Gia Lai", "", "", "Cấp tỉnh"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_orgunits(data=buffer.getvalue())
    assert result.ok, result.errors
    assert OrgUnit.objects.get(code="P").level.code == "tinh"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "Tệp trống"),
        (b"%PDF-1.7\x00\x01binary", "không phải là tệp CSV hoặc XLSX"),
        (b"code,name\nP,T\xecnh \xf0y\n", "UTF-8"),  # saved in a legacy code page
        (b"PK\x03\x04not really a zip", "XLSX"),
    ],
)
def test_it_explains_an_unreadable_file_in_vietnamese(levels, data, expected):
    with translation.override("vi"):
        result = import_orgunits(data=data)
        text = str(result.errors[0])
    assert "Dòng 1" in text
    assert expected in text
    assert OrgUnit.objects.count() == 0


@pytest.mark.parametrize("code", ["D1/C9", "<b>X</b>", "..", ".hidden", "xã 1", "Đ1"])
def test_it_refuses_a_code_that_would_break_urls_or_file_paths(levels, small_tree, code):
    """Audit finding #16.5: a code with "/" or markup imported, then the unit's
    pages returned 500; ".." made every upload for the unit fail."""
    before = OrgUnit.objects.count()
    with translation.override("vi"):
        result = import_orgunits(data=csv_file([code, "Xã mới", "", "D1", "co-so"]))
        text = " ".join(str(error) for error in result.errors)
    assert [row for row, _message in messages(result)] == [2]
    assert code in text
    assert "chữ số" in text
    assert OrgUnit.objects.count() == before


def test_a_unit_code_is_validated_by_the_model_too(small_tree):
    from django.core.exceptions import ValidationError

    unit = small_tree["D1C1"]
    unit.code = "a/b"
    with pytest.raises(ValidationError):
        unit.full_clean()


HOSTILE_NAMES = [
    'Chi bộ "Tổ 1"',  # quotes grew a pair at every round trip (#16.7)
    "Chi bộ Tổ 2, khu phố 3",  # a comma shifted the columns (#16.7)
    '=HYPERLINK("http://x.invalid","Bấm")',  # ran as a formula (#16.6)
    "=cmd|' /C calc'!A0",
    "+1 Chi bộ",
    "@SUM(A1)",
]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_names_with_quotes_commas_and_formulas_survive_every_round_trip(small_tree, file_format):
    for code, name in zip(["D1C1", "D1C2", "D2C1", "D2C2", "D1", "D2"], HOSTILE_NAMES, strict=True):
        OrgUnit.objects.filter(code=code).update(name=name)
    expected = sorted(OrgUnit.objects.values_list("code", "name"))
    exported = export_orgunits(OrgUnit.objects.all(), file_format=file_format)
    for _round in range(3):
        OrgUnit.objects.all().delete()
        result = import_orgunits(data=exported)
        assert result.ok, result.errors
        assert sorted(OrgUnit.objects.values_list("code", "name")) == expected
        exported = export_orgunits(OrgUnit.objects.all(), file_format=file_format)


def test_exports_write_formula_like_text_as_text(small_tree):
    from openpyxl import load_workbook

    OrgUnit.objects.filter(code="D1").update(name=HOSTILE_NAMES[2])
    csv_text = export_orgunits(OrgUnit.objects.all(), file_format="csv").decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    assert ",=HYPERLINK" not in csv_text
    workbook = load_workbook(io.BytesIO(export_orgunits(OrgUnit.objects.all(), file_format="xlsx")))
    cells = [c for row in workbook.worksheets[0].iter_rows() for c in row if c.value]
    hostile = [c for c in cells if str(c.value).startswith("=")]
    assert hostile
    assert {c.data_type for c in hostile} == {"s"}
