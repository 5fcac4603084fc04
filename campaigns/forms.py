"""Forms of the plan composer, one per step."""

from __future__ import annotations

import datetime
import re

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.html import escape
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from documents.dates import DATE_INPUT_ATTRS, validate_date_window
from documents.forms import DateField, RecipientsField, RichTextField
from orgunits.fields import BodyChoiceField, UnitChoiceField, UnitMultipleChoiceField
from orgunits.models import IssuingBody, Level, Term

from .models import (
    Deadline,
    DeadlineKind,
    Plan,
    PlanBlock,
    PlanKind,
    PlanSection,
    PlanStatus,
    SubjectDocument,
)
from .selectors import plan_numbers_taken
from .services import DeadlineCheck, next_number

# Date inputs: the picker stays in the app's window (documents.dates); the
# model fields validate it, and form-only dates are documents.forms.DateField.
DATE_WIDGET = forms.DateInput(attrs={"type": "date", **DATE_INPUT_ATTRS}, format="%Y-%m-%d")


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


def _body_choices(bodies, *, blank: str) -> list:
    return [("", blank)] + [(body.pk, f"{body.unit.name} — {body.phrase}") for body in bodies]


class PlanGeneralForm(forms.ModelForm):
    # Searched, never listed: a province coordinator issues for thousands of units.
    issuing_body = BodyChoiceField(
        label=_("Issuing body"),
        purpose="issuer",
        help_text=_(
            "The header, the symbol and the number register are the body's; the units of its "
            "unit take part."
        ),
    )
    # The few bodies of the issuing unit.
    lead_body = forms.ModelChoiceField(
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
        bodies = bodies if bodies is not None else IssuingBody.objects.none()
        current = self.instance.issuing_body_id
        # The bodies the user may issue from, and the plan's own (one they may no longer have).
        allowed = IssuingBody.objects.filter(Q(pk__in=bodies.values("pk")) | Q(pk=current))
        self.fields["issuing_body"].queryset = allowed
        self.fields["lead_body"].queryset = allowed.select_related("unit")
        unit = self.instance.issuing_unit if self.instance.issuing_unit_id else None
        own = (
            list(
                IssuingBody.objects.filter(unit=unit)
                .select_related("unit")
                .order_by("-is_default", "position", "id")
            )
            if unit is not None
            else []
        )
        self.fields["lead_body"].choices = _body_choices(own, blank="---------")
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


class CopyPlanForm(forms.Form):
    """The unit a copied plan is issued for: searched among those the user coordinates."""

    issuing_unit = UnitChoiceField(label=_("Issuing unit"), purpose="issuer")

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].scope(user)


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
    # Searched, never listed: the issuing unit's subtree may hold thousands.
    excluded_units = UnitMultipleChoiceField(
        label=capfirst(Plan._meta.get_field("excluded_units").verbose_name), required=False
    )
    pilot_units = UnitMultipleChoiceField(
        label=capfirst(Plan._meta.get_field("pilot_units").verbose_name), required=False
    )

    class Meta:
        model = Plan
        fields = ["participating_levels", "excluded_units", "pilot_units", "pilot_due_on"]
        widgets = {
            "participating_levels": forms.CheckboxSelectMultiple,
            "pilot_due_on": DATE_WIDGET,
        }

    def __init__(self, *args, levels=None, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participating_levels"].queryset = (
            levels if levels is not None else Level.objects.none()
        )
        for name in ("excluded_units", "pilot_units"):
            # The units below the issuing unit (never the issuer itself).
            self.fields[name].scope(user, under=self.instance.issuing_unit)
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


MONTH_TYPED = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")  # "9/2024", "09/2024"
MONTH_PICKED = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")  # "2024-09", as the picker sends it


def parse_month(value: str) -> datetime.date | None:
    """The first day of the month in "2024-09", "9/2024" or "09/2024"."""
    if match := MONTH_PICKED.match(value):
        year, month = int(match[1]), int(match[2])
    elif match := MONTH_TYPED.match(value):
        month, year = int(match[1]), int(match[2])
    else:
        return None
    if not 1 <= month <= 12 or year < 1930:
        return None
    return datetime.date(year, month, 1)


class MonthInput(forms.TextInput):
    """A month picker; where the browser has none it is a text box and takes
    "9/2024" as well."""

    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return super().format_value(value)


class MonthField(forms.Field):
    widget = MonthInput(attrs={"placeholder": "9/2024"})
    default_validators = [validate_date_window]
    default_error_messages = {
        "invalid": _("Enter a month as 9/2024."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        month = parse_month(str(value))
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month

    def prepare_value(self, value):
        # A month typed as "9/2024" goes back to the picker as "2024-09", which
        # it can show: nothing typed is lost when the page comes back.
        if isinstance(value, str) and (month := parse_month(value)):
            return month
        return value


# The fields of a level's deadline, and the kinds each is for.
KIND_PARTS = {
    "start": {DeadlineKind.PERIOD},
    "": {DeadlineKind.DAY, DeadlineKind.PERIOD},
    "month": {DeadlineKind.MONTH},
    "report_by": {DeadlineKind.DAY, DeadlineKind.MONTH, DeadlineKind.PERIOD},
}
MODEL_FIELDS = {"starts_on": "start", "due_on": "", "report_by": "report_by"}


class DeadlinesForm(forms.Form):
    """Per level that may take part (and the issuing unit's own): the kind of
    deadline, its dates and the optional day for sending the report up.

    All the fields are on the page; those the chosen kind does not use are
    ignored (with JavaScript they are hidden). ``level_<pk>`` is the day, or
    the end of a period.
    """

    def __init__(
        self,
        *args,
        levels: list[Level],
        deadlines: dict[int, Deadline],
        own_level: Level | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.levels = ([own_level] if own_level and own_level not in levels else []) + levels
        self.checks: list[DeadlineCheck] = []
        layout = []
        for level in self.levels:
            prefix = f"level_{level.pk}"
            current = deadlines.get(level.pk)
            kind = current.kind if current else DeadlineKind.DAY
            self.fields[f"{prefix}_kind"] = forms.ChoiceField(
                label=_("Kind of deadline"),
                choices=DeadlineKind.choices,
                required=False,
                initial=kind,
                widget=forms.RadioSelect,
            )
            self.fields[f"{prefix}_start"] = DateField(
                label=_("Period from"),
                required=False,
                widget=DATE_WIDGET,
                initial=current.starts_on if current else None,
            )
            self.fields[prefix] = DateField(
                label=_("Finish by"),
                required=False,
                widget=DATE_WIDGET,
                initial=current.due_on if current and kind != DeadlineKind.MONTH else None,
                help_text=_("For a period: the day it ends."),
            )
            self.fields[f"{prefix}_month"] = MonthField(
                label=_("Month"),
                required=False,
                help_text=_("Type it as 9/2024 if no month picker shows."),
                initial=current.due_on if current and kind == DeadlineKind.MONTH else None,
            )
            self.fields[f"{prefix}_report_by"] = DateField(
                label=_("Send the report to the level above by (optional)"),
                required=False,
                widget=DATE_WIDGET,
                initial=current.report_by if current else None,
                help_text=_("On or after the finish date; reminders go by this day."),
            )
            parts = [
                Column(
                    f"{prefix}_{part}" if part else prefix,
                    css_class="col-sm-6" if part != "report_by" else "col-12",
                    data_deadline_part=" ".join(sorted(kinds)),
                )
                for part, kinds in KIND_PARTS.items()
            ]
            layout.append(
                Fieldset(
                    escape(level.name),
                    InlineRadios(f"{prefix}_kind"),
                    Row(*parts),
                    css_class="border rounded p-2 mb-3",
                    data_deadline=prefix,
                )
            )
            if level == own_level:
                self.fields[prefix].help_text = format_lazy(
                    "{} {}",
                    self.fields[prefix].help_text,
                    _(
                        "The issuing unit's own report (the consolidated one). Left empty: the "
                        "last deadline below."
                    ),
                )
        self.helper = _helper()
        self.helper.layout = Layout(*layout)

    def clean(self):
        data = super().clean()
        self.checks = []
        for level in self.levels:
            prefix = f"level_{level.pk}"

            def name(part: str, prefix=prefix) -> str:
                return f"{prefix}_{part}" if part else prefix

            kind = data.get(f"{prefix}_kind") or DeadlineKind.DAY
            for part, kinds in KIND_PARTS.items():
                if kind not in kinds:  # not for this kind: whatever is there is ignored
                    self._errors.pop(name(part), None)
                    data.pop(name(part), None)
            main = name("month" if kind == DeadlineKind.MONTH else "")
            if any(n in self._errors for n in (main, name("start"), name("report_by"))):
                continue
            if not data.get(main):
                if data.get(name("start")) or data.get(name("report_by")):
                    self.add_error(
                        main,
                        _("Give the month.") if kind == DeadlineKind.MONTH else _("Give the day."),
                    )
                continue
            check = DeadlineCheck(
                level,
                data[main],
                kind,
                starts_on=data.get(name("start")) if kind == DeadlineKind.PERIOD else None,
                report_by=data.get(name("report_by")),
            )
            try:
                check.deadline.clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(name(MODEL_FIELDS[field]), message)
            else:
                self.checks.append(check)
        return data

    def deadlines(self) -> list[DeadlineCheck]:
        """The deadlines given, once the form is valid."""
        return self.checks


class PlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + PlanStatus.choices
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All"))] + PlanKind.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1930, max_value=2100)
