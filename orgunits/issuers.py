"""How documents name their issuer: the number and symbol, and the body in running text.

One place for both, until issuing bodies (Ban Thường vụ, Ban Chỉ đạo, …)
become records of their own.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .text import search_key

# An unnumbered draft leaves room for the number, as offices do: "Số      -BC/HU".
# Non-breaking spaces survive HTML's whitespace folding; the zero-width spaces
# between them survive the DOCX writer's, which folds non-breaking spaces too.
BLANK_NUMBER = "\u00a0\u200b" * 6

# The body a document is signed for, as written in running text.
_BODIES = {
    "BAN THƯỜNG VỤ": "Ban Thường vụ",
    "BAN CHẤP HÀNH": "Ban Chấp hành",
    "BAN CHỈ ĐẠO": "Ban Chỉ đạo",
    "BAN CÁN SỰ ĐẢNG": "Ban cán sự đảng",
    "THƯỜNG TRỰC": "Thường trực",
    "ĐẢNG ĐOÀN": "Đảng đoàn",
}
# "T/M", "K/T", "T/L", "TM.", "Q." before the body in a signature block.
_ON_BEHALF_RE = re.compile(r"^\s*(?:T/M|K/T|T/L|TM\.?|KT\.?|TL\.?|Q\.)\s*", re.IGNORECASE)
# Abbreviations of document types (Hướng dẫn 36-HD/VPTW).
DOC_TYPES = ("KH", "BC", "QĐ", "CT", "HD", "TB", "NQ", "KL", "CTr", "TTr", "CV")
# "25-BC/ĐU", "Số 25-BC/ĐU", "BC/ĐU": all but the issuer's part.
_NUMBER_AND_TYPE_RE = re.compile(
    r"^(?:số\s*)?(?:\d+\s*-\s*)?(?:" + "|".join(DOC_TYPES) + r")\s*/\s*", re.IGNORECASE
)


def number_symbol(number: int | None, doc_type: str, issuer_symbol: str) -> str:
    """ "25-BC/ĐU": numbers start from 01, so 1–9 are padded; without a number,
    a blank for the office to write it in."""
    shown = f"{number:02d}" if number else BLANK_NUMBER
    return f"{shown}-{doc_type}/{issuer_symbol}"


def issuer_symbol_only(text: str) -> str:
    """The issuer's part of a symbol typed with more: "BC/ĐU" → "ĐU",
    "25-KH/TU" → "TU". The number and the document type are added by
    :func:`number_symbol`, so typing them too would print them twice."""
    return _NUMBER_AND_TYPE_RE.sub("", " ".join(text.split()), count=1).strip(" /-")


def symbol_help(doc_type: str) -> str:
    """What to type in a symbol field, for the help text."""
    return _(
        "Only the issuer's symbol, e.g. ĐU, HU, TU: the number and the document type "
        "(%(type)s) are added to it."
    ) % {"type": doc_type}


def issuer_phrase(sign_on_behalf: str, unit_name: str) -> str:
    """The issuing body in running text: "Ban Thường vụ Tỉnh ủy Gia Lai".

    Derived from the signature block ("T/M BAN THƯỜNG VỤ"); when the unit is
    itself that body ("Ban Chỉ đạo …" signing "T/M BAN CHỈ ĐẠO"), or when no
    body is named (the head signs in person), the unit's name alone.
    """
    body = _ON_BEHALF_RE.sub("", sign_on_behalf or "").strip()
    if not body:
        return unit_name
    words = body.split()
    known = _BODIES.get(" ".join(words).upper())
    if known is None:
        # Vietnamese names of bodies: "Ban Tổ chức", "Hội đồng", "Ủy ban kiểm tra".
        lowered = [word.lower() for word in words]
        capitals = 2 if lowered[0] == "ban" else 1
        known = " ".join(
            word.capitalize() if i < capitals else word for i, word in enumerate(lowered)
        )
    if search_key(unit_name).startswith(search_key(known)):
        return unit_name
    return f"{known} {unit_name}"
