"""The dialogue plan as a signed KẾ HOẠCH: PDF and DOCX downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify

from orgunits.selectors import units_visible_to

from . import documents
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


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request.user, pk)
    response = HttpResponse(documents.pdf(plan), content_type="application/pdf")
    disposition = "inline" if request.GET.get("inline") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{_filename(plan, "pdf")}"'
    return response


@login_required
def plan_docx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_plan_for_user(request.user, pk)
    response = HttpResponse(documents.docx(plan), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(plan, "docx")}"'
    return response
