"""Forms of consolidation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import BuildFormat


class BuildForm(forms.Form):
    fmt = forms.ChoiceField(label=_("Format"), choices=BuildFormat.choices, initial=BuildFormat.PDF)
    include_submitted = forms.BooleanField(
        label=_("Include submitted reports"),
        required=False,
        help_text=_("Also count reports that are submitted but not accepted yet."),
    )
