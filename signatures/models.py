"""Signing certificates, the signed documents, the trusted roots and the
verdicts on uploaded signed PDFs.

The PKCS#12 file of a certificate is stored like every other file (under an
unguessable folder, never routed as a URL and never served); its passphrase
is sealed (:mod:`signatures.keys`).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from campaigns.models import Plan
from consolidation.models import DocumentBuild
from documents.responses import unguessable_path
from orgunits.models import IssuingBody
from reports.models import Attachment


def certificate_path(instance: SigningCertificate, filename: str) -> str:
    return unguessable_path(f"signing-keys/{instance.body_id}", get_valid_filename(filename))


class SigningCertificate(models.Model):
    """The certificate a body's signer signs with on the server (PKCS#12).

    One is active per body; a new upload replaces it (the old one is kept,
    inactive, for the documents it signed).
    """

    body = models.ForeignKey(
        IssuingBody,
        models.CASCADE,
        related_name="signing_certificates",
        verbose_name=_("issuing body"),
    )
    pkcs12 = models.FileField(_("PKCS#12 file"), upload_to=certificate_path, max_length=255)
    sealed_passphrase = models.TextField(editable=False)
    subject = models.CharField(_("holder"), max_length=255)
    issuer = models.CharField(_("certificate issuer"), max_length=255)
    serial = models.CharField(_("serial number"), max_length=80)
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("signing certificate")
        verbose_name_plural = _("signing certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["body"], condition=Q(is_active=True), name="signing_certificate_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.body})"


class TrustedRoot(models.Model):
    """A root certificate the administrator trusts: an uploaded signature is
    "trusted" when its certificate chains to an active one."""

    name = models.CharField(_("name"), max_length=200)
    pem = models.TextField(
        _("certificate (PEM)"),
        help_text=_(
            "The root certificate, “-----BEGIN CERTIFICATE-----” … “-----END CERTIFICATE-----”."
        ),
    )
    subject = models.CharField(_("certificate subject"), max_length=255, blank=True, editable=False)
    fingerprint = models.CharField(
        _("SHA-256 fingerprint"), max_length=64, unique=True, editable=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trusted root certificate")
        verbose_name_plural = _("trusted root certificates")

    def __str__(self) -> str:
        return self.name

    # The verdicts on uploaded files depend on the set of roots: they are
    # checked again when next shown.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        FileVerification.objects.all().delete()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        FileVerification.objects.all().delete()
        return result


class SigningStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("signing", "Waiting to be signed")
    RUNNING = "running", pgettext_lazy("signing", "Being signed")
    DONE = "done", pgettext_lazy("signing", "Signed")
    FAILED = "failed", pgettext_lazy("signing", "Signing failed")


def signed_path(instance: SignedDocument, filename: str) -> str:
    return unguessable_path("signed", filename)


class SignedDocument(models.Model):
    """The signed PDF of a final document: a consolidated build, or a plan at
    one of its revisions. Exactly one of ``build`` and ``plan`` is set; the
    unique constraints make the signing job idempotent."""

    build = models.OneToOneField(
        DocumentBuild, models.CASCADE, null=True, blank=True, related_name="signed"
    )
    plan = models.ForeignKey(Plan, models.CASCADE, null=True, blank=True, related_name="signed")
    revision = models.PositiveIntegerField(_("revision"), null=True, blank=True)
    certificate = models.ForeignKey(
        SigningCertificate, models.PROTECT, related_name="signed", verbose_name=_("certificate")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SigningStatus.choices, default=SigningStatus.QUEUED
    )
    file = models.FileField(_("signed file"), upload_to=signed_path, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")
        constraints = [
            models.CheckConstraint(
                condition=Q(build__isnull=False, plan__isnull=True, revision__isnull=True)
                | Q(build__isnull=True, plan__isnull=False, revision__isnull=False),
                name="signed_document_one_subject",
            ),
            models.UniqueConstraint(fields=["plan", "revision"], name="signed_plan_revision_once"),
        ]

    def __str__(self) -> str:
        return f"{self.build or self.plan} · {self.status}"


class Verdict(models.TextChoices):
    """What the check of an uploaded PDF's signature found."""

    VALID = "valid", _("signed")
    MODIFIED = "modified", _("modified after signing")
    BROKEN = "broken", _("signature does not match")
    UNTRUSTED = "untrusted", _("certificate not trusted")
    EXPIRED = "expired", _("certificate not valid at signing time")
    UNSIGNED = "unsigned", _("not signed")
    UNREADABLE = "unreadable", _("unreadable")


class FileVerification(models.Model):
    """The check of one attachment's signature, kept until the trusted roots
    change (``TrustedRoot.save``/``delete`` drop every one) or the file does
    (``digest``)."""

    attachment = models.OneToOneField(Attachment, models.CASCADE, related_name="verification")
    digest = models.CharField(max_length=64)
    verdict = models.CharField(_("verdict"), max_length=12, choices=Verdict.choices)
    signer = models.CharField(_("signer"), max_length=255, blank=True)
    signer_issuer = models.CharField(_("certificate issuer"), max_length=255, blank=True)
    signed_at = models.DateTimeField(_("signing time"), null=True, blank=True)
    signatures = models.PositiveSmallIntegerField(_("signatures"), default=0)
    checked_at = models.DateTimeField(_("checked at"), auto_now=True)

    class Meta:
        verbose_name = _("signature check")
        verbose_name_plural = _("signature checks")

    def __str__(self) -> str:
        return f"{self.attachment} · {self.verdict}"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
