"""The outline editor (Đề cương) of a plan, edited in place with htmx.

Every change answers an htmx request with the refreshed editor partial, and a
plain form post with a redirect back to the page it came from, so the editor
also works without JavaScript.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from config.http import safe_next
from orgunits.access import can

from . import outline
from .models import OutlineItem, Plan, PlanStatus
from .outline import OutlineError
from .outline_forms import OutlineAddForm, OutlineItemForm, OutlinePasteForm
from .selectors import get_plan_for_user, outline_rows

EDITOR_TEMPLATE = "campaigns/outline/_editor.html"
DIRECTIONS = ("up", "down", "indent", "outdent")


def _get_item(plan: Plan, item_id: int | str | None) -> OutlineItem:
    item = get_object_or_404(OutlineItem, pk=item_id, plan=plan)
    item.plan = plan  # the services read item.plan; spare the query
    return item


def _closed_message() -> str:
    return _("This plan is closed: its outline can no longer be changed.")


def _current_url(request: HttpRequest) -> str:
    """The page the editor sits on, where a change without JavaScript returns."""
    if request.htmx:
        return request.htmx.current_url_abs_path or ""
    return safe_next(request)


def _render_editor(
    request: HttpRequest,
    plan: Plan,
    *,
    error: str = "",
    notice: str = "",
    form: OutlineItemForm | None = None,
) -> HttpResponse:
    context = {
        "plan": plan,
        "rows": outline_rows(plan),
        "editable": plan.status != PlanStatus.CLOSED
        and can(request.user, "campaigns.manage_plan", plan),
        "error": error,
        "notice": notice,
        "form": form,
        "next": _current_url(request),
    }
    return render(request, EDITOR_TEMPLATE, context)


def _respond(
    request: HttpRequest,
    plan: Plan,
    *,
    error: str = "",
    notice: str = "",
    form: OutlineItemForm | None = None,
) -> HttpResponse:
    """After a change (or a refused one): the editor for htmx, else a redirect."""
    if request.htmx:
        # Whatever element asked (a row, the paste form), the answer is the editor.
        response = _render_editor(request, plan, error=error, notice=notice, form=form)
        return retarget(reswap(response, "outerHTML"), "#outline-editor")
    if error:
        messages.error(request, error)
    if notice:
        messages.info(request, notice)
    return redirect(safe_next(request) or reverse("campaigns:detail", args=[plan.pk]))


def _change(request: HttpRequest, plan: Plan, change, **arguments) -> HttpResponse:
    """Make the outline ``change``; the editor shows why when its rules refuse it."""
    try:
        change(**arguments)
    except OutlineError as e:
        return _respond(request, plan, error=str(e))
    return _respond(request, plan)


def _changes_outline(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view changes plan ``pk``'s outline: it is given the plan, once the
    user is found to manage it; a closed plan is refused before the view runs."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, pk: int, **kwargs) -> HttpResponse:
        plan = get_plan_for_user(request.user, pk)
        if not can(request.user, "campaigns.manage_plan", plan):
            raise PermissionDenied
        if plan.status == PlanStatus.CLOSED:
            return _respond(request, plan, error=_closed_message())
        return view(request, plan, **kwargs)

    return wrapped


@login_required
@require_GET
def editor(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk)
    return _render_editor(request, plan)


@login_required
@require_POST
@_changes_outline
def item_add(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = OutlineAddForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    after_id = form.cleaned_data["after"]
    after = _get_item(plan, after_id) if after_id else None
    item = outline.add_item(plan=plan, after=after, title=form.cleaned_data["title"])
    # Open the new item's form straight away: its title is only a placeholder.
    return _respond(request, plan, form=OutlineItemForm(instance=item))


@login_required
@require_http_methods(["GET", "POST"])
@_changes_outline
def item_edit(request: HttpRequest, plan: Plan, item_id: int) -> HttpResponse:
    item = _get_item(plan, item_id)
    if request.method == "GET":
        context = {
            "plan": plan,
            "form": OutlineItemForm(instance=item),
            "next": _current_url(request),
        }
        return render(request, "campaigns/outline/_item_form.html", context)
    form = OutlineItemForm(request.POST, instance=item)
    if not form.is_valid():
        if request.htmx:
            return _respond(request, plan, form=form)
        return _render_editor(request, plan, form=form)
    form.save()
    return _respond(request, plan)


@login_required
@require_POST
@_changes_outline
def item_delete(request: HttpRequest, plan: Plan, item_id: int) -> HttpResponse:
    return _change(request, plan, outline.delete_item, item=_get_item(plan, item_id))


@login_required
@require_POST
@_changes_outline
def item_move(request: HttpRequest, plan: Plan, item_id: int) -> HttpResponse:
    item = _get_item(plan, item_id)
    direction = request.POST.get("direction")
    if direction not in DIRECTIONS:
        return HttpResponseBadRequest()
    return _change(request, plan, outline.move, item=item, direction=direction)


@login_required
@require_POST
@_changes_outline
def renumber(request: HttpRequest, plan: Plan) -> HttpResponse:
    outline.renumber(plan=plan)
    return _respond(request, plan)


@login_required
@require_http_methods(["GET", "POST"])
@_changes_outline
def paste(request: HttpRequest, plan: Plan) -> HttpResponse:
    form = OutlinePasteForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        result = outline.import_text(
            plan=plan, text=form.cleaned_data["text"], replace=form.cleaned_data["replace"]
        )
        if not result.errors:
            notice = ""
            if result.kept_inherited:
                notice = _(
                    "%(n)s item(s) of the text are inherited from the parent plan and already "
                    "in the outline: they were kept once, with what you pasted under them."
                ) % {"n": result.kept_inherited}
            return _respond(request, plan, notice=notice)
        errors = result.errors
    context = {"plan": plan, "form": form, "errors": errors, "next": _current_url(request)}
    return render(request, "campaigns/outline/_paste_form.html", context)
