"""The content of an official Party document, independent of PDF or DOCX.

A builder fills an :class:`OfficialDocument`; the renderers (``documents.html``
and ``documents.pdf``, ``documents.docx``) lay it out by Hướng dẫn 36-HD/VPTW.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Styles of body blocks; each maps to a CSS class "doc-<style>" and a DOCX style.
HEADING_1 = "heading-1"  # "I- MỤC ĐÍCH, YÊU CẦU": bold, uppercase as typed
HEADING_2 = "heading-2"  # "1. …"
HEADING_3 = "heading-3"  # "1.1. …"
PARA = "para"  # justified paragraph with a first-line indent
BULLET = "bullet"  # "- …"
BULLET_2 = "bullet-2"  # "+ …"
HEADINGS = (HEADING_1, HEADING_2, HEADING_3)
BLOCK_STYLES = (*HEADINGS, PARA, BULLET, BULLET_2)


@dataclass
class Block:
    """One paragraph of an official document's body.

    ``text`` is plain text (numbering included, as typed); ``html`` holds
    sanitised inline markup (strong, em, u) when the source was rich text and
    takes precedence over ``text``. ``bold`` marks a whole paragraph bold.
    """

    style: str
    text: str = ""
    html: str = ""
    bold: bool = False


@dataclass
class Table:
    """An annex table: a header row and rows of cells (strings)."""

    header: list[str]
    rows: list[list[str]]
    numeric_columns: set[int] = field(default_factory=set)


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
