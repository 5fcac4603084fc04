"""Forms of the outline editor: one item, a new item, and an outline pasted as text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orgunits.models import Level

from .models import AnswerType, OutlineItem
from .outline import ITEM_FIELDS


class OutlineItemForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; used when the answer is a choice from a list."),
    )
    levels = forms.ModelMultipleChoiceField(
        label=_("Answered by levels"),
        queryset=Level.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every level."),
    )

    class Meta:
        model = OutlineItem
        fields = [*ITEM_FIELDS, "levels"]
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.initial["choices"] = "\n".join(self.instance.choices or [])
        if self.instance.is_locked_by_parent_plan:
            # Unticking "required" (or turning the item into a heading) would
            # drop an answer the parent plan asks for.
            for name in ("required", "is_heading"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Set by the parent plan.")

    def clean_choices(self) -> list[str]:
        lines = (line.strip() for line in self.cleaned_data["choices"].splitlines())
        return [line for line in lines if line]

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("answer_type") == AnswerType.CHOICE:
            if not cleaned.get("choices"):
                self.add_error("choices", _("Give the choices, one per line."))
        else:
            cleaned["choices"] = []
        return cleaned


class OutlineAddForm(forms.Form):
    after = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), required=False)

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip() or str(_("New item"))


class OutlinePasteForm(forms.Form):
    text = forms.CharField(
        label=_("Outline text"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=_(
            "Paste the numbered outline from Word or PDF: “1.”, “1.1.”, then “-” and “+” "
            "bullets. Unnumbered lines become the guidance of the item above."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace the current outline"),
        required=False,
        help_text=_("Items inherited from the parent plan are kept."),
    )
