"""Document types and the number and symbol of a document: "Số 279-KH/TU".

Numbers start from 01 and run per issuing body, document type and term
(Hướng dẫn 36-HD/VPTW); the symbol after the slash is the issuer's, stored on
the unit. A document not numbered yet leaves :data:`BLANK` where the office
writes the number in by hand: "Số      -TB/HU".
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Type abbreviations ("279-KH/TU") and the title printed for each.
DOC_TYPE_PLAN = "KH"  # kế hoạch
DOC_TYPE_REPORT = "BC"  # báo cáo
DOC_TYPE_NOTICE = "TB"  # thông báo
DOC_TITLES = {
    DOC_TYPE_PLAN: "KẾ HOẠCH",
    DOC_TYPE_REPORT: "BÁO CÁO",
    DOC_TYPE_NOTICE: "THÔNG BÁO",
}

# The gap left for a number, a day or a month written in by hand. No-break
# spaces: the HTML (hence the PDF) and the DOCX renderers fold runs of ordinary
# spaces alike, and keep these, so both leave the same room.
BLANK = "\u00a0" * 6


def number_symbol(number: int | None, doc_type: str, issuer_symbol: str) -> str:
    """ "05-KH/HU" (1–9 padded), or "      -KH/HU" while the number is not given."""
    shown = f"{number:02d}" if number else BLANK
    return f"{shown}-{doc_type}/{issuer_symbol}"


# Abbreviations of document types (Hướng dẫn 36-HD/VPTW).
DOC_TYPES = ("KH", "BC", "QĐ", "CT", "HD", "TB", "NQ", "KL", "CTr", "TTr", "CV")
# "25-BC/ĐU", "Số 25-BC/ĐU", "BC/ĐU": all but the issuer's part.
_NUMBER_AND_TYPE_RE = re.compile(
    r"^(?:số\s*)?(?:\d+\s*-\s*)?(?:" + "|".join(DOC_TYPES) + r")\s*/\s*", re.IGNORECASE
)


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


# A document's number and symbol as it appears in running text: "554-QĐ/TU",
# "30-CT/TW", "134-CV/UBKTTU", a blank number ("      -BC/HU") or none at all
# ("QĐ/TU", "BC/ĐU"). The renderers keep each on one line.
_ISSUER = r"[A-ZĐ][A-Za-zĐ]*(?:/[A-ZĐ][A-Za-zĐ]*)*"
SYMBOL_RE = re.compile(
    r"(?<![\w/\-])(?:(?:\d+[a-z]?|\u00a0+)-[A-ZĐ][A-Za-zĐ]*/"
    + _ISSUER
    + r"|(?:"
    + "|".join(DOC_TYPES)
    + r")/"
    + _ISSUER
    + r")(?![\w/])"
)


def symbol_spans(text: str) -> list[tuple[int, int]]:
    """Where document symbols ("554-QĐ/TU", "QĐ/TU") are in ``text``."""
    return [match.span() for match in SYMBOL_RE.finditer(text)]
