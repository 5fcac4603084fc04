"""Forms of the plan composer, one per step."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import RecipientsField, RichTextField
from orgunits.models import IssuingBody, Level, OrgUnit, Term

from .models import Plan, PlanKind, PlanStatus, SubjectDocument
from .selectors import plan_numbers_taken
from .services import next_number

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def refuse_taken_plan_number(
    form: forms.ModelForm, *, body: IssuingBody, number: int, term: Term
) -> None:
    """An error on the form's number when another plan of ``body``'s register
    for ``term`` holds it: review and dialogue plans share the register ("-KH/HU")."""
    exclude = form.instance if form.instance.pk else None
    if plan_numbers_taken(body, term, numbers=[number], exclude=exclude):
        form.add_error(
            "number",
            _("Number %(number)s is already used by another plan of %(unit)s in the %(term)s term.")
            % {"number": number, "unit": body.phrase, "term": term.name},
        )


class BodyChoiceField(forms.ModelChoiceField):
    """Bodies shown as "Unit — Body", grouped by unit in path order."""

    def label_from_instance(self, obj: IssuingBody) -> str:
        return f"{obj.unit.name} — {obj.phrase}"


def _grouped_choices(bodies, *, blank: str | None = None) -> list:
    choices: list = [("", blank)] if blank is not None else []
    groups: dict[str, list] = {}
    for body in bodies:
        groups.setdefault(body.unit.name, []).append((body.pk, f"{body.unit.name} — {body.phrase}"))
    return choices + list(groups.items())


class PlanGeneralForm(forms.ModelForm):
    issuing_body = BodyChoiceField(
        label=_("Issuing body"),
        queryset=IssuingBody.objects.none(),
        help_text=_(
            "The header, the symbol and the number register are the body's; the units of its "
            "unit take part."
        ),
    )
    lead_body = BodyChoiceField(
        label=_("Reports go through (receiving body)"),
        queryset=IssuingBody.objects.none(),
        required=False,
        help_text=_(
            "A body of the issuing unit, e.g. its Ban Dân vận: “(qua Ban Dân vận Tỉnh ủy)”. "
            "Empty: the name typed under Content, if any."
        ),
    )

    class Meta:
        model = Plan
        fields = [
            "issuing_body",
            "lead_body",
            "number",
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

    def __init__(self, *args, bodies=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bodies = list(bodies) if bodies is not None else []
        if self.instance.issuing_body_id and self.instance.issuing_body not in bodies:
            bodies.insert(0, self.instance.issuing_body)  # a body the user no longer has
        pks = [body.pk for body in bodies]
        for name in ("issuing_body", "lead_body"):
            self.fields[name].queryset = IssuingBody.objects.filter(pk__in=pks).select_related(
                "unit"
            )
        self.fields["issuing_body"].choices = _grouped_choices(bodies, blank="---------")
        self.fields["lead_body"].choices = _grouped_choices(bodies, blank="---------")
        self.fields["kind"].choices = PlanKind.choices
        if self.instance.pk and self.instance.status != PlanStatus.DRAFT:
            for name in ("issuing_body", "number", "issued_on"):
                self.fields[name].disabled = True
        self.helper = _helper()
        self.helper.layout = Layout(
            Row(
                Column("issuing_body", css_class="col-md-7"),
                Column("lead_body", css_class="col-md-5"),
            ),
            Row(
                Column("number", css_class="col-md-3"),
                Column("issued_on", css_class="col-md-3"),
                Column("place_name", css_class="col-md-6"),
            ),
            Row(
                Column("kind", css_class="col-md-4"),
                Column("period_start", css_class="col-md-4"),
                Column("period_end", css_class="col-md-4"),
            ),
            "summary",
            "introduction",
        )

    def clean(self):
        data = super().clean()
        body, number, issued_on = (
            data.get("issuing_body"),
            data.get("number"),
            data.get("issued_on"),
        )
        if body and number and issued_on:
            term = Term.for_date(issued_on)
            if (
                not self.instance.pk
                and "issuing_body" in self.changed_data
                and number == self.initial.get("number")
            ):
                # The number proposed was the first body's: propose the chosen one's.
                number = data["number"] = next_number(body=body, term=term)
            refuse_taken_plan_number(self, body=body, number=number, term=term)
            self.instance.term = term
        if number is not None and number < 1:
            self.add_error("number", _("Numbers start from 01."))
        lead = data.get("lead_body")
        if body and lead and lead.unit_id != body.unit_id:
            self.add_error(
                "lead_body",
                _("The receiving body must be a body of %(unit)s.") % {"unit": body.unit},
            )
        return data

    def save(self, commit: bool = True) -> Plan:
        plan = self.instance
        if plan.is_draft and plan.issuing_body_id:
            # A draft prints its body's header and symbol; a new body brings its
            # signature too, which stays editable in the signature step.
            body_changed = "issuing_body" in self.changed_data or not plan.pk
            plan.take_body(plan.issuing_body, signature=body_changed)
        return super().save(commit)


class SubjectDocumentForm(forms.ModelForm):
    class Meta:
        model = SubjectDocument
        fields = ["doc_type", "number_symbol", "issued_on", "issuer", "title", "short_form"]
        widgets = {"issued_on": DATE_WIDGET, "title": forms.Textarea(attrs={"rows": 2})}


SubjectFormSet = forms.inlineformset_factory(
    Plan, SubjectDocument, form=SubjectDocumentForm, extra=1, can_delete=True
)


class PlanContentForm(forms.ModelForm):
    purpose = RichTextField(label=_("I. Purpose and requirements"), required=False)
    content_intro = RichTextField(label=_("II. Content: introduction"), required=False)
    implementation = RichTextField(label=_("IV. Implementation"), required=False)
    closing = RichTextField(label=_("Closing paragraphs"), required=False)

    class Meta:
        model = Plan
        fields = [
            "purpose",
            "content_intro",
            "outline_annexed",
            "review_form",
            "conference_date",
            "lead_commission",
            "implementation",
            "closing",
        ]
        widgets = {"conference_date": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()
        self.helper.layout = Layout(
            "purpose",
            "content_intro",
            "outline_annexed",
            Row(
                Column("review_form", css_class="col-md-6"),
                Column("conference_date", css_class="col-md-6"),
            ),
            "lead_commission",
            "implementation",
            "closing",
        )

    def clean(self):
        data = super().clean()
        self.instance.review_form = data.get("review_form")
        self.instance.conference_date = data.get("conference_date")
        return data


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
        self.fields["sign_on_behalf"].help_text = _(
            "Prefilled from the issuing body; change it for this plan only, e.g. "
            "“K/T TRƯỞNG BAN” when a deputy signs."
        )
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
