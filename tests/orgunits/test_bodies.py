"""Issuing bodies: the header they print, their defaults by kind of unit, their symbol."""

import pytest
from django.db import IntegrityError
from hypothesis import given
from hypothesis import strategies as st

from orgunits.bodies import default_body, new_default_body
from orgunits.issuers import header_lines, organisation_line
from orgunits.models import IssuingBody, IssuingBodyKind, OrgUnit, OrgUnitKind
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_csv
from orgunits.text import search_key
from tests.factories import add_unit


def _unit(name, kind=OrgUnitKind.PARTY_COMMITTEE, parent=None, **fields) -> OrgUnit:
    """An unsaved unit under ``parent`` (its parent is known without a query)."""
    unit = OrgUnit(name=name, kind=kind, depth=(parent.depth + 1) if parent else 1, **fields)
    unit._parent_unit = parent
    return unit


PROVINCE = _unit("Tỉnh ủy Gia Lai", symbol="TU")
DISTRICT = _unit("Huyện ủy Chư Sê", parent=PROVINCE, symbol="HU")
COMMUNE = _unit("Đảng ủy xã Ia Blang", OrgUnitKind.GRASSROOTS_COMMITTEE, DISTRICT, symbol="ĐU")
CELL = _unit("Chi bộ thôn Plei Ring Đáp", OrgUnitKind.PARTY_CELL, COMMUNE, symbol="CB")
BLOC = _unit("Đảng ủy Khối các cơ quan tỉnh", OrgUnitKind.BLOC_COMMITTEE, PROVINCE, symbol="ĐUK")


def _header(unit, **body):
    if not body:
        return new_default_body(unit).header_lines()
    return IssuingBody(unit=unit, phrase="…", **body).header_lines()


@pytest.mark.parametrize(
    ("unit", "body", "lines"),
    [
        (PROVINCE, {}, ("", "TỈNH ỦY GIA LAI")),
        (DISTRICT, {}, ("ĐẢNG BỘ TỈNH GIA LAI", "HUYỆN ỦY CHƯ SÊ")),
        (COMMUNE, {}, ("ĐẢNG BỘ HUYỆN CHƯ SÊ", "ĐẢNG ỦY XÃ IA BLANG")),
        (CELL, {}, ("ĐẢNG BỘ XÃ IA BLANG", "CHI BỘ THÔN PLEI RING ĐÁP")),
        (BLOC, {}, ("ĐẢNG BỘ TỈNH GIA LAI", "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH")),
        (
            PROVINCE,
            {"kind": IssuingBodyKind.COMMISSION, "name": "Ban Dân vận"},
            ("TỈNH ỦY GIA LAI", "BAN DÂN VẬN"),
        ),
        (
            BLOC,
            {"kind": IssuingBodyKind.STEERING_COMMITTEE, "name": "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ"},
            ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ"),
        ),
        (
            PROVINCE,
            {"kind": IssuingBodyKind.OFFICE, "name": "VĂN PHÒNG"},
            ("TỈNH ỦY GIA LAI", "VĂN PHÒNG"),
        ),
    ],
)
def test_it_prints_the_superior_line_and_the_issuer_by_kind_of_body(unit, body, lines):
    assert _header(unit, **body) == lines


@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("Tỉnh uỷ Kon Tum", "ĐẢNG BỘ TỈNH KON TUM"),
        ("Thành ủy Pleiku", "ĐẢNG BỘ THÀNH PHỐ PLEIKU"),
        ("Thị ủy An Khê", "ĐẢNG BỘ THỊ XÃ AN KHÊ"),
        ("Đảng ủy Khối doanh nghiệp tỉnh", "ĐẢNG BỘ KHỐI DOANH NGHIỆP TỈNH"),
        ("Đảng bộ Sở Y tế", "ĐẢNG BỘ SỞ Y TẾ"),
        ("Đảng đoàn Mặt trận Tổ quốc Việt Nam tỉnh", "ĐẢNG ĐOÀN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH"),
    ],
)
def test_it_derives_the_party_organisation_from_the_committees_name(name, line):
    assert organisation_line(name, OrgUnitKind.PARTY_COMMITTEE) == line


def test_a_unit_overrides_a_party_organisation_that_follows_no_rule():
    parent = _unit("Ban cán sự đảng UBND tỉnh", OrgUnitKind.CADRE_COMMITTEE, PROVINCE)
    child = _unit("Chi bộ Văn phòng UBND tỉnh", OrgUnitKind.PARTY_CELL, parent)
    assert _header(child)[0] == "BAN CÁN SỰ ĐẢNG UBND TỈNH"
    parent.party_organisation = "Đảng bộ cơ quan UBND tỉnh"
    assert _header(child) == ("ĐẢNG BỘ CƠ QUAN UBND TỈNH", "CHI BỘ VĂN PHÒNG UBND TỈNH")


def test_a_province_under_the_central_committee_prints_no_superior_line():
    centre = _unit("Ban Chấp hành Trung ương", OrgUnitKind.CENTRAL)
    province = _unit("Tỉnh ủy Gia Lai", parent=centre)
    assert _header(province) == ("", "TỈNH ỦY GIA LAI")


def test_a_typed_superior_line_repeating_the_issuer_is_dropped():
    assert header_lines("Tỉnh ủy Gia Lai", "TỈNH ỦY GIA LAI") == ("", "TỈNH ỦY GIA LAI")
    assert header_lines("ĐẢNG ỦY KHỐI CÁC CƠ QUAN", "Đảng uỷ Khối các cơ quan") == (
        "",
        "ĐẢNG UỶ KHỐI CÁC CƠ QUAN",
    )


COMMITTEE_WORDS = ["Tỉnh ủy", "Huyện ủy", "Thành ủy", "Thị ủy", "Đảng ủy", "Đảng ủy Khối", "Chi bộ"]
PLACES = st.text(alphabet="abcdeghiklmnopqrstuvxyĐđăâêôơưáàảãạếềểễệốồổỗộớờởỡợúùủũụ ", max_size=20)
UNIT_KINDS = st.sampled_from(OrgUnitKind.values)
BODY_KINDS = st.sampled_from(IssuingBodyKind.values)


@st.composite
def chains(draw):
    """A unit under a parent under a grandparent, with names made of committee
    words and places, any kinds, and a body of any kind and name."""
    units = None
    for _level in range(3):
        name = f"{draw(st.sampled_from(COMMITTEE_WORDS))} {draw(PLACES)}".strip()
        override = draw(st.one_of(st.just(""), st.sampled_from(COMMITTEE_WORDS)))
        units = _unit(name, draw(UNIT_KINDS), units, party_organisation=override)
    body_name = draw(st.one_of(st.just(""), st.sampled_from(COMMITTEE_WORDS), PLACES))
    return units, draw(BODY_KINDS), body_name


@given(chains())
def test_no_header_prints_the_same_words_twice(chain):
    unit, kind, name = chain
    superior, issuer = IssuingBody(unit=unit, kind=kind, name=name, phrase="…").header_lines()
    assert issuer
    assert search_key(superior) != search_key(issuer)
    assert superior == superior.upper()
    assert issuer == issuer.upper()


@pytest.mark.parametrize(
    ("kind", "signature", "phrase"),
    [
        (OrgUnitKind.PARTY_COMMITTEE, ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"), "Ban Thường vụ Huyện ủy X"),
        (OrgUnitKind.BLOC_COMMITTEE, ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"), "Ban Thường vụ Huyện ủy X"),
        (OrgUnitKind.GRASSROOTS_COMMITTEE, ("T/M ĐẢNG ỦY", "BÍ THƯ"), "Huyện ủy X"),
        (OrgUnitKind.PARTY_CELL, ("T/M CHI BỘ", "BÍ THƯ"), "Huyện ủy X"),
        (OrgUnitKind.STEERING_COMMITTEE, ("T/M BAN CHỈ ĐẠO", "TRƯỞNG BAN"), "Huyện ủy X"),
    ],
)
def test_the_default_body_signs_as_its_kind_of_unit_does(kind, signature, phrase):
    body = new_default_body(_unit("Huyện ủy X", kind, symbol="HU"))
    assert (body.sign_on_behalf, body.signer_position) == signature
    assert body.phrase == phrase
    assert body.symbol == "HU"
    assert body.is_default


@pytest.mark.django_db
def test_an_import_gives_every_new_unit_its_default_body(levels):
    rows = [
        ["P", "Tỉnh ủy Gia Lai", "", "", "tinh", "party_committee", "TU", "", ""],
        ["D", "Huyện ủy Chư Sê", "", "P", "huyen", "party_committee", "HU", "", ""],
        ["C", "Đảng ủy xã Ia Blang", "", "D", "co-so", "grassroots_committee", "ĐU", "", ""],
        ["B", "Chi bộ thôn 1", "", "C", "chi-bo", "party_cell", "CB", "", ""],
    ]
    assert import_orgunits(data=write_csv([k for k, _l in COLUMNS[:9]], rows)).ok
    signed = dict(IssuingBody.objects.filter(is_default=True).values_list("unit__code", "sign_for"))
    assert signed == {"P": "BAN THƯỜNG VỤ", "D": "BAN THƯỜNG VỤ", "C": "ĐẢNG ỦY", "B": "CHI BỘ"}
    assert IssuingBody.objects.count() == 4


@pytest.mark.django_db
def test_a_unit_has_one_default_body(levels):
    unit = add_unit(None, "P", levels["tinh"], name="Tỉnh ủy Gia Lai", symbol="TU")
    assert default_body(unit) == default_body(unit)
    with pytest.raises(IntegrityError):
        IssuingBody.objects.create(unit=unit, phrase="Văn phòng", symbol="VPTU", is_default=True)
