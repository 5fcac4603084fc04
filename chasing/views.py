"""The progress board of a plan, chasing by hand, and the reminder policy."""

from __future__ import annotations

import datetime
import hashlib
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import parse_etags, quote_etag, urlencode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import selectors as plan_selectors
from campaigns.models import Plan
from documents.responses import XLSX_CONTENT_TYPE, file_download, stored_file_response
from orgunits.access import can
from orgunits.models import Level, OrgUnit

from . import board, board_tree, export, registry, selectors, services
from .chart import submissions_chart
from .forms import FILTERS, BoardFilterForm, ChaseForm, ReminderPolicyForm, explain
from .models import ExportStatus, ReminderPolicy


def _get_board_plan(request: HttpRequest, pk: int) -> Plan:
    plan = plan_selectors.get_plan_for_user(request.user, pk)
    if not can(request.user, "chasing.view_board", plan):
        raise Http404("This plan has no progress board yet.")
    return plan


def _filters(request: HttpRequest, rows: list[board.BoardRow]) -> BoardFilterForm:
    return BoardFilterForm(request.GET or None, levels=board.levels_of(rows))


def _query(filters: dict[str, str]) -> str:
    return urlencode({k: v for k, v in filters.items() if v})


def _board_context(request: HttpRequest, plan: Plan) -> dict:
    """Everything the board and its polled partial show, from one list of rows."""
    today = timezone.localdate()
    rows = board.board_rows(request.user, plan, today=today)
    form = _filters(request, rows)
    filters = form.filters()
    shown = board.filter_rows(rows, **filters)
    deadlines = [(d.level.name, d.last_day) for d in plan.deadlines.select_related("level")]
    return {
        "plan": plan,
        "rows": shown,
        "total": len(rows),
        "summaries": board.level_summaries(rows),
        "chart": submissions_chart(
            rows,
            deadlines=deadlines,
            start=plan.issued_on,
            today=today,
            running=plan.is_live,
        ),
        "filter_form": form,
        "filters": filters,
        "query": _query(filters),
        "may_chase": any(row.can_chase for row in rows),
        "updated_at": timezone.localtime(),
        **_row_context(any(row.can_chase for row in rows)),
    }


def _row_context(may_chase: bool) -> dict:
    return {"labels": board.row_labels(), "columns": 8 if may_chase else 7}


def _tree_context(
    request: HttpRequest,
    plan: Plan,
    *,
    under: OrgUnit | None = None,
    rows: bool = True,
    fragment: bool = False,
    page: int = 1,
) -> dict:
    """A large board (board_tree): the counts by the database, the rows on screen
    only; a ``fragment`` (rows opened under a row) has no counts per level, no chart."""
    now = timezone.now()
    today = timezone.localdate()
    user = request.user
    summaries = [] if fragment else board_tree.level_summaries(user, plan, today)
    form = BoardFilterForm(request.GET or None, levels=[s.level for s in summaries])
    filters = form.filters()
    total_shown = pages = None
    if not rows:
        rows = []
    elif under is not None:
        rows = board_tree.children_rows(user, plan, under, today, page)
    elif any(filters.values()):
        number = request.GET.get("page", "1")
        rows, total_shown, page = board_tree.filtered_page(
            user, plan, today, page=int(number) if number.isdigit() else 1, **filters
        )
        pages = max((total_shown + board_tree.PAGE_SIZE - 1) // board_tree.PAGE_SIZE, 1)
    else:
        rows = board_tree.first_rows(user, plan, today)
    may_chase = plan.is_live and can(user, "chasing.chase_units", plan)
    context = {
        "plan": plan,
        "tree": True,
        "rows": rows,
        "under": under,
        "total": sum(s.total for s in summaries),
        "matched": total_shown,
        "page": page,
        "pages": pages,
        "summaries": summaries,
        "filter_form": form,
        "filters": filters,
        "query": _query(filters),
        # Whether a row may carry a tick: the same on every fragment opened later.
        "may_chase": may_chase,
        "updated_at": timezone.localtime(now),
        "since": now.isoformat(),
        **_row_context(may_chase),
    }
    if not fragment:
        deadlines = [(d.level.name, d.last_day) for d in plan.deadlines.select_related("level")]
        context["chart"] = submissions_chart(
            [],
            deadlines=deadlines,
            start=plan.issued_on,
            today=today,
            running=plan.is_live,
            per_day=board_tree.submissions_per_day(user, plan, today),
        )
    return context


@login_required
@gzip_page
def board_page(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_board_plan(request, pk)
    if board_tree.is_large(request.user, plan):
        context = _tree_context(request, plan)
    else:
        context = _board_context(request, plan)
    context["manage"] = can(request.user, "campaigns.manage_plan", plan)
    context["chase_form"] = ChaseForm()
    context["lines"] = registry.board_lines.render(request, plan)
    return render(request, "chasing/board.html", context)


@login_required
@gzip_page
def board_children(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """A unit's direct subordinates with their subtrees' counts: the rows htmx
    inserts under the unit's row, or (without JavaScript) the board showing them."""
    plan = _get_board_plan(request, pk)
    reports = board.board_reports(request.user, plan).select_related("unit")
    report = reports.filter(unit__code=code).first()
    if report is None:
        raise Http404("No such unit on this board.")
    number = request.GET.get("page", "")
    page = int(number) if number.isdigit() and int(number) > 0 else 1
    if request.headers.get("HX-Request"):
        context = _tree_context(request, plan, under=report.unit, fragment=True, page=page)
        return render(request, "chasing/_children.html", context)
    context = _tree_context(request, plan, under=report.unit, page=page)
    context["manage"] = can(request.user, "campaigns.manage_plan", plan)
    context["chase_form"] = ChaseForm()
    context["lines"] = registry.board_lines.render(request, plan)
    return render(request, "chasing/board.html", context)


def _not_modified(request: HttpRequest, plan: Plan) -> tuple[str, bool]:
    """The poll's ETag, and whether the client holds it already."""
    state = board_tree.fingerprint(request.user, plan)
    asked = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:12]
    etag = quote_etag(f"{state}-{request.user.pk}-{get_language()}-{asked}")
    held = {tag.removeprefix("W/") for tag in parse_etags(request.headers.get("If-None-Match", ""))}
    return etag, etag.strip('"') in {t.strip('"') for t in held}


@login_required
@gzip_page
def board_rows(request: HttpRequest, pk: int) -> HttpResponse:
    """For htmx polling: 304 when nothing changed; otherwise the table, the
    counts and the chart again (a large board: only the rows that changed)."""
    plan = _get_board_plan(request, pk)
    etag, held = _not_modified(request, plan)
    if held:
        response = HttpResponse(status=304)
    elif board_tree.is_large(request.user, plan):
        context = _tree_context(request, plan, rows=False)
        since = _since(request.GET.get("since", ""))
        if since:
            today = timezone.localdate()
            context["rows"] = board_tree.changed_rows(request.user, plan, since, today)
        response = render(request, "chasing/_changes.html", context)
    else:
        context = _board_context(request, plan)
        context["oob"] = True
        response = render(request, "chasing/_rows.html", context)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def _since(value: str):
    try:
        moment = datetime.datetime.fromisoformat(value.replace(" ", "+"))
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


@login_required
def board_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The board's XLSX at once; a board of more than BOARD_EXPORT_INLINE_MAX
    reports goes to the page that starts a background export."""
    plan = _get_board_plan(request, pk)
    if board.board_reports(request.user, plan).count() > settings.BOARD_EXPORT_INLINE_MAX:
        query = _query({name: request.GET.get(name, "") for name in FILTERS})
        url = reverse("chasing:board_export_start", args=[plan.pk])
        return redirect(f"{url}?{query}" if query else url)
    rows = board.board_rows(request.user, plan)
    shown = board.filter_rows(rows, **_filters(request, rows).filters())
    return file_download(export.workbook(shown), f"tien-do-{plan.number}.xlsx", XLSX_CONTENT_TYPE)


def _export_filters(request: HttpRequest, plan: Plan, data) -> BoardFilterForm:
    """The board's filters for a background export (levels of the user's board)."""
    units = board.board_reports(request.user, plan).values("unit__level_id")
    levels = list(Level.objects.filter(pk__in=units).order_by("rank"))
    return BoardFilterForm(data or None, levels=levels)


def _chosen_filters(form: BoardFilterForm) -> list[tuple[str, str]]:
    """(label, value shown) of each filter set, for the page to name them."""
    chosen = []
    for name, value in form.filters().items():
        if value:
            field = form.fields[name]
            shown = dict(getattr(field, "choices", [])).get(value, value)
            chosen.append((str(field.label), str(shown)))
    return chosen


@login_required
@require_http_methods(["GET", "POST"])
def board_export_start(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the export will hold and the button; POST: the job is made
    (or one of the same data reused) and its page shown."""
    plan = _get_board_plan(request, pk)
    form = _export_filters(request, plan, request.POST if request.method == "POST" else request.GET)
    filters = form.filters()
    if request.method == "POST":
        job, _queued = services.start_board_export(plan=plan, user=request.user, filters=filters)
        return redirect("chasing:board_export_job", pk=plan.pk, export_id=job.pk)
    query = _query(filters)
    board_url = reverse("chasing:board", args=[plan.pk])
    context = {
        "plan": plan,
        "filters": {name: value for name, value in filters.items() if value},
        "chosen": _chosen_filters(form),
        "total": board.board_reports(request.user, plan).count(),
        "board_url": f"{board_url}?{query}" if query else board_url,
    }
    return render(request, "chasing/export_start.html", context)


@login_required
@require_GET
def board_export_job(request: HttpRequest, pk: int, export_id: int) -> HttpResponse:
    """The job's page; polled by htmx (its progress card alone) until finished."""
    plan = _get_board_plan(request, pk)
    job = selectors.get_export_for_user(request.user, plan, export_id)
    context = {"plan": plan, "job": job}
    if request.htmx:
        return render(request, "chasing/_export_job.html", context)
    form = _export_filters(request, plan, job.filters)
    context["chosen"] = _chosen_filters(form)
    return render(request, "chasing/export_job.html", context)


@login_required
@require_GET
def board_export_download(request: HttpRequest, pk: int, export_id: int) -> HttpResponse:
    plan = _get_board_plan(request, pk)
    job = selectors.get_export_for_user(request.user, plan, export_id)
    if job.status != ExportStatus.DONE:
        raise Http404("This export is not ready.")
    return stored_file_response(job.file, job.download_name, XLSX_CONTENT_TYPE)


def _back_to_board(plan: Plan, request: HttpRequest) -> HttpResponse:
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    query = _query(filters)
    url = reverse("chasing:board", args=[plan.pk])
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def chase(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the ticked units now; those the user may not chase are skipped."""
    plan = _get_board_plan(request, pk)
    if not can(request.user, "chasing.chase_units", plan):
        raise PermissionDenied
    form = ChaseForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back_to_board(plan, request)
    reports = board.chaseable_reports(request.user, plan, form.cleaned_data["report"])
    sent, just_reminded = [], []
    # Each reminder is logged under the plan its unit answers to, like the sweep's.
    for _plan_id, group in groupby(sorted(reports, key=lambda r: r.plan_id), lambda r: r.plan_id):
        group = list(group)
        chased = services.chase_now(
            plan=group[0].plan, reports=group, by=request.user, note=form.cleaned_data["note"]
        )
        sent += chased.ids
        just_reminded += chased.just_reminded
    # The sends run in the background; who can receive them is known now.
    skipped = {r.pk for r in just_reminded}
    chased_now = [r for r in reports if r.pk not in skipped]
    reached = services.units_with_people(r.unit_id for r in chased_now)
    unreached = [r.unit.name for r in chased_now if r.unit_id not in reached]
    reminded = len(sent) - len(unreached)
    if reminded:
        messages.success(
            request,
            ngettext("%(n)d unit reminded.", "%(n)d units reminded.", reminded) % {"n": reminded},
        )
    if unreached:
        messages.warning(request, _unreached_message(unreached))
    if just_reminded:
        messages.info(request, _just_reminded_message([r.unit.name for r in just_reminded]))
    elif not sent:
        messages.warning(request, _("No unit was reminded: none of those ticked can be chased."))
    return _back_to_board(plan, request)


UNREACHED_NAMED = 10  # units named in the warning; the others are counted


def _unreached_message(names: list[str]) -> str:
    units = ", ".join(names[:UNREACHED_NAMED])
    more = len(names) - UNREACHED_NAMED
    if more > 0:
        units += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
    return ngettext(
        "Nobody can receive the reminder in %(n)d unit: %(units)s.",
        "Nobody can receive the reminder in %(n)d units: %(units)s.",
        len(names),
    ) % {"n": len(names), "units": units}


def _just_reminded_message(names: list[str]) -> str:
    units = ", ".join(names[:UNREACHED_NAMED])
    more = len(names) - UNREACHED_NAMED
    if more > 0:
        units += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
    return _(
        "A reminder was just sent to %(units)s: one reminder a minute per unit, "
        "no second one was sent."
    ) % {"units": units}


@login_required
def policy(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_selectors.get_plan_for_user(request.user, pk)
    if not can(request.user, "campaigns.manage_plan", plan):
        raise PermissionDenied
    current = ReminderPolicy.objects.filter(plan=plan).first() or ReminderPolicy(plan=plan)
    # Explained before the form runs: a refused form must not change the explanation.
    steps = explain(current)
    form = ReminderPolicyForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved, _created = ReminderPolicy.objects.get_or_create(plan=plan)
        for name, value in form.cleaned_data.items():
            setattr(saved, name, value)
        saved.save()
        messages.success(request, _("Reminder policy saved."))
        return redirect("chasing:policy", pk=plan.pk)
    return render(
        request,
        "chasing/policy.html",
        {"plan": plan, "form": form, "steps": steps, "saved": current.pk is not None},
    )
