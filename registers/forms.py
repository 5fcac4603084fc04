"""Forms of the registers: an incoming entry, the lists' filters, a plan's file."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.forms import DATE_WIDGET
from campaigns.models import Plan
from campaigns.selectors import plans_visible_to
from orgunits.models import OrgUnit
from reports.attachments import ACCEPT
from reports.forms import MultipleFileField

from .models import IncomingDocument
from .selectors import ISSUED, OutgoingType, bodies_of, next_incoming_number


def _files_help() -> str:
    return _(
        "One or more files: PDF, JPG, PNG, Word (.doc, .docx) or Excel (.xls, .xlsx), "
        "up to %(limit)s each."
    ) % {"limit": filesizeformat(settings.REPORT_ATTACHMENT_MAX_BYTES)}


class IncomingForm(forms.ModelForm):
    """One document received, as the unit's office enters it."""

    files = MultipleFileField(label=gettext_lazy("Scans of the document"), required=False)

    class Meta:
        model = IncomingDocument
        fields = [
            "number",
            "received_on",
            "sender",
            "symbol",
            "document_date",
            "summary",
            "plan",
            "routed_to",
            "note",
        ]
        widgets = {
            "received_on": DATE_WIDGET,
            "document_date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }
        error_messages = {
            "received_on": {"required": gettext_lazy("Enter the day the document arrived.")},
            "sender": {"required": gettext_lazy("Say who sent the document.")},
            "summary": {"required": gettext_lazy("Enter the summary (trích yếu).")},
        }

    def __init__(self, *args, unit: OrgUnit, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        today = timezone.localdate()
        year = self.data.get("received_on", "")[:4] if self.is_bound else ""
        year = int(year) if year.isdigit() else today.year
        number = self.fields["number"]
        number.required = False
        number.min_value = 1
        number.widget.attrs.update(min=1, inputmode="numeric")
        number.help_text = _("Leave empty for the next one: %(next)s.") % {
            "next": next_incoming_number(unit, year)
        }
        self.fields["received_on"].widget.attrs = {"type": "date", "max": today.isoformat()}
        self.fields["document_date"].widget.attrs = {"type": "date", "max": today.isoformat()}
        self.fields["symbol"].help_text = _("As printed on the document, e.g. 279-KH/TU.")
        bodies = self.fields["routed_to"]
        bodies.queryset = unit.issuing_bodies.all()
        bodies.label_from_instance = lambda body: body.phrase
        bodies.empty_label = _("(not routed)")
        plans = self.fields["plan"]
        plans.queryset = (
            plans_visible_to(user)
            .filter(Q(reports__unit=unit) | Q(campaign_reports__unit=unit), status__in=ISSUED)
            .distinct()
            .order_by("-issued_on")
        )
        plans.label_from_instance = lambda plan: f"{plan.number_symbol} — {plan.summary[:80]}"
        plans.empty_label = _("(none: not a plan of the app)")
        plans.help_text = _("If the document is a plan run in the app, choose it.")
        self.fields["files"].help_text = _files_help()

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day it arrived cannot be in the future."))
        return day

    def clean(self):
        data = super().clean()
        received_on, document_date = data.get("received_on"), data.get("document_date")
        if received_on and document_date and document_date > received_on:
            self.add_error(
                "document_date", _("The document cannot be dated after the day it arrived.")
            )
        number = data.get("number")
        if received_on and number:
            taken = IncomingDocument.objects.filter(
                unit=self.unit, year=received_on.year, number=number
            )
            if taken.exists():
                from .services import number_taken

                self.add_error("number", number_taken(self.unit, received_on.year, number))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


def initial_for_plan(plan: Plan) -> dict:
    """The entry of a plan of the app that reached the unit, prefilled."""
    return {
        "plan": plan.pk,
        "sender": plan.issuing_body.phrase if plan.issuing_body_id else plan.issuing_unit.name,
        "symbol": plan.number_symbol,
        "document_date": plan.issued_on,
        "summary": f"Kế hoạch {plan.summary}".strip(),
        "received_on": timezone.localdate(),
    }


def _year_choices(years: list[int]) -> list[tuple[str, str]]:
    return [("", _("All years"))] + [(str(y), str(y)) for y in years]


def _body_choices(unit: OrgUnit) -> list[tuple[str, str]]:
    return [("", _("All bodies"))] + [(str(b.pk), b.phrase) for b in bodies_of(unit)]


class IncomingFilterForm(forms.Form):
    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    body = forms.ChoiceField(label=gettext_lazy("Routed to"), required=False)
    q = forms.CharField(
        label=gettext_lazy("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, unit: OrgUnit, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)
        self.fields["body"].choices = _body_choices(unit)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"year": None, "body": None, "q": ""}
        data = self.cleaned_data
        return {
            "year": int(data["year"]) if data["year"] else None,
            "body": int(data["body"]) if data["body"] else None,
            "q": data["q"].strip(),
        }


class OutgoingFilterForm(forms.Form):
    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    body = forms.ChoiceField(label=gettext_lazy("Issued by"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), required=False)

    def __init__(self, *args, unit: OrgUnit, years: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)
        self.fields["body"].choices = _body_choices(unit)
        self.fields["kind"].choices = [("", _("All types")), *OutgoingType.CHOICES]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"year": None, "body": None, "kind": ""}
        data = self.cleaned_data
        return {
            "year": int(data["year"]) if data["year"] else None,
            "body": int(data["body"]) if data["body"] else None,
            "kind": data["kind"],
        }


class PlanFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"), widget=forms.FileInput(attrs={"accept": ACCEPT})
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, JPG, PNG, Word (.doc, .docx) or Excel (.xls, .xlsx), up to %(limit)s."
        ) % {"limit": filesizeformat(settings.REPORT_ATTACHMENT_MAX_BYTES)}
