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
    every_unit = forms.BooleanField(
        label=_("Annex of every unit"),
        required=False,
        help_text=_(
            "The annexes list the direct subordinates; this adds every unit below to the PDF "
            "or DOCX (long for a large tree). The XLSX file always has every unit."
        ),
    )
