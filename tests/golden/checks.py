"""The invariants every golden document keeps, as plain functions on text.

No Django here: ``test_checks.py`` tries them on crafted text.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import Counter

# "tháng 03" … "tháng 09" and "25/03/2020": the months 3–9 are never padded
# (HD 36: "ngày 25 tháng 02 năm 2020", "ngày 14 tháng 3 năm 2017"). Days and
# the months 01 and 02 are, so "ngày 05", "tháng 01", "05/02/2020" are right.
_PADDED_MONTH_RE = re.compile(r"\btháng\s+0[3-9]\b|\b\d{1,2}/0[3-9]/\d{2,4}\b", re.IGNORECASE)
# A document symbol "553-QĐ/TU", "174-KH/TU", "05-CT/TW", "48-KH/ĐUK": digits,
# a hyphen, the type's capitals, a slash, the issuer's capitals. The rules
# below are where a line may break it: each is (end of a line, start of the
# next); the letters they capture must be capitals.
_LETTERS = r"[^\W\d_]+"
_SPLIT_RULES = [
    # "… 553-" | "QĐ/TU …"
    (re.compile(r"\d+-$"), re.compile(rf"^(?P<kind>{_LETTERS})/")),
    # "… 553-QĐ/" | "TU …"
    (re.compile(rf"\d+-(?P<kind>{_LETTERS})/$"), re.compile(rf"^(?P<issuer>{_LETTERS})")),
    # "… 553-QĐ" | "/TU …"
    (re.compile(rf"\d+-(?P<kind>{_LETTERS})$"), re.compile(rf"^/(?P<issuer>{_LETTERS})")),
    # "… 553" | "-QĐ/TU …"
    (re.compile(r"\d+$"), re.compile(rf"^-(?P<kind>{_LETTERS})/")),
]


def padded_months(text: str) -> list[str]:
    """The padded months 03–09 in ``text`` ("tháng 03", "25/03/2020")."""
    return [m.group(0) for m in _PADDED_MONTH_RE.finditer(unicodedata.normalize("NFC", text))]


def _capitals(*matches: re.Match) -> bool:
    letters = [value for m in matches for value in m.groupdict().values() if value]
    return bool(letters) and all(value.isupper() for value in letters)


def split_symbols(lines: list[str]) -> list[str]:
    """Document symbols broken across two consecutive lines, as "end | start"."""
    found = []
    for line, following in zip(lines, lines[1:], strict=False):
        end = unicodedata.normalize("NFC", line).rstrip()
        start = unicodedata.normalize("NFC", following).lstrip()
        last, first = (end.split() or [""])[-1], (start.split() or [""])[0]
        for ends, starts in _SPLIT_RULES:
            tail, head = ends.search(last), starts.search(first)
            if tail and head and _capitals(tail, head):
                found.append(f"…{end[-30:]} | {start[:30]}…")
                break
    return found


def underfilled(
    filled: list[float], section_ends: list[int], minimum: float = 0.6
) -> list[tuple[int, float]]:
    """The pages (1-based, with their filled share) under ``minimum`` that do not
    end a section: a page that ends a section may be as short as it likes."""
    return [
        (number, share)
        for number, share in enumerate(filled, start=1)
        if share < minimum and number not in section_ends
    ]


def similarity(expected: str, actual: str) -> float:
    """How alike two page texts are, word by word (1.0: the same words)."""
    if expected == actual:
        return 1.0
    return difflib.SequenceMatcher(None, expected.split(), actual.split(), autojunk=False).ratio()


def word_diff(expected: str, actual: str, context: int = 4, limit: int = 6) -> str:
    """The first differences between two page texts, with a few words around."""
    a, b = expected.split(), actual.split()
    parts = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before = " ".join(a[max(0, i1 - context) : i1])
        parts.append(
            f"  after “…{before}”: golden “{' '.join(a[i1:i2])[:120]}” "
            f"now “{' '.join(b[j1:j2])[:120]}”"
        )
        if len(parts) == limit:
            parts.append("  …")
            break
    return "\n".join(parts)


# ------------------------------------------------------------ against the golden


def page_count_problem(golden: dict, current: dict) -> str:
    """ "" when the page counts agree, else both, with each page's filled share,
    so the page where the layout moved stands out."""
    if golden["pages"] == current["pages"]:
        return ""

    def shares(measured: dict) -> str:
        return " ".join(f"{round(100 * share)}%" for share in measured["filled"])

    return (
        f"{current['pages']} pages, the golden has {golden['pages']}.\n"
        f"  golden filled: {shares(golden)}\n  now filled:    {shares(current)}"
    )


def text_problems(golden: dict, current: dict, minimum: float) -> list[str]:
    """The pages whose text is less alike than ``minimum``, with what differs."""
    problems = []
    for number, (expected, actual) in enumerate(
        zip(golden["text"], current["text"], strict=False), start=1
    ):
        ratio = similarity(expected, actual)
        if ratio < minimum:
            problems.append(
                f"page {number}: text {ratio:.3f} alike (at least {minimum} wanted):\n"
                + word_diff(expected, actual)
            )
    return problems


def fill_problems(golden: dict, current: dict, tolerance: float) -> list[str]:
    """The pages whose filled height moved by more than ``tolerance`` of the page."""
    return [
        f"page {number}: filled {round(100 * actual)}% of the page, "
        f"golden {round(100 * expected)}% (±{round(100 * tolerance)}% allowed)"
        for number, (expected, actual) in enumerate(
            zip(golden["filled"], current["filled"], strict=False), start=1
        )
        if abs(actual - expected) > tolerance
    ]


def word_changes(golden: dict, current: dict, limit: int = 15) -> str:
    """ "" when the whole document has the same words as the golden, each as
    often (in any order: a line moving over a page break, or two columns read
    in another order, is the page checks' business), else what changed."""
    expected = Counter(word for text in golden["text"] for word in text.split())
    actual = Counter(word for text in current["text"] for word in text.split())
    if expected == actual:
        return ""
    missing, added = expected - actual, actual - expected

    def listed(words: Counter) -> str:
        shown = [f"“{word}”" + (f" ×{n}" if n > 1 else "") for word, n in words.most_common(limit)]
        return ", ".join(shown) + (" …" if len(words) > limit else "") or "none"

    pages = [
        number
        for number, text in enumerate(current["text"], start=1)
        if any(word in added for word in text.split())
    ]
    where = f" (added on page {', '.join(map(str, pages))})" if pages else ""
    return f"the words changed: gone {listed(missing)}; new {listed(added)}{where}"
