"""The content of an official Party document, independent of PDF or DOCX.

A builder fills an :class:`OfficialDocument`; the renderers (``documents.html``
and ``documents.pdf``, ``documents.docx``) lay it out by Hướng dẫn 36-HD/VPTW.
Both read the body through :func:`split_lines` (one block a paragraph) and
:func:`leads` (which blocks stay with the next one), so they paginate alike;
how a lead is kept (CSS ``break-after``, Word's "keep with next") is theirs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Styles of body blocks; each maps to a CSS class "doc-<style>" and a DOCX style.
HEADING_1 = "heading-1"  # "I- MỤC ĐÍCH, YÊU CẦU": bold, uppercase as typed
HEADING_2 = "heading-2"  # "1. …"
HEADING_3 = "heading-3"  # "1.1. …"
PARA = "para"  # justified paragraph with a first-line indent
BULLET = "bullet"  # "- …"
BULLET_2 = "bullet-2"  # "+ …"
TABLE = "table"  # a grid table written in rich text: ``Block.table`` holds it
HEADINGS = (HEADING_1, HEADING_2, HEADING_3)
BLOCK_STYLES = (*HEADINGS, PARA, BULLET, BULLET_2)


@dataclass
class Block:
    """One paragraph of an official document's body.

    ``text`` is plain text (numbering included, as typed); ``html`` holds
    sanitised inline markup (strong, em, u) when the source was rich text and
    takes precedence over ``text``. ``bold`` marks a whole paragraph bold.
    ``keep_with_next`` marks a paragraph that leads the next one although its
    style is no heading, e.g. the question line of a report item: like a
    heading, it never ends a page (see :func:`leads`).

    A block of style :data:`TABLE` is a table in the body (one written in
    rich text, e.g. pasted from Word): ``table`` holds it and ``text`` its
    cells as plain text, one row a line.
    """

    style: str
    text: str = ""
    html: str = ""
    bold: bool = False
    keep_with_next: bool = False
    table: Table | None = None


@dataclass
class Table:
    """A grid table: a header row (may be empty: no header) and rows of cells
    (strings; a cell's paragraphs separated by "\n").

    ``merges`` lists merged cells of the body rows as ``(row, column,
    rowspan, colspan)``; the cells a merge covers are empty strings, so every
    row has one string a column."""

    header: list[str]
    rows: list[list[str]]
    numeric_columns: set[int] = field(default_factory=set)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    # Column widths in % of the text width: given, the PDF lays the table out
    # with ``table-layout: fixed`` (no measuring of every cell's text first,
    # most of the rendering time of a long table); empty, by its content.
    widths: list[float] = field(default_factory=list)
    # Set on the tables of an annex rendered in pieces (documents.chunked_pdf):
    # the body rows carry their number in the annex, counted from this one,
    # so the pages of a piece tell which row each starts with.
    row_offset: int | None = None

    @property
    def column_count(self) -> int:
        return max([len(self.header), *(len(row) for row in self.rows)], default=0)

    def grid(self) -> list[list[tuple[str, int, int, bool]]]:
        """The body rows as the cells to draw: ``(text, rowspan, colspan,
        numeric)``, the cells covered by a merge left out."""
        spans = {(row, column): (rs, cs) for row, column, rs, cs in self.merges}
        covered = {
            (row + dr, column + dc)
            for row, column, rs, cs in self.merges
            for dr in range(rs)
            for dc in range(cs)
            if dr or dc
        }
        width = self.column_count
        result = []
        for r, row in enumerate(self.rows):
            cells = list(row) + [""] * (width - len(row))
            result.append(
                [
                    (text, *spans.get((r, c), (1, 1)), c in self.numeric_columns)
                    for c, text in enumerate(cells)
                    if (r, c) not in covered
                ]
            )
        return result


@dataclass
class Annex:
    """An annex on its own page: "ĐỀ CƯƠNG …" with "(kèm theo …)", or a Phụ lục."""

    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    landscape: bool = False


@dataclass
class OfficialDocument:
    """Everything a KẾ HOẠCH, BÁO CÁO or THÔNG BÁO shows.

    ``footnotes`` are called from the end of the summary line (trích yếu),
    where both renderers put the call mark "(*)".

    ``number_symbol`` and ``place_date`` come from ``documents.numbering`` and
    ``documents.formatting``, which also leave the blanks an office fills in by
    hand ("Số      -TB/HU", "ngày      tháng      năm 2018").
    """

    issuer_name: str
    number_symbol: str
    place_date: str
    doc_type: str
    summary: str
    blocks: list[Block] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signer_position: str = ""
    signer_name: str = ""
    sign_on_behalf: str = ""
    superior_body: str = ""
    annexes: list[Annex] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def summary_has_breaks(self) -> bool:
        """The writer broke the summary into lines themselves."""
        return "\n" in self.summary.strip()


# A numbered block that ends like a sentence is a paragraph, not a title.
_SENTENCE_END = re.compile(r"[.;!?…]\W*$")
_RANK = {HEADING_1: 1, HEADING_2: 2, HEADING_3: 3}
_QUESTION_RANK = 4


def _lead_rank(block: Block) -> int:
    """How deep a block heads, or 0 when it leads nothing."""
    if block.keep_with_next:
        return _RANK.get(block.style, _QUESTION_RANK)
    if block.style == HEADING_1:
        return 1
    if block.style in _RANK and not _SENTENCE_END.search(block.text or ""):
        return _RANK[block.style]
    return 0


def leads(blocks: list[Block]) -> list[bool]:
    """Which blocks are kept on the page of the block after them.

    The one pagination rule of both renderers (CSS ``break-after: avoid`` on
    ``.doc-lead``, Word's "keep with next"):

    * A *lead* is a heading ("I- MỤC ĐÍCH, YÊU CẦU"; a "1." or "1.1." title
      that does not end like a sentence) or a block marked
      ``keep_with_next`` (a report item's question). A numbered paragraph that
      ends like a sentence — "1. Hình thức sơ kết: Bằng văn bản.", "1. Việc
      sơ kết … nhằm …." — is body text and leads nothing.
    * Only leads keep with the next block; a body paragraph never does, so
      two body paragraphs are never chained and a list under "2. Thời gian
      sơ kết:" moves as at most its first item.
    * A lead followed by a block it does not head — a sibling or a higher
      heading ("1.1." then "1.2.", a question with no answer then the next
      one) — heads nothing and is a line of a list: it keeps nothing.

    So every heading that heads something is kept with its first line of body
    and never ends a page, and the longest chain is one heading per level
    (I-, 1., 1.1., a question) and one paragraph. The last block of a
    document's body also stays with the closing (recipients, signature):
    that is the closing's rule, not this one.
    """
    ranks = [_lead_rank(block) for block in blocks]
    flags = []
    for index, rank in enumerate(ranks):
        following = ranks[index + 1] if index + 1 < len(ranks) else None
        flags.append(bool(rank) and following is not None and (not following or following > rank))
    return flags


_HTML_BREAK = re.compile(r"<br\s*/?>")


def split_lines(blocks: list[Block]) -> list[Block]:
    """Blocks with a line break ("\\n" in text, <br> in html) split into one
    block a line: a document body has paragraphs, never soft line breaks.
    The lines after the first are paragraphs of the same weight; the last one
    keeps a ``keep_with_next`` mark."""
    result = []
    for block in blocks:
        if block.table is not None:
            result.append(block)
            continue
        pieces = _HTML_BREAK.split(block.html) if block.html else block.text.split("\n")
        lines = [line for line in pieces if re.sub(r"<[^>]+>|\s", "", line)]
        if len(lines) < 2:
            result.append(block)
            continue
        for index, line in enumerate(lines):
            last = index == len(lines) - 1
            result.append(
                Block(
                    style=block.style if index == 0 else PARA,
                    text="" if block.html else line.strip(),
                    html=line.strip() if block.html else "",
                    bold=block.bold,
                    keep_with_next=block.keep_with_next and last,
                )
            )
    return result
