"""Recording petitions at a meeting, handling them after, and the register's filters."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.forms import refuse_taken_plan_number
from documents.dates import DATE_INPUT_ATTRS
from documents.forms import DateField, RecipientsField
from documents.numbering import DOC_TYPE_PLAN, issuer_symbol_only, symbol_help
from orgunits.bodies import default_body
from orgunits.fields import UnitChoiceField, UnitMultipleChoiceField
from orgunits.models import OrgUnit, Term

from .models import DialoguePlan, Meeting, MeetingStatus, PetitionField, PetitionStatus

REGISTER_FILTERS = ("status", "agency", "field", "overdue")

DATE = forms.DateInput(attrs={"type": "date", **DATE_INPUT_ATTRS}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DialoguePlanForm(forms.ModelForm):
    """A head's yearly dialogue plan; the unit is one the user coordinates."""

    recipients = RecipientsField(
        label=_("Recipients (Nơi nhận)"), help_text=_("One recipient per line."), rows=3
    )
    unit = UnitChoiceField(label=_("Unit"), purpose="coordinated")

    class Meta:
        model = DialoguePlan
        fields = [
            "unit",
            "year",
            "number",
            "issuer_symbol",
            "place_name",
            "issued_on",
            "summary",
            "introduction",
            "purpose",
            "content",
            "implementation",
            "recipients",
            "signer_position",
            "signer_name",
        ]
        widgets = {
            "issued_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 2}),
            "introduction": forms.Textarea(attrs={"rows": 3}),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "content": forms.Textarea(attrs={"rows": 4}),
            "implementation": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].scope(user)
        self.fields["issuer_symbol"].help_text = symbol_help(DOC_TYPE_PLAN)

    def clean_issuer_symbol(self) -> str:
        return issuer_symbol_only(self.cleaned_data["issuer_symbol"])

    def clean(self) -> dict:
        data = super().clean()
        unit, number, year = data.get("unit"), data.get("number"), data.get("year")
        if unit and (
            self.instance.issuing_body_id is None or self.instance.issuing_body.unit_id != unit.pk
        ):
            # The head's plan is numbered in the register of the unit's default body.
            self.instance.issuing_body = default_body(unit)
        if unit and number and (data.get("issued_on") or year):
            term = Term.for_date(data.get("issued_on") or datetime.date(year, 1, 1))
            refuse_taken_plan_number(
                self, body=self.instance.issuing_body, number=number, term=term
            )
        return data


class MeetingPlanForm(forms.ModelForm):
    host_units = UnitMultipleChoiceField(
        label=_("Host units"),
        purpose="coordinated",
        required=False,
        help_text=_(
            "The units where the meeting is held; they send in the opinions and "
            "petitions they collect at least 10 days before."
        ),
    )

    class Meta:
        model = Meeting
        fields = [
            "target_group",
            "host_units",
            "month",
            "date",
            "time",
            "venue",
            "chair",
            "secretary",
            "order_of_business",
            "preparations",
        ]
        widgets = {
            "date": DATE,
            "time": TIME,
            "order_of_business": forms.Textarea(attrs={"rows": 3}),
            "preparations": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_units"].scope(user)

    def clean_month(self) -> int:
        month = self.cleaned_data["month"]
        if not 1 <= month <= 12:
            raise ValidationError(_("Enter a month from 1 to 12."))
        return month

    def clean(self):
        data = super().clean()
        month, date = data.get("month"), data.get("date")
        if month and date and date.month != month:
            self.add_error("date", _("The date is not in the planned month."))
        return data


class BaseMeetingFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        """A meeting held, or with petitions or opinions sent in, is never deleted
        (its records would go with it); it can be cancelled instead."""
        super().clean()
        for form in self.deleted_forms:
            meeting = form.instance
            if meeting.pk is None:
                continue
            if (
                meeting.status == MeetingStatus.HELD
                or meeting.petitions.exists()
                or meeting.opinion_reports.exists()
            ):
                raise ValidationError(
                    _(
                        "“%(meeting)s” has records (held, petitions or opinions sent in) "
                        "and cannot be deleted; cancel it on its page instead."
                    ),
                    params={"meeting": meeting.target_group},
                )


MeetingFormSet = forms.inlineformset_factory(
    DialoguePlan,
    Meeting,
    form=MeetingPlanForm,
    formset=BaseMeetingFormSet,
    extra=1,
    can_delete=True,
)


def parse_attendance(text: str) -> dict[str, int]:
    """``name: number`` lines into a dict; a ValidationError names the first bad line."""
    result: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        group, sep, count = line.rpartition(":")
        group, count = group.strip(), count.strip()
        if not sep or not group or not count.isdigit():
            raise ValidationError(
                _("Line %(number)s (“%(line)s”) is not “group: number”."),
                params={"number": number, "line": line},
            )
        result[group] = int(count)
    return result


class MeetingRecordForm(forms.ModelForm):
    """What happened at the meeting: when, who came, the minutes and conclusions."""

    attendance = forms.CharField(
        label=_("Attendance"),
        required=False,
        help_text=_("One group per line: name: number (e.g. “Cán bộ: 35”)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Meeting
        fields = ["held_on", "attendance", "minutes", "conclusions", "notice_done_on"]
        widgets = {
            "held_on": DATE,
            "notice_done_on": DATE,
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "conclusions": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].required = True
        if not self.is_bound:
            self.initial["attendance"] = "\n".join(
                f"{group}: {number}" for group, number in (self.instance.attendance or {}).items()
            )

    def clean_attendance(self) -> dict[str, int]:
        return parse_attendance(self.cleaned_data.get("attendance") or "")

    def save(self, commit: bool = True) -> Meeting:
        self.instance.status = MeetingStatus.HELD
        return super().save(commit)


class PetitionForm(forms.Form):
    petitioner = forms.CharField(label=_("Raised by"), max_length=255)
    subject = forms.CharField(label=_("Subject"), widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.ChoiceField(label=_("Field"), choices=PetitionField.choices)
    answered_on_spot = forms.BooleanField(label=_("Answered on the spot"), required=False)
    answer = forms.CharField(
        label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("answered_on_spot") and not data.get("answer", "").strip():
            self.add_error("answer", _("Write the answer given on the spot."))
        return data


class AssignForm(forms.Form):
    agency = UnitChoiceField(label=_("Responsible agency"))
    due_on = DateField(label=_("Due on"))

    def __init__(self, data=None, *, user) -> None:
        super().__init__(data)
        self.fields["agency"].scope(user)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))


class RegisterFilterForm(forms.Form):
    """GET filters of the register; an unknown value is dropped, never an error page."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *PetitionStatus.choices],
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        required=False,
        queryset=OrgUnit.objects.none(),
        empty_label=_("All agencies"),
    )
    field = forms.ChoiceField(
        label=_("Field"), required=False, choices=[("", _("All fields")), *PetitionField.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data=None, *, agencies) -> None:
        super().__init__(data)
        self.fields["agency"].queryset = agencies

    def filters(self) -> dict:
        """The valid filters, each validated alone so one bad value spoils nothing."""
        result = {}
        for name in REGISTER_FILTERS:
            value = self.data.get(name, "") if self.data else ""
            try:
                result[name] = self.fields[name].clean(value)
            except ValidationError:
                result[name] = None
        return result


class OpinionsForm(forms.Form):
    """A host unit's summary of the opinions and petitions it collected."""

    unit = forms.ModelChoiceField(label=_("Unit"), queryset=OrgUnit.objects.none())
    text = forms.CharField(
        label=_("Opinions and petitions collected"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One opinion or petition per line, with who raised it."),
    )

    def __init__(self, data=None, *, units, **kwargs) -> None:
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
        # Rendered from the units already loaded; the queryset only validates.
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        if len(units) == 1:
            self.fields["unit"].widget = forms.HiddenInput()
            self.initial.setdefault("unit", units[0].pk)


class NoticeForm(forms.Form):
    on = DateField(label=_("Announced on"), widget=DATE)
