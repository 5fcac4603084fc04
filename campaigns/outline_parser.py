"""Turn an outline (Đề cương) pasted as numbered plain text into a tree.

People paste outlines from Word or PDF: numbering survives as text ("II-", "1.",
"2.2.", "-", "+"), lines are broken mid-sentence, and stray marks ride along.
The parser is pure Python and never raises: problems are collected as
``OutlineError`` so the form can show them next to a best-effort preview.

A marker's depth is relative, not fixed: each kind has a rank (Roman section <
"1." < "1.1." < "1.1.1." < "a)" < "-" < "+") and a new item nests under the
closest preceding item of a lower rank. So "1." is a root in a bare outline and
a child of "II-" in a whole-plan paste.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import FigureSource

HEADING = "heading"
ITEM = "item"

PER_YEAR_NUMBER = "per_year_number"
NUMBER = "number"
LIST = "list"
TEXT = "text"


@dataclass
class OutlineNode:
    numbering: str
    title: str
    line: int
    guidance: str = ""
    kind_hint: str = ITEM
    answer_hint: str = TEXT
    children: list[OutlineNode] = field(default_factory=list)


@dataclass(frozen=True)
class OutlineError:
    line: int  # 1-based; 0 when the problem is the whole text
    text: str
    message: str


@dataclass
class ParseResult:
    nodes: list[OutlineNode] = field(default_factory=list)
    preamble: str = ""
    errors: list[OutlineError] = field(default_factory=list)


def flatten(nodes: Iterable[OutlineNode], depth: int = 0) -> Iterator[tuple[int, OutlineNode]]:
    """Yield (depth, node) in document order."""
    for node in nodes:
        yield depth, node
        yield from flatten(node.children, depth + 1)


# --- Markers -----------------------------------------------------------------

ROMAN, NUMBERED, LETTER, DASH, PLUS = "roman", "number", "letter", "dash", "plus"
_LETTER_RANK, _DASH_RANK, _PLUS_RANK = 50, 60, 70

# The lookahead keeps the (all-optional) numeral from matching the empty string.
_ROMAN_RE = re.compile(
    r"(?=[IVXL])(?P<mark>(?:XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\s*[-–—.)]\s*(?P<rest>.*)"
)
# "1." "1-" "2)" "1.1." "1.1.1." and "1.1 " without a final dot. A separator may
# not be followed by a digit, so "12/3", "1.000 người" and "2018-2020" are text.
_NUMBER_RE = re.compile(
    r"(?P<mark>\d{1,2}(?:\.\d{1,2}){0,3})(?:(?P<sep>[.)\-–])(?!\d)|(?=\s))\s*(?P<rest>.*)"
)
_ROMAN_NUMBERING_RE = re.compile(r"[IVXL]+-")
_LETTER_RE = re.compile(r"(?P<mark>[a-zđ])(?:\)|\.(?=\s))\s*(?P<rest>.*)")
_DASH_RE = re.compile(r"[-–—•●▪◦·]\s*(?P<rest>.*)")
_PLUS_RE = re.compile(r"\+\s*(?P<rest>.*)")


@dataclass(frozen=True)
class _Marker:
    kind: str
    numbering: str
    rest: str
    parts: tuple[int, ...] = ()

    @property
    def rank(self) -> int:
        if self.kind == ROMAN:
            return 0
        if self.kind == NUMBERED:
            return len(self.parts)
        return {LETTER: _LETTER_RANK, DASH: _DASH_RANK}.get(self.kind, _PLUS_RANK)


def _match_marker(line: str) -> _Marker | None:
    if m := _ROMAN_RE.match(line):
        return _Marker(ROMAN, f"{m['mark']}-", m["rest"])
    if m := _NUMBER_RE.match(line):
        # "3 năm qua" is a sentence, not item 3: a single number needs a separator.
        if m["sep"] is None and "." not in m["mark"]:
            return None
        parts = tuple(int(p) for p in m["mark"].split("."))
        return _Marker(NUMBERED, "".join(f"{p}." for p in parts), m["rest"], parts)
    if m := _LETTER_RE.match(line):
        return _Marker(LETTER, f"{m['mark']})", m["rest"])
    if m := _DASH_RE.match(line):
        return _Marker(DASH, "-", m["rest"])
    if m := _PLUS_RE.match(line):
        return _Marker(PLUS, "+", m["rest"])
    return None


# --- Cleaning ----------------------------------------------------------------

# Footnote references Word leaves behind: "(*)", "(�)", "()".
_FOOTNOTE_RE = re.compile(r"\(\s*[*\ufffd]*\s*\)")
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_RE = re.compile(r"\s+")  # covers tabs and non-breaking spaces in str patterns
_TERMINAL = (".", ":", ";", "?", "!", "…")


def _clean(raw: str) -> str:
    line = _INVISIBLE_RE.sub("", raw)
    line = _FOOTNOTE_RE.sub("", line)
    # Italics converted to "*…*" ("(*theo đề cương gợi ý*)") keep the words only.
    line = line.replace("*", "")
    return _SPACE_RE.sub(" ", line).strip()


def _has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _quote(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


# --- Tree building -----------------------------------------------------------


class _Builder:
    def __init__(self, *, has_numbered: bool) -> None:
        self.has_numbered = has_numbered
        self.result = ParseResult()
        self.preamble: list[str] = []
        self.stack: list[tuple[OutlineNode, _Marker]] = []
        self.last: OutlineNode | None = None
        self.previous_blank = True

    def error(self, lineno: int, line: str, message: str, **params: str) -> None:
        """Record a problem; ``message`` is translated and may use %(line)d and %(start)s."""
        values: dict[str, object] = {"line": lineno, "start": _quote(line), **params}
        self.result.errors.append(OutlineError(lineno, line, message % values))

    def feed(self, lineno: int, line: str) -> None:
        if not line:
            self.previous_blank = True
            return
        marker = _match_marker(line)
        if marker is None:
            self._add_text(line)
        elif self.last is not None and self._is_hyphen_continuation(line, marker):
            _glue(self.last, line)
        elif marker.kind == DASH and not _has_words(marker.rest):
            pass  # a "-----" rule under the document header
        else:
            self._add_item(lineno, line, marker)
        self.previous_blank = False

    def _is_hyphen_continuation(self, line: str, marker: _Marker) -> bool:
        # "kinh tế\n- xã hội": a PDF line break right before a hyphenated pair
        # looks like a bullet; real bullets start with a capital letter.
        return (
            marker.kind == DASH
            and line.startswith("- ")
            and marker.rest[:1].islower()
            and not self.previous_blank
            and self.last is not None
            and not _open_text(self.last).endswith(_TERMINAL)
        )

    def _add_text(self, line: str) -> None:
        node = self.last
        if node is None:
            self.preamble.append(line)
        elif not node.title:
            node.title = line  # the number stood alone on its line
        elif line[:1].islower() and not _open_text(node).endswith(_TERMINAL):
            _glue(node, line)
        else:
            node.guidance = f"{node.guidance}\n{line}" if node.guidance else line

    def _add_item(self, lineno: int, line: str, marker: _Marker) -> None:
        while self.stack and self.stack[-1][1].rank >= marker.rank:
            self.stack.pop()
        parent = self.stack[-1] if self.stack else None
        self._check_placement(lineno, line, marker, parent)
        node = OutlineNode(numbering=marker.numbering, title=marker.rest, line=lineno)
        (parent[0].children if parent else self.result.nodes).append(node)
        self.stack.append((node, marker))
        self.last = node

    def _check_placement(
        self,
        lineno: int,
        line: str,
        marker: _Marker,
        parent: tuple[OutlineNode, _Marker] | None,
    ) -> None:
        # "2.1." belongs under "2.": a different parent means a typo or a lost line.
        sub_numbered = marker.kind == NUMBERED and len(marker.parts) > 1
        expected = "".join(f"{p}." for p in marker.parts[:-1])
        if marker.kind == PLUS and parent is None:
            self.error(
                lineno,
                line,
                _(
                    "Line %(line)d: cannot place “%(start)s”: "
                    "a “+” bullet needs a “-” bullet above it."
                ),
            )
        elif marker.kind == DASH and parent is None and self.has_numbered:
            self.error(
                lineno,
                line,
                _(
                    "Line %(line)d: cannot place “%(start)s”: "
                    "a “-” bullet needs a numbered item above it."
                ),
            )
        elif sub_numbered and (parent is None or parent[1].kind != NUMBERED):
            self.error(
                lineno,
                line,
                _("Line %(line)d: cannot place “%(start)s”: there is no “%(expected)s” above it."),
                expected=expected,
            )
        elif sub_numbered and parent[1].parts != marker.parts[:-1]:
            self.error(
                lineno,
                line,
                _(
                    "Line %(line)d: “%(start)s” does not match “%(parent)s” above it; "
                    "expected “%(expected)s”."
                ),
                parent=parent[1].numbering,
                expected=expected,
            )

    def finish(self) -> ParseResult:
        result = self.result
        result.preamble = "\n".join(self.preamble)
        for _depth, node in flatten(result.nodes):
            node.kind_hint = HEADING if node.children or _is_roman(node) else ITEM
            node.answer_hint = answer_hint(node.title)
            if not node.title:
                self.error(node.line, node.numbering, _("Line %(line)d: “%(start)s” has no text."))
        if not result.nodes:
            result.errors.append(
                OutlineError(0, "", _("Found no numbered items or bullets in the outline."))
            )
        result.errors.sort(key=lambda e: e.line)
        return result


def _open_text(node: OutlineNode) -> str:
    """The text a broken line would continue: the last guidance line, else the title."""
    return node.guidance.rsplit("\n", 1)[-1] if node.guidance else node.title


def _glue(node: OutlineNode, line: str) -> None:
    # A sentence broken across lines: join it back where it was cut.
    if node.guidance:
        node.guidance = f"{node.guidance} {line}"
    else:
        node.title = f"{node.title} {line}"


def _is_roman(node: OutlineNode) -> bool:
    return _ROMAN_NUMBERING_RE.fullmatch(node.numbering) is not None


def parse_outline(text: str) -> ParseResult:
    """Parse pasted outline text; never raises, see ``ParseResult.errors``."""
    if not text or not text.strip():
        return ParseResult(errors=[OutlineError(0, "", _("The outline is empty."))])
    # Vietnamese pasted from old documents often uses combining accents (NFD).
    lines = [_clean(raw) for raw in unicodedata.normalize("NFC", text).splitlines()]
    has_numbered = any(
        (m := _match_marker(line)) is not None and m.kind in (ROMAN, NUMBERED, LETTER)
        for line in lines
    )
    builder = _Builder(has_numbered=has_numbered)
    for lineno, line in enumerate(lines, start=1):
        builder.feed(lineno, line)
    return builder.finish()


# --- Answer hints ------------------------------------------------------------

_PER_YEAR = ("từng năm", "hằng năm", "hàng năm", "mỗi năm", "qua các năm")
# A sentence that starts with "Số …"/"Số lượng …" asks for a count; "Số 279-KH/TU"
# is a document number, hence the digit guard.
_COUNT_SENTENCE_RE = re.compile(r"(?:^|[.;:?!]\s+)số(?:\s+lượng)?\s+(?!\d)")
_COUNT_WORDS = ("số lượng", "tổng số", "bao nhiêu")
_LIST_WORDS = (
    "kiến nghị",
    "đề xuất",
    "bài học kinh nghiệm",
    "tồn tại",
    "hạn chế",
    "nguyên nhân",
    "ưu điểm",
    "khuyết điểm",
)
# "Công tác giải quyết những ý kiến kiến nghị …" asks to describe an activity,
# even though it mentions petitions or proposals.
_ACTIVITY_PREFIXES = ("công tác ", "việc ", "kết quả ", "tình hình ")


def answer_hint(title: str) -> str:
    """Guess what kind of answer an outline item asks for."""
    text = unicodedata.normalize("NFC", title).casefold()
    counts = bool(_COUNT_SENTENCE_RE.search(text))
    if (counts or any(w in text for w in _COUNT_WORDS)) and any(w in text for w in _PER_YEAR):
        return PER_YEAR_NUMBER
    if counts:
        return NUMBER
    if any(w in text for w in _LIST_WORDS) and not text.startswith(_ACTIVITY_PREFIXES):
        return LIST
    return TEXT


# --- Figures from the dialogue records ---------------------------------------

_DIALOGUE_WORDS = ("tiếp xúc", "đối thoại")


def figure_hint(title: str, answer_hint: str) -> str:
    """Which dialogue figure pre-fills the item, if any ("" for none): seed 000's
    "Số cuộc tiếp xúc, đối thoại đã triển khai từng năm" takes the meetings held
    per year, "Công tác giải quyết những ý kiến kiến nghị … tiếp xúc, đối thoại"
    a sentence of how the petitions were handled."""
    text = unicodedata.normalize("NFC", title).casefold()
    if not any(word in text for word in _DIALOGUE_WORDS):
        return ""
    if answer_hint == PER_YEAR_NUMBER:
        return FigureSource.MEETINGS_PER_YEAR
    if answer_hint == TEXT and "kiến nghị" in text and "giải quyết" in text:
        return FigureSource.PETITIONS_SUMMARY
    return ""
