"""Forms of the outline editor: one item, a new item, and an outline pasted as text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from orgunits.models import Level

from .models import AnswerType, OutlineItem
from .outline import ITEM_FIELDS
from .tables import DEFAULT_COLUMNS, DEFAULT_FORMS, MAX_COLUMNS, MAX_FORMS, Quota, table_spec


class OutlineItemForm(forms.ModelForm):
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; used when the answer is a choice from a list."),
    )
    # A table item: its columns, the forms of commendation and the quotas.
    table_columns = forms.CharField(
        label=_("Table columns"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line, after STT (numbered when printed); used when the answer is a table."
        ),
    )
    table_forms = forms.CharField(
        label=_("Forms of commendation (last column)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per line, e.g. Bằng khen, Giấy khen; leave empty for a table without one."
        ),
    )
    table_quotas = forms.CharField(
        label=_("Quotas per level"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "One per line: level: form: number, e.g. “Huyện: Bằng khen: 2” (per unit of the level)."
        ),
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
        kept = self.instance.choices
        if isinstance(kept, dict) or self.instance.answer_type == AnswerType.TABLE:
            spec = table_spec(kept)
            self.initial["choices"] = ""
            self.initial["table_columns"] = "\n".join(spec.columns)
            self.initial["table_forms"] = "\n".join(spec.forms)
            names = {level.code: level.name for level in Level.objects.all()}
            self.initial["table_quotas"] = "\n".join(
                f"{names.get(q.level, q.level)}: {q.form}: {q.count}" for q in spec.quotas
            )
        else:
            self.initial["choices"] = "\n".join(kept or [])
            self.initial["table_columns"] = "\n".join(DEFAULT_COLUMNS)
            self.initial["table_forms"] = "\n".join(DEFAULT_FORMS)
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
        elif cleaned.get("answer_type") == AnswerType.TABLE:
            cleaned["choices"] = self._table()
        else:
            cleaned["choices"] = []
        return cleaned

    def _table(self) -> dict:
        """The table's definition from its three boxes (``campaigns.tables``)."""
        spec = table_spec({})
        columns = _lines(self.cleaned_data.get("table_columns", ""))
        columns = [c for c in columns if c.casefold() != "stt"]  # numbered when printed
        if not columns:
            self.add_error("table_columns", _("Give the table's columns, one per line."))
        elif len(columns) > MAX_COLUMNS:
            self.add_error("table_columns", _("At most %(n)s columns.") % {"n": MAX_COLUMNS})
        spec.columns = columns[:MAX_COLUMNS]
        spec.forms = _lines(self.cleaned_data.get("table_forms", ""))[:MAX_FORMS]
        levels = {}
        for level in Level.objects.all():
            levels[level.code.casefold()] = level.code
            levels[level.name.casefold()] = level.code
        for number, line in enumerate(_lines(self.cleaned_data.get("table_quotas", "")), 1):
            parts = [part.strip() for part in line.rsplit(":", 2)]
            level = levels.get(parts[0].casefold()) if len(parts) == 3 else None
            form = spec.canonical_form(parts[1]) if len(parts) == 3 else None
            count = parts[2] if len(parts) == 3 else ""
            if level is None or form is None or not count.isdigit():
                self.add_error(
                    "table_quotas",
                    _(
                        "Line %(n)s: write “level: form: number” with a level of the tree and "
                        "one of the forms above."
                    )
                    % {"n": number},
                )
                continue
            spec.quotas.append(Quota(level, form, int(count)))
        return spec.as_data()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


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
