"""Official Party documents (KẾ HOẠCH, BÁO CÁO…) as PDF, through WeasyPrint.

The layout lives in static/css/document.css; the template is
templates/documents/base_document.html (it links the stylesheet through the
``stylesheet_url`` context variable, see :func:`stylesheet_url`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STYLESHEET = "css/document.css"

# Styles of body blocks; each maps to a CSS class "doc-<style>" and a DOCX style.
HEADING_1 = "heading-1"  # "I- MỤC ĐÍCH, YÊU CẦU": bold, uppercase as typed
HEADING_2 = "heading-2"  # "1. …"
HEADING_3 = "heading-3"  # "1.1. …"
PARA = "para"  # justified paragraph with a first-line indent
BULLET = "bullet"  # "- …"
BULLET_2 = "bullet-2"  # "+ …"
BLOCK_STYLES = (HEADING_1, HEADING_2, HEADING_3, PARA, BULLET, BULLET_2)


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
    """Everything a KẾ HOẠCH or BÁO CÁO shows, independent of PDF or DOCX."""

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


def stylesheet_url() -> str:
    """The file:// URL of the document stylesheet, for the template's <link>."""
    found = finders.find(STYLESHEET)
    path = Path(found) if found else Path(settings.BASE_DIR) / "static" / STYLESHEET
    return path.resolve().as_uri()


def format_document_date(place: str, day: datetime.date) -> str:
    """The place and date line: "Gia Lai, ngày 25 tháng 02 năm 2020".

    Day and month are padded to two digits (HD 36-HD/VPTW), the year is not.
    """
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def recipient_lines(lines: list[str]) -> list[str]:
    """Nơi nhận as printed: each line ends with "," and the last with "."."""
    cleaned = [line.strip().rstrip(",.") for line in lines if line.strip()]
    return [
        line + ("." if index == len(cleaned) - 1 else ",") for index, line in enumerate(cleaned)
    ]


def parse_recipients(text: str) -> list[str]:
    """Recipients typed one per line, with or without the leading dash."""
    lines = (line.strip().lstrip("-–").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


def render_html(doc: OfficialDocument, *, for_browser: bool = False) -> str:
    """The print HTML of ``doc``; ``for_browser`` links the stylesheet by its
    static URL (WeasyPrint reads it from the disk)."""
    from django.template.loader import render_to_string
    from django.templatetags.static import static

    url = static(STYLESHEET) if for_browser else stylesheet_url()
    return render_to_string("documents/official_document.html", {"doc": doc, "stylesheet_url": url})


def render_pdf(html: str) -> bytes:
    """Render a document's HTML to PDF bytes; relative URLs resolve in static/."""
    # Imported here: WeasyPrint needs Pango, which only PDF rendering requires.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    font_config = FontConfiguration()
    return HTML(string=html, base_url=base_url).write_pdf(font_config=font_config)
