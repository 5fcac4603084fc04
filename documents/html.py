"""The print HTML of an official document: the one layout, for the PDF, the
printable page and the composer's preview alike.

The template is documents/official_document.html; all layout is in the print
stylesheet static/css/document.css, which the template links through the
``stylesheet_url`` context variable.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.templatetags.static import static

from .content import OfficialDocument

STYLESHEET = "css/document.css"
TEMPLATE = "documents/official_document.html"


def stylesheet_url() -> str:
    """The file:// URL of the document stylesheet, for WeasyPrint."""
    found = finders.find(STYLESHEET)
    path = Path(found) if found else Path(settings.BASE_DIR) / "static" / STYLESHEET
    return path.resolve().as_uri()


def render_html(doc: OfficialDocument, *, for_browser: bool = False) -> str:
    """The print HTML of ``doc``; ``for_browser`` links the stylesheet by its
    static URL (WeasyPrint reads it from the disk)."""
    url = static(STYLESHEET) if for_browser else stylesheet_url()
    return render_to_string(TEMPLATE, {"doc": doc, "stylesheet_url": url})
