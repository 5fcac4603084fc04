"""Rich text (plan sections, report answers): sanitised with nh3, turned into
document paragraphs.

The browser editor (Trix) writes blocks as <div>, paragraphs split by <br><br>,
and lists as <ul>/<ol>. Documents need paragraphs with the source's own
numbering ("1.", "-", "+") kept as text, so the HTML is reduced to a list of
``Block``s after sanitising.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

from .content import BULLET, BULLET_2, HEADING_1, HEADING_2, HEADING_3, PARA, Block

ALLOWED_TAGS = {
    "p",
    "div",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "blockquote",
}
INLINE_TAGS = {"strong", "b", "em", "i", "u"}
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "blockquote"}


def sanitize(value: str) -> str:
    """Keep only harmless formatting; scripts, styles, links and attributes go."""
    return nh3.clean(value or "", tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()


def from_plain_text(text: str) -> str:
    """Plain text (one paragraph per line) as the editor's HTML."""
    lines = [line.strip() for line in (text or "").splitlines()]
    return "".join(f"<div>{html.escape(line)}</div>" for line in lines if line)


_ROMAN_HEADING = re.compile(r"^[IVXL]+\s*[-.]\s")
_NUMBER_2 = re.compile(r"^\d+\.\d+\.?\s")
_NUMBER_1 = re.compile(r"^\d+\s*[.\-)]\s")


def style_for(text: str) -> str:
    """The paragraph style that the typed numbering asks for."""
    stripped = text.lstrip()
    if _ROMAN_HEADING.match(stripped):
        return HEADING_1
    if _NUMBER_2.match(stripped):
        return HEADING_3
    if _NUMBER_1.match(stripped):
        return HEADING_2
    if stripped.startswith(("+ ", "+\u00a0")):
        return BULLET_2
    if stripped.startswith(("- ", "– ", "-\u00a0")):
        return BULLET
    return PARA


class _Splitter(HTMLParser):
    """Collect paragraphs (inline HTML) from sanitised rich text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[str, bool]] = []  # (inline html, is list item)
        self._current: list[str] = []
        self._breaks = 0
        self._in_list_item = False

    def _flush(self) -> None:
        inline = "".join(self._current).strip()
        if re.sub(r"<[^>]+>", "", inline).strip():
            self.paragraphs.append((inline, self._in_list_item))
        self._current = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._breaks += 1
            if self._breaks >= 2:
                self._flush()
            return
        if self._breaks == 1:
            self._current.append("<br>")
        self._breaks = 0
        if tag in BLOCK_TAGS:
            self._flush()
            self._in_list_item = tag == "li"
        elif tag in INLINE_TAGS:
            self._current.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._breaks = 0
            self._flush()
            self._in_list_item = False
        elif tag in INLINE_TAGS:
            self._current.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._breaks == 1:
            self._current.append("<br>")
        self._breaks = 0
        self._current.append(html.escape(data, quote=False))

    def close(self) -> None:
        super().close()
        self._flush()


def to_blocks(value: str) -> list[Block]:
    """Paragraph blocks of rich text, styled from their typed numbering."""
    splitter = _Splitter()
    splitter.feed(sanitize(value))
    splitter.close()
    blocks = []
    for inline, is_list_item in splitter.paragraphs:
        text = html.unescape(re.sub(r"<[^>]+>", "", inline.replace("<br>", " "))).strip()
        style = style_for(text)
        if is_list_item and style == PARA:
            style, inline, text = BULLET, f"- {inline}", f"- {text}"
        blocks.append(Block(style=style, text=text, html=inline if "<" in inline else ""))
    return blocks


def to_plain_text(value: str) -> str:
    """The paragraphs of rich text as plain text, one a line."""
    return "\n".join(block.text for block in to_blocks(value))
