"""Official documents as PDF, through WeasyPrint: the only place that makes a PDF."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from .content import OfficialDocument
from .html import render_html


def weasy_html(html: str):
    """WeasyPrint's document of print HTML; relative URLs (fonts) resolve in static/."""
    # Imported here: WeasyPrint needs Pango, which only PDF rendering requires.
    from weasyprint import HTML

    base_url = (Path(settings.BASE_DIR) / "static").resolve().as_uri() + "/"
    return HTML(string=html, base_url=base_url)


def font_configuration():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of print HTML."""
    return weasy_html(html).write_pdf(font_config=font_configuration())


def render_pdf(doc: OfficialDocument) -> bytes:
    """``doc`` laid out by the print template, as the bytes of a PDF file."""
    return html_to_pdf(render_html(doc))
