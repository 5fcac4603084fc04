"""Units joining or leaving a published plan (added to the tree since, or leaving it)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orgunits.access import can
from orgunits.models import OrgUnit

from . import selectors, services
from .models import Plan, PlanStatus

PAGE_SIZE = 50


class ParticipantChangeForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Units"),
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("Choose at least one unit."),
            "invalid_choice": gettext_lazy("One of the chosen units is not on this list."),
            "invalid_pk_value": gettext_lazy("One of the chosen units is not on this list."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Note for the revision"),
        required=False,
        max_length=500,
        widget=forms.TextInput,
    )

    def __init__(self, *args, units, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units


def _governed(plan: Plan):
    """Units whose report this plan governs: those that may leave it."""
    return OrgUnit.objects.filter(reports__plan=plan, reports__campaign_id=plan.root.pk).exclude(
        pk=plan.issuing_unit_id
    )


def _search(units, text: str):
    return units.search(text) if text else units


@login_required
def participants(request: HttpRequest, pk: int) -> HttpResponse:
    plan = selectors.get_plan_for_user(request.user, pk)
    if not can(request.user, "campaigns.manage_plan", plan):
        raise PermissionDenied
    if plan.status != PlanStatus.PUBLISHED:
        messages.error(request, _("Units can join or leave only a published plan."))
        return redirect(plan)
    newcomers = selectors.newcomers(plan)
    governed = _governed(plan)
    add_form = ParticipantChangeForm(prefix="add", units=newcomers)
    remove_form = ParticipantChangeForm(prefix="remove", units=governed)
    problems: list[str] = []
    if request.method == "POST":
        joining = request.POST.get("action") == "add"
        form = ParticipantChangeForm(
            request.POST,
            prefix="add" if joining else "remove",
            units=newcomers if joining else governed,
        )
        if joining:
            add_form = form
        else:
            remove_form = form
        if form.is_valid():
            units = list(form.cleaned_data["units"])
            try:
                revision = services.change_participants(
                    plan=plan,
                    by=request.user,
                    add=units if joining else [],
                    remove=[] if joining else units,
                    note=form.cleaned_data["note"],
                )
            except services.PlanError as error:
                problems = error.messages
            else:
                messages.success(
                    request,
                    _("Revision %(n)s recorded: %(note)s")
                    % {"n": revision.number, "note": revision.note},
                )
                return redirect("campaigns:participants", plan.pk)
    query = request.GET.get("q", "").strip()[:100]
    newcomer_page = Paginator(
        _search(newcomers, query).select_related("level"), PAGE_SIZE
    ).get_page(request.GET.get("trang_moi"))
    governed_page = Paginator(
        _search(governed, query).select_related("level").order_by("path"), PAGE_SIZE
    ).get_page(request.GET.get("trang"))
    changes = [
        revision
        for revision in plan.revisions.order_by("-number")
        if revision.units_added or revision.units_removed
    ]
    return render(
        request,
        "campaigns/participants.html",
        {
            "plan": plan,
            "query": query,
            "add_form": add_form,
            "remove_form": remove_form,
            "newcomer_page": newcomer_page,
            "governed_page": governed_page,
            "problems": problems,
            "pending_changes": services.pending_changes(plan),
            "changes": changes,
        },
    )
