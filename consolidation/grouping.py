"""Points that several units said alike, shown once with who said them."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

SIMILAR = 0.88


@dataclass(frozen=True)
class Source:
    """A unit that said something, and the direct subordinate that has not
    consolidated its report yet (empty when none)."""

    name: str
    pending_by: str = ""

    def __str__(self) -> str:
        return self.name


@dataclass
class PointGroup:
    """Identical or near-identical points from several units, shown once."""

    text: str
    sources: list[Source] = field(default_factory=list)
    _names: set[str] = field(default_factory=set, repr=False, compare=False)

    def add(self, source: Source) -> None:
        """A unit that said it (once, however often it said it)."""
        if source.name not in self._names:
            self._names.add(source.name)
            self.sources.append(source)

    @property
    def units(self) -> list[str]:
        return [source.name for source in self.sources]

    @property
    def count(self) -> int:
        return len(self.sources)


def normalise(text: str) -> str:
    """Case, punctuation and spacing folded, to compare points and titles."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def group_points(entries: list[tuple[str, Source | str]]) -> list[PointGroup]:
    """Group (point, unit) pairs: identical after normalising, or near-identical
    (difflib ratio ≥ 0.88 among points sharing their first word). Largest first."""
    groups: list[PointGroup] = []
    exact: dict[str, PointGroup] = {}
    buckets: dict[str, list[tuple[str, PointGroup]]] = defaultdict(list)
    for text, unit in entries:
        source = unit if isinstance(unit, Source) else Source(str(unit))
        key = normalise(str(text))
        if not key:
            continue
        group = exact.get(key)
        if group is None:
            first = key.split(" ", 1)[0]
            for other_key, candidate in buckets[first]:
                if difflib.SequenceMatcher(None, key, other_key).ratio() >= SIMILAR:
                    group = candidate
                    break
        if group is None:
            group = PointGroup(text=str(text).strip())
            groups.append(group)
            buckets[key.split(" ", 1)[0]].append((key, group))
        exact[key] = group
        group.add(source)
    return sorted(groups, key=lambda g: -g.count)
