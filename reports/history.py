"""Readable history of answers: a word diff of narrative text, a summary of the rest."""

from __future__ import annotations

import difflib
import html

from campaigns.models import AnswerType
from documents.richtext import to_plain_text


def _words(record) -> list[str]:
    return to_plain_text(record.text).split() if record is not None else []


def text_diff(before, after) -> str:
    """HTML with <del> and <ins> marking the words that changed."""
    old, new = _words(before), _words(after)
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"<del>{html.escape(' '.join(old[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{html.escape(' '.join(new[j1:j2]))}</ins>")
        if op == "equal":
            parts.append(html.escape(" ".join(new[j1:j2])))
    return " ".join(parts)


def summary(record) -> str:
    """The answer's value as one line of plain text."""
    kind = record.item.answer_type
    if kind == AnswerType.TEXT:
        text = to_plain_text(record.text)
        return text[:200] + ("…" if len(text) > 200 else "")
    if kind in (AnswerType.INTEGER, AnswerType.DECIMAL):
        return "" if record.number is None else f"{record.number.normalize():f}"
    if kind == AnswerType.INTEGER_PER_YEAR:
        return "; ".join(f"{year}: {value}" for year, value in sorted(record.per_year.items()))
    if kind == AnswerType.BOOLEAN:
        return {True: "✓", False: "✗", None: ""}[record.boolean]
    if kind == AnswerType.CHOICE:
        return record.choice
    return "; ".join(record.points)
