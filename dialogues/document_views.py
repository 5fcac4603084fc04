"""The dialogue plan as a signed KẾ HOẠCH and a meeting's radio notice as a
THÔNG BÁO: PDF and DOCX downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest
from django.utils.text import slugify

from documents.responses import document_response

from . import documents, selectors
from .models import DialoguePlan


def _filename(plan: DialoguePlan, extension: str) -> str:
    stem = slugify(f"ke-hoach-doi-thoai-{plan.year}-{plan.unit.code}") or "ke-hoach"
    return f"{stem}.{extension}"


def _inline(request: HttpRequest) -> bool:
    return bool(request.GET.get("inline"))


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> FileResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    doc = documents.build(plan)
    return document_response(doc, "pdf", _filename(plan, "pdf"), inline=_inline(request))


@login_required
def plan_docx(request: HttpRequest, pk: int) -> FileResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    return document_response(documents.build(plan), "docx", _filename(plan, "docx"))


@login_required
def notice_pdf(request: HttpRequest, pk: int) -> FileResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    doc = documents.notice(meeting)
    return document_response(doc, "pdf", f"thong-bao-{meeting.pk}.pdf", inline=_inline(request))


@login_required
def notice_docx(request: HttpRequest, pk: int) -> FileResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return document_response(documents.notice(meeting), "docx", f"thong-bao-{meeting.pk}.docx")
