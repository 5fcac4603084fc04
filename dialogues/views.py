"""The dialogue calendar, meeting and petition pages, and the petitions register."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chasing.models import DeliveryStatus
from documents.responses import XLSX_CONTENT_TYPE, file_download
from orgunits.access import can, reaches
from orgunits.models import OrgUnit, Role
from orgunits.selectors import units_visible_to
from orgunits.tables import write_xlsx

from . import services
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
from .models import (
    OPEN_STATUSES,
    DialoguePlan,
    DialogueReminderKind,
    Meeting,
    MeetingStatus,
    OpinionReport,
    Petition,
    PetitionStatus,
)


def _get_petition_for_user(user, pk: int) -> Petition:
    petition = (
        services.petitions_visible_to(user)
        .select_related("meeting__plan", "unit", "agency")
        .filter(pk=pk)
        .first()
    )
    if petition is None:
        raise Http404("No such petition.")
    return petition


def _senders(user, hosts) -> list[OrgUnit]:
    """The host units for which ``user`` may send the opinions in."""
    return [host for host in hosts if can(user, "dialogues.send_opinions", host)]


# --- Calendar ---------------------------------------------------------------


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    meetings = (
        services.meetings_visible_to(request.user)
        .filter(plan__year=year)
        .select_related("plan__unit")
        .annotate(hosts_count=_count(Meeting.host_units.through), sent_count=_count(OpinionReport))
        .order_by("month", "date", "plan__unit__path")
    )
    by_month: dict[int, list[Meeting]] = {month: [] for month in range(1, 13)}
    for meeting in meetings:
        # Late only while a host unit has still not sent its opinions in.
        meeting.opinions_late = (
            meeting.status == MeetingStatus.PLANNED
            and meeting.date is not None
            and meeting.opinions_due < today
            and meeting.sent_count < meeting.hosts_count
        )
        by_month.setdefault(meeting.month, []).append(meeting)
    return render(
        request,
        "dialogues/calendar.html",
        {
            "year": year,
            "months": sorted(by_month.items()),
            "today": today,
            "may_plan": can(request.user, "dialogues.plan_dialogues"),
            "overdue_petitions": services.petitions_visible_to(request.user)
            .filter(status__in=OPEN_STATUSES, due_on__lt=today)
            .count(),
        },
    )


def _count(model) -> Coalesce:
    """The number of ``model`` rows of each meeting, as a subquery (no join fan-out)."""
    rows = model.objects.filter(meeting=OuterRef("pk")).values("meeting")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)


# --- Dialogue plan ----------------------------------------------------------


def _calendar_url(year: int) -> str:
    return f"{reverse('dialogues:calendar')}?{urlencode({'year': year})}"


def _edit_plan(request: HttpRequest, plan: DialoguePlan) -> HttpResponse:
    units = units_visible_to(request.user, roles=[Role.COORDINATOR]).order_by("path")
    data = request.POST if request.method == "POST" else None
    form = DialoguePlanForm(data, instance=plan, units=units)
    formset = MeetingFormSet(
        data, instance=plan, prefix="meetings", form_kwargs={"hosts": units.select_related(None)}
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
    plan = get_object_or_404(
        DialoguePlan.objects.select_related("unit").filter(unit__in=units_visible_to(request.user)),
        pk=pk,
    )
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
    hosts = list(meeting.host_units.order_by("path"))
    opinions = {r.unit_id: r for r in meeting.opinion_reports.select_related("by")}
    reminded = {}
    for reminder in meeting.reminders.filter(status=DeliveryStatus.SENT).order_by("sent_at"):
        reminded[(reminder.kind, reminder.unit_id)] = reminder.sent_at
    for host in hosts:
        host.opinions = opinions.get(host.pk)
        host.reminded_at = reminded.get((DialogueReminderKind.OPINIONS, host.pk))
        host.late = meeting.opinions_due is not None and (
            (host.opinions is None and meeting.opinions_due < today)
            or (
                host.opinions is not None
                and timezone.localdate(host.opinions.sent_at) > meeting.opinions_due
            )
        )
    senders = _senders(request.user, hosts)
    if opinions_form is None and senders:
        # Start from the first unit still to send (the office may act for several).
        first = next((host for host in senders if host.opinions is None), senders[0])
        opinions_form = OpinionsForm(
            units=senders,
            initial={"unit": first.pk, "text": first.opinions.text if first.opinions else ""},
        )
    context = {
        "meeting": meeting,
        "plan": meeting.plan,
        "petitions": services.petitions_visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("agency"),
        "coordinates": coordinates,
        "assignable": (PetitionStatus.RECEIVED, PetitionStatus.ASSIGNED),
        "today": today,
        "assign_form": assign_form,
        "assign_for": assign_for,
        "hosts": hosts,
        "opinions_form": opinions_form if meeting.status == MeetingStatus.PLANNED else None,
        "notice_reminded_at": reminded.get((DialogueReminderKind.NOTICE, meeting.plan.unit_id)),
    }
    if coordinates:
        context["petition_form"] = petition_form or PetitionForm()
        context["agencies"] = list(units_visible_to(request.user).order_by("path"))
    return render(request, "dialogues/meeting.html", context)


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_meeting(request, services.get_meeting_for_user(request.user, pk))


@login_required
def meeting_record(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_meeting_for_user(request.user, pk)
    if not can(request.user, "dialogues.coordinate", meeting):
        raise PermissionDenied
    form = MeetingRecordForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        form.instance._history_user = request.user
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
    meeting = services.get_meeting_for_user(request.user, pk)
    senders = _senders(request.user, meeting.host_units.all())
    form = OpinionsForm(request.POST, units=senders)
    if not form.is_valid():
        return _render_meeting(request, meeting, opinions_form=form)
    try:
        services.send_opinions(
            meeting=meeting,
            unit=form.cleaned_data["unit"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except services.DialogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Opinions sent in."))
    return redirect(reverse("dialogues:meeting", args=[meeting.pk]) + "#opinions")


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_meeting_for_user(request.user, pk)
    try:
        services.cancel_meeting(meeting=meeting, by=request.user)
    except services.DialogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Meeting cancelled."))
    return redirect("dialogues:meeting", pk=meeting.pk)


@login_required
@require_POST
def meeting_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The head's office records the day of the radio notice."""
    meeting = services.get_meeting_for_user(request.user, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            services.give_notice(meeting=meeting, on=form.cleaned_data["on"], by=request.user)
        except services.DialogueError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Radio notice recorded."))
    return redirect(reverse("dialogues:meeting", args=[meeting.pk]) + "#notice")


@login_required
@require_POST
def petition_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = services.get_meeting_for_user(request.user, pk)
    form = PetitionForm(request.POST)
    if not form.is_valid():
        return _render_meeting(request, meeting, petition_form=form)
    services.record_petition(meeting=meeting, by=request.user, **form.cleaned_data)
    messages.success(request, _("Petition recorded."))
    return redirect("dialogues:meeting", pk=meeting.pk)


@login_required
@require_POST
def petition_assign(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _get_petition_for_user(request.user, pk)
    form = AssignForm(request.POST, agencies=units_visible_to(request.user))
    if not form.is_valid():
        meeting = services.get_meeting_for_user(request.user, petition.meeting_id)
        return _render_meeting(request, meeting, assign_form=form, assign_for=petition.pk)
    try:
        services.assign(petition=petition, by=request.user, **form.cleaned_data)
    except services.DialogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Petition assigned."))
    return redirect("dialogues:meeting", pk=petition.meeting_id)


# --- One petition -------------------------------------------------------------


def _render_petition(
    request: HttpRequest,
    petition: Petition,
    *,
    progress_form: ProgressForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    handling = petition.status in (PetitionStatus.ASSIGNED, PetitionStatus.IN_PROGRESS)
    return render(
        request,
        "dialogues/petition.html",
        {
            "petition": petition,
            "meeting": petition.meeting,
            "progress": petition.progress.select_related("by"),
            "history": petition.history.select_related("history_user").order_by("history_date"),
            "handles": handling and can(request.user, "dialogues.answer_petition", petition),
            "may_close": petition.status == PetitionStatus.ANSWERED
            and can(request.user, "dialogues.coordinate", petition),
            "sees_meeting": reaches(request.user, petition.unit),
            "overdue": petition.status in OPEN_STATUSES
            and petition.due_on is not None
            and petition.due_on < timezone.localdate(),
            "progress_form": progress_form or ProgressForm(),
            "answer_form": answer_form or AnswerForm(),
        },
    )


@login_required
def petition(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_petition(request, _get_petition_for_user(request.user, pk))


def _petition_step(request: HttpRequest, pk: int, form_class, step, done: str, form_name: str):
    """Validate ``form_class``, run the service ``step``, and come back to the petition."""
    petition = _get_petition_for_user(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _render_petition(request, petition, **{form_name: form})
    try:
        step(petition=petition, text=form.cleaned_data["text"], by=request.user)
    except services.DialogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
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
    petition = _get_petition_for_user(request.user, pk)
    try:
        services.close(petition=petition, by=request.user)
    except services.DialogueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Petition closed."))
    return redirect("dialogues:petition", pk=petition.pk)


@login_required
def petition_print(request: HttpRequest, pk: int) -> HttpResponse:
    petition = _get_petition_for_user(request.user, pk)
    if not petition.answer:
        raise Http404("The petition has no answer yet.")
    return render(request, "dialogues/petition_print.html", {"petition": petition})


# --- Register -----------------------------------------------------------------


def _register_rows(request: HttpRequest):
    visible = services.petitions_visible_to(request.user)
    agencies = OrgUnit.objects.filter(pk__in=visible.values("agency")).order_by("path")
    form = RegisterFilterForm(request.GET or None, agencies=agencies)
    filters = form.filters()
    rows = visible.select_related("meeting", "unit", "agency").order_by(
        "-meeting__date", "meeting", "created"
    )
    if filters["status"]:
        rows = rows.filter(status=filters["status"])
    if filters["agency"]:
        rows = rows.filter(agency=filters["agency"])
    if filters["field"]:
        rows = rows.filter(field=filters["field"])
    if filters["overdue"]:
        rows = rows.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
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
            "today": timezone.localdate(),
            "open_statuses": OPEN_STATUSES,
        },
    )


def _date(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@login_required
def register_export(request: HttpRequest) -> FileResponse:
    _form, rows, _query = _register_rows(request)
    header = [
        _("Meeting date"),
        _("Unit"),
        _("Raised by"),
        _("Subject"),
        _("Field"),
        _("Answered on the spot"),
        _("Responsible agency"),
        _("Due on"),
        _("Status"),
        _("Answered on"),
        _("Answer"),
    ]
    data = write_xlsx(
        header,
        (
            [
                _date(p.meeting.held_on or p.meeting.date),
                p.unit.name,
                p.petitioner,
                p.subject,
                p.get_field_display(),
                _("Yes") if p.answered_on_spot else "",
                p.agency.name if p.agency else "",
                _date(p.due_on),
                p.get_status_display(),
                _date(p.answered_on),
                p.answer,
            ]
            for p in rows
        ),
        title=_("Petitions"),
    )
    return file_download(data, "kien-nghi.xlsx", XLSX_CONTENT_TYPE)
