"""Forms of the plan composer, one per step."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import RecipientsField, RichTextField
from documents.numbering import DOC_TYPE_PLAN, issuer_symbol_only, symbol_help
from orgunits.models import Level, OrgUnit, Term

from .models import Plan, PlanBlock, PlanKind, PlanSection, PlanStatus, SubjectDocument
from .selectors import plan_numbers_taken

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def refuse_taken_plan_number(
    form: forms.ModelForm, *, unit: OrgUnit, number: int, term: Term
) -> None:
    """An error on the form's number when another plan of ``unit``'s register
    for ``term`` holds it: review and dialogue plans share the register ("-KH/HU")."""
    exclude = form.instance if form.instance.pk else None
    if plan_numbers_taken(unit, term, numbers=[number], exclude=exclude):
        form.add_error(
            "number",
            _("Number %(number)s is already used by another plan of %(unit)s in the %(term)s term.")
            % {"number": number, "unit": unit, "term": term.name},
        )


class PlanGeneralForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = [
            "issuing_unit",
            "number",
            "issuer_symbol",
            "superior_body",
            "place_name",
            "issued_on",
            "kind",
            "period_start",
            "period_end",
            "summary",
            "introduction",
        ]
        widgets = {
            "issued_on": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = (
            units if units is not None else OrgUnit.objects.none()
        )
        self.fields["kind"].choices = PlanKind.choices
        self.fields["issuer_symbol"].help_text = symbol_help(DOC_TYPE_PLAN)
        if self.instance.pk and self.instance.status != PlanStatus.DRAFT:
            for name in ("issuing_unit", "number", "issuer_symbol", "issued_on"):
                self.fields[name].disabled = True
        self.helper = _helper()
        self.helper.layout = Layout(
            "issuing_unit",
            Row(
                Column("number", css_class="col-md-3"),
                Column("issuer_symbol", css_class="col-md-3"),
                Column("issued_on", css_class="col-md-3"),
                Column("place_name", css_class="col-md-3"),
            ),
            "superior_body",
            Row(
                Column("kind", css_class="col-md-4"),
                Column("period_start", css_class="col-md-4"),
                Column("period_end", css_class="col-md-4"),
            ),
            "summary",
            "introduction",
        )

    def clean_issuer_symbol(self) -> str:
        return issuer_symbol_only(self.cleaned_data["issuer_symbol"])

    def clean(self):
        data = super().clean()
        unit, number, issued_on = (
            data.get("issuing_unit"),
            data.get("number"),
            data.get("issued_on"),
        )
        if unit and number and issued_on:
            term = Term.for_date(issued_on)
            refuse_taken_plan_number(self, unit=unit, number=number, term=term)
            self.instance.term = term
        if number is not None and number < 1:
            self.add_error("number", _("Numbers start from 01."))
        return data


class SubjectDocumentForm(forms.ModelForm):
    class Meta:
        model = SubjectDocument
        fields = ["doc_type", "number_symbol", "issued_on", "issuer", "title", "short_form"]
        widgets = {"issued_on": DATE_WIDGET, "title": forms.Textarea(attrs={"rows": 2})}


SubjectFormSet = forms.inlineformset_factory(
    Plan, SubjectDocument, form=SubjectDocumentForm, extra=1, can_delete=True
)


class PlanContentForm(forms.ModelForm):
    """What the content step asks of the plan itself; its parts are a formset."""

    class Meta:
        model = Plan
        fields = [
            "section_style",
            "outline_placement",
            "review_form",
            "conference_date",
            "lead_commission",
        ]
        widgets = {"conference_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(
                Column("section_style", css_class="col-md-4"),
                Column("outline_placement", css_class="col-md-8"),
            ),
            Row(
                Column("review_form", css_class="col-md-6"),
                Column("conference_date", css_class="col-md-6"),
            ),
            "lead_commission",
        )

    def clean(self):
        data = super().clean()
        self.instance.review_form = data.get("review_form")
        self.instance.conference_date = data.get("conference_date")
        return data


class PlanSectionForm(forms.ModelForm):
    """One part of the plan's body: an optional title, its text, a generated block."""

    body = RichTextField(label=_("Text"), required=False)
    position = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = PlanSection
        fields = ["position", "title", "body", "block", "wording"]
        labels = {"block": _("Then the block")}
        widgets = {
            "title": forms.TextInput(attrs={"placeholder": _("(continues the section above)")}),
            "wording": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].choices = [("", _("(none)")), *PlanBlock.choices]
        self.fields["block"].help_text = _("Written by the application, after this part's text.")
        self.fields["wording"].help_text = _(
            "One paragraph a line, numbering included. Empty: the application's wording, "
            "which follows the plan's changes."
        )
        # Said once at the top of the step, and by the empty title's placeholder.
        self.fields["title"].help_text = ""


class BaseSectionFormSet(forms.BaseInlineFormSet):
    def ordered_forms(self) -> list[PlanSectionForm]:
        """The kept forms in the order posted (the move buttons renumber them)."""
        kept = [
            form
            for form in self.forms
            if form not in self.deleted_forms and (form.instance.pk or form.has_changed())
        ]
        return sorted(
            kept,
            key=lambda f: (
                f.cleaned_data.get("position") is None,
                f.cleaned_data.get("position") or 0,
            ),
        )


SectionFormSet = forms.inlineformset_factory(
    Plan,
    PlanSection,
    form=PlanSectionForm,
    formset=BaseSectionFormSet,
    extra=0,
    can_delete=True,
)


class PlanSignatureForm(forms.ModelForm):
    recipients = RecipientsField(
        label=_("Recipients (Nơi nhận), one per line"),
        rows=8,
        help_text=_("Without the leading dash; the last line is usually “Lưu Văn phòng Tỉnh ủy.”"),
    )

    class Meta:
        model = Plan
        fields = ["recipients", "sign_on_behalf", "signer_position", "signer_name"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            "recipients",
            Row(
                Column("sign_on_behalf", css_class="col-md-4"),
                Column("signer_position", css_class="col-md-4"),
                Column("signer_name", css_class="col-md-4"),
            ),
        )


class ParticipantsForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["participating_levels", "excluded_units", "pilot_units", "pilot_due_on"]
        widgets = {
            "participating_levels": forms.CheckboxSelectMultiple,
            "excluded_units": forms.SelectMultiple(attrs={"size": 8}),
            "pilot_units": forms.SelectMultiple(attrs={"size": 8}),
            "pilot_due_on": DATE_WIDGET,
        }

    def __init__(self, *args, levels=None, units=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participating_levels"].queryset = (
            levels if levels is not None else Level.objects.none()
        )
        for name in ("excluded_units", "pilot_units"):
            self.fields[name].queryset = units if units is not None else OrgUnit.objects.none()
            self.fields[name].required = False
        self.helper = _helper()
        self.helper.layout = Layout(
            Field("participating_levels"),
            Row(
                Column("excluded_units", css_class="col-md-6"),
                Column("pilot_units", css_class="col-md-6"),
            ),
            "pilot_due_on",
        )

    def clean(self):
        data = super().clean()
        if data.get("pilot_units") and not data.get("pilot_due_on"):
            self.add_error("pilot_due_on", _("Give the pilot units' deadline."))
        if (
            data.get("pilot_due_on")
            and self.instance.issued_on
            and data["pilot_due_on"] < self.instance.issued_on
        ):
            self.add_error("pilot_due_on", _("No deadline can be before the plan's date."))
        return data


class DeadlinesForm(forms.Form):
    """One date field per level that may take part, and the issuing unit's own."""

    def __init__(
        self,
        *args,
        levels: list[Level],
        initial_dates: dict[int, object],
        own_level: Level | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.levels = ([own_level] if own_level and own_level not in levels else []) + levels
        for level in self.levels:
            self.fields[f"level_{level.pk}"] = forms.DateField(
                label=level.name,
                required=False,
                widget=DATE_WIDGET,
                initial=initial_dates.get(level.pk),
            )
        if own_level is not None:
            self.fields[f"level_{own_level.pk}"].help_text = _(
                "The issuing unit's own report (the consolidated one). Left empty: the last "
                "deadline below."
            )
        self.helper = _helper()

    def deadlines(self) -> list[tuple[Level, object]]:
        return [
            (level, self.cleaned_data[f"level_{level.pk}"])
            for level in self.levels
            if self.cleaned_data.get(f"level_{level.pk}")
        ]


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + PlanStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + PlanKind.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1930, max_value=2100)
