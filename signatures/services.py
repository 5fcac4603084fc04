"""Signing certificates, signing final documents, and the trusted roots.

``document_final`` and ``signed_file`` are what the lower apps reach through
``documents.signing``: a consolidated PDF build that finished, or a plan
published (or revised), is signed in a background job (``tasks.sign``) when
its issuing body has an active certificate; the download views then serve
the signed file.
"""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Plan
from consolidation.models import DocumentBuild
from notifications import delivery
from notifications.outbox import enqueue, enqueue_on_commit
from orgunits.models import IssuingBody

from . import keys
from .models import SignedDocument, SigningCertificate, SigningStatus, TrustedRoot

REQUEUE_WINDOW = datetime.timedelta(minutes=1)
# A job queued or running longer than this is taken as lost.
STALE_AFTER = datetime.timedelta(minutes=15)


# --- Certificates ------------------------------------------------------------


def _name(name: x509.Name) -> str:
    common = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    return str(common[0].value) if common else name.rfc4514_string()


def read_pkcs12(data: bytes, passphrase: str):
    """The key and certificate of a PKCS#12 file, or a ValidationError in
    Vietnamese (English) that the form shows."""
    try:
        key, certificate, _others = pkcs12.load_key_and_certificates(
            data, passphrase.encode() if passphrase else None
        )
    except ValueError as error:
        raise ValidationError(
            _(
                "The passphrase does not open this file, or it is not a PKCS#12 "
                "certificate (.p12, .pfx)."
            ),
            code="passphrase",
        ) from error
    if key is None or certificate is None:
        raise ValidationError(
            _("The file holds no private key with its certificate: it cannot sign."),
            code="no_key",
        )
    now = timezone.now()
    if certificate.not_valid_after_utc < now:
        raise ValidationError(
            _("The certificate expired on %(date)s.")
            % {"date": timezone.localtime(certificate.not_valid_after_utc).strftime("%d/%m/%Y")},
            code="expired",
        )
    return key, certificate


@transaction.atomic
def upload_certificate(
    *, body: IssuingBody, data: bytes, filename: str, passphrase: str, by=None
) -> SigningCertificate:
    """Keep ``data`` as ``body``'s signing certificate (the previous one is
    kept inactive). Raises ValidationError when it cannot sign."""
    _key, certificate = read_pkcs12(data, passphrase)
    SigningCertificate.objects.filter(body=body, is_active=True).update(is_active=False)
    row = SigningCertificate(
        body=body,
        sealed_passphrase=keys.seal(passphrase),
        subject=_name(certificate.subject)[:255],
        issuer=_name(certificate.issuer)[:255],
        serial=format(certificate.serial_number, "X")[:80],
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        uploaded_by=by,
    )
    row.pkcs12.save(filename or "chung-thu.p12", ContentFile(data), save=False)
    row.save()
    return row


@transaction.atomic
def remove_certificate(*, certificate: SigningCertificate) -> None:
    """The certificate no longer signs; what it signed stays signed."""
    certificate.is_active = False
    certificate.save(update_fields=["is_active"])


def active_certificate(body_id: int | None) -> SigningCertificate | None:
    if body_id is None:
        return None
    now = timezone.now()
    return SigningCertificate.objects.filter(
        body_id=body_id, is_active=True, not_before__lte=now, not_after__gt=now
    ).first()


# --- Trusted roots -----------------------------------------------------------


def parse_root(pem: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(pem.strip().encode("ascii"))
    except (ValueError, UnicodeEncodeError) as error:
        raise ValidationError(
            _("This is not a certificate in PEM form."), code="not_pem"
        ) from error


def fill_root(root: TrustedRoot) -> None:
    """Subject and fingerprint of ``root`` from its PEM (the admin's save)."""
    certificate = parse_root(root.pem)
    root.subject = _name(certificate.subject)[:255]
    root.fingerprint = certificate.fingerprint(hashes.SHA256()).hex()


def trusted_roots() -> list[bytes]:
    """The active roots, as DER."""
    roots = TrustedRoot.objects.filter(is_active=True).values_list("pem", flat=True)
    return [parse_root(pem).public_bytes(Encoding.DER) for pem in roots]


# --- Signing final documents -------------------------------------------------


def _body_id(obj) -> int | None:
    if isinstance(obj, DocumentBuild):
        report = obj.report
        return report.issuing_body_id or (report.body.pk if report.body else None)
    if isinstance(obj, Plan):
        return obj.issuing_body_id
    return None


def document_final(obj) -> None:
    """``obj`` is final: queue its signing if its body has a certificate.
    Idempotent: a build, or a plan's revision, is signed once."""
    certificate = active_certificate(_body_id(obj))
    if certificate is None:
        return
    fields = {"certificate": certificate}
    if isinstance(obj, DocumentBuild):
        fields["build"] = obj
    else:
        fields["plan"] = obj
        fields["revision"] = obj.revisions.order_by("-number").values_list("number", flat=True)[0]
    try:
        with transaction.atomic():
            signed = SignedDocument.objects.create(**fields)
    except IntegrityError:
        return  # already queued or signed
    from .tasks import sign

    enqueue_on_commit(sign, signed.pk)


def signed_file(obj) -> FieldFile | None:
    """The signed PDF to serve for ``obj``: a build's, or the plan's latest
    revision's; None when it is not signed (yet)."""
    done = SignedDocument.objects.filter(status=SigningStatus.DONE).exclude(file="")
    if isinstance(obj, DocumentBuild):
        found = done.filter(build=obj).first()
    elif isinstance(obj, Plan):
        latest = obj.revisions.order_by("-number").values("number")[:1]
        found = done.filter(plan=obj, revision=latest).first()
    else:
        return None
    return found.file if found is not None else None


def requeue_lost_signings(now: datetime.datetime) -> int:
    """Signing jobs still queued a little after the broker should have run
    them are queued again once (the job's claim keeps it from signing twice)."""
    from .tasks import sign

    window_end = now - delivery.REQUEUE_AFTER
    ids = list(
        SignedDocument.objects.filter(
            status=SigningStatus.QUEUED,
            created__lt=window_end,
            created__gte=window_end - REQUEUE_WINDOW,
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        if not enqueue(sign, pk):
            return 0
    return len(ids)
