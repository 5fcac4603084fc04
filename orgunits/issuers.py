"""How documents name their issuing body in running text ("Ban Thường vụ Tỉnh ủy Gia Lai").

One place, until issuing bodies (Ban Thường vụ, Ban Chỉ đạo, …) become
records of their own. The number and symbol are :mod:`documents.numbering`'s.
"""

from __future__ import annotations

import re

from .text import search_key

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
