from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from orgunits.access import require
from orgunits.models import IssuingBody

from . import services
from .forms import CertificateForm
from .models import SigningCertificate


def _body_for_user(request: HttpRequest, body_id: int) -> IssuingBody:
    body = get_object_or_404(IssuingBody.objects.select_related("unit"), pk=body_id)
    require(request.user, "signatures.manage_certificate", body, hide=True)
    return body


@login_required
def certificate(request: HttpRequest, body_id: int) -> HttpResponse:
    """A body's signing certificate: what it is, and the upload of a new one."""
    body = _body_for_user(request, body_id)
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        services.upload_certificate(
            body=body,
            data=form.cleaned_data["data"],
            filename=form.cleaned_data["file"].name,
            passphrase=form.cleaned_data["passphrase"] or "",
            by=request.user,
        )
        messages.success(
            request, _("The certificate is kept: final documents of this body will be signed.")
        )
        return redirect("signatures:certificate", body.pk)
    context = {
        "body": body,
        "unit": body.unit,
        "current": SigningCertificate.objects.filter(body=body, is_active=True).first(),
        "form": form,
    }
    return render(request, "signatures/certificate.html", context)


@login_required
@require_POST
def certificate_remove(request: HttpRequest, body_id: int) -> HttpResponse:
    body = _body_for_user(request, body_id)
    current = SigningCertificate.objects.filter(body=body, is_active=True).first()
    if current is not None:
        services.remove_certificate(certificate=current)
        messages.success(request, _("The certificate no longer signs this body's documents."))
    return redirect("signatures:certificate", body.pk)
