"""Recording petitions at a meeting, handling them after, and the register's filters."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from orgunits.models import OrgUnit

from .models import PetitionField, PetitionStatus

REGISTER_FILTERS = ("status", "agency", "field", "overdue")


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
    agency = forms.ModelChoiceField(label=_("Responsible agency"), queryset=OrgUnit.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, agencies) -> None:
        super().__init__(data)
        self.fields["agency"].queryset = agencies


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
