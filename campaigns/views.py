"""Pages of review plans: list, detail, the stepwise composer, outputs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.http import parse_id
from documents import signing
from documents.html import render_html
from documents.rendering import PDF
from documents.responses import PDF_CONTENT_TYPE, document_view, stored_file_response
from orgunits.access import can, scope_paths
from orgunits.models import Level, OrgUnit

from . import documents, registry, revisions, section_views, selectors, services, upstream
from .forms import (
    CopyPlanForm,
    DeadlinesForm,
    ParticipantsForm,
    PlanFilterForm,
    PlanGeneralForm,
    PlanSignatureForm,
    SubjectFormSet,
)
from .models import Plan, PlanStatus

STEPS = [
    ("general", gettext_lazy("General")),
    ("subjects", gettext_lazy("Documents reviewed")),
    ("content", gettext_lazy("Sections")),
    ("outline", gettext_lazy("Outline")),
    ("deadlines", gettext_lazy("Deadlines and units")),
    ("signature", gettext_lazy("Recipients and signature")),
    ("preview", gettext_lazy("Preview and publish")),
]
STEP_NAMES = [name for name, _label in STEPS]


def _plan_for_manager(request: HttpRequest, pk: int) -> Plan:
    plan = selectors.get_plan_for_user(request.user, pk)
    if not can(request.user, "campaigns.manage_plan", plan):
        raise PermissionDenied
    return plan


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    form = PlanFilterForm(request.GET or None)
    plans = selectors.plans_visible_to(request.user).select_related("issuing_unit", "parent")
    if form.is_valid():
        if form.cleaned_data["status"]:
            plans = plans.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["kind"]:
            plans = plans.filter(kind=form.cleaned_data["kind"])
        if form.cleaned_data["year"]:
            plans = plans.filter(issued_on__year=form.cleaned_data["year"])
    can_create = selectors.coordinated_units(request.user).exists()
    return render(
        request,
        "campaigns/plan_list.html",
        {"plans": plans[:200], "form": form, "can_create": can_create},
    )


def _id_or_404(value: str) -> int:
    """A plan's id given in a parameter; junk is a page that does not exist."""
    pk = parse_id(value)
    if pk is None:
        raise Http404("No such plan.")
    return pk


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    units = selectors.coordinated_units(request.user)
    if not units.exists():
        raise PermissionDenied
    source = None
    if request.GET.get("from"):
        source = selectors.get_plan_for_user(request.user, _id_or_404(request.GET["from"]))
    default_unit = units.order_by("depth", "path").first()
    copying = request.method == "POST" and request.POST.get("copy_from")
    copy_form = CopyPlanForm(
        request.POST if copying else None, user=request.user, initial={"issuing_unit": default_unit}
    )
    if copying:
        source = selectors.get_plan_for_user(request.user, _id_or_404(request.POST["copy_from"]))
        if copy_form.is_valid():
            plan = services.copy_plan(
                source=source, issuing_unit=copy_form.cleaned_data["issuing_unit"], by=request.user
            )
            messages.success(
                request, _("A new draft was made from %(plan)s.") % {"plan": source.number_symbol}
            )
            return redirect("campaigns:compose", plan.pk, "general")

    instance = services.new_plan(issuing_unit=default_unit)
    bodies = selectors.coordinated_bodies(request.user)
    data = None if copying else request.POST or None
    form = PlanGeneralForm(data, instance=instance, bodies=bodies)
    if request.method == "POST" and not copying and form.is_valid():
        plan = form.save(commit=False)
        plan.created_by = request.user
        plan.save()
        services.seed_sections(plan)
        return redirect("campaigns:compose", plan.pk, "subjects")
    previous = selectors.plans_visible_to(request.user).select_related("issuing_unit")[:30]
    return render(
        request,
        "campaigns/plan_create.html",
        {"form": form, "source": source, "previous": previous, "copy_form": copy_form},
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    manage = can(request.user, "campaigns.manage_plan", plan)
    latest = list(plan.revisions.order_by("-number")[:2])
    changes_for_units = (
        revisions.compare(
            latest[1].contents,
            latest[0].contents,
        )
        if len(latest) == 2
        else {}
    )
    my_paths = scope_paths(request.user) or []
    cascadable = (
        selectors.units_to_cascade(request.user, plan)
        if plan.status == PlanStatus.PUBLISHED
        else []
    )
    report_counts = {}
    if plan.status != PlanStatus.DRAFT:
        report_counts = {
            "total": plan.reports.count(),
        }
    context = {
        "plan": plan,
        "manage": manage,
        "rows": selectors.outline_rows(plan),
        "deadlines": plan.deadlines.select_related("level").order_by("-level__rank"),
        "subjects": plan.subjects.all(),
        "revision": latest[0] if latest else None,
        "changes_for_units": changes_for_units,
        "pending_changes": services.pending_changes(plan) if manage else {},
        "upstream": upstream.notice(plan) if manage and plan.parent_id else None,
        "children_status": services.children_status(plan)
        if manage and plan.status != PlanStatus.DRAFT
        else [],
        "cascadable": cascadable,
        "my_reports": plan.reports.filter(campaign=plan.root, unit__path__in=my_paths)
        .select_related("unit", "plan")
        .prefetch_related("plan__deadlines")
        if my_paths
        else [],
        "report_counts": report_counts,
        "publish_errors": services.publish_errors(plan) if manage and plan.is_draft else [],
        "newcomer_count": selectors.newcomers(plan).count()
        if manage and plan.status == PlanStatus.PUBLISHED
        else 0,
        # Cards of the apps above (the plan's files, the incoming register).
        "panels": registry.plan_panels.render(request, plan),
    }
    return render(request, "campaigns/plan_detail.html", context)


@login_required
def plan_compose(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    plan = _plan_for_manager(request, pk)
    if step not in STEP_NAMES:
        return redirect("campaigns:compose", pk, "general")
    if plan.status == PlanStatus.CLOSED:
        messages.error(request, _("This plan is closed; it can no longer be changed."))
        return redirect(plan)
    context = STEP_HANDLERS[step](request, plan)
    if isinstance(context, HttpResponse):
        return context
    index = STEP_NAMES.index(step)
    context.update(
        plan=plan,
        step=step,
        steps=STEPS,
        step_index=index,
        next_step=STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else None,
        previous_step=STEP_NAMES[index - 1] if index else None,
    )
    return render(request, f"campaigns/compose/{step}.html", context)


def _saved_and_next(request: HttpRequest, plan: Plan, step: str) -> HttpResponse:
    messages.success(request, _("Saved."))
    index = STEP_NAMES.index(step)
    target = (
        STEP_NAMES[index + 1] if "next" in request.POST and index + 1 < len(STEP_NAMES) else step
    )
    return redirect("campaigns:compose", plan.pk, target)


def _form_step(request: HttpRequest, plan: Plan, step: str, form_class, **kwargs):
    """A step that is one form of the plan: saved, or shown again with its errors."""
    form = form_class(request.POST or None, instance=plan, **kwargs)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _saved_and_next(request, plan, step)
    return {"form": form}


def _step_general(request: HttpRequest, plan: Plan):
    bodies = selectors.coordinated_bodies(request.user)
    return _form_step(request, plan, "general", PlanGeneralForm, bodies=bodies)


def _step_subjects(request: HttpRequest, plan: Plan):
    formset = SubjectFormSet(request.POST or None, instance=plan, prefix="subjects")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            subjects = formset.save(commit=False)
            for obj in formset.deleted_objects:
                obj.delete()
            for position, subject in enumerate(subjects):
                subject.position = position
                subject.save()
        return _saved_and_next(request, plan, "subjects")
    return {"formset": formset}


def _step_content(request: HttpRequest, plan: Plan):
    return section_views.step_content(request, plan, saved=_saved_and_next)


def _step_outline(request: HttpRequest, plan: Plan):
    if request.method == "POST":
        return _saved_and_next(request, plan, "outline")
    return {"rows": selectors.outline_rows(plan), "editable": True}


def _levels_below(plan: Plan) -> list[Level]:
    """Levels that may take part: those of the units below the issuing unit
    (the issuing unit itself never reports under its own plan)."""
    units = OrgUnit.objects.within([plan.issuing_unit.path]).active()
    level_ids = units.exclude(pk=plan.issuing_unit_id).values("level")
    return list(Level.objects.filter(pk__in=level_ids).order_by("-rank"))


def _step_deadlines(request: HttpRequest, plan: Plan):
    levels = _levels_below(plan)
    deadlines = selectors.deadlines_by_level(plan)
    data = request.POST or None
    deadline_form = DeadlinesForm(
        data,
        levels=levels,
        deadlines=deadlines,
        # The root plan's issuer dates its own (consolidated) report too.
        own_level=plan.issuing_unit.level if plan.parent_id is None else None,
    )
    participants_form = ParticipantsForm(
        data,
        instance=plan,
        levels=Level.objects.filter(pk__in=[lv.pk for lv in levels]),
        user=request.user,
    )
    problems: list[str] = []
    if request.method == "POST" and deadline_form.is_valid() and participants_form.is_valid():
        try:
            with transaction.atomic():
                participants_form.save()
                services.set_deadlines(
                    plan=plan,
                    deadlines=deadline_form.deadlines(),
                    complete=True,
                )
        except services.PlanError as error:
            problems = error.messages
        else:
            return _saved_and_next(request, plan, "deadlines")
    parent_deadlines = (
        plan.parent.deadlines.select_related("level").order_by("-level__rank")
        if plan.parent_id
        else []
    )
    return {
        "deadline_form": deadline_form,
        "participants_form": participants_form,
        "problems": problems,
        "parent_deadlines": parent_deadlines,
        "participant_count": selectors.participants(plan).count(),
        **_without_member(plan),
    }


WITHOUT_MEMBER_NAMED = 10  # units named in the warning; the others are counted


def _without_member(plan: Plan) -> dict:
    """Participants nobody could hear from, to be staffed before publishing."""
    units = selectors.participants_without_member(plan)
    count = units.count()
    names = list(units.values_list("name", flat=True)[:WITHOUT_MEMBER_NAMED]) if count else []
    return {
        "without_member_count": count,
        "without_member_names": names,
        "without_member_more": count - len(names),
    }


def _step_signature(request: HttpRequest, plan: Plan):
    return _form_step(request, plan, "signature", PlanSignatureForm)


def _step_preview(request: HttpRequest, plan: Plan):
    return {
        # The print layout itself, shown in a frame: what the PDF will show.
        "document_html": render_html(documents.build(plan), for_browser=True),
        "stale_parts": documents.stale_parts(plan),
        "publish_errors": services.publish_errors(plan) if plan.is_draft else [],
        "pending_changes": services.pending_changes(plan),
        "participant_count": selectors.participants(plan).count(),
    }


STEP_HANDLERS = {
    "general": _step_general,
    "subjects": _step_subjects,
    "content": _step_content,
    "outline": _step_outline,
    "deadlines": _step_deadlines,
    "signature": _step_signature,
    "preview": _step_preview,
}


RECORDED, LIVE = "recorded", "live"
PUBLISH_MODES = (RECORDED, LIVE)


def _publish_confirmation(request: HttpRequest, plan: Plan) -> HttpResponse:
    """Some deadlines are past: a campaign recorded after it took place, or a
    live one whose past deadlines the author goes back to fix (or confirms)."""
    return render(
        request,
        "campaigns/publish_confirm.html",
        {
            "plan": plan,
            "past_deadlines": plan.past_deadlines(),
            "today": timezone.localdate(),
            "all_past": not plan.deadlines.filter(last_day__gte=timezone.localdate()).exists(),
            "participant_count": selectors.participants(plan).count(),
        },
    )


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_manager(request, pk)
    mode = request.POST.get("mode", "")
    if (
        plan.is_draft
        and mode not in PUBLISH_MODES
        and not services.publish_errors(plan)
        and services.needs_mode_confirmation(plan)
    ):
        return _publish_confirmation(request, plan)
    try:
        if plan.is_draft and mode == RECORDED:
            services.publish(plan=plan, by=request.user, recorded_after_the_fact=True)
            messages.success(
                request,
                _(
                    "The campaign is recorded: nobody will be reminded; enter each report "
                    "with the date it was submitted."
                ),
            )
        elif plan.is_draft:
            services.publish(plan=plan, by=request.user)
            messages.success(request, _("The plan is published; the units have been notified."))
        else:
            services.publish_revision(plan=plan, by=request.user, note=request.POST.get("note", ""))
            messages.success(request, _("The changes are published; the units have been notified."))
    except services.PlanError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("campaigns:compose", plan.pk, "preview")
    return redirect(plan)


@login_required
@require_POST
def plan_cascade(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    unit_id = parse_id(request.POST.get("unit"))
    unit = selectors.coordinated_units(request.user).filter(pk=unit_id).first() if unit_id else None
    if unit is None:
        raise PermissionDenied
    try:
        child = services.cascade(parent=plan, unit=unit, by=request.user)
    except services.PlanError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(plan)
    messages.success(
        request, _("Your implementing plan is ready to complete: set your own deadlines.")
    )
    return redirect("campaigns:compose", child.pk, "general")


@login_required
@require_POST
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    """Take the parent plan's pending change into this plan's outline."""
    plan = _plan_for_manager(request, pk)
    if plan.status == PlanStatus.CLOSED:
        messages.error(request, _("This plan is closed; it can no longer be changed."))
        return redirect(plan)
    adopted = upstream.adopt(plan=plan, by=request.user)
    messages.success(
        request,
        _(
            "The parent plan's changes are in your outline: %(added)s new item(s), "
            "%(changed)s changed."
        )
        % {"added": len(adopted.added), "changed": len(adopted.changed)},
    )
    if adopted.kept:
        messages.warning(
            request,
            _(
                "The parent plan no longer asks for: %(items)s. They stay in your outline as "
                "your own items (your units may have answered them); delete them if you no "
                "longer need them."
            )
            % {"items": "; ".join(str(item).rstrip(".") for item in adopted.kept)},
        )
    if plan.is_draft:
        return redirect(plan)
    return redirect("campaigns:compose", plan.pk, "preview")


@login_required
@require_POST
def plan_close(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_manager(request, pk)
    if plan.status == PlanStatus.PUBLISHED:
        plan.close()
        messages.success(request, _("The plan is closed."))
    return redirect(plan)


@login_required
@require_POST
def plan_lock(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_manager(request, pk)
    if request.POST.get("unlock"):
        services.unlock_plan(plan=plan, by=request.user)
        messages.success(request, _("Units may change their reports again."))
    else:
        services.lock_plan(plan=plan, by=request.user)
        messages.success(request, _("Reports are locked; reopen single units if needed."))
    return redirect(plan)


@login_required
@require_POST
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_for_manager(request, pk)
    if not plan.is_draft:
        messages.error(request, _("Only a draft can be deleted."))
        return redirect(plan)
    plan.delete()
    messages.success(request, _("The draft was deleted."))
    return redirect("campaigns:list")


@login_required
def plan_document(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The plan as a PDF, a DOCX or the printable preview (``fmt``, from the URL)."""
    plan = selectors.get_plan_for_user(
        request.user, pk, action="campaigns.download_plan", hide=True
    )
    stem = f"ke-hoach-{slugify(plan.number_symbol.replace('/', '-'))}"
    if fmt == PDF and (signed := signing.signed_file(plan)) is not None:
        # The published revision as the issuing body's certificate signed it.
        inline = bool(request.GET.get("inline"))
        return stored_file_response(signed, f"{stem}.pdf", PDF_CONTENT_TYPE, inline=inline)
    return document_view(request, documents.build(plan), fmt, stem)
