"""Text helpers for Vietnamese names."""

import unicodedata


def search_key(text: str) -> str:
    """Lower-case ``text`` and drop diacritics, so "tan yen" finds "Tân Yên".

    "đ" has no combining mark to strip and is mapped by hand.
    """
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.split())
