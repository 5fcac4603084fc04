"""A plan's conference: its page (who confirmed, which speeches are in), its
details and programme, invitations and replies, speeches, the minutes, and
the notice of conclusions as a document."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns.selectors import get_plan_for_user
from documents.responses import document_view, stored_file_response
from orgunits.access import can

from . import documents, selectors, services
from .forms import (
    ConferenceForm,
    NoticeForm,
    ProgrammeFormSet,
    RecordForm,
    ReplyForm,
    SpeechAssignForm,
    SpeechForm,
)
from .models import Conference, ConferenceError, Speech


def _run(request: HttpRequest, step, done: str, **arguments) -> bool:
    """Run the service ``step`` as the user; its refusal, or ``done``, is the page's message."""
    try:
        step(by=request.user, **arguments)
    except ConferenceError as error:
        messages.error(request, str(error))
        return False
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, done)
    return True


def _organised(request: HttpRequest, pk: int) -> Conference:
    conference = selectors.get_conference_for_user(request.user, pk)
    if not can(request.user, "conferences.organise", conference):
        raise PermissionDenied
    return conference


def _back(conference: Conference, anchor: str = "") -> HttpResponse:
    return redirect(reverse("conferences:detail", args=[conference.pk]) + anchor)


# --- The conference's details -------------------------------------------------


def _edit(request: HttpRequest, conference: Conference) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ConferenceForm(data, instance=conference, user=request.user)
    formset = ProgrammeFormSet(data, instance=conference, prefix="programme")
    if data is not None and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            conference = services.save_conference(
                conference=form.instance,
                invited=list(form.cleaned_data["invited"]),
                by=request.user,
            )
            formset.instance = conference
            items = formset.save(commit=False)
            for item in formset.deleted_objects:
                item.delete()
            for position, item in enumerate(items):
                item.conference, item.position = conference, position
                item.save()
        messages.success(request, _("Conference saved."))
        return _back(conference)
    return render(
        request,
        "conferences/form.html",
        {
            "form": form,
            "formset": formset,
            "plan": conference.plan,
            "conference": conference if conference.pk else None,
        },
    )


@login_required
def create(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, plan_pk, action="conferences.hold")
    return _edit(request, services.new_conference(plan=plan))


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _organised(request, pk)
    if not conference.is_planned:
        messages.error(request, _("A conference held or cancelled is no longer edited."))
        return _back(conference)
    return _edit(request, conference)


# --- The page -------------------------------------------------------------------


def _render(
    request: HttpRequest,
    conference: Conference,
    *,
    reply_form: ReplyForm | None = None,
    assign_form: SpeechAssignForm | None = None,
) -> HttpResponse:
    user = request.user
    organises = can(user, "conferences.organise", conference)
    invitations = selectors.invitations(conference)
    speeches = selectors.speeches(conference)
    today = timezone.localdate()
    replying = [i for i in invitations if can(user, "conferences.reply", i)]
    replies_open = conference.is_planned and not conference.is_past(today)
    if reply_form is None and replying and replies_open:
        first = replying[0]
        reply_form = ReplyForm(
            invitations=replying,
            initial={
                "invitation": first.pk,
                "reply": first.reply if first.replied_at else None,
                "attendee": first.attendee,
                "note": first.note,
            },
        )
    if organises and assign_form is None and conference.is_planned and invitations:
        assign_form = SpeechAssignForm(conference=conference, initial={"due_on": conference.date})
    for speech in speeches:
        speech.late = speech.is_late(today)
        speech.sends = can(user, "conferences.send_speech", speech)
    context = {
        "conference": conference,
        "plan": conference.plan,
        "organises": organises,
        "invitations": invitations,
        "confirmed": sum(1 for i in invitations if i.confirmed),
        "unsent": sum(1 for i in invitations if i.sent_at is None),
        "guests_unsent": len(conference.guests_to_invite()),
        "speeches": speeches,
        "speeches_in": sum(1 for s in speeches if s.is_in),
        "programme": list(conference.programme.all()),
        "reply_form": reply_form if replies_open else None,
        "assign_form": assign_form if organises else None,
        "notice_form": NoticeForm(
            initial={
                "issued_on": max(today, conference.date),
                "recipients": documents.default_recipients(conference),
            }
        )
        if organises and conference.conclusions and not conference.notice_issued
        else None,
        "past": conference.is_past(today),
        "may_record": organises and conference.date <= today and not conference.notice_issued,
    }
    return render(request, "conferences/detail.html", context)


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render(request, selectors.get_conference_for_user(request.user, pk))


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _organised(request, pk)
    _run(
        request,
        services.send_invitations,
        _("Invitations sent in the app and by e-mail."),
        conference=conference,
    )
    return _back(conference, "#invitations")


@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """An invited unit's people answer the invitation."""
    conference = selectors.get_conference_for_user(request.user, pk)
    replying = [
        i for i in selectors.invitations(conference) if can(request.user, "conferences.reply", i)
    ]
    if not replying:
        raise PermissionDenied
    form = ReplyForm(request.POST, invitations=replying)
    if not form.is_valid():
        return _render(request, conference, reply_form=form)
    _run(request, services.reply, _("Reply recorded."), **form.cleaned_data)
    return _back(conference, "#invitations")


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _organised(request, pk)
    _run(request, services.cancel, _("Conference cancelled."), conference=conference)
    return _back(conference)


# --- Speeches -------------------------------------------------------------------


@login_required
@require_POST
def speech_assign(request: HttpRequest, pk: int) -> HttpResponse:
    conference = _organised(request, pk)
    form = SpeechAssignForm(request.POST, conference=conference)
    if not form.is_valid():
        return _render(request, conference, assign_form=form)
    data = form.cleaned_data
    _run(
        request,
        services.assign_speech,
        _("Speech asked for."),
        conference=conference,
        unit=data["invitation"].unit,
        topic=data["topic"],
        due_on=data["due_on"],
    )
    return _back(conference, "#speeches")


def _render_speech(request: HttpRequest, speech: Speech, form: SpeechForm | None = None):
    sends = can(request.user, "conferences.send_speech", speech) and speech.conference.is_planned
    return render(
        request,
        "conferences/speech.html",
        {
            "speech": speech,
            "conference": speech.conference,
            "form": (form or SpeechForm(initial={"text": speech.text})) if sends else None,
            "late": speech.is_late(),
        },
    )


@login_required
def speech(request: HttpRequest, pk: int) -> HttpResponse:
    """A speech asked of a unit: read it, or (its people) send it in."""
    speech = selectors.get_speech_for_user(request.user, pk)
    if request.method != "POST":
        return _render_speech(request, speech)
    if not can(request.user, "conferences.send_speech", speech):
        raise PermissionDenied
    form = SpeechForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_speech(request, speech, form)
    done = _run(
        request,
        services.send_speech,
        _("Speech sent in."),
        speech=speech,
        text=form.cleaned_data["text"],
        upload=form.cleaned_data["file"],
    )
    if not done:
        return _render_speech(request, speech, form)
    return redirect("conferences:speech", pk=speech.pk)


@login_required
@require_GET
def speech_file(request: HttpRequest, pk: int) -> HttpResponse:
    speech = selectors.get_speech_for_user(request.user, pk)
    if not speech.file:
        raise Http404("No file.")
    return stored_file_response(speech.file, speech.original_name, speech.content_type)


# --- After the conference ---------------------------------------------------------


@login_required
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes and conclusions, recorded after the conference."""
    conference = _organised(request, pk)
    form = RecordForm(request.POST or None, instance=conference)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        conference = selectors.get_conference_for_user(request.user, pk)  # the stored one
        if _run(
            request,
            services.record,
            _("Minutes and conclusions recorded."),
            conference=conference,
            minutes=data["minutes"],
            conclusions=data["conclusions"],
        ):
            return _back(conference, "#conclusions")
    return render(
        request,
        "conferences/record.html",
        {"form": form, "conference": conference, "plan": conference.plan},
    )


@login_required
@require_POST
def notice_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Number and date the notice of conclusions in the body's register."""
    conference = _organised(request, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(conference, "#notice")
    _run(
        request,
        services.issue_notice,
        _("Notice of conclusions issued."),
        conference=conference,
        **form.cleaned_data,
    )
    return _back(conference, "#notice")


@login_required
@require_GET
def notice_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The THÔNG BÁO KẾT LUẬN, PDF or DOCX (``fmt``), once the conclusions are recorded."""
    conference = selectors.get_conference_for_user(request.user, pk)
    if not conference.conclusions:
        raise Http404("No conclusions yet.")
    stem = f"thong-bao-ket-luan-{conference.pk}"
    return document_view(request, documents.notice(conference), fmt, stem)
