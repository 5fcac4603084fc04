"""The issuing bodies travel with the tree: the workbook's second sheet."""

import io

import pytest
from openpyxl import load_workbook

from orgunits.bodies_sheet import header as body_header
from orgunits.models import IssuingBody, IssuingBodyKind, OrgUnit, Role
from orgunits.services import COLUMNS, export_orgunits, import_orgunits
from orgunits.tables import write_xlsx_sheets
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

UNIT_HEADER = [key for key, _label in COLUMNS]


def _workbook(units, bodies) -> bytes:
    return write_xlsx_sheets(
        [("Đơn vị", UNIT_HEADER, units), ("Cơ quan ban hành", body_header(), bodies)]
    )


def _bodies():
    return sorted(
        IssuingBody.objects.values_list(
            "unit__code",
            "kind",
            "name",
            "phrase",
            "symbol",
            "authority",
            "sign_for",
            "signer_position",
            "signer_name",
            "is_default",
        )
    )


def test_bodies_round_trip_through_the_workbook(small_tree):
    IssuingBody.objects.create(
        unit=small_tree["P"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận Tỉnh ủy Gia Lai",
        symbol="BDVTU",
        authority="K/T",
        sign_for="TRƯỞNG BAN",
        signer_position="PHÓ TRƯỞNG BAN",
        signer_name="Nguyễn Thị Thanh Lịch",
    )
    OrgUnit.objects.filter(code="D1").update(party_organisation="Đảng bộ huyện Một")
    exported = export_orgunits(OrgUnit.objects.all(), file_format="xlsx")
    assert load_workbook(io.BytesIO(exported)).sheetnames == ["Đơn vị", "Cơ quan ban hành"]
    before = _bodies()
    OrgUnit.objects.all().delete()
    assert not IssuingBody.objects.exists()

    result = import_orgunits(data=exported)

    assert result.ok, result.errors
    assert _bodies() == before
    assert OrgUnit.objects.get(code="D1").party_organisation == "Đảng bộ huyện Một"
    again = import_orgunits(data=exported)
    assert (again.bodies_created, again.bodies_updated) == (0, 0)


def test_a_sheet_moves_the_default_and_adds_a_steering_committee(small_tree):
    units = [["P", "Tỉnh ủy Gia Lai", "", "", "tinh", "", "TU", "", "", ""]]
    bodies = [
        [
            "P",
            "steering_committee",
            "BAN CHỈ ĐẠO",
            "Ban Chỉ đạo Tỉnh ủy",
            "BCĐ",
            "T/M",
            "BAN CHỈ ĐẠO",
            "TRƯỞNG BAN",
            "",
            "x",
        ],
    ]
    result = import_orgunits(data=_workbook(units, bodies))
    assert result.ok, result.errors
    assert result.bodies_created == 1
    default = IssuingBody.objects.get(unit=small_tree["P"], is_default=True)
    assert (default.symbol, default.sign_on_behalf) == ("BCĐ", "T/M BAN CHỈ ĐẠO")
    assert IssuingBody.objects.filter(unit=small_tree["P"]).count() == 2


def test_bad_body_rows_are_explained_in_vietnamese_and_nothing_is_saved(small_tree):
    units = [["NEW", "Huyện ủy Mới", "", "P", "huyen", "", "HU", "", "", ""]]
    bodies = [
        ["", "commission", "", "Ban A", "A", "", "", "", "", ""],
        ["ZZ", "commission", "", "Ban B", "B", "", "", "", "", ""],
        ["P", "hội đồng", "", "Ban C", "C", "T/X", "", "", "", ""],
        ["P", "commission", "", "", "D", "", "", "", "", "x"],
        ["P", "commission", "", "Ban E", "E", "", "", "", "", "x"],
        ["P", "commission", "", "Ban E", "E", "", "", "", "", ""],
    ]
    result = import_orgunits(data=_workbook(units, bodies))
    messages = [str(error) for error in result.errors]
    assert all(m.startswith("Trang “Cơ quan ban hành”, dòng ") for m in messages), messages
    text = "\n".join(messages)
    assert "dòng 2: mã đơn vị để trống" in text
    assert "không có đơn vị nào có mã “ZZ”" in text
    assert "loại cơ quan “hội đồng” không hợp lệ" in text
    assert "thẩm quyền ký “T/X” không hợp lệ" in text
    assert "“Tên trong văn bản” để trống" in text
    assert "P có hai cơ quan mặc định (dòng 5 và 6)" in text
    assert "cơ quan “Ban E” của P bị lặp lại (lần đầu ở dòng 6)" in text
    assert not OrgUnit.objects.filter(code="NEW").exists()
    assert IssuingBody.objects.count() == len(small_tree)


def test_a_coordinator_imports_bodies_inside_their_subtree_only(small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    bodies = [
        [
            "D1",
            "commission",
            "BAN DÂN VẬN",
            "Ban Dân vận Huyện ủy D1",
            "BDVHU",
            "",
            "",
            "TRƯỞNG BAN",
            "",
            "",
        ],
        [
            "D2",
            "commission",
            "BAN DÂN VẬN",
            "Ban Dân vận Huyện ủy D2",
            "BDVHU",
            "",
            "",
            "TRƯỞNG BAN",
            "",
            "",
        ],
    ]
    units = [["D1C1", "Đảng ủy xã D1C1", "", "D1", "co-so", "", "", "", "", ""]]
    result = import_orgunits(data=_workbook(units, bodies), by=coordinator)
    assert [error.row for error in result.errors] == [3]
    assert "“D2”" in str(result.errors[0])
    assert not IssuingBody.objects.filter(symbol="BDVHU").exists()
