"""Official documents as PDF, through WeasyPrint: the only place that makes a PDF."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .content import OfficialDocument
from .html import render_html


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of print HTML; relative URLs (fonts) resolve in static/."""
    # Imported here: WeasyPrint needs Pango, which only PDF rendering requires.
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    font_config = FontConfiguration()
    return HTML(string=html, base_url=base_url).write_pdf(font_config=font_config)


def render_pdf(doc: OfficialDocument) -> bytes:
    """``doc`` laid out by the print template, as the bytes of a PDF file."""
    return html_to_pdf(render_html(doc))
