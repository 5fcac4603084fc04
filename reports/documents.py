"""Official Party documents (KẾ HOẠCH, BÁO CÁO…) as PDF, through WeasyPrint.

The layout lives in static/css/document.css; the template is
templates/documents/base_document.html (it links the stylesheet through the
``stylesheet_url`` context variable, see :func:`stylesheet_url`).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STYLESHEET = "css/document.css"


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


def render_pdf(html: str) -> bytes:
    """Render a document's HTML to PDF bytes; relative URLs resolve in static/."""
    # Imported here: WeasyPrint needs Pango, which only PDF rendering requires.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    font_config = FontConfiguration()
    return HTML(string=html, base_url=base_url).write_pdf(font_config=font_config)
