"""Rich text (plan sections, report answers): sanitised with nh3, turned into
document paragraphs.

The browser editor (Trix, see static/js/richtext.js) writes one <div> per
paragraph and lists as <ul>/<ol>. Text stored before that editor rule, or
pasted elsewhere, may hold several paragraphs in one block split by <br>: a
line break is a paragraph break here (an official document has no soft line
breaks in its body), so :func:`sanitize` splits such blocks and
:func:`to_blocks` makes a paragraph of each line. Documents need paragraphs
with the source's own numbering ("1.", "-", "+") kept as text, so the HTML is
reduced to a list of ``Block``s after sanitising.
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
    """Keep only harmless formatting; scripts, styles, links and attributes go.

    A line break splits its block in two ("<div>a<br>b</div>" →
    "<div>a</div><div>b</div>"), and text without any markup is plain text,
    one paragraph per line."""
    value = value or ""
    if "<" not in value and "\n" in value.strip():
        value = from_plain_text(value)
    cleaned = nh3.clean(value, tags=ALLOWED_TAGS, attributes={}, link_rel=None).strip()
    return split_line_breaks(cleaned) if "<br" in cleaned else cleaned


class _BreakSplitter(HTMLParser):
    """Rewrite sanitised HTML so that no block holds a <br>: each break closes
    the innermost block (and the emphasis open in it) and opens it again.
    Text outside any block is wrapped in a <div>; empty blocks are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str] = []  # open tags, outermost first
        self._pending: list[str] = []  # the current block's content
        self._implicit = False  # a <div> opened for text outside blocks

    def _block_index(self) -> int | None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] in BLOCK_TAGS:
                return index
        return None

    def _emit(self, piece: str) -> None:
        self._pending.append(piece)

    def _flush_pending(self) -> None:
        content = "".join(self._pending)
        self._pending = []
        self.out.append(content)

    def _break(self) -> None:
        index = self._block_index()
        if index is None:  # a break between bare text runs
            if self._implicit:
                self._emit("</div>")
                self._implicit = False
            return
        inner = self.stack[index:]
        self._emit("".join(f"</{tag}>" for tag in reversed(inner)))
        self._emit("".join(f"<{tag}>" for tag in inner))

    def _open_implicit(self) -> None:
        if self._block_index() is None and not self._implicit and not self._in_list():
            self._emit("<div>")
            self._implicit = True

    def _in_list(self) -> bool:
        return bool(self.stack) and self.stack[-1] in {"ul", "ol"}

    def _close_implicit(self) -> None:
        if self._implicit:
            self._emit("</div>")
            self._implicit = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._break()
            return
        if tag in BLOCK_TAGS or tag in {"ul", "ol"}:
            self._close_implicit()
        elif tag in INLINE_TAGS:
            self._open_implicit()
        self.stack.append(tag)
        self._emit(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in BLOCK_TAGS or open_tag in {"ul", "ol"}:
                self._close_implicit()
            self._emit(f"</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self._open_implicit()
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        self._open_implicit()
        self._emit(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._open_implicit()
        self._emit(f"&#{name};")

    def close(self) -> None:
        super().close()
        self._close_implicit()
        self._flush_pending()


_EMPTY_BLOCK = re.compile(
    r"<(div|p|li|h1|h2|blockquote)>(?:\s|<(?:strong|b|em|i|u)>|</(?:strong|b|em|i|u)>)*</\1>"
)


def split_line_breaks(value: str) -> str:
    """Sanitised HTML with every <br> turned into a paragraph break."""
    splitter = _BreakSplitter()
    splitter.feed(value)
    splitter.close()
    html_out = "".join(splitter.out)
    previous = None
    while previous != html_out:  # "<li><div></div></li>" empties from inside out
        previous, html_out = html_out, _EMPTY_BLOCK.sub("", html_out)
    return html_out.strip()


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
        self._in_list_item = False

    def _flush(self) -> None:
        inline = "".join(self._current).strip()
        if re.sub(r"<[^>]+>", "", inline).strip():
            self.paragraphs.append((inline, self._in_list_item))
        self._current = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":  # a line break is a paragraph break
            self._flush()
            return
        if tag in BLOCK_TAGS:
            self._flush()
            self._in_list_item = tag == "li"
        elif tag in INLINE_TAGS:
            self._current.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
            self._in_list_item = False
        elif tag in INLINE_TAGS:
            self._current.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
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
