"""How documents name their issuer: number and symbol, and the body in running text."""

import importlib

import pytest

from documents.numbering import BLANK, issuer_symbol_only, number_symbol

# Bodies are records now; the phrase old plans printed is derived once, by the
# migration that gives them their body.
legacy_phrase = importlib.import_module(
    "campaigns.migrations.0012_fill_plan_issuing_body"
).legacy_phrase


@pytest.mark.parametrize(
    ("typed", "kept"),
    [("ĐU", "ĐU"), ("BC/ĐU", "ĐU"), ("25-BC/ĐU", "ĐU"), ("Số 25-bc/ĐU", "ĐU"), ("KH/TU", "TU")],
)
def test_it_keeps_only_the_issuers_part_of_a_typed_symbol(typed, kept):
    assert issuer_symbol_only(typed) == kept


def test_it_keeps_a_symbol_whose_first_part_is_no_document_type():
    assert issuer_symbol_only("ĐU/BCĐ") == "ĐU/BCĐ"


def test_it_assembles_the_number_once():
    assert number_symbol(25, "BC", issuer_symbol_only("BC/ĐU")) == "25-BC/ĐU"
    assert number_symbol(7, "KH", "HU") == "07-KH/HU"
    assert number_symbol(None, "BC", "HU") == f"{BLANK}-BC/HU"


@pytest.mark.parametrize(
    ("on_behalf", "unit", "phrase"),
    [
        ("T/M BAN THƯỜNG VỤ", "Tỉnh ủy Gia Lai", "Ban Thường vụ Tỉnh ủy Gia Lai"),
        ("T/M THƯỜNG TRỰC", "Huyện ủy Tân Yên", "Thường trực Huyện ủy Tân Yên"),
        (
            "T/M BAN CHỈ ĐẠO",
            "Ban Chỉ đạo thực hiện Quy chế dân chủ tỉnh",
            "Ban Chỉ đạo thực hiện Quy chế dân chủ tỉnh",
        ),
        ("T/M ĐẢNG UỶ", "Đảng ủy xã Ia Pếch", "Đảng ủy xã Ia Pếch"),
        ("T/M BAN TỔ CHỨC", "Huyện ủy Tân Yên", "Ban Tổ chức Huyện ủy Tân Yên"),
        ("", "Huyện ủy Tân Yên", "Huyện ủy Tân Yên"),
    ],
)
def test_old_plans_keep_the_body_their_signature_block_named(on_behalf, unit, phrase):
    assert legacy_phrase(on_behalf, unit) == phrase
