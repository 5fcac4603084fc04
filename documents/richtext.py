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
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from .content import (
    BULLET,
    BULLET_2,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    PARA,
    TABLE,
    Block,
    Table,
)

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
    *("table", "thead", "tbody", "tr", "th", "td"),
}
INLINE_TAGS = {"strong", "b", "em", "i", "u"}
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "blockquote"}
CELL_TAGS = {"td", "th"}
# Tags that hold blocks: bare text is never directly in them, except in cells.
CONTAINER_TAGS = {"ul", "ol", "table", "thead", "tbody", "tr", *CELL_TAGS}
SPAN_ATTRIBUTES = {"colspan", "rowspan"}
MAX_SPAN = 20  # a merged cell spans at most this many rows or columns
ALLOWED_ATTRIBUTES = {"td": SPAN_ATTRIBUTES, "th": SPAN_ATTRIBUTES}


def _span_filter(tag: str, attribute: str, value: str) -> str | None:
    """A colspan/rowspan kept only as a number from 2 to MAX_SPAN."""
    if attribute in SPAN_ATTRIBUTES and value.strip().isdigit():
        number = int(value.strip())
        if 1 < number <= MAX_SPAN:
            return str(number)
    return None


def sanitize(value: str) -> str:
    """Keep only harmless formatting; scripts, styles, links and attributes go
    (but a cell's colspan/rowspan, bounded); tables stay tables.

    A line break splits its block in two ("<div>a<br>b</div>" →
    "<div>a</div><div>b</div>"), and text without any markup is plain text,
    one paragraph per line. Idempotent: the HTML parser may still restructure
    what one pass wrote (a table inside a heading inside a heading), so the
    pass repeats until nothing changes (a few times at most)."""
    cleaned = _sanitize_once(value)
    for _attempt in range(4):
        again = _sanitize_once(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _sanitize_once(value: str) -> str:
    cleaned = nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_span_filter,
        link_rel=None,
        strip_comments=True,
    ).strip()
    if "<" not in cleaned and "\n" in cleaned:  # plain text (escaped by nh3): a line a paragraph
        lines = [line.strip() for line in cleaned.splitlines()]
        return "".join(f"<div>{line}</div>" for line in lines if line)
    return split_line_breaks(cleaned) if "<br" in cleaned else cleaned


_IMPLICIT = "#div"  # on the stack: a <div> opened for text outside any block


def _name(tag: str) -> str:
    return "div" if tag == _IMPLICIT else tag


class _BreakSplitter(HTMLParser):
    """Rewrite sanitised HTML so that no block holds a <br>: each break closes
    the innermost block (and the emphasis open in it) and opens it again.
    Text outside any block (a cell's included) is wrapped in a <div>; a cell
    is split inside, never itself; empty blocks are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[str] = []  # open tags, outermost first

    def _block_index(self) -> int | None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index] in BLOCK_TAGS or self.stack[index] == _IMPLICIT:
                return index
            if self.stack[index] in CELL_TAGS:
                return None
        return None

    def _emit(self, piece: str) -> None:
        self.out.append(piece)

    def _break(self) -> None:
        index = self._block_index()
        if index is None:
            return
        inner = self.stack[index:]
        self._emit("".join(f"</{_name(tag)}>" for tag in reversed(inner)))
        self._emit("".join(f"<{_name(tag)}>" for tag in inner))

    def _open_implicit(self) -> None:
        if self._block_index() is None and not self._in_list():
            self._emit("<div>")
            self.stack.append(_IMPLICIT)

    def _in_list(self) -> bool:
        """Directly in a list or a table's rows, where text is no paragraph."""
        return bool(self.stack) and self.stack[-1] in CONTAINER_TAGS - CELL_TAGS

    def _close_implicit(self) -> None:
        if _IMPLICIT in self.stack:
            self._pop_to(len(self.stack) - 1 - self.stack[::-1].index(_IMPLICIT))

    def _pop_to(self, index: int) -> None:
        while len(self.stack) > index:
            self._emit(f"</{_name(self.stack.pop())}>")

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self._break()
            return
        if tag in BLOCK_TAGS or tag in CONTAINER_TAGS:
            self._close_implicit()
        elif tag in INLINE_TAGS:
            self._open_implicit()
        self.stack.append(tag)
        spans = "".join(f' {name}="{value}"' for name, value in attrs if name in SPAN_ATTRIBUTES)
        self._emit(f"<{tag}{spans}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            self._pop_to(len(self.stack) - 1 - self.stack[::-1].index(tag))

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
        self._pop_to(0)


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


@dataclass
class _Cell:
    lines: list[str] = field(default_factory=lambda: [""])
    rowspan: int = 1
    colspan: int = 1
    header: bool = False  # a <th>, or a cell of <thead>

    @property
    def text(self) -> str:
        lines = [" ".join(line.split()) for line in self.lines]
        return "\n".join(line for line in lines if line)


def _span(attrs, name: str) -> int:
    value = dict(attrs).get(name) or ""
    return min(int(value), MAX_SPAN) if value.isdigit() and int(value) > 0 else 1


def build_table(rows: list[list[_Cell]]) -> Table:
    """A Table from parsed rows: merged cells placed on the grid (the cells
    they cover left empty), a first row of header cells as the header."""
    rows = [row for row in rows if row]
    header: list[str] = []
    if rows and all(cell.header and cell.colspan == cell.rowspan == 1 for cell in rows[0]):
        header = [cell.text for cell in rows[0]]
        rows = rows[1:]
    grid: dict[tuple[int, int], str] = {}
    taken: set[tuple[int, int]] = set()
    merges = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            rowspan = min(cell.rowspan, len(rows) - r)
            for dr in range(rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            grid[(r, c)] = cell.text
            if rowspan > 1 or cell.colspan > 1:
                merges.append((r, c, rowspan, cell.colspan))
            c += cell.colspan
    width = max([len(header), *(c + 1 for _, c in taken)], default=0)
    body = [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))]
    if header:
        header += [""] * (width - len(header))
    spanned = {c for _, c, _, cs in merges if cs > 1}
    numeric = {
        c
        for c in range(width)
        if c not in spanned
        and any(row[c] for row in body)
        and all(_NUMBER.match(row[c]) for row in body if row[c])
    }
    return Table(header=header, rows=body, numeric_columns=numeric, merges=merges)


_NUMBER = re.compile(r"^[+-]?\d[\d.,\s]*%?$")


class _Splitter(HTMLParser):
    """Collect paragraphs (inline HTML) and tables from sanitised rich text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        # (inline html, is list item), or a table's rows
        self.paragraphs: list[tuple[str, bool] | list[list[_Cell]]] = []
        self._current: list[str] = []
        self._in_list_item = False
        self._tables = 0  # depth of open tables: a nested table's text goes in its cell
        self._thead = False
        self._rows: list[list[_Cell]] = []
        self._cell: _Cell | None = None

    def _flush(self) -> None:
        inline = "".join(self._current).strip()
        if re.sub(r"<[^>]+>", "", inline).strip():
            self.paragraphs.append((inline, self._in_list_item))
        self._current = []

    def _table_tag(self, tag: str, attrs, start: bool) -> None:
        if tag == "table":
            self._tables += 1 if start else -1
            if not start and not self._tables:
                self.paragraphs.append(self._rows)
                self._rows, self._cell = [], None
            elif self._cell is not None:
                self._cell.lines.append("")
        elif self._tables > 1:  # inside a nested table: cells are words, rows lines
            if start and self._cell is not None:
                self._cell.lines.append("" if tag == "tr" else " ")
        elif tag == "thead":
            self._thead = start
        elif tag == "tr" and start:
            self._rows.append([])
            self._cell = None
        elif tag in CELL_TAGS and start:
            if not self._rows:
                self._rows.append([])
            self._cell = _Cell(
                rowspan=_span(attrs, "rowspan"),
                colspan=_span(attrs, "colspan"),
                header=tag == "th" or self._thead,
            )
            self._rows[-1].append(self._cell)
        elif tag in CELL_TAGS | {"tr"}:
            self._cell = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "table" and not self._tables:
            self._flush()
        if self._tables or tag == "table":
            if tag in CONTAINER_TAGS:
                self._table_tag(tag, attrs, start=True)
            elif (tag in BLOCK_TAGS or tag == "br") and self._cell is not None:
                self._cell.lines.append("")
            return
        if tag == "br":  # a line break is a paragraph break
            self._flush()
            return
        if tag in BLOCK_TAGS:
            self._flush()
            self._in_list_item = tag == "li"
        elif tag in INLINE_TAGS:
            self._current.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if self._tables:
            if tag in CONTAINER_TAGS:
                self._table_tag(tag, (), start=False)
            elif tag in BLOCK_TAGS and self._cell is not None:
                self._cell.lines.append("")
            return
        if tag in BLOCK_TAGS:
            self._flush()
            self._in_list_item = False
        elif tag in INLINE_TAGS:
            self._current.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if self._tables:
            if self._cell is not None:
                self._cell.lines[-1] += data
            return
        self._current.append(html.escape(data, quote=False))

    def close(self) -> None:
        super().close()
        if self._tables:  # an unclosed table (sanitised text never has one)
            self.paragraphs.append(self._rows)
        self._flush()


def to_blocks(value: str) -> list[Block]:
    """Paragraph blocks of rich text, styled from their typed numbering; a
    table is one block of style TABLE."""
    splitter = _Splitter()
    splitter.feed(sanitize(value))
    splitter.close()
    blocks = []
    for item in splitter.paragraphs:
        if isinstance(item, list):
            table = build_table(item)
            if table.column_count:
                blocks.append(Block(style=TABLE, text=table_text(table), table=table))
            continue
        inline, is_list_item = item
        text = html.unescape(re.sub(r"<[^>]+>", "", inline.replace("<br>", " "))).strip()
        style = style_for(text)
        if is_list_item and style == PARA:
            style, inline, text = BULLET, f"- {inline}", f"- {text}"
        blocks.append(Block(style=style, text=text, html=inline if "<" in inline else ""))
    return blocks


def table_text(table: Table) -> str:
    """A table as plain text: one row a line, cells separated by " | "."""
    rows = [table.header, *table.rows] if table.header else table.rows
    return "\n".join(" | ".join(cell.replace("\n", " ") for cell in row) for row in rows)


def to_plain_text(value: str) -> str:
    """The paragraphs of rich text as plain text, one a line."""
    return "\n".join(block.text for block in to_blocks(value))
