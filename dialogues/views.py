"""The dialogue calendar, meeting and petition pages, the petitions register,
and the plan and notice as documents."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.dates import DATE_MAX, DATE_MIN
from documents.responses import XLSX_CONTENT_TYPE, document_view, file_download
from orgunits.access import can, reaches
from orgunits.history import attribute
from orgunits.models import OrgUnit
from orgunits.pickers import parent_name

from . import documents, selectors, services
from .forms import (
    AnswerForm,
    AssignForm,
    DialoguePlanForm,
    MeetingFormSet,
    MeetingRecordForm,
    NoticeForm,
    OpinionsForm,
    PetitionForm,
    ProgressForm,
    RegisterFilterForm,
)
from .models import DialogueError, DialoguePlan, DialogueReminderKind, Meeting, Petition


def _senders(user, hosts) -> list[OrgUnit]:
    """The host units for which ``user`` may send the opinions in."""
    return [host for host in hosts if can(user, "dialogues.send_opinions", host)]


def _run(request: HttpRequest, step, done: str, **arguments) -> None:
    """Run the service ``step`` as the user; its refusal, or ``done``, is the page's message."""
    try:
        step(by=request.user, **arguments)
    except DialogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)


# --- Calendar ---------------------------------------------------------------


def calendar_year(value: str | None, today: datetime.date) -> int:
    """The year asked for in ``?year=``, within the app's window of dates
    (documents.dates); junk or a year out of it is this year."""
    try:
        year = int((value or "").strip())
    except ValueError:
        return today.year
    return year if DATE_MIN.year <= year <= DATE_MAX.year else today.year


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = calendar_year(request.GET.get("year"), today)
    return render(
        request,
        "dialogues/calendar.html",
        {
            "year": year,
            "months": selectors.calendar(request.user, year, today),
            "today": today,
            "may_plan": can(request.user, "dialogues.plan_dialogues"),
            "overdue_petitions": selectors.overdue(
                today, among=selectors.petitions_visible_to(request.user)
            ).count(),
        },
    )


# --- Dialogue plan ----------------------------------------------------------


def _calendar_url(year: int) -> str:
    return f"{reverse('dialogues:calendar')}?{urlencode({'year': year})}"


def _edit_plan(request: HttpRequest, plan: DialoguePlan) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = DialoguePlanForm(data, instance=plan, user=request.user)
    formset = MeetingFormSet(
        data, instance=plan, prefix="meetings", form_kwargs={"user": request.user}
    )
    if data is not None and form.is_valid() and formset.is_valid():
        if not can(request.user, "dialogues.coordinate", form.cleaned_data["unit"]):
            raise PermissionDenied
        with transaction.atomic():
            plan = form.save()
            formset.instance = plan
            formset.save()
        messages.success(request, _("Dialogue plan saved."))
        return redirect(_calendar_url(plan.year))
    return render(
        request,
        "dialogues/plan_form.html",
        {"form": form, "formset": formset, "plan": plan if plan.pk else None},
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "dialogues.plan_dialogues"):
        raise PermissionDenied
    plan = DialoguePlan(year=timezone.localdate().year)
    return _edit_plan(request, plan)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    if not can(request.user, "dialogues.coordinate", plan):
        raise PermissionDenied
    return _edit_plan(request, plan)


# --- Meeting and its petitions ----------------------------------------------


def _render_meeting(
    request: HttpRequest,
    meeting: Meeting,
    *,
    petition_form: PetitionForm | None = None,
    assign_form: AssignForm | None = None,
    assign_for: int | None = None,
    opinions_form: OpinionsForm | None = None,
) -> HttpResponse:
    coordinates = can(request.user, "dialogues.coordinate", meeting)
    today = timezone.localdate()
    hosts, reminded = selectors.meeting_hosts(meeting, today)
    senders = _senders(request.user, hosts)
    if opinions_form is None and senders:
        # Start from the first unit still to send (the office may act for several).
        first = next((host for host in senders if host.opinions is None), senders[0])
        opinions_form = OpinionsForm(
            units=senders,
            initial={"unit": first.pk, "text": first.opinions.text if first.opinions else ""},
        )
    petitions = list(
        selectors.petitions_visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("agency__level")
        .annotate(agency_parent_name=parent_name("agency__path"))
    )
    context = {
        "meeting": meeting,
        "plan": meeting.plan,
        "petitions": petitions,
        "coordinates": coordinates,
        "today": today,
        "assign_form": assign_form,
        "assign_for": assign_for,
        "hosts": hosts,
        "opinions_form": opinions_form if meeting.is_planned else None,
        "notice_reminded_at": reminded.get((DialogueReminderKind.NOTICE, meeting.plan.unit_id)),
    }
    if coordinates:
        context["petition_form"] = petition_form or PetitionForm()
        _agency_pickers(request, petitions)
    return render(request, "dialogues/meeting.html", context)


def _agency_pickers(request: HttpRequest, petitions: list) -> None:
    """Each petition's agency picker, its current agency named (read with the petitions)."""
    widget = AssignForm(user=request.user).fields["agency"].widget
    for petition in petitions:
        chosen = []
        if petition.agency is not None:
            petition.agency.parent_name = petition.agency_parent_name
            chosen = [petition.agency]
        petition.agency_picker = widget.render(
            "agency",
            chosen,
            attrs={
                "id": f"agency-{petition.pk}",
                "class": "form-control form-control-sm",
                "required": True,
                "aria-label": _("Responsible agency (unit code)"),
                "data-placeholder": _("Agency…"),
            },
        )


def _meeting_step(
    request: HttpRequest, meeting: Meeting, step, done: str, anchor: str = "", **arguments
) -> HttpResponse:
    """Run the service ``step`` on ``meeting`` (see :func:`_run`) and come back to
    the meeting's page, at ``anchor``."""
    _run(request, step, done, meeting=meeting, **arguments)
    return redirect(reverse("dialogues:meeting", args=[meeting.pk]) + anchor)


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, selectors.get_meeting_for_user(request.user, pk))


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not can(request.user, "dialogues.coordinate", meeting):
        raise PermissionDenied
    form = MeetingRecordForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        attribute(form.instance, request.user)
        form.save()
        messages.success(request, _("Meeting recorded."))
        return redirect("dialogues:meeting", pk=meeting.pk)
    return render(
        request,
        "dialogues/meeting_record.html",
        {"form": form, "meeting": meeting, "plan": meeting.plan},
    )


@login_required
@require_POST
def meeting_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    """A host unit sends in the opinions and petitions it collected."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    senders = _senders(request.user, meeting.host_units.all())
    if not senders:
        raise PermissionDenied
    form = OpinionsForm(request.POST, units=senders)
    if not form.is_valid():
        return _render_meeting(request, meeting, opinions_form=form)
    return _meeting_step(
        request,
        meeting,
        services.send_opinions,
        _("Opinions sent in."),
        "#opinions",
        **form.cleaned_data,
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return _meeting_step(request, meeting, services.cancel_meeting, _("Meeting cancelled."))


@login_required
@require_POST
def meeting_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The head's office records the day of the radio notice."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not can(request.user, "dialogues.coordinate", meeting):
        raise PermissionDenied
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("dialogues:meeting", args=[meeting.pk]) + "#notice")
    return _meeting_step(
        request,
        meeting,
        services.give_notice,
        _("Radio notice recorded."),
        "#notice",
        **form.cleaned_data,
    )


@login_required
@require_POST
def petition_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.get_meeting_for_user(request.user, pk)
    if not can(request.user, "dialogues.coordinate", meeting):
        raise PermissionDenied
    form = PetitionForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, petition_form=form)
    services.record_petition(meeting=meeting, by=request.user, **form.cleaned_data)
    messages.success(request, _("Petition recorded."))
    return redirect("dialogues:meeting", pk=meeting.pk)


@login_required
@require_POST
def petition_assign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.get_petition_for_user(request.user, pk)
    if not can(request.user, "dialogues.coordinate", petition):
        raise PermissionDenied
    form = AssignForm(request.POST, user=request.user)
    if not form.is_valid():
        meeting = selectors.get_meeting_for_user(request.user, petition.meeting_id)
        return _render_meeting(request, meeting, assign_form=form, assign_for=petition.pk)
    _run(request, services.assign, _("Petition assigned."), petition=petition, **form.cleaned_data)
    return redirect("dialogues:meeting", pk=petition.meeting_id)


# --- One petition -------------------------------------------------------------


def _render_petition(
    request: HttpRequest,
    petition: Petition,
    *,
    progress_form: ProgressForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "dialogues/petition.html",
        {
            "petition": petition,
            "meeting": petition.meeting,
            "progress": petition.progress.select_related("by"),
            "history": petition.history.select_related("history_user").order_by("history_date"),
            "handles": petition.is_being_handled
            and can(request.user, "dialogues.answer_petition", petition),
            "may_close": petition.may_be_closed
            and can(request.user, "dialogues.coordinate", petition),
            "sees_meeting": reaches(request.user, petition.unit),
            "overdue": petition.is_overdue(),
            "progress_form": progress_form or ProgressForm(),
            "answer_form": answer_form or AnswerForm(),
        },
    )


@login_required
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_petition(request, selectors.get_petition_for_user(request.user, pk))


def _petition_step(request: HttpRequest, pk: int, form_class, step, done: str, form_name: str):
    """Validate ``form_class``, run the service ``step``, and come back to the petition."""
    petition = selectors.get_petition_for_user(request.user, pk)
    if not can(request.user, "dialogues.answer_petition", petition):
        raise PermissionDenied
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_petition(request, petition, **{form_name: form})
    _run(request, step, done, petition=petition, text=form.cleaned_data["text"])
    return redirect("dialogues:petition", pk=petition.pk)


@login_required
@require_POST
def petition_progress(request: HttpRequest, pk: int) -> HttpResponse:
    return _petition_step(
        request,
        pk,
        ProgressForm,
        services.report_progress,
        _("Progress recorded."),
        "progress_form",
    )


@login_required
@require_POST
def petition_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _petition_step(
        request, pk, AnswerForm, services.answer, _("Answer recorded."), "answer_form"
    )


@login_required
@require_POST
def petition_close(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.get_petition_for_user(request.user, pk)
    _run(request, services.close, _("Petition closed."), petition=petition)
    return redirect("dialogues:petition", pk=petition.pk)


@login_required
def petition_print(request: HttpRequest, pk: int) -> HttpResponse:
    petition = selectors.get_petition_for_user(request.user, pk)
    if not petition.answer:
        raise Http404("The petition has no answer yet.")
    return render(request, "dialogues/petition_print.html", {"petition": petition})


# --- Register -----------------------------------------------------------------


def _register_rows(request: HttpRequest):
    form = RegisterFilterForm(
        request.GET or None, agencies=selectors.register_agencies(request.user)
    )
    filters = form.filters()
    rows = selectors.register_rows(request.user, filters)
    query = {
        name: (value.pk if isinstance(value, OrgUnit) else int(value) if value is True else value)
        for name, value in filters.items()
        if value
    }
    return form, rows, urlencode(query)


@login_required
def register(request: HttpRequest) -> HttpResponse:
    form, rows, query = _register_rows(request)
    return render(
        request,
        "dialogues/register.html",
        {
            "filter_form": form,
            "petitions": rows,
            "query": query,
        },
    )


@login_required
def register_export(request: HttpRequest) -> FileResponse:
    _form, rows, _query = _register_rows(request)
    return file_download(documents.register_xlsx(rows), "kien-nghi.xlsx", XLSX_CONTENT_TYPE)


# --- Documents ------------------------------------------------------------------


@login_required
def plan_document(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """The dialogue plan as a signed KẾ HOẠCH, PDF or DOCX (``fmt``, from the URL)."""
    plan = selectors.get_plan_for_user(request.user, pk)
    stem = slugify(f"ke-hoach-doi-thoai-{plan.year}-{plan.unit.code}") or "ke-hoach"
    return document_view(request, documents.build(plan), fmt, stem)


@login_required
def notice_document(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    """A meeting's radio notice as a THÔNG BÁO, PDF or DOCX."""
    meeting = selectors.get_meeting_for_user(request.user, pk)
    return document_view(request, documents.notice(meeting), fmt, f"thong-bao-{meeting.pk}")
