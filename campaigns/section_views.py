"""The composer's content step: the plan's parts, edited as a list.

Every button posts the whole list, so nothing typed is lost; its action (add,
move, delete, edit or take the generated wording) applies after the save.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import documents, services
from .forms import PlanContentForm, SectionFormSet
from .models import Plan, PlanSection


def step_content(request: HttpRequest, plan: Plan, *, saved) -> HttpResponse | dict:
    """The plan's parts, in order: saved whole on any button, then the button's
    action (add, move, delete, edit or take the generated wording) is applied."""
    if request.method == "POST" and f"{PARTS_PREFIX}-TOTAL_FORMS" not in request.POST:
        # From the preview: take the new generated text, or keep the edited one.
        _part_action(plan, request.POST.get("action", ""))
        return redirect("campaigns:compose", plan.pk, "preview")
    form = PlanContentForm(request.POST or None, instance=plan)
    formset = SectionFormSet(request.POST or None, instance=plan, prefix=PARTS_PREFIX)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            _save_parts(plan, formset)
            anchor = _part_action(plan, request.POST.get("action", ""))
        if anchor is None:
            return saved(request, plan, "content")
        url = reverse("campaigns:compose", args=[plan.pk, "content"])
        if anchor and not request.POST.get("keep_scroll"):  # without JavaScript
            url = f"{url}#{anchor}"
        return redirect(url)
    if request.method == "POST":
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    data = documents.BodyData.of(plan)
    return {"form": form, "formset": formset, "parts": _part_rows(plan, formset, data)}


PARTS_PREFIX = "parts"


def _part_rows(plan: Plan, formset, data: documents.BodyData) -> list[dict]:
    """Each part's form with the section it prints in and its generated text."""
    rows, number = [], 0
    for form in formset.forms:
        part = form.instance
        title = form["title"].value() if form.is_bound else part.title
        if (title or "").strip():
            number += 1
        generated = documents.generated_text(part.block, data) if part.block else ""
        rows.append(
            {
                "form": form,
                "part": part,
                "heading": documents.roman(number) if number else "",
                "starts_section": bool((title or "").strip()),
                "generated": generated,
                "stale": part.is_edited and part.wording_source.strip() != generated,
            }
        )
    return rows


def _save_parts(plan: Plan, formset) -> None:
    data = documents.BodyData.of(plan)
    formset.save(commit=False)
    for obj in formset.deleted_objects:
        if obj.pk:
            obj.delete()
    for position, form in enumerate(formset.ordered_forms()):
        part = form.instance
        part.plan, part.position = plan, position
        if "block" in form.changed_data and "wording" not in form.changed_data:
            part.wording = ""  # another block: its wording does not apply
        if not part.wording.strip() or not part.block:
            part.wording, part.wording_source = "", ""
        elif not part.wording_source:
            # Typed without "edit the wording": edited from what is generated now.
            part.wording_source = documents.generated_text(part.block, data)
        part.save()


def _part_action(plan: Plan, action: str) -> str | None:
    """Apply a part's button; the anchor to return to, None for a plain save."""
    verb, _sep, pk = action.partition(":")
    if verb == "add" and not pk:
        parts = list(plan.sections.all())
        new = PlanSection.objects.create(plan=plan, position=len(parts))
        return f"part-{new.pk}"
    part = plan.sections.filter(pk=pk).first() if pk.isdigit() else None
    if part is None:
        return None
    if verb == "up" or verb == "down":
        services.move_section(part, -1 if verb == "up" else 1)
    elif verb == "add":
        parts = list(plan.sections.all())
        index = next(i for i, p in enumerate(parts) if p.pk == part.pk)
        new = PlanSection.objects.create(plan=plan, position=index + 1)
        parts.insert(index + 1, new)
        services.renumber(parts)
        return f"part-{new.pk}"
    elif verb == "delete":
        parts = [p for p in plan.sections.all() if p.pk != part.pk]
        part.delete()
        services.renumber(parts)
        return ""
    elif verb in ("edit", "take", "keep") and part.block:
        generated = documents.generated_text(part.block, documents.BodyData.of(plan))
        if verb == "edit" or (verb == "keep" and part.is_edited):
            part.wording = part.wording if verb == "keep" else generated
            part.wording_source = generated
        else:  # take the generated text again: it follows the plan's changes
            part.wording, part.wording_source = "", ""
        part.save(update_fields=["wording", "wording_source"])
    return f"part-{part.pk}"
