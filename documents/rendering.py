"""One official document, rendered in the format asked for."""

from __future__ import annotations

from . import docx, pdf
from .content import OfficialDocument

PDF = "pdf"
DOCX = "docx"
FORMATS = (PDF, DOCX)


def render(doc: OfficialDocument, fmt: str) -> bytes:
    """The bytes of ``doc`` as a PDF or a DOCX file."""
    if fmt == PDF:
        return pdf.render_pdf(doc)
    if fmt == DOCX:
        return docx.render_docx(doc)
    raise ValueError(f"Unknown document format: {fmt!r}")
