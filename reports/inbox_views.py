"""The inbox page: what the signed-in user has to write, revise and review."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .inbox import DueRow, reports_to_review, reports_to_write, returned_reports

# A province coordinator may have hundreds of reports waiting; the section
# headers show the full counts (from the navbar's context processor).
LIST_LIMIT = 200


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    to_write = [DueRow.of(r, today) for r in reports_to_write(request.user)[:LIST_LIMIT]]
    return render(
        request,
        "reports/inbox.html",
        {
            "to_write": to_write,
            "returned": returned_reports(request.user)[:LIST_LIMIT],
            "to_review": reports_to_review(request.user)[:LIST_LIMIT],
            "list_limit": LIST_LIMIT,
        },
    )
