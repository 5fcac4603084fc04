"""A conference's details and invited units, its programme, the replies, the
speeches asked for and sent in, the minutes and the notice of conclusions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.dates import DATE_INPUT_ATTRS
from documents.forms import DateField, RecipientsField
from orgunits.fields import UnitMultipleChoiceField
from orgunits.models import IssuingBody
from reports.attachments import ACCEPT

from .models import Conference, Invitation, ProgrammeItem, Reply

DATE = forms.DateInput(attrs={"type": "date", **DATE_INPUT_ATTRS}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ConferenceForm(forms.ModelForm):
    invited = UnitMultipleChoiceField(
        label=_("Invited units"),
        purpose="coordinated",
        required=False,
        help_text=_("They are invited in the app and by e-mail, and reply on the conference page."),
    )

    class Meta:
        model = Conference
        fields = [
            "title",
            "date",
            "time",
            "venue",
            "chair",
            "guests",
            "issuing_body",
            "sign_on_behalf",
            "signer_position",
            "signer_name",
        ]
        widgets = {"date": DATE, "time": TIME, "guests": forms.Textarea(attrs={"rows": 3})}
        labels = {"issuing_body": _("Body issuing the notice of conclusions")}

    field_order = ["title", "date", "time", "venue", "chair", "invited", "guests"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        unit = self.instance.unit
        self.fields["invited"].scope(user, under=unit)
        self.fields["issuing_body"].queryset = IssuingBody.objects.filter(unit=unit)
        self.fields["issuing_body"].empty_label = None
        if self.instance.pk and not self.is_bound:
            self.initial["invited"] = [i.unit for i in self.instance.invitations.all()]


class ProgrammeItemForm(forms.ModelForm):
    class Meta:
        model = ProgrammeItem
        fields = ["time", "title", "presenter"]
        widgets = {"time": TIME}


ProgrammeFormSet = forms.inlineformset_factory(
    Conference, ProgrammeItem, form=ProgrammeItemForm, extra=3, can_delete=True
)


class ReplyForm(forms.Form):
    invitation = forms.ModelChoiceField(
        label=_("For the unit"), queryset=Invitation.objects.none(), empty_label=None
    )
    reply = forms.ChoiceField(
        label=_("Reply"),
        choices=[(c.value, c.label) for c in Reply if c != Reply.PENDING],
        widget=forms.RadioSelect,
    )
    attendee = forms.CharField(
        label=_("Deputy attending (name and position)"), max_length=150, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def __init__(self, *args, invitations, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitation"].queryset = Invitation.objects.filter(
            pk__in=[i.pk for i in invitations]
        ).select_related("unit")
        self.fields["invitation"].label_from_instance = lambda i: i.unit.name
        if len(invitations) == 1:
            self.fields["invitation"].widget = forms.HiddenInput()


class SpeechAssignForm(forms.Form):
    invitation = forms.ModelChoiceField(
        label=_("Unit"), queryset=Invitation.objects.none(), empty_label=None
    )
    topic = forms.CharField(label=_("Topic"), max_length=255)
    due_on = DateField(label=_("Due on"))

    def __init__(self, *args, conference: Conference, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["invitation"]
        field.queryset = conference.invitations.select_related("unit").order_by("unit__path")
        field.label_from_instance = lambda i: i.unit.name


class SpeechForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the speech"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    file = forms.FileField(
        label=_("Or its file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, Word or an image."),
    )


class RecordForm(forms.ModelForm):
    class Meta:
        model = Conference
        fields = ["minutes", "conclusions"]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 8}),
            "conclusions": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "conclusions": _(
                "The chair's conclusions, one paragraph a line: they make the body of the "
                "notice of conclusions."
            )
        }


class NoticeForm(forms.Form):
    issued_on = DateField(label=_("Date of the notice"))
    recipients = RecipientsField(label=_("Recipients (Nơi nhận)"), help_text=_("One per line."))
