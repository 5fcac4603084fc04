"""Official Party documents (KẾ HOẠCH, BÁO CÁO…) as DOCX, through python-docx.

The Word twin of the PDF: it renders the same :class:`OfficialDocument` and
mirrors the sizes of static/css/document.css (Hướng dẫn 36-HD/VPTW), so an
office gets a file it can edit and print alike. The only place that builds a
python-docx Document.  Body blocks carry named
paragraph styles ("doc-para", "doc-heading-1"…, like the CSS classes) so a
size can be changed for the whole document in Word's style pane.

Whitespace folds as in HTML: runs of ordinary spaces and line breaks become
one space, no-break spaces stay, so the blank left for a number written in by
hand (``documents.numbering.BLANK``) is as wide as in the PDF.

Pagination follows :func:`documents.content.leads`, like the PDF: only a
heading (or a report item's question) keeps with the next paragraph, per
paragraph, never through the paragraph styles. A document symbol ("554-QĐ/TU")
is never broken: its hyphen is a non-breaking hyphen and a word joiner
follows its slash. The footnotes of :class:`OfficialDocument` are real Word
footnotes called "(*)" from the end of the summary, where the PDF calls them.
"""

from __future__ import annotations

import functools
import io
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import nsdecls, qn
from docx.section import Section
from docx.shared import Cm, Length, Mm, Pt
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from fontTools.ttLib import TTFont

from .content import (
    BULLET,
    BULLET_2,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    PARA,
    Annex,
    Block,
    OfficialDocument,
    Table,
    leads,
    split_lines,
)
from .numbering import symbol_spans

FONT = "Times New Roman"
# Word's "single" line for Times is already 1.15 em, so 1.15 here gives the
# CSS line-height 1.3 em of the PDF.
LINE_SPACING = 1.15
A4 = (Mm(210), Mm(297))
MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
HEADER_COLUMNS = (0.45, 0.55)  # document.css .doc-header__left / __right
CLOSING_COLUMNS = (0.53, 0.47)  # document.css .doc-recipients / .doc-signature
SIGNATURE_LINES = 4  # empty 14 pt lines ≈ the 25 mm .doc-signature__space
FIRST_LINE_INDENT = Cm(1.27)  # document.css .doc-body text-indent
PARTY_NAME = "ĐẢNG CỘNG SẢN VIỆT NAM"
CELL_MARGIN = Length(108 * 635)  # python-docx's "Normal Table": 108 twips each side
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
WORD_JOINER = "\u2060"  # no line break here, and no width
FOOTNOTE_MARK = "(*)"  # document.css .doc-footnote::footnote-call

# HTML's white space (no-break spaces are not part of it).
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")

CENTER = WD_ALIGN_PARAGRAPH.CENTER
LEFT = WD_ALIGN_PARAGRAPH.LEFT

# Block style -> (bold, points above, outline level for Word's navigation pane).
BODY_STYLES: dict[str, tuple[bool, int, int | None]] = {
    HEADING_1: (True, 9, 0),
    HEADING_2: (False, 0, 1),
    HEADING_3: (False, 0, 2),
    PARA: (False, 0, None),
    BULLET: (False, 0, None),
    BULLET_2: (False, 0, None),
}


class Segment(NamedTuple):
    """A piece of inline text with its emphasis; text "\\n" stands for a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


class _InlineHtml(HTMLParser):
    """Sanitised inline HTML to segments; unknown tags keep only their text."""

    EMPHASIS = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "u": "underline"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = {"bold": 0, "italic": 0, "underline": 0}
        self.segments: list[Segment] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.segments.append(Segment("\n"))
        elif tag in self.EMPHASIS:
            self.depth[self.EMPHASIS[tag]] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.EMPHASIS and self.depth[self.EMPHASIS[tag]]:
            self.depth[self.EMPHASIS[tag]] -= 1

    def handle_data(self, data: str) -> None:
        text = HTML_SPACE.sub(" ", data)  # HTML whitespace collapses, as in the PDF
        if text:
            flags = (self.depth[name] > 0 for name in ("bold", "italic", "underline"))
            self.segments.append(Segment(text, *flags))


def html_segments(html: str) -> list[Segment]:
    """The runs of a block's sanitised inline HTML (<strong>, <em>, <u>, <br>…)."""
    parser = _InlineHtml()
    parser.feed(html)
    parser.close()
    segments = parser.segments
    if segments:  # no stray space after the first-line indent or at the end
        segments[0] = segments[0]._replace(text=segments[0].text.lstrip(" "))
        segments[-1] = segments[-1]._replace(text=segments[-1].text.rstrip(" "))
    return segments


def render_docx(doc: OfficialDocument) -> bytes:
    """Render an official document to the bytes of a .docx file."""
    document = Document()
    document.core_properties.title = f"{doc.doc_type} {doc.number_symbol}".strip()
    _set_up_styles(document)
    section = document.sections[0]
    _set_page(section)
    _number_pages(section)
    width = Length(section.page_width - section.left_margin - section.right_margin)
    _add_header(document, doc, width)
    summary = _add_title(document, doc)
    if doc.footnotes:
        _add_footnotes(document, summary, doc.footnotes)
    _add_blocks(document, doc.blocks)
    # The end of the body stays on the page of "Nơi nhận" and the signature.
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    _add_closing(document, doc, width)
    for annex in doc.annexes:
        _add_annex(document, annex)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ------------------------------------------------------------ page, styles


def _set_fonts(rpr) -> None:
    """Times New Roman for every script; theme fonts would win over it, so drop them."""
    fonts = rpr.get_or_add_rFonts()
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{theme}"), None)
    for script in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{script}"), FONT)


def _set_up_styles(document: DocxDocument) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rPr"))
    _set_fonts(defaults)  # for table styles, header and footer too
    defaults.find(qn("w:lang")).set(qn("w:val"), "vi-VN")  # Word spell-checks Vietnamese
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = LINE_SPACING
    for name, (bold, space_before, outline) in BODY_STYLES.items():
        style = document.styles.add_style(f"doc-{name}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.quick_style = True
        style.font.bold = bold or None
        fmt = style.paragraph_format
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        fmt.first_line_indent = FIRST_LINE_INDENT
        fmt.space_before = Pt(space_before)
        fmt.space_after = Pt(6)
        fmt.widow_control = True  # no line of a paragraph alone on a page
        # No "keep with next" in a style: a chain of numbered paragraphs would
        # move as one; the paragraphs that lead get it one by one (content.leads).
        if outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(outline))
            style.element.get_or_add_pPr().append(level)


def _set_page(section: Section, landscape: bool = False) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.top_margin, section.bottom_margin = MARGINS["top"], MARGINS["bottom"]
    section.left_margin, section.right_margin = MARGINS["left"], MARGINS["right"]
    section.header_distance = Mm(10)  # the page number sits 10 mm from the top edge


def _number_pages(section: Section) -> None:
    """A centred PAGE field in the header, none on page 1 ("different first page")."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty first-page header
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    paragraph.add_run()._r.append(_field_char("begin"))
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    paragraph.add_run()._r.append(_field_char("separate"))
    paragraph.add_run("2")  # shown until the application updates the field
    paragraph.add_run()._r.append(_field_char("end"))
    for run in paragraph.runs:
        run.font.size = Pt(14)


def _field_char(kind: str) -> OxmlElement:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return char


# ------------------------------------------------------------ paragraphs


def _fold(text: str) -> str:
    """Text as HTML shows it: ordinary white space folded, no-break spaces kept."""
    return HTML_SPACE.sub(" ", text).strip(" ")


def _new_paragraph(container: DocxDocument | _Cell) -> Paragraph:
    """A new paragraph; a fresh table cell's own empty paragraph is used first."""
    if isinstance(container, _Cell) and len(container.paragraphs) == 1:
        first = container.paragraphs[0]
        if not first.runs:
            return first
    return container.add_paragraph()


def _line(
    container: DocxDocument | _Cell,
    text: str,
    *,
    size: float = 14,
    bold: bool | None = None,
    italic: bool | None = None,
    underline: bool | None = None,
    align: WD_ALIGN_PARAGRAPH = CENTER,
    space_after: float = 0,
    symbols: bool = True,
) -> Paragraph:
    """A paragraph of direct-formatted text; a typed "\\n" becomes a line break.
    ``symbols=False`` leaves document symbols as typed, for a line too short
    to wrap (the header's "Số …"), so its text stays plain."""
    paragraph = _new_paragraph(container)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run()
        if index:
            run.add_break()
        if symbols:
            _add_text(run, _fold(line))
        else:
            _add_t(run, _fold(line))
        run.font.size = Pt(size)
        run.bold, run.italic, run.underline = bold, italic, underline
    return paragraph


def _add_text(run: Run, text: str) -> None:
    """``text`` into ``run``, each document symbol unbreakable: its hyphens
    become non-breaking hyphens (w:noBreakHyphen) and a word joiner follows
    each slash, so "554-QĐ/TU" never ends a line at "554-" or "554-QĐ/".
    Every w:t keeps its spaces (xml:space="preserve"): without it an
    application may fold the no-break spaces of a blank ("ngày      tháng")."""
    position = 0
    for start, end in symbol_spans(text):
        if start > position:
            _add_t(run, text[position:start])
        for index, piece in enumerate(text[start:end].split("-")):
            if index:
                run._r.append(OxmlElement("w:noBreakHyphen"))
            if piece:
                _add_t(run, piece.replace("/", "/" + WORD_JOINER))
        position = end
    if position < len(text):
        _add_t(run, text[position:])


def _add_t(run: Run, text: str) -> None:
    run.add_text(text)
    run._r.findall(qn("w:t"))[-1].set(qn("xml:space"), "preserve")


def _add_blocks(container: DocxDocument | _Cell, blocks: list[Block]) -> None:
    """Body paragraphs; those that lead the next keep with it (content.leads)."""
    blocks = split_lines(blocks)
    for block, lead in zip(blocks, leads(blocks), strict=True):
        _add_block(container, block, keep_with_next=lead)


def _add_block(container: DocxDocument | _Cell, block: Block, *, keep_with_next: bool) -> None:
    if block.table is not None:
        section = container.sections[-1]
        width = Length(section.page_width - section.left_margin - section.right_margin)
        _add_table(container, block.table, width)
        return
    style = block.style if block.style in BODY_STYLES else PARA
    paragraph = container.add_paragraph(style=f"doc-{style}")
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = FIRST_LINE_INDENT  # every paragraph, as in the PDF
    fmt.keep_with_next = keep_with_next or None
    if block.html:
        segments = html_segments(block.html)
    else:  # typed white space folds, as in the PDF's HTML
        segments = [Segment(_fold(block.text))]
    for segment in segments:
        if segment.text == "\n":  # content.split_lines leaves none; kept for safety
            paragraph.add_run().add_break()
            continue
        run = paragraph.add_run()
        _add_text(run, segment.text)
        # None inherits from the style, so a heading stays bold.
        run.bold = True if (segment.bold or block.bold) else None
        run.italic = segment.italic or None
        run.underline = segment.underline or None


# ------------------------------------------------------------ layout blocks


def _layout_table(document: DocxDocument, rows: int, columns: tuple[float, ...], width: Length):
    """A borderless table (the default "Normal Table" style) with fixed column widths."""
    table = document.add_table(rows=rows, cols=len(columns))
    table.autofit = False
    for column, share in zip(table.columns, columns, strict=True):
        column.width = Length(int(width * share))  # w:gridCol, read by LibreOffice
        for cell in column.cells:
            cell.width = column.width  # w:tcW, read by Word
    return table


def _row_flag(row: _Row, tag: str) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _add_header(document: DocxDocument, doc: OfficialDocument, width: Length) -> None:
    """Issuer left, party name right; the second row aligns "Số …" with the date."""
    table = _layout_table(document, 2, HEADER_COLUMNS, width)
    (left, right), (number, place) = (row.cells for row in table.rows)
    if doc.superior_body:
        _line(left, doc.superior_body.upper())
    _line(left, doc.issuer_name.upper(), bold=True)
    _line(left, "*")
    _party_name(right, Length(int(width * HEADER_COLUMNS[1])))
    _line(number, f"Số {doc.number_symbol}", symbols=False)
    _line(place, doc.place_date, italic=True, symbols=False)


@functools.cache
def _advances(font_file: str) -> tuple[dict[int, int], float]:
    """Advance width of each character of a bundled font, and its units per em."""
    font = TTFont(FONT_DIR / font_file, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    return widths, font["head"].unitsPerEm


def _text_width(text: str, size: float, font_file: str = "Tinos-Bold.ttf") -> Length:
    """The advance width of ``text`` in the bundled font (metrics of Times New Roman)."""
    widths, units_per_em = _advances(font_file)
    return Pt(sum(widths.get(ord(char), 0) for char in text) * size / units_per_em)


def _party_name(cell: _Cell, cell_width: Length) -> None:
    """ "ĐẢNG CỘNG SẢN VIỆT NAM" with a rule under it as long as the text, like
    the PDF: a bottom border of a paragraph indented to the text's width (an
    underline would cut the dots under Ộ and Ệ)."""
    paragraph = _line(cell, PARTY_NAME, size=15, bold=True)
    slack = cell_width - 2 * CELL_MARGIN - _text_width(PARTY_NAME, 15)
    indent = Length(max(0, int(slack / 2) - Pt(1)))  # 1 pt of rule beyond each end
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{name}"), value)  # sz in eighths of a point: 0.75 pt
    borders.append(bottom)
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert_element_before(
        borders, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc"
    )


def _add_title(document: DocxDocument, doc: OfficialDocument) -> Paragraph:
    """The type of document and the summary; returns the summary (or title) paragraph."""
    title = _line(document, doc.doc_type.upper(), size=16, bold=True)
    title.paragraph_format.space_before = Pt(20)
    title.paragraph_format.keep_with_next = True
    summary = title
    if doc.summary:
        summary = _line(document, doc.summary, bold=True)
        if not doc.summary_has_breaks:  # document.css .doc-summary--manual
            summary.paragraph_format.left_indent = Cm(1.65)
            summary.paragraph_format.right_indent = Cm(1.65)
        summary.paragraph_format.keep_with_next = True
    _line(document, "-----", space_after=10)
    return summary


def _add_footnotes(document: DocxDocument, anchor: Paragraph, notes: list[str]) -> None:
    """Real Word footnotes: a footnotes part (with Word's two separators) and
    a "(*)" call at the end of ``anchor``, where the PDF calls them.

    The mark is Word's own, numbered "*", "†"… (numFmt "chicago"), on the
    baseline: "(*)" in the text, with typed brackets, and "* Viết tắt là …"
    under the separator. (A custom mark, w:customMarkFollows, shows twice in
    LibreOffice, and LibreOffice puts the mark first in the note whatever
    comes before it, so the note's mark has no brackets.)"""
    bold = anchor.runs[0].bold if anchor.runs else None
    bodies = []
    for number, note in enumerate(notes, start=1):
        _add_t(_bracket_run(anchor, bold), "(")
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(number))
        _bracket_run(anchor, bold)._r.append(reference)
        _add_t(_bracket_run(anchor, bold), ")")
        small = '<w:rPr><w:sz w:val="24"/><w:vertAlign w:val="baseline"/></w:rPr>'  # schema order
        bodies.append(
            f'<w:footnote w:id="{number}"><w:p><w:pPr><w:spacing w:after="0" w:line="240"'
            ' w:lineRule="auto"/><w:jc w:val="both"/></w:pPr>'
            f"<w:r>{small}<w:footnoteRef/></w:r>"
            f'<w:r>{small}<w:t xml:space="preserve"> {_xml_text(_fold(note))}</w:t></w:r>'
            "</w:p></w:footnote>"
        )
    separators = "".join(
        f'<w:footnote w:type="{kind}" w:id="{number}"><w:p><w:pPr><w:spacing w:after="0"'
        f' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:{kind}/></w:r></w:p></w:footnote>'
        for number, kind in ((-1, "separator"), (0, "continuationSeparator"))
    )
    xml = f"<w:footnotes {nsdecls('w', 'r')}>{separators}{''.join(bodies)}</w:footnotes>"
    part = Part(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + xml).encode(),
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)
    # The numbering "*", "†"… for the document and its section; Word looks for
    # its separators in the settings.
    properties = _footnote_numbering()
    for number in (-1, 0):
        separator = OxmlElement("w:footnote")
        separator.set(qn("w:id"), str(number))
        properties.append(separator)
    settings = document.settings.element
    settings.insert_element_before(
        properties,
        "w:endnotePr",
        "w:compat",
        "w:docVars",
        "w:rsids",
        "m:mathPr",
        "w:themeFontLang",
        "w:clrSchemeMapping",
        "w:doNotAutoCompressPictures",
        "w:shapeDefaults",
        "w:decimalSymbol",
        "w:listSeparator",
    )
    section = document.sections[-1]._sectPr
    section.insert_element_before(
        _footnote_numbering(), "w:endnotePr", "w:type", "w:pgSz", "w:pgMar", "w:cols"
    )


def _footnote_numbering() -> OxmlElement:
    properties = OxmlElement("w:footnotePr")
    number_format = OxmlElement("w:numFmt")
    number_format.set(qn("w:val"), "chicago")
    properties.append(number_format)
    return properties


def _bracket_run(paragraph: Paragraph, bold: bool | None) -> Run:
    """A run of the footnote call, on the baseline like the text around it."""
    run = paragraph.add_run()
    run.bold = bold
    vertical = OxmlElement("w:vertAlign")
    vertical.set(qn("w:val"), "baseline")
    run._r.get_or_add_rPr().append(vertical)
    return run


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _add_closing(document: DocxDocument, doc: OfficialDocument, width: Length) -> None:
    """Recipients left, signature right, kept on one page."""
    table = _layout_table(document, 1, CLOSING_COLUMNS, width)
    _row_flag(table.rows[0], "w:cantSplit")
    recipients, signature = table.rows[0].cells
    _line(recipients, "Nơi nhận:", underline=True, align=LEFT)
    for recipient in doc.recipients:
        _line(recipients, f"- {recipient}", size=12, align=LEFT)
    if doc.sign_on_behalf:
        _line(signature, doc.sign_on_behalf.upper(), bold=True)
    # Signing in one's own name, the position is the first, bold line.
    _line(signature, doc.signer_position.upper(), bold=not doc.sign_on_behalf)
    for _ in range(SIGNATURE_LINES):
        _line(signature, "")
    _line(signature, doc.signer_name, bold=True)
    for cell in table.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(10)  # + 6 pt after the body


def _add_annex(document: DocxDocument, annex: Annex) -> None:
    """An annex opens a new section: a new page, landscape if asked, still numbered."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    _set_page(section, landscape=annex.landscape)
    width = Length(section.page_width - section.left_margin - section.right_margin)
    section.different_first_page_header_footer = False
    title = _line(document, annex.title, bold=True, space_after=0 if annex.subtitle else 12)
    title.paragraph_format.keep_with_next = True
    if annex.subtitle:
        _line(document, annex.subtitle, italic=True, space_after=12)
    _add_blocks(document, annex.blocks)
    for table in annex.tables:
        _add_table(document, table, width)


TABLE_SIZE = 12  # document.css .doc-table font-size
TABLE_PADDING = Pt(8) + 2 * CELL_MARGIN  # .doc-table padding 4 pt each side, Word's margins


def column_widths(data: Table, width: Length) -> list[Length]:
    """Column widths from the content, as a browser lays out an automatic
    table (the PDF's): each column at least as wide as its longest word, and
    the room left shared in proportion to how much longer its longest cell
    is. So "STT" and number columns stay narrow, text columns get the width."""
    minimum, maximum = [], []
    header = data.header or [""] * data.column_count
    for column in range(data.column_count):
        cells = [(header[column] if column < len(header) else "", True)] + [
            (str(row[column]) if column < len(row) else "", False) for row in data.rows
        ]
        words = [
            _text_width(word, TABLE_SIZE, _font_file(bold))
            for text, bold in cells
            for word in _fold(text).split(" ")
        ]
        lines = [
            _text_width(line, TABLE_SIZE, _font_file(bold))
            for text, bold in cells
            for line in _fold(text).split("\n")
        ]
        minimum.append(max(words, default=0) + TABLE_PADDING)
        maximum.append(max(lines, default=0) + TABLE_PADDING)
    if sum(maximum) <= width:  # everything fits on one line: widen in proportion
        shares = [share / sum(maximum) for share in maximum]
        return [Length(int(width * share)) for share in shares]
    if sum(minimum) >= width:  # too narrow for the words: scale the minimums
        return [Length(int(width * share / sum(minimum))) for share in minimum]
    extra = [high - low for low, high in zip(minimum, maximum, strict=True)]
    room = width - sum(minimum)
    pairs = zip(minimum, extra, strict=True)
    return [Length(int(low + room * more / sum(extra))) for low, more in pairs]


def _font_file(bold: bool) -> str:
    return "Tinos-Bold.ttf" if bold else "Tinos-Regular.ttf"


def _add_table(document: DocxDocument, data: Table, width: Length) -> None:
    """A grid table, 12 pt, bold header row (when there is one) repeated on
    every page, numbers right, as wide as the text with columns sized by
    their content; merged cells merged, a cell's paragraphs one a line."""
    header = [data.header] if data.header else []
    columns = data.column_count
    table = document.add_table(rows=len(header) + len(data.rows), cols=columns, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, column_width in zip(table.columns, column_widths(data, width), strict=True):
        column.width = column_width  # w:gridCol, read by LibreOffice
        for cell in column.cells:
            cell.width = column_width  # w:tcW, read by Word
    if header:
        _row_flag(table.rows[0], "w:tblHeader")
    for index, (row, values) in enumerate(zip(table.rows, header + data.rows, strict=True)):
        _row_flag(row, "w:cantSplit")
        is_header = index < len(header)
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=False)):
            numeric = not is_header and column in data.numeric_columns
            align = CENTER if is_header else WD_ALIGN_PARAGRAPH.RIGHT if numeric else LEFT
            for line in str(value).split("\n") if value != "" else [""]:
                paragraph = _line(cell, line, size=12, bold=is_header or None, align=align)
                paragraph.paragraph_format.line_spacing = 1.0
    for row, column, rowspan, colspan in data.merges:
        first = table.cell(len(header) + row, column)
        last = table.cell(len(header) + row + rowspan - 1, column + colspan - 1)
        text = first.text
        merged = first.merge(last)
        # python-docx moves the covered cells' empty paragraphs in: keep the text only.
        for paragraph in merged.paragraphs[1:]:
            if not paragraph.text and text:
                paragraph._p.getparent().remove(paragraph._p)
    # Two tables in a row would merge in Word: keep a paragraph between them.
    _line(document, "", size=6)
