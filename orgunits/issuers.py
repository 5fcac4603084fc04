"""The words a document's header and signature take from its issuing body.

The header (Hướng dẫn 36-HD/VPTW) has two lines on the left: the superior
line and the issuer. A unit's own committee prints the unit's name under the
party organisation it belongs to ("ĐẢNG BỘ TỈNH GIA LAI" / "HUYỆN ỦY CHƯ SÊ");
a commission or steering committee prints its unit's name above its own
("TỈNH ỦY GIA LAI" / "BAN DÂN VẬN"). The records are
:class:`orgunits.models.IssuingBody`; this module holds the rules on names.
"""

from __future__ import annotations

import re
import unicodedata

from .text import search_key

# "Tỉnh ủy Gia Lai" → "Đảng bộ tỉnh Gia Lai": the organisation a committee leads.
_COMMITTEE_WORDS = [
    (re.compile(r"^tỉnh\s+[uủ][ỷy]\s+", re.IGNORECASE), "ĐẢNG BỘ TỈNH "),
    (re.compile(r"^huyện\s+[uủ][ỷy]\s+", re.IGNORECASE), "ĐẢNG BỘ HUYỆN "),
    (re.compile(r"^thành\s+[uủ][ỷy]\s+", re.IGNORECASE), "ĐẢNG BỘ THÀNH PHỐ "),
    (re.compile(r"^thị\s+[uủ][ỷy]\s+", re.IGNORECASE), "ĐẢNG BỘ THỊ XÃ "),
    (re.compile(r"^quận\s+[uủ][ỷy]\s+", re.IGNORECASE), "ĐẢNG BỘ QUẬN "),
    (re.compile(r"^đảng\s+[uủ][ỷy]\s+", re.IGNORECASE), "ĐẢNG BỘ "),
    (re.compile(r"^đảng\s+bộ\s+", re.IGNORECASE), "ĐẢNG BỘ "),
]
# Kinds of unit at the top of a tree of their own: nothing is printed above
# their subordinates' own name but what they are called.
_NO_ORGANISATION_KINDS = {"central"}


def upper(text: str) -> str:
    """Vietnamese capitals, one space between words (the header is uppercase)."""
    return " ".join(unicodedata.normalize("NFC", text).upper().split())


def organisation_line(name: str, kind: str, override: str = "") -> str:
    """The party organisation a committee named ``name`` leads, as its units'
    headers print it: "ĐẢNG BỘ TỈNH GIA LAI"; ``override`` when the unit gives one.

    A name that follows no rule (a party delegation, a cadre committee) is
    printed as it is: its units' headers then read "ĐẢNG ĐOÀN …" above theirs.
    The central committee prints nothing above a province.
    """
    if override.strip():
        return upper(override)
    if kind in _NO_ORGANISATION_KINDS:
        return ""
    name = unicodedata.normalize("NFC", name.strip())
    for pattern, replacement in _COMMITTEE_WORDS:
        match = pattern.match(name)
        if match:
            return upper(replacement + name[match.end() :])
    return upper(name)


def header_lines(superior: str, issuer: str) -> tuple[str, str]:
    """(superior, issuer) in capitals; the superior line is dropped when it
    repeats the issuer (a typed "TỈNH ỦY X" above "TỈNH ỦY X")."""
    superior, issuer = upper(superior), upper(issuer)
    if search_key(superior) == search_key(issuer):
        superior = ""
    return superior, issuer


def default_body_values(*, name: str, kind: str, symbol: str) -> dict:
    """The body every unit starts with, by the kind of unit: a committee above
    the grassroots signs "T/M BAN THƯỜNG VỤ / BÍ THƯ", a grassroots committee
    "T/M ĐẢNG ỦY / BÍ THƯ", a party cell "T/M CHI BỘ / BÍ THƯ"."""
    own = {
        "grassroots_committee": ("executive_committee", "ĐẢNG ỦY", None),
        "party_cell": ("executive_committee", "CHI BỘ", None),
        "party_delegation": ("executive_committee", "ĐẢNG ĐOÀN", None),
        "cadre_committee": ("executive_committee", "BAN CÁN SỰ ĐẢNG", None),
        "steering_committee": ("steering_committee", "BAN CHỈ ĐẠO", "TRƯỞNG BAN"),
        "commission": ("commission", "", "TRƯỞNG BAN"),
    }
    body_kind, sign_for, position = own.get(kind, ("standing_committee", "BAN THƯỜNG VỤ", None))
    phrase = name
    if body_kind == "standing_committee" and not search_key(name).startswith("ban thuong vu"):
        phrase = f"Ban Thường vụ {name}"
    return {
        "kind": body_kind,
        "name": "",
        "phrase": phrase,
        "symbol": symbol,
        "authority": "T/M" if sign_for else "",
        "sign_for": sign_for,
        "signer_position": position or "BÍ THƯ",
        "is_default": True,
    }
