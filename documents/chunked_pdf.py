"""A long annex rendered in pieces (in parallel, by several workers) and merged
into the PDF a single pass would have made, page for page.

The last annex of a document (PHỤ LỤC 3, one row per unit: tens of thousands
of rows) is most of the rendering time. Its tables are cut into pieces at
rows where a page starts; each piece is laid out on its own (the first one
with the whole document before the cut), and the pages are put one after the
other with pypdf. Each piece numbers its pages from the number its first page
has in the whole (CSS ``counter-reset: page``), so the numbers run on across
the pieces and page 1 keeps none (DOCUMENT_FORMAT.md).

A table paginates greedily (each page the header row, then the rows that fit,
a row never split), so the pages from a row that starts a page depend on the
rows from there on only: a piece that starts at a row where the single pass
starts a page lays out the very same pages. Where the pages start is
*predicted* (:func:`plan`: the lines of each unit name measured with Pango,
the heights of the rows measured once by WeasyPrint on a sample) and then
*checked*: every piece but the last goes two rows past its end, and the page
holding its end row says where the single pass starts that page
(:func:`assemble`). A wrong guess costs one piece rendered again from the
right row (and the right page number), never a different document.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string

from .content import Annex, OfficialDocument, Table
from .html import render_html, stylesheet_url
from .pdf import html_to_pdf

CONTINUATION_TEMPLATE = "documents/annex_continuation.html"
# A piece goes this many rows past its end: the rows up to its end row are
# then laid out exactly as in the single pass (the end of a table can change
# whether its last row fits, never that of a row followed by another).
PROBE_ROWS = 2
TITLE_CLASS = "doc-annex__title"
TABLE_GAP = 8  # px: the 6 pt under a table (.doc-table); only for predicting


@dataclass
class Piece:
    """One rendered piece: its PDF and, per page, the first annex row on it
    when the page starts with that row (None for a page of the document
    before the annex, or the annex's first page, under its title)."""

    pdf: bytes
    page_rows: list[int | None] = field(default_factory=list)
    # The number printed on its first page (None: a piece from the start of
    # the document, numbered as the single pass numbers it).
    first_page: int | None = None

    @property
    def pages(self) -> int:
        return len(self.page_rows)


# ------------------------------------------------------------ rows of the annex


def numbered(doc: OfficialDocument) -> OfficialDocument:
    """``doc`` with the tables of its last annex numbering their rows
    (``Table.row_offset``), one count across the tables."""
    doc = copy.copy(doc)
    annex = copy.copy(doc.annexes[-1])
    offset, tables = 0, []
    for table in annex.tables:
        table = copy.copy(table)
        table.row_offset = offset
        offset += len(table.rows)
        tables.append(table)
    annex.tables = tables
    doc.annexes = [*doc.annexes[:-1], annex]
    return doc


def row_count(doc: OfficialDocument) -> int:
    return sum(len(table.rows) for table in doc.annexes[-1].tables) if doc.annexes else 0


def _slice_tables(annex: Annex, start: int, stop: int | None) -> list[Table]:
    """The annex's tables cut to its rows [start, stop) (stop None: to the end)."""
    tables = []
    for table in annex.tables:
        first, count = table.row_offset or 0, len(table.rows)
        low = max(start - first, 0)
        high = count if stop is None else min(stop - first, count)
        if low >= high:
            continue
        part = copy.copy(table)
        part.rows = table.rows[low:high]
        part.merges = []  # annex tables have none; a cut merge would not make sense
        part.row_offset = first + low
        tables.append(part)
    return tables


def piece_html(doc: OfficialDocument, start: int, stop: int | None) -> str:
    """The print HTML of rows [start, stop) of the last annex of ``doc`` (a
    :func:`numbered` document): from row 0, the whole document up to there;
    from a later row, the annex's tables going on from it, as on a page
    where the single pass carries them over."""
    annex = doc.annexes[-1]
    tables = _slice_tables(annex, start, stop)
    if start == 0:
        part = copy.copy(doc)
        cut = copy.copy(annex)
        cut.tables = tables
        part.annexes = [*doc.annexes[:-1], cut]
        return render_html(part)
    return render_to_string(
        CONTINUATION_TEMPLATE,
        {"annex": annex, "tables": tables, "stylesheet_url": stylesheet_url()},
    )


# ------------------------------------------------------------ rendering


# A piece after the first goes on with the numbers of the pages before it.
NUMBERED_FROM = (
    "@page :first { counter-reset: page %d; @top-center { content: counter(page) !important; } }"
)


def render_piece(html: str, first_page: int | None = None) -> Piece:
    """Lay out and draw one piece, its first page numbered ``first_page``
    (None: the document's own numbering, none on page 1), and note the
    annex row each page starts with."""
    from weasyprint import CSS

    from .pdf import font_configuration, weasy_html

    fonts = font_configuration()
    sheets = (
        [] if first_page is None else [CSS(string=NUMBERED_FROM % first_page, font_config=fonts)]
    )
    document = weasy_html(html).render(stylesheets=sheets, font_config=fonts)
    rows = [_first_row(page) for page in document.pages]
    return Piece(pdf=document.write_pdf(), page_rows=rows, first_page=first_page)


def _first_row(page) -> int | None:
    """The first annex row on ``page``, when the page starts with the table
    (its repeated header, then that row)."""
    first = None
    for box in page._page_box.descendants():  # noqa: SLF001  (WeasyPrint has no public tree)
        element = getattr(box, "element", None)
        if element is None:
            continue
        if box.element_tag in ("p", "h1") or TITLE_CLASS in (element.get("class") or ""):
            return None  # the document or the annex's title and notes: no table page
        row = element.get("data-row") if box.element_tag == "tr" else None
        if row is not None:
            value = int(row)
            first = value if first is None else min(first, value)
    return first


# ------------------------------------------------------------ planning


@dataclass
class _Geometry:
    """What a continuation page of one table holds, measured by WeasyPrint on
    a sample: where the first row starts, the last row's limit, the height
    of a one-line row and of each more line, each column's text width."""

    top: float
    header: float
    limit: float
    row: float
    line: float
    widths: list[float]
    style: object  # the computed style of a cell's text (for line breaking)


def _measure(annex: Annex, table: Table) -> _Geometry:
    """Lay out the header and two rows of ``table`` alone (its first row,
    then the same with a second line in each cell) and read the boxes."""
    from weasyprint.formatting_structure import boxes

    from .pdf import font_configuration, weasy_html

    first = table.rows[0]
    sample = copy.copy(table)
    sample.rows = [first, [f"{cell}\n{cell}" if cell else "x\nx" for cell in first]]
    sample.row_offset = 0
    html = render_to_string(
        CONTINUATION_TEMPLATE,
        {"annex": annex, "tables": [sample], "stylesheet_url": stylesheet_url()},
    )
    fonts = font_configuration()
    document = weasy_html(html).render(font_config=fonts)
    page = document.pages[0]._page_box  # noqa: SLF001
    rows, table_box, style = [], None, None
    for box in page.descendants():
        if isinstance(box, boxes.TableBox):
            table_box = box
        if isinstance(box, boxes.TableRowBox) and box.element.get("data-row") is not None:
            rows.append(box)
        if style is None and isinstance(box, boxes.TextBox) and rows:
            style = box.style
    one, two = rows
    bottom = page.content_box_y() + page.height - table_box.border_bottom_width
    return _Geometry(
        top=one.position_y,
        header=one.position_y - table_box.position_y,
        limit=bottom,
        row=one.height,
        line=two.height - one.height,
        widths=[cell.width for cell in one.children],
        style=(style, fonts),
    )


# Upper bounds of a glyph's advance, in em: digits and separators are half
# an em in a Times face, nothing is wider than an em. A cell shorter than
# its width by this count needs no line breaking to know it holds one line.
_NARROW = frozenset("0123456789.,:;()- ")


def _lines(text: str, width: float, geometry: _Geometry) -> int:
    """How many lines ``text`` takes in a cell ``width`` wide, broken by
    WeasyPrint's own line breaking (Pango) in the cell's font."""
    from weasyprint.text.line_break import split_first_line

    style = geometry.style[0]
    size = style["font_size"]
    count = 0
    for paragraph in text.split("\n"):
        bound = sum(0.5 if ch in _NARROW else 1.0 for ch in paragraph) * size
        if bound <= width:
            count += 1
            continue
        rest = paragraph
        while True:
            count += 1
            _layout, _length, resume, *_ = split_first_line(rest, style, None, width, 0)
            if resume is None:
                break
            rest = rest.encode()[resume:].decode()
    return count


def page_starts(doc: OfficialDocument, start: int) -> list[int]:
    """The annex rows that start a page from ``start`` (itself starting a
    page) to the end, as predicted from measured row heights; the first
    entry is ``start``."""
    annex = doc.annexes[-1]
    starts, y, page_has_rows = [start], None, False
    for table in annex.tables:
        first, count = table.row_offset or 0, len(table.rows)
        if first + count <= start:
            continue
        geometry = _measure(annex, table)
        if y is None:
            y = geometry.top
        else:  # a table after another: its header under the previous one (its margin)
            y += TABLE_GAP + geometry.header
        for index in range(max(start - first, 0), count):
            lines = max(
                _lines(str(cell), width, geometry)
                for cell, width in zip(table.rows[index], geometry.widths, strict=False)
            )
            height = geometry.row + (lines - 1) * geometry.line
            if page_has_rows and y + height > geometry.limit * (1 + 1e-9):
                starts.append(first + index)
                y = geometry.top
            y += height
            page_has_rows = True
    return starts


def plan(doc: OfficialDocument, start: int, pages_per_piece: int) -> list[Cut]:
    """Cut the annex rows from ``start`` (a page start) into pieces of about
    ``pages_per_piece`` whole pages, each end a predicted page start with
    PROBE_ROWS rows after it in the same table."""
    starts = page_starts(doc, start)
    total_rows = row_count(doc)
    ends_ok = set()
    for table in doc.annexes[-1].tables:
        first = table.row_offset or 0
        ends_ok.update(range(first + 1, first + len(table.rows) - PROBE_ROWS + 1))
    pages = len(starts)
    per_piece = max(1, pages_per_piece)
    cuts, begin, begin_page = [], start, 0
    for page in range(per_piece, pages, per_piece):
        row = starts[page]
        if row not in ends_ok or row <= begin:
            continue
        cuts.append(Cut(start=begin, end=row, pages=page - begin_page))
        begin, begin_page = row, page
    cuts.append(Cut(start=begin, end=None, pages=pages - begin_page))
    assert cuts[-1].start < total_rows or total_rows == 0
    return cuts


# ------------------------------------------------------------ assembling


@dataclass
class Cut:
    """A piece as planned: rows [start, end) of the annex (end None: to the
    end of the document), ``pages`` the pages it is expected to make."""

    start: int
    end: int | None
    pages: int = 0
    first_page: int | None = None  # the number of its first page, as planned

    @property
    def stop(self) -> int | None:
        """The last row laid out, past the end (see PROBE_ROWS)."""
        return None if self.end is None else self.end + PROBE_ROWS


def assemble(
    cuts: list[Cut],
    rendered: Callable[[int], Piece | None],
    render: Callable[[int, int | None, int | None], Piece],
) -> tuple[bytes, int]:
    """The merged PDF of the pieces, and how many were rendered again.

    ``rendered(index)`` is the piece rendered as planned (``cuts[index]``);
    ``render(start, stop, first_page)`` lays out rows [start, stop) afresh,
    for a piece whose planned start turned out not to start a page, or
    whose pages are to have other numbers (a piece before it had more or
    fewer pages than planned). Each piece gives the pages before the one
    holding its end row; that page's first row is where the next piece
    must start.
    """
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    start, index, again = 0, 0, 0
    while index < len(cuts):
        last, number = index, len(writer.pages) + 1 if index else None
        while True:
            cut = cuts[last]
            piece = None
            if last == index and cut.start == start:
                piece = rendered(index)
                if piece is not None and piece.first_page != number:
                    piece = None
            if piece is None:
                piece = render(start, cut.stop, number)
                again += 1
            if cut.end is None:
                taken, next_start = piece.pages, None
                break
            taken = page_holding(piece, cut.end)
            if taken is not None:
                next_start = piece.page_rows[taken]
                break
            last += 1  # the end row is on the annex's first page: take the next cut too
        reader = PdfReader(io.BytesIO(piece.pdf))
        if not len(writer.pages):
            writer.add_metadata(reader.metadata or {})
        for page in reader.pages[:taken]:
            writer.add_page(page)
        if next_start is None:
            break
        start, index = next_start, last + 1
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), again


def page_holding(piece: Piece, row: int) -> int | None:
    """The page of ``piece`` that holds annex row ``row`` when it starts with
    an annex row (then it is a page of the single pass too); None when the
    row is under the annex's title."""
    holding = None
    for page, first in enumerate(piece.page_rows):
        if first is None:
            continue
        if first > row:
            break
        holding = page
    return holding


# ------------------------------------------------------------ the whole way


def cut_up(
    doc: OfficialDocument, *, head_rows: int, pages_per_piece: int
) -> tuple[Piece, list[Cut]] | None:
    """Render the document up to ``head_rows`` rows into its last annex (a
    :func:`numbered` document): where its last page starts is a page start
    of the single pass, from which the rest is planned. The head piece and
    every cut, the head's first; None when the annex ends within the head."""
    rows, head_end = row_count(doc), max(head_rows, 1)
    while True:
        if head_end + PROBE_ROWS >= rows:
            return None
        head_cut = Cut(start=0, end=head_end)
        head = render_piece(piece_html(doc, 0, head_cut.stop))
        taken = page_holding(head, head_end)
        if taken is not None:
            break
        head_end *= 2  # still on the annex's first page, under its title
    start = head.page_rows[taken]
    head_cut.end, head_cut.pages = start, taken
    cuts = [head_cut, *plan(doc, start, pages_per_piece)]
    number = 1
    for before, cut in zip(cuts, cuts[1:], strict=False):
        number += before.pages
        cut.first_page = number
    return head, cuts


def render_in_pieces(
    doc: OfficialDocument, *, head_rows: int = 60, pages_per_piece: int = 30, pool_map=map
) -> tuple[bytes, int]:
    """The PDF of ``doc`` with its last annex rendered in pieces by
    ``pool_map(render_at, pieces)`` (a pool's map renders them in parallel),
    and how many pieces were rendered again; what the build's tasks do,
    in one call."""
    doc = numbered(doc)
    found = cut_up(doc, head_rows=head_rows, pages_per_piece=pages_per_piece)
    if found is None:
        return html_to_pdf(render_html(doc)), 0
    head, cuts = found
    pieces = [head, *pool_map(render_at, [(doc, c.start, c.stop, c.first_page) for c in cuts[1:]])]

    def again(start: int, stop: int | None, first_page: int | None) -> Piece:
        return render_at((doc, start, stop, first_page))

    return assemble(cuts, lambda index: pieces[index], again)


def render_at(args: tuple) -> Piece:
    """``render_piece`` of ``(doc, start, stop, first_page)``: a piece's
    HTML and PDF, for a pool's map."""
    doc, start, stop, first_page = args
    return render_piece(piece_html(doc, start, stop), first_page)
