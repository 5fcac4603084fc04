"""What the report's attachments card says about a PDF's signatures
(``reports.registry.attachment_notes``).

Each PDF is checked once and the verdict kept (``FileVerification``) until
the file changes or the trusted roots do (``TrustedRoot.save`` and
``delete`` drop every verdict); a page showing checked files runs one query
whatever their number.
"""

from __future__ import annotations

import functools

from django.template.loader import render_to_string

from reports.models import AttachmentKind

from .models import FileVerification, Verdict, sha256
from .services import trusted_roots
from .verify import verify_pdf

PDF = "application/pdf"


FIELDS = ["digest", "verdict", "signer", "signer_issuer", "signed_at", "signatures"]


def _checked(attachment, roots, kept: FileVerification | None):
    """The verdict on ``attachment``: the one kept if the file is the same,
    else a new check (not saved yet); None for a missing file. ``roots`` is
    called for the trusted roots (DER) when a check is needed."""
    try:
        with attachment.file.open("rb") as handle:
            data = handle.read()
    except (FileNotFoundError, ValueError):
        return None
    digest = sha256(data)
    if kept is not None and kept.digest == digest:
        return kept
    result = verify_pdf(data, roots())
    return FileVerification(
        attachment=attachment,
        digest=digest,
        verdict=result.verdict,
        signer=result.signer,
        signer_issuer=result.signer_issuer,
        signed_at=result.signed_at,
        signatures=result.signatures,
    )


def attachment_notes(attachments: list) -> dict[int, str]:
    """The note of each PDF: one query for the verdicts kept; the files not
    checked yet (new, or all of them after the trusted roots changed) are
    checked, with the roots read once, and saved in one query."""
    pdfs = [a for a in attachments if a.content_type == PDF]
    if not pdfs:
        return {}
    kept = {v.attachment_id: v for v in FileVerification.objects.filter(attachment__in=pdfs)}
    verdicts, fresh = {}, []
    roots = functools.cache(trusted_roots)
    for attachment in pdfs:
        verification = kept.get(attachment.pk)
        if verification is None:
            verification = _checked(attachment, roots, None)
            if verification is None:
                continue
            if verification.pk is None:
                fresh.append(verification)
        verdicts[attachment.pk] = verification
    if fresh:
        FileVerification.objects.bulk_create(
            fresh, update_conflicts=True, unique_fields=["attachment"], update_fields=FIELDS
        )
    notes = {}
    for attachment in pdfs:
        verification = verdicts.get(attachment.pk)
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
