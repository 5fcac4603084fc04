"""Drafting a consolidated item from what the units below wrote.

What the office gets must be close to what a leader signs: sentences, not
fragments; capital letters; each thing said once, with who said it where
that helps; and the consolidating level's own wording, not a commune's.

1. **Clauses.** Each answer is cut into clauses (``split_clauses``): at line
   breaks, ";", the end of a sentence (".", "!", "?", "…" followed by a
   capital, a digit or a bullet; not after an abbreviation such as "TP." or
   "ThS."), and before a bullet that follows ":". Leading bullet marks
   ("-", "+", "•", "*", "a)", "1.", "2.1.", "II."), as many as there are,
   go, and so does a count that an earlier draft put there ("(3 đơn vị)").
   A short clause ending with ":" introduces the next one and is joined to
   it. A clause longer than ``DRAFT_EXCERPT`` characters is cut at a word
   and ends with "…".
2. **Same thing said twice.** Two clauses are the same when their keys are
   equal (``clause_key``: no diacritics, case, punctuation or spacing, via
   ``orgunits.text.search_key``; a self-reference below counts as one
   word), or when one key is contained, word for word, in the other: the
   longer clause is kept and said by the units of both.
3. **The level's own wording.** A unit's answer speaks of its own bodies as
   the subject of a clause: "Ban Thường vụ Đảng ủy xã đã …", "Huyện ủy đã
   …", "Chi bộ …". Printed as is in a province's report it reads as the
   province's own act. The phrase is a *self-reference* when it opens the
   clause (after "Ban Thường vụ", "Ban Chấp hành" or "Thường trực" if any),
   is not followed by a name (a capitalised word: "Huyện ủy Chư Sê" is
   already explicit) and is the answering unit's own kind of body (its name
   begins with one of the prefixes of the row; "Cấp ủy" and a bare "Ban
   Thường vụ" are every unit's). ``SELF_REFERENCES``:

   ==================  =======================  ==========================
   in the answer       in the consolidated text  for units named
   ==================  =======================  ==========================
   Đảng ủy xã          các đảng ủy xã            Đảng ủy xã …
   Đảng ủy phường      các đảng ủy phường        Đảng ủy phường …
   Đảng ủy thị trấn    các đảng ủy thị trấn      Đảng ủy thị trấn …
   Đảng bộ xã (…)      các đảng bộ xã (…)        Đảng ủy xã / Đảng bộ xã …
   Đảng ủy Khối        các đảng ủy khối          Đảng ủy Khối …
   Đảng ủy             các đảng ủy               Đảng ủy / Đảng bộ …
   Đảng bộ             các đảng bộ               Đảng ủy / Đảng bộ …
   Huyện ủy            các huyện ủy              Huyện ủy …
   Thị ủy / Thành ủy   các thị ủy / thành ủy     Thị ủy / Thành ủy …
   Tỉnh ủy             các tỉnh ủy               Tỉnh ủy …
   Chi bộ / Chi ủy     các chi bộ / chi ủy       Chi bộ …
   Đảng đoàn           các đảng đoàn             Đảng đoàn …
   Ban cán sự đảng     các ban cán sự đảng       Ban cán sự đảng …
   Cấp ủy              các cấp ủy                any unit
   Ban Thường vụ       Ban Thường vụ các cấp ủy  any unit
   ==================  =======================  ==========================

   A generic phrase ("Đảng ủy", "Đảng bộ", a bare "Ban Thường vụ") takes the
   plural of the unit's own kind, by its name: "Đảng ủy" written by "Đảng ủy
   xã A" is "các đảng ủy xã". Said by one unit the phrase becomes that
   unit's name ("Huyện ủy D1 đã …"), and needs no attribution; said by
   several, the plural of the table (units of different kinds: "các đảng
   ủy xã, phường", "các huyện ủy, thị ủy", beyond three kinds "các cấp
   ủy"); said by every unit, the plural
   and "đều" ("Các đảng ủy xã đều đã …").
4. **Attribution, where it helps** (``attribution``): none when every unit
   counted said it (or there is only one unit); the names of up to
   ``NAMED`` units; beyond, "(n đơn vị)". Always after the clause, before
   its full stop: "- Còn thiếu kinh phí (Đảng ủy xã A, Đảng ủy xã B)."
5. **Bounded.** The most said first (then in the order said); at most
   ``DRAFT_LINES`` lines, the last one saying how many more were left out.

Deterministic: the same answers in the same order give the same draft.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from orgunits.text import search_key as _search_key

from .selectors import DRAFT_EXCERPT

DRAFT_LINES = 15  # lines of a drafted item, the line saying what is left out included
NAMED = 3  # units named in an attribution; beyond, counted
INTRO_WORDS = 8  # a clause ending with ":" this short introduces the next one
ANY = ()  # the phrase is every unit's

# (phrase in the answer, plural at the consolidating level, prefixes of the names of
# the units whose own body it is; ANY: every unit's)
SELF_REFERENCES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Đảng ủy thị trấn", "các đảng ủy thị trấn", ("Đảng ủy thị trấn",)),
    ("Đảng ủy phường", "các đảng ủy phường", ("Đảng ủy phường",)),
    ("Đảng ủy xã", "các đảng ủy xã", ("Đảng ủy xã",)),
    ("Đảng bộ thị trấn", "các đảng bộ thị trấn", ("Đảng ủy thị trấn", "Đảng bộ thị trấn")),
    ("Đảng bộ phường", "các đảng bộ phường", ("Đảng ủy phường", "Đảng bộ phường")),
    ("Đảng bộ xã", "các đảng bộ xã", ("Đảng ủy xã", "Đảng bộ xã")),
    ("Đảng ủy Khối", "các đảng ủy khối", ("Đảng ủy Khối",)),
    ("Đảng ủy", "các đảng ủy", ("Đảng ủy", "Đảng bộ")),
    ("Đảng bộ", "các đảng bộ", ("Đảng ủy", "Đảng bộ")),
    ("Huyện ủy", "các huyện ủy", ("Huyện ủy",)),
    ("Thị ủy", "các thị ủy", ("Thị ủy",)),
    ("Thành ủy", "các thành ủy", ("Thành ủy",)),
    ("Tỉnh ủy", "các tỉnh ủy", ("Tỉnh ủy",)),
    ("Chi bộ", "các chi bộ", ("Chi bộ",)),
    ("Chi ủy", "các chi ủy", ("Chi bộ",)),
    ("Đảng đoàn", "các đảng đoàn", ("Đảng đoàn",)),
    ("Ban cán sự đảng", "các ban cán sự đảng", ("Ban cán sự đảng",)),
    ("Cấp ủy", "các cấp ủy", ANY),
)
MIXED = "các cấp ủy"  # the plural when units of different kinds said it
GENERIC = ("Đảng ủy", "Đảng bộ")  # their plural is the answering unit's own kind
BODY_HEADS = ("Ban Thường vụ", "Ban Chấp hành", "Thường trực")


@lru_cache(maxsize=8192)
def search_key(text: str) -> str:
    """``orgunits.text.search_key``, remembered: names and clauses repeat."""
    return _search_key(text)


def _pattern(phrase: str) -> str:
    """A phrase as a regex, with both spellings of "ủy" ("uỷ") and any spacing."""
    words = [re.escape(word).replace("ủy", "(?:ủy|uỷ)") for word in phrase.split()]
    return r"\s+".join(words)


_HEAD = re.compile(
    r"(?P<head>(?:" + "|".join(_pattern(h) for h in BODY_HEADS) + r")\s+)?", re.IGNORECASE
)
_BODY = re.compile(
    "(?P<body>" + "|".join(_pattern(phrase) for phrase, _p, _n in SELF_REFERENCES) + r")(?!\w)",
    re.IGNORECASE,
)
_BARE_HEAD = re.compile(r"(?P<head>" + _pattern("Ban Thường vụ") + r")(?!\w)", re.IGNORECASE)

# Leading marks of bullets and numbers: "-", "+", "•", "*", "a)", "1.", "2.1.", "II.",
# and a count an earlier draft wrote: "(3 đơn vị)".
_MARK = re.compile(
    r"^\s*(?:[-‐‑–—−+•*·●○▪■◦‣∙>]+"
    r"|\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-zđ]|[ivxlc]{1,5})[.)](?=\s|$)"
    r"|\(\s*\d+\s+đơn\s+vị\s*\))\s*",
    re.IGNORECASE,
)
_COUNT_AT_END = re.compile(r"\s*\(\s*\d+\s+đơn\s+vị\s*\)\s*[.;,]?\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"([.!?…]+)\s+")
_BEFORE_BULLET = re.compile(r"(?<=:)\s+(?=[-–—+•*]\s)")
# Words that end with a full stop inside a sentence ("TP. Pleiku", "ThS. Nguyễn …").
_ABBREVIATION = re.compile(r"\(?(?:TP|Tp|TX|TT|Q|P|X|H|ThS|TS|PGS|GS|BS|KS|CN|Đ/c|đ/c|v\.v|St|Tr)")
_DASHES = re.compile(r"(?<!\w)[-–—](?:\s+[-–—])+(?!\w)")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _sentences(line: str) -> list[str]:
    """Cut one line at the ends of its sentences: a full stop (or "!", "?", "…")
    followed by a capital, a digit, a bullet or a bracket; not after "TP.", "ThS."."""
    parts, start = [], 0
    for match in _SENTENCE_END.finditer(line):
        following = line[match.end() : match.end() + 1]
        if not (following.isupper() or following.isdigit() or following in "-–—+•*(“\"'"):
            continue
        words = line[start : match.start()].split()
        if match.group(1) == "." and words and _ABBREVIATION.fullmatch(words[-1]):
            continue
        parts.append(line[start : match.end()])
        start = match.end()
    parts.append(line[start:])
    return parts


def _strip_marks(text: str) -> str:
    while True:
        stripped = _MARK.sub("", text, count=1)
        if stripped == text:
            return text.strip()
        text = stripped


def _clean(text: str) -> str:
    """A clause without its bullet marks, count, end punctuation and extra spaces."""
    text = " ".join(text.split())
    # Leading punctuation and bullet marks in any order (", - - đã"): until none is left.
    while True:
        stripped = _strip_marks(re.sub(r"^[\s.;,:]+", "", text))
        if stripped == text:
            break
        text = stripped
    text = _COUNT_AT_END.sub("", text)
    text = _DASHES.sub("-", text)
    text = re.sub(r"[\s.;,:\-–—]+$", "", text)
    return text.strip()


def _excerpt(text: str) -> str:
    if len(text) <= DRAFT_EXCERPT:
        return text
    cut = text[:DRAFT_EXCERPT]
    if " " in cut[DRAFT_EXCERPT // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def _has_content(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def split_clauses(text: str) -> list[str]:
    """The clauses of an answer (plain text), cleaned, in order (see the module)."""
    pieces: list[str] = []
    for line in _nfc(text or "").splitlines():
        for part in line.split(";"):
            for sub in _BEFORE_BULLET.split(part):
                pieces += _sentences(sub.strip())
    clauses: list[str] = []
    intro = ""
    for piece in pieces:
        is_intro = piece.rstrip().endswith(":") and len(piece.split()) <= INTRO_WORDS
        cleaned = _clean(piece)
        if not _has_content(cleaned):
            continue
        if intro:
            rest = cleaned
            if len(rest) > 1 and rest[0].isupper() and rest[1].islower():
                rest = rest[0].lower() + rest[1:]
            cleaned, intro = f"{intro}: {rest}", ""
        elif is_intro:
            intro = cleaned
            continue
        clauses.append(_excerpt(cleaned))
    if intro:
        clauses.append(_excerpt(intro))
    return clauses


# --- Self-references --------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    """One clause as one unit said it: ``head`` + (self-reference) + ``rest``."""

    text: str  # the clause as cleaned
    unit: str
    head: str = ""  # "Ban Thường vụ " before the self-reference
    phrase: str = ""  # the self-reference as the unit wrote it; "" when none
    row: int = -1  # its row of SELF_REFERENCES (-1: a bare "Ban Thường vụ")
    rest: str = ""  # what follows the self-reference

    @property
    def is_self(self) -> bool:
        return bool(self.phrase)


def _owns(unit: str, row: int) -> bool:
    prefixes = SELF_REFERENCES[row][2] if row >= 0 else ANY
    if prefixes is ANY:
        return True
    name = search_key(unit)
    return any(name.startswith(search_key(prefix)) for prefix in prefixes)


def _named_next(text: str, rest: str) -> bool:
    """The phrase is followed by a name (or a number): not a self-reference.
    In a clause written all in capitals, nothing tells a name."""
    word = rest.lstrip()[:1]
    if text.upper() == text:
        return word.isdigit()
    return bool(word) and (word.isupper() or word.isdigit())


def _row_of(phrase: str) -> int:
    key = search_key(phrase)
    return next(i for i, row in enumerate(SELF_REFERENCES) if search_key(row[0]) == key)


def parse(text: str, unit: str) -> Clause:
    """A clause with its self-reference found (see the module), if any."""
    head = _HEAD.match(text)
    start = head.end() if head and head.group("head") else 0
    body = _BODY.match(text, start)
    if body:
        rest = text[body.end() :]
        row = _row_of(body.group("body"))
        if not _named_next(text, rest) and _owns(unit, row):
            return Clause(text, unit, text[:start], body.group("body"), row, rest)
        return Clause(text, unit)
    bare = _BARE_HEAD.match(text)
    if bare and not _named_next(text, text[bare.end() :]):
        rest = text[bare.end() :]
        if rest[:1] in ("", " ", ","):
            return Clause(text, unit, "", bare.group("head"), -1, rest)
    return Clause(text, unit)


SELF_TOKEN = "§"


def clause_key(clause: Clause | str) -> str:
    """What two clauses are compared on: no diacritics, case, punctuation, spacing;
    a self-reference is one token, whoever wrote it."""
    if isinstance(clause, Clause) and clause.is_self:
        text = f"{clause.head} {SELF_TOKEN} {clause.rest}"
    else:
        text = clause.text if isinstance(clause, Clause) else clause
    text = _COUNT_AT_END.sub("", _nfc(text))
    key = search_key(text)
    key = re.sub(r"[^\w\s§]", " ", key)
    return " ".join(key.split())


# --- Grouping ---------------------------------------------------------------


@dataclass
class Bullet:
    """Clauses that say the same thing, the longest first, and who said them."""

    clauses: list[Clause] = field(default_factory=list)
    order: int = 0  # when it was first said
    _first: dict[str, int] = field(default_factory=dict)  # unit → when it first said it

    @property
    def clause(self) -> Clause:
        return self.clauses[0]

    @property
    def units(self) -> list[str]:
        """Who said it, in the order they first did (the order of the tree)."""
        return sorted(self._first, key=self._first.__getitem__)

    def add(self, clause: Clause, order: int) -> None:
        self.clauses.append(clause)
        self._first[clause.unit] = min(order, self._first.get(clause.unit, order))

    def absorb(self, other: Bullet) -> None:
        self.clauses += other.clauses
        for unit, order in other._first.items():
            self._first[unit] = min(order, self._first.get(unit, order))
        self.order = min(self.order, other.order)


def group(said: list[tuple[str, str]]) -> list[Bullet]:
    """Group (clause, unit) pairs: equal keys, or one key within the other word
    for word (the longer kept). Most units first, then in the order said."""
    exact: dict[str, Bullet] = {}
    for order, (text, unit) in enumerate(said):
        clause = parse(text, unit)
        key = clause_key(clause)
        if not key:
            continue
        bullet = exact.get(key)
        if bullet is None:
            bullet = exact[key] = Bullet(order=order)
        bullet.add(clause, order)
    # Longest first, so each shorter key looks for a longer one containing it
    # among the bullets already kept (an index of their words keeps it fast).
    candidates = sorted(exact.items(), key=lambda kv: (-len(kv[0].split()), kv[1].order))
    kept: list[tuple[str, Bullet]] = []
    by_word: dict[str, set[int]] = {}
    for key, bullet in candidates:
        words = key.split()
        host = None
        if len(words) >= 2 or len(key) >= 8:
            sets = sorted((by_word.get(w, set()) for w in set(words)), key=len)
            common = set(sets[0]) if sets else set()
            for other_set in sets[1:]:
                if not common:
                    break
                common &= other_set
            for index in sorted(common):
                other_key, other = kept[index]
                if f" {key} " in f" {other_key} ":
                    host = other
                    break
        if host is not None:
            host.absorb(bullet)
            continue
        kept.append((key, bullet))
        for word in set(words):
            by_word.setdefault(word, set()).add(len(kept) - 1)
    bullets = [bullet for _key, bullet in kept]
    return sorted(bullets, key=lambda b: (-len(b.units), b.order))


# --- Writing ----------------------------------------------------------------


def capitalise(text: str) -> str:
    """The first letter in upper case (Vietnamese letters too: "đ" → "Đ")."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1 :] if ch.islower() else text
        if ch.isdigit():
            return text
    return text


def attribution(units: list[str], total: int, text: str = "") -> str:
    """ "(Đảng ủy xã A, Đảng ủy xã B)" or "(5 đơn vị)"; "" when every unit said it,
    or when ``text`` names them already."""
    if not units or len(units) >= total:
        return ""
    if text and all(search_key(unit) in search_key(text) for unit in units):
        return ""
    if len(units) <= NAMED:
        return "(" + ", ".join(units) + ")"
    return f"({len(units)} đơn vị)"


def _own_name(clause: Clause) -> str:
    """The self-reference as the unit's name: "Huyện ủy" → "Huyện ủy D1"."""
    unit = clause.unit
    if clause.row < 0:
        return f"{clause.phrase} {unit}"
    phrase, _plural, prefixes = SELF_REFERENCES[clause.row]
    name = search_key(unit)
    if name.startswith(search_key(phrase)):
        return unit
    for prefix in prefixes:
        if name.startswith(search_key(prefix)):
            return phrase + unit[len(prefix) :]
    return unit if prefixes is ANY else f"{phrase} {unit}"


def _kind_plural(unit: str, family: str) -> str | None:
    """The plural of the unit's own kind of body (by its name) among the rows
    beginning with ``family``: "Đảng ủy" of "Đảng ủy xã A" → "các đảng ủy xã"."""
    for phrase, plural, prefixes in SELF_REFERENCES:
        if prefixes is ANY or phrase == family or not phrase.startswith(family):
            continue
        if any(search_key(unit).startswith(search_key(prefix)) for prefix in prefixes):
            return plural
    return None


def plural_of(clause: Clause) -> str:
    """The self-reference at the consolidating level: a generic phrase ("Đảng
    ủy", "Đảng bộ", a bare "Ban Thường vụ") takes the unit's own kind."""
    if clause.row < 0:
        return "Ban Thường vụ " + (_kind_plural(clause.unit, "") or MIXED)
    phrase, plural, _prefixes = SELF_REFERENCES[clause.row]
    if phrase in GENERIC:
        return _kind_plural(clause.unit, phrase) or plural
    return plural


KIND_ORDER = (
    "xã",
    "phường",
    "thị trấn",
    "huyện ủy",
    "thị ủy",
    "thành ủy",
)  # as documents list them


def _plural(bullet: Bullet) -> str:
    """The plural of the kinds that said it: one kind's; the wider one when it
    covers the others ("các đảng ủy" over "các đảng ủy xã"); two or three
    kinds joined after their common words ("các đảng ủy xã, phường", "các
    huyện ủy, thị ủy"); else ``MIXED``."""
    plurals = list(dict.fromkeys(plural_of(c) for c in bullet.clauses if c.is_self))
    if len(plurals) == 1:
        return plurals[0]
    if MIXED in plurals:  # "Cấp ủy" is every kind's
        return MIXED
    for wide in sorted(plurals, key=len):
        if all(p == wide or p.startswith(wide + " ") for p in plurals):
            return wide
    words = [p.split() for p in plurals]
    common = 0
    while all(len(w) > common + 1 and w[common] == words[0][common] for w in words):
        common += 1
    if not common or len(plurals) > 3:
        return MIXED
    suffixes = [" ".join(w[common:]) for w in words]
    suffixes.sort(key=lambda x: KIND_ORDER.index(x) if x in KIND_ORDER else len(KIND_ORDER))
    return " ".join(words[0][:common]) + " " + ", ".join(suffixes)


def _finish(text: str, note: str = "") -> str:
    text = text.strip()
    if note:
        return f"{text} {note}."
    return text if text[-1:] in ".!?…" else text + "."


def sentence(bullet: Bullet, total: int) -> str:
    """One bullet as a sentence (see the module)."""
    clause = bullet.clause
    units = bullet.units
    if not clause.is_self:
        return capitalise(_finish(clause.text, attribution(units, total, clause.text)))
    rest = clause.rest
    if len(units) == 1:
        return capitalise(_finish(clause.head + _own_name(clause) + rest))
    subject = clause.head + _plural(bullet)
    if len(units) >= total:
        if not re.match(r"\s+(?:đều|cùng)\b", rest, re.IGNORECASE) and rest[:1] == " ":
            rest = " đều" + rest
        return capitalise(_finish(subject + rest))
    return capitalise(_finish(subject + rest, attribution(units, total)))


def left_out(bullets: list[Bullet]) -> str:
    units = len({unit for bullet in bullets for unit in bullet.units})
    return (
        f"Ngoài ra, còn {len(bullets)} ý kiến khác của {units} đơn vị "
        "(xem báo cáo của từng đơn vị)."
    )


def draft_lines(said: list[tuple[str, str]], *, total: int | None = None) -> list[str]:
    """The sentences of a drafted item from (text, unit) pairs, in order.

    ``total`` is the number of units counted (every one of them said it: no
    attribution); by default the units in ``said``.
    """
    clauses = [(clause, unit) for text, unit in said for clause in split_clauses(text)]
    bullets = group(clauses)
    if total is None:
        total = len({unit for _text, unit in said})
    if len(bullets) > DRAFT_LINES:
        shown, rest = bullets[: DRAFT_LINES - 1], bullets[DRAFT_LINES - 1 :]
        return [sentence(b, total) for b in shown] + [left_out(rest)]
    return [sentence(b, total) for b in bullets]
