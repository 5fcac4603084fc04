"""Verifying the signatures of an uploaded PDF (pyHanko's validator).

For each embedded signature: integrity (the signed bytes' digest and the
CMS signature match), what changed after signing (incremental updates:
form filling and a later signature are allowed, anything else is a
modification), and whether the signer's certificate chains to a root the
administrator trusts (``TrustedRoot``), at the time of the check. Revocation
is not fetched (no network while a page is shown): a revoked certificate is
only seen if the PDF embeds its revocation data. The worst signature decides.
"""

from __future__ import annotations

import datetime
import io
import logging
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko_certvalidator import ValidationContext

from .models import Verdict
from .signers import outside_event_loop

logger = logging.getLogger(__name__)

# The worst first: the verdict of a file with several signatures.
SEVERITY = [
    Verdict.UNREADABLE,
    Verdict.BROKEN,
    Verdict.MODIFIED,
    Verdict.UNTRUSTED,
    Verdict.EXPIRED,
    Verdict.VALID,
    Verdict.UNSIGNED,
]
ALLOWED_AFTER = {
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
}


@dataclass(frozen=True)
class Result:
    verdict: str
    signer: str = ""
    signer_issuer: str = ""
    signed_at: datetime.datetime | None = None
    signatures: int = 0


def _verdict(status) -> str:
    if not status.intact:
        return Verdict.MODIFIED  # the signed bytes are not those the signer signed
    if not status.valid:
        return Verdict.BROKEN
    if status.modification_level not in ALLOWED_AFTER or status.docmdp_ok is False:
        return Verdict.MODIFIED
    if not status.trusted:
        if status.trust_problem_indic in (
            AdESIndeterminate.EXPIRED,
            AdESIndeterminate.NOT_YET_VALID,
            AdESIndeterminate.OUT_OF_BOUNDS_NO_POE,
            AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED,
        ):
            return Verdict.EXPIRED
        return Verdict.UNTRUSTED
    return Verdict.VALID


def _name(cert) -> str:
    common = cert.subject.native.get("common_name")
    return str(common) if common else cert.subject.human_friendly


def verify_pdf(data: bytes, roots: list[bytes]) -> Result:
    """The verdict on ``data``'s signatures with ``roots`` (DER) trusted."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        logger.info("Unreadable PDF: %s", error)
        return Result(Verdict.UNREADABLE)
    if not embedded:
        return Result(Verdict.UNSIGNED)
    trusted = [asn1_x509.Certificate.load(der) for der in roots]
    results = []
    for signature in embedded:
        context = ValidationContext(
            trust_roots=trusted, allow_fetching=False, revocation_mode="soft-fail"
        )
        try:
            status = outside_event_loop(validate_pdf_signature, signature, context)
        except (SignatureValidationError, ValueError, KeyError, TypeError) as error:
            logger.info("Signature cannot be validated: %s", error)
            results.append(Result(Verdict.BROKEN, signatures=len(embedded)))
            continue
        cert = status.signing_cert
        results.append(
            Result(
                _verdict(status),
                signer=_name(cert)[:255],
                signer_issuer=cert.issuer.native.get("common_name", "")[:255],
                signed_at=status.signer_reported_dt,
                signatures=len(embedded),
            )
        )
    return min(results, key=lambda result: SEVERITY.index(result.verdict))
