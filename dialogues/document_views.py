"""The dialogue plan as a signed KẾ HOẠCH and a meeting's radio notice as a
THÔNG BÁO: PDF and DOCX downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify

from orgunits.selectors import units_visible_to

from . import documents, services
from .models import DialoguePlan

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _get_plan_for_user(user, pk: int) -> DialoguePlan:
    plan = (
        DialoguePlan.objects.filter(unit__in=units_visible_to(user))
        .select_related("unit")
        .filter(pk=pk)
        .first()
    )
    if plan is None:
        raise Http404("No such dialogue plan.")
    return plan


def _filename(plan: DialoguePlan, extension: str) -> str:
    stem = slugify(f"ke-hoach-doi-thoai-{plan.year}-{plan.unit.code}") or "ke-hoach"
    return f"{stem}.{extension}"


def _disposition(request: HttpRequest, filename: str) -> str:
    kind = "inline" if request.GET.get("inline") else "attachment"
    return f'{kind}; filename="{filename}"'


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request.user, pk)
    response = HttpResponse(documents.pdf(plan), content_type="application/pdf")
    response["Content-Disposition"] = _disposition(request, _filename(plan, "pdf"))
    return response


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request.user, pk)
    response = HttpResponse(documents.docx(plan), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "docx")}"'
    return response


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_meeting_for_user(request.user, pk)
    response = HttpResponse(documents.notice_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = _disposition(request, f"thong-bao-{meeting.pk}.pdf")
    return response


@login_required
def notice_docx(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_meeting_for_user(request.user, pk)
    response = HttpResponse(documents.notice_docx(meeting), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="thong-bao-{meeting.pk}.docx"'
    return response
