"""The signing job: a final document signed with its body's certificate.

Ids in, idempotent: the job claims its row with a conditional UPDATE
(queued → running), so a duplicate message never signs twice; a failure is
kept on the row (the unsigned file is then what is served).
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from campaigns import documents as plan_documents
from consolidation.models import DocumentBuild
from documents.rendering import PDF, render

from .models import SignedDocument, SigningStatus
from .placement import signature_box
from .signers import Appearance, ServerKeySigner

logger = logging.getLogger(__name__)


def _claim(signed_id: int) -> bool:
    return (
        SignedDocument.objects.filter(pk=signed_id, status=SigningStatus.QUEUED).update(
            status=SigningStatus.RUNNING
        )
        == 1
    )


def stamp_text(*, holder: str, body: str, when) -> str:
    """The visible stamp, in the document's language (Vietnamese) like the
    rest of the document. ``%`` is doubled: pyHanko %-formats the text."""
    local = timezone.localtime(when)
    lines = [
        f"Ký số bởi: {holder}",
        f"Cơ quan: {body}" if body else "",
        f"Thời gian: {local:%H:%M}, ngày {local:%d/%m/%Y}",
    ]
    return "\n".join(line for line in lines if line).replace("%", "%%")


def _source(signed: SignedDocument) -> tuple[bytes, str, str, str]:
    """The unsigned PDF, the signer's name and position, and the place."""
    if signed.build_id is not None:
        build = DocumentBuild.objects.select_related("report__unit").get(pk=signed.build_id)
        with build.file.open("rb") as handle:
            pdf = handle.read()
        report = build.report
        return pdf, report.signer_name, report.signer_position, report.unit.name
    plan = signed.plan
    pdf = render(plan_documents.build(plan), PDF)
    return pdf, plan.signer_name, plan.signer_position, plan.issuing_unit.name


@shared_task(time_limit=300, soft_time_limit=270)
def sign(signed_id: int) -> str:
    """Sign one final document; the outcome is kept on its row."""
    if not _claim(signed_id):
        return "already claimed"
    signed = SignedDocument.objects.select_related(
        "certificate__body", "plan__issuing_unit", "build"
    ).get(pk=signed_id)
    try:
        pdf, name, position, place = _source(signed)
        now = timezone.now()
        box = signature_box(pdf, signer_name=name, signer_position=position)
        appearance = Appearance(
            box=box,
            text=stamp_text(
                holder=signed.certificate.subject, body=signed.certificate.body.phrase, when=now
            ),
            reason="Ký ban hành văn bản",
            location=place,
        )
        content = ServerKeySigner(signed.certificate).sign_pdf(pdf, appearance)
        stem = f"build-{signed.build_id}" if signed.build_id else f"plan-{signed.plan_id}"
        signed.file.save(f"{stem}-ky-so.pdf", ContentFile(content), save=False)
        signed.status, signed.signed_at, signed.error = SigningStatus.DONE, now, ""
        signed.save(update_fields=["file", "status", "signed_at", "error"])
    except Exception as error:  # noqa: BLE001  (kept on the row; the unsigned file is served)
        logger.exception("Signing document %s failed", signed_id)
        signed.status, signed.error = SigningStatus.FAILED, str(error) or type(error).__name__
        signed.save(update_fields=["status", "error"])
    return signed.status
