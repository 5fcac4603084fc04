"""The registers' pages: a unit's incoming and outgoing registers (lists,
filters, XLSX), entering a document received, and the files of a plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import get_plan_for_user
from documents.formatting import short_date
from documents.responses import XLSX_CONTENT_TYPE, file_download
from orgunits.access import can
from orgunits.tables import write_xlsx
from reports import received
from reports.attachments import check_upload

from . import selectors, services
from .forms import (
    IncomingFilterForm,
    IncomingForm,
    OutgoingFilterForm,
    PlanFileForm,
    initial_for_plan,
)
from .models import IncomingDocument, IncomingFile, PlanFile

LIST_LIMIT = 500  # entries shown on the page; the XLSX has them all


@login_required
def index(request: HttpRequest) -> HttpResponse:
    units = [u for u in selectors.register_units(request.user)]
    return render(request, "registers/index.html", {"units": units})


def _filter_query(form) -> str:
    return urlencode({k: v for k, v in (form.data or {}).items() if v and k != "page"})


# --- The incoming register ----------------------------------------------------


@login_required
def incoming_list(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, unit_pk)
    form = IncomingFilterForm(request.GET, unit=unit, years=selectors.incoming_years(unit))
    entries = selectors.incoming(unit, **form.filters())
    if request.GET.get("format") == "xlsx":
        return _incoming_xlsx(unit, entries)
    shown = list(entries[: LIST_LIMIT + 1])
    return render(
        request,
        "registers/incoming_list.html",
        {
            "unit": unit,
            "form": form,
            "entries": shown[:LIST_LIMIT],
            "more": len(shown) > LIST_LIMIT,
            "query": _filter_query(form),
            "may_keep": can(request.user, "registers.keep_register", unit),
        },
    )


def _incoming_xlsx(unit, entries) -> FileResponse:
    header = [
        _("Incoming number"),
        _("Received on"),
        _("Sender"),
        _("Number and symbol"),
        _("Date of the document"),
        _("Summary (trích yếu)"),
        _("Routed to"),
        _("Note"),
    ]
    rows = (
        [
            entry.number,
            short_date(entry.received_on),
            entry.sender,
            entry.symbol,
            short_date(entry.document_date) if entry.document_date else "",
            entry.summary,
            entry.routed_to.phrase if entry.routed_to else "",
            entry.note,
        ]
        for entry in entries
    )
    data = write_xlsx(header, rows, title=_("Incoming register"))
    return file_download(data, f"so-van-ban-den-{unit.code}.xlsx", XLSX_CONTENT_TYPE)


@login_required
def incoming_new(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, unit_pk, "registers.keep_register")
    owner = f"incoming:{unit.pk}"
    held = []
    upload_errors: list[str] = []
    if request.method == "POST":
        form = IncomingForm(request.POST, request.FILES, unit=unit, user=request.user)
        held = received.held_files(request.POST.getlist("held"), owner=owner, user=request.user)
        dropped = set(request.POST.getlist("drop"))
        if dropped:
            received.release([f for f in held if f.token in dropped])
            held = [f for f in held if f.token not in dropped]
        valid = form.is_valid()
        uploads = []
        for upload in request.FILES.getlist("files"):
            try:
                extension, _type = check_upload(upload)
            except ValidationError as e:
                upload_errors.append(f"{upload.name}: {' '.join(e.messages)}")
            else:
                uploads.append((upload, extension))
        if valid and not upload_errors:
            try:
                entry = services.record_incoming(
                    unit=unit,
                    by=request.user,
                    values=form.values(),
                    files=[upload for upload, _ext in uploads] + [f.content() for f in held],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                received.release(held)
                messages.success(
                    request,
                    _("Entered in the incoming register as number %(number)s of %(year)s.")
                    % {"number": entry.number, "year": entry.year},
                )
                return redirect("registers:incoming_detail", unit.pk, entry.pk)
        held += [
            received.hold(upload, extension, owner=owner, user=request.user)
            for upload, extension in uploads
        ]
    else:
        initial = {}
        plan_pk = request.GET.get("plan", "")
        if plan_pk.isdigit():
            initial = initial_for_plan(get_plan_for_user(request.user, int(plan_pk)))
        form = IncomingForm(initial=initial, unit=unit, user=request.user)
    already = []
    plan = form["plan"].value()
    if plan and str(plan).isdigit():
        already = list(IncomingDocument.objects.filter(unit=unit, plan_id=int(plan)))
    return render(
        request,
        "registers/incoming_form.html",
        {
            "unit": unit,
            "form": form,
            "held": held,
            "upload_errors": upload_errors,
            "already": already,
        },
    )


def _entry(request: HttpRequest, unit_pk: int, pk: int) -> IncomingDocument:
    unit = selectors.get_unit_for_user(request.user, unit_pk)
    entry = get_object_or_404(
        IncomingDocument.objects.select_related("routed_to", "plan", "recorded_by"),
        pk=pk,
        unit=unit,
    )
    entry.unit = unit
    return entry


@login_required
@require_GET
def incoming_detail(request: HttpRequest, unit_pk: int, pk: int) -> HttpResponse:
    entry = _entry(request, unit_pk, pk)
    return render(
        request,
        "registers/incoming_detail.html",
        {"unit": entry.unit, "entry": entry, "files": list(entry.files.all())},
    )


def _serve(stored) -> FileResponse:
    try:
        file = stored.file.open("rb")
    except FileNotFoundError as e:
        raise Http404("The file is missing from storage.") from e
    return FileResponse(
        file, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )


@login_required
@require_GET
def incoming_file(request: HttpRequest, unit_pk: int, pk: int, file_pk: int) -> FileResponse:
    entry = _entry(request, unit_pk, pk)
    return _serve(get_object_or_404(IncomingFile, pk=file_pk, document=entry))


# --- The outgoing register ---------------------------------------------------------


@login_required
def outgoing_list(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = selectors.get_unit_for_user(request.user, unit_pk)
    everything = selectors.outgoing(unit)
    form = OutgoingFilterForm(request.GET, unit=unit, years=selectors.outgoing_years(everything))
    filters = form.filters()
    rows = selectors.outgoing(unit, **filters) if any(filters.values()) else everything
    if request.GET.get("format") == "xlsx":
        header = [
            _("Number and symbol"),
            _("Date"),
            _("Type"),
            _("Summary (trích yếu)"),
            _("Issued by"),
        ]
        data = write_xlsx(
            header,
            (
                [
                    row.number_symbol,
                    short_date(row.issued_on) if row.issued_on else "",
                    row.kind_label,
                    row.summary,
                    row.body.phrase,
                ]
                for row in rows
            ),
            title=_("Outgoing register"),
        )
        return file_download(data, f"so-van-ban-di-{unit.code}.xlsx", XLSX_CONTENT_TYPE)
    return render(
        request,
        "registers/outgoing_list.html",
        {"unit": unit, "form": form, "rows": rows, "query": _filter_query(form)},
    )


# --- The files of a plan -----------------------------------------------------------------


@login_required
@require_POST
def plan_file_upload(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_pk, action="campaigns.manage_plan", hide=True)
    form = PlanFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_to_plan(plan=plan, upload=form.cleaned_data["file"], by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("The file was attached to the plan."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(plan)


@login_required
@require_GET
def plan_file_download(request: HttpRequest, plan_pk: int, file_pk: int) -> FileResponse:
    plan = get_plan_for_user(request.user, plan_pk)
    return _serve(get_object_or_404(PlanFile, pk=file_pk, plan=plan))


@login_required
@require_POST
def plan_file_delete(request: HttpRequest, plan_pk: int, file_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_pk, action="campaigns.manage_plan", hide=True)
    file = get_object_or_404(PlanFile, pk=file_pk, plan=plan)
    file.plan = plan
    services.detach_from_plan(file=file, by=request.user)
    messages.success(request, _("The file was removed from the plan."))
    return redirect(plan)
