"""What the report's attachments card says about a PDF's signatures
(``reports.registry.attachment_notes``).

Each PDF is checked once and the verdict kept (``FileVerification``) until
the file or the set of trusted roots changes; a page showing checked files
runs two queries whatever their number.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from reports.models import AttachmentKind

from .models import FileVerification, Verdict, sha256
from .services import trusted_roots
from .verify import verify_pdf

PDF = "application/pdf"


def check(attachment, roots: list[bytes], stamp: str, kept: FileVerification | None):
    """The verdict on ``attachment``: the one kept, or a new check."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return None
    digest = sha256(data)
    if kept is not None and kept.digest == digest and kept.roots == stamp:
        return kept
    result = verify_pdf(data, roots)
    found, _created = FileVerification.objects.update_or_create(
        attachment=attachment,
        defaults={
            "digest": digest,
            "roots": stamp,
            "verdict": result.verdict,
            "signer": result.signer,
            "signer_issuer": result.signer_issuer,
            "signed_at": result.signed_at,
            "signatures": result.signatures,
        },
    )
    return found


def attachment_notes(attachments: list) -> dict[int, str]:
    pdfs = [a for a in attachments if a.content_type == PDF]
    if not pdfs:
        return {}
    roots, stamp = trusted_roots()
    kept = {v.attachment_id: v for v in FileVerification.objects.filter(attachment__in=pdfs)}
    notes = {}
    for attachment in pdfs:
        verification = kept.get(attachment.pk)
        if verification is None or verification.roots != stamp:
            verification = check(attachment, roots, stamp, verification)
        if verification is None:
            continue
        if (
            verification.verdict == Verdict.UNSIGNED
            and attachment.kind != AttachmentKind.SIGNED_SCAN
        ):
            continue  # an annex need not be signed
        notes[attachment.pk] = render_to_string(
            "signatures/_attachment_note.html", {"v": verification}
        )
    return notes
