"""One small form per outline item, by answer type; saved one item at a time."""

from __future__ import annotations

import datetime
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from campaigns.forms import DATE_WIDGET
from campaigns.models import NUMBER_TYPES, AnswerType, OutlineItem, validate_figure
from documents import richtext
from documents.forms import DateField, RecipientsField, RichTextField, RichTextWidget
from documents.numbering import DOC_TYPE_REPORT, issuer_symbol_only, symbol_help
from orgunits.models import IssuingBody

from . import tables
from .attachments import ACCEPT
from .models import Answer, ReceivedVia, Report, WorkflowError

MAX_POINTS = 50
YES, NO = "yes", "no"
INTEGER_ERRORS = {
    "invalid": _("Enter a whole number, e.g. 12."),
    "min_value": _("A count cannot be negative."),
}
DECIMAL_ERRORS = {
    "invalid": _("Enter a number, e.g. 12,5."),
    "min_value": _("The figure cannot be negative."),
    "max_decimal_places": _("Use at most %(max)s decimals."),
}


class AnswerForm(forms.Form):
    """The fields of one item; ``prefix`` keeps ids unique on the page."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        *args,
        item: OutlineItem,
        years: list[int],
        answer: Answer | None,
        computed: object = None,
        level_code: str = "",
        below_rows: list | None = None,
        **kwargs,
    ):
        kwargs.setdefault("prefix", f"item{item.pk}")
        super().__init__(*args, **kwargs)
        self.item = item
        self.years = years
        self.computed = computed  # what the unit's own records say, shown beside
        if answer is None and computed is not None:
            # Not answered yet: start from the records (saved as the unit's answer
            # on its first autosave, and editable).
            answer = Answer(
                item=item,
                version=0,
                per_year={k: v for k, v in computed.items()} if isinstance(computed, dict) else {},
                number=computed if isinstance(computed, int) else None,
                text=f"<div>{escape(computed)}</div>" if isinstance(computed, str) else "",
            )
        self.fields["version"].initial = answer.version if answer else 0
        kind = item.answer_type
        if kind == AnswerType.TEXT:
            self.fields["text"] = RichTextField(
                label=_("Answer"),
                required=False,
                widget=RichTextWidget(labelledby=f"item-title-{item.pk}"),
            )
            self.initial["text"] = answer.text if answer else ""
            # Without JavaScript the editor is a plain textarea (in <noscript>):
            # one paragraph a line, its text the saved answer's.
            self.fields["text_plain"] = forms.CharField(
                label=_("Answer"),
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
            )
            self.initial["text_plain"] = plain_lines(self.initial["text"])
            self.saved_text = self.initial["text"]
        elif kind in NUMBER_TYPES:
            field = (
                forms.IntegerField(
                    min_value=0, validators=[validate_figure], error_messages=INTEGER_ERRORS
                )
                if kind == AnswerType.INTEGER
                else forms.DecimalField(
                    min_value=0,
                    # The range is validate_figure's (campaigns.FIGURE_MAX), in
                    # its words; the model's 18 digits hold it with 4 decimals.
                    decimal_places=4,
                    validators=[validate_figure],
                    localize=True,
                    error_messages=DECIMAL_ERRORS,
                )
            )
            field.label, field.required = _("Figure"), False
            field.widget.attrs.update(
                inputmode="decimal" if kind == AnswerType.DECIMAL else "numeric"
            )
            self.fields["number"] = field
            if answer and answer.number is not None:
                self.initial["number"] = (
                    int(answer.number) if kind == AnswerType.INTEGER else answer.number.normalize()
                )
        elif kind == AnswerType.INTEGER_PER_YEAR:
            for year in years:
                self.fields[f"year_{year}"] = forms.IntegerField(
                    label=str(year),
                    required=False,
                    min_value=0,
                    validators=[validate_figure],
                    error_messages=INTEGER_ERRORS,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
                )
                if answer and answer.per_year.get(str(year)) is not None:
                    self.initial[f"year_{year}"] = answer.per_year[str(year)]
        elif kind == AnswerType.BOOLEAN:
            self.fields["boolean"] = forms.ChoiceField(
                label=_("Answer"),
                required=False,
                widget=forms.RadioSelect,
                choices=[(YES, _("Yes")), (NO, _("No"))],
            )
            if answer and answer.boolean is not None:
                self.initial["boolean"] = YES if answer.boolean else NO
        elif kind == AnswerType.CHOICE:
            self.fields["choice"] = forms.ChoiceField(
                label=_("Answer"),
                required=False,
                choices=[("", "—")] + [(c, c) for c in item.choices],
            )
            self.initial["choice"] = answer.choice if answer else ""
        elif kind == AnswerType.POINTS:
            self.initial_points = list(answer.points) if answer else []
        elif kind == AnswerType.TABLE:
            self.table_spec = item.table_spec
            self.level_code = level_code
            self.saved_rows = tables.clean_stored(answer.rows) if answer else []
            self.table_rows = self.saved_rows  # what the editor shows (the posted rows once bound)
            self.below_rows = below_rows or []  # what the units below propose (to take)
        self._name_fields_after(item)

    def _name_fields_after(self, item: OutlineItem) -> None:
        """Each input is named by the item it answers (its visible label only
        says "Figure" or the year): "2. Số đảng viên mới kết nạp: 2024"."""
        name = " ".join(part for part in (item.numbering, item.title) if part)[:120]
        for key in ("number", "choice", *(k for k in self.fields if k.startswith("year_"))):
            if key in self.fields:
                label = self.fields[key].label
                self.fields[key].widget.attrs["aria-label"] = f"{name}: {label}"

    def clean(self):
        data = super().clean()
        if self.item.answer_type == AnswerType.TEXT and self.add_prefix("text_plain") in self.data:
            plain = data.get("text_plain") or ""
            # Unchanged: the saved answer stays as it is, formatting and all.
            if _lines(plain) == _lines(plain_lines(self.saved_text)):
                data["text"] = self.saved_text
            else:
                data["text"] = richtext.from_plain_text(plain)
        if self.item.answer_type == AnswerType.POINTS:
            points = [p.strip() for p in self.data.getlist(self.add_prefix("point")) if p.strip()]
            if len(points) > MAX_POINTS:
                raise forms.ValidationError(_("At most %(n)s points per item.") % {"n": MAX_POINTS})
            data["points"] = points
        if self.item.answer_type == AnswerType.TABLE:
            data["rows"] = self._table_rows()
        return data

    def _table_rows(self) -> list[dict]:
        """The rows posted, in order: a row keeps what was stored with it (the
        unit that proposed it) by its ``uid``; an empty row is left out; with
        the "paste" action the pasted table is added, with "take" the rows of
        the units below that were ticked. Refused with every row's problem,
        the rows then shown as posted (nothing typed is lost)."""
        spec, get = self.table_spec, self.data.getlist
        saved = {row["uid"]: row for row in self.saved_rows if row.get("uid")}
        deleted = set(get(self.add_prefix("delete")))
        uids = get(self.add_prefix("uid"))
        columns = [get(self.add_prefix(f"c{i}")) for i in range(len(spec.columns))]
        forms_ = get(self.add_prefix("form"))
        rows, seen = [], set()
        for index, uid in enumerate(uids):
            cells = [tables.clean_cell(c[index]) if index < len(c) else "" for c in columns]
            form = forms_[index].strip() if index < len(forms_) else ""
            if uid in deleted or not (any(cells) or form):
                continue
            # A new row's uid comes from the page (static/js/report-table.js), so
            # it stays the same over autosaves; a unit is only ever the stored one.
            if not tables.UID.fullmatch(uid) or uid in seen:
                uid = tables.new_uid()
            seen.add(uid)
            row = {"uid": uid, "cells": cells}
            row["form"] = spec.canonical_form(form) or form if spec.forms else ""
            kept = saved.get(uid, {})
            row.update({key: kept[key] for key in tables.UNIT_KEYS if key in kept})
            rows.append(row)
        action = self.data.get("action")
        if action == "paste":
            cells = tables.pasted_cells(
                self.data.get(self.add_prefix("paste"), ""),
                self.data.get(self.add_prefix("paste_html"), ""),
            )
            pasted = tables.rows_from_cells(cells, spec)
            if not pasted:
                self.add_error(None, _("Nothing to add: paste a table copied from Word or Excel."))
            rows += pasted
        elif action == "take":
            wanted = set(get(self.add_prefix("take")))
            # A row in the list, or one cut from it by this same post, is not taken again.
            have = {row.get("origin") for row in [*rows, *self.saved_rows]}
            for proposal in self.below_rows:
                if proposal.key in wanted and proposal.key not in have:
                    rows.append(proposal.taken())
        self.table_rows = rows
        for error in tables.validate(rows, spec, level_code=self.level_code):
            self.add_error(None, error)
        return rows

    @property
    def editor_rows(self) -> list[dict]:
        """The rows as the editor draws them, a blank one last: per cell its
        input's name, column and value (``_answer_table.html``)."""
        spec = self.table_spec
        rows = [*self.table_rows, {"uid": "", "cells": [], "form": ""}]
        return [
            {
                "uid": row.get("uid", ""),
                "number": number,
                "cells": [
                    (
                        self.add_prefix(f"c{i}"),
                        label,
                        row["cells"][i] if i < len(row["cells"]) else "",
                        i >= 2,  # the achievements and later columns: several lines
                    )
                    for i, label in enumerate(spec.columns)
                ],
                "form": row.get("form", ""),
                "unit": row.get("unit", ""),
                "origin": row.get("origin", ""),
            }
            for number, row in enumerate(rows, start=1)
        ]

    @property
    def quota_lines(self) -> list:
        return tables.quota_lines(self.table_rows, self.table_spec, self.level_code)

    @property
    def takeable(self) -> bool:
        """Some row proposed below is not in the list yet."""
        taken = self.taken_origins
        return any(proposal.key not in taken for proposal in self.below_rows)

    @property
    def taken_origins(self) -> set[str]:
        return {row["origin"] for row in self.table_rows if row.get("origin")}

    def values(self) -> dict:
        """The cleaned answer as Answer field values."""
        data = self.cleaned_data
        kind = self.item.answer_type
        if kind == AnswerType.TEXT:
            return {"text": data.get("text", "")}
        if kind in NUMBER_TYPES:
            number = data.get("number")
            return {"number": Decimal(number) if number is not None else None}
        if kind == AnswerType.INTEGER_PER_YEAR:
            return {
                "per_year": {
                    str(year): data[f"year_{year}"]
                    for year in self.years
                    if data.get(f"year_{year}") is not None
                }
            }
        if kind == AnswerType.BOOLEAN:
            value = data.get("boolean")
            return {"boolean": None if not value else value == YES}
        if kind == AnswerType.CHOICE:
            return {"choice": data.get("choice", "")}
        if kind == AnswerType.TABLE:
            return {"rows": data.get("rows", [])}
        return {"points": data.get("points", [])}


def plain_lines(html: str) -> str:
    """Rich text as the no-JavaScript textarea shows it: one paragraph a line."""
    return richtext.to_plain_text(html) if html else ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReturnForm(forms.Form):
    """Returning a report: the overall comment and, optionally, a new deadline."""

    overall = forms.CharField(label=_("Comment for the unit"), required=False)
    new_due_on = DateField(label=_("New deadline (optional)"), required=False, widget=DATE_WIDGET)

    def clean_new_due_on(self):
        day = self.cleaned_data["new_due_on"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("The new deadline cannot be in the past."))
        return day


class RecordedDateForm(forms.Form):
    """The day a step really happened, in a campaign recorded after the fact
    (the service checks it against the plan's date and today)."""

    on = forms.DateField(label=_("On"), required=False, widget=DATE_WIDGET)

    @classmethod
    def day(cls, data) -> datetime.date | None:
        form = cls(data)
        if not form.is_valid():
            raise WorkflowError(_("Give the date as day/month/year."))
        return form.cleaned_data["on"]


class DocumentInfoForm(forms.ModelForm):
    """The report as a document: number, date, signatory and recipients."""

    recipients = RecipientsField(label=_("Recipients (Nơi nhận), one per line"))

    class Meta:
        model = Report
        fields = [
            "issuing_body",
            "number",
            "issuer_symbol",
            "issued_on",
            "sign_on_behalf",
            "signer_position",
            "signer_name",
            "recipients",
        ]
        widgets = {"issued_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].help_text = _("Given automatically on submission if left empty.")
        self.fields["issuer_symbol"].help_text = symbol_help(DOC_TYPE_REPORT)
        bodies = self.fields["issuing_body"]
        bodies.queryset = IssuingBody.objects.filter(unit=self.instance.unit_id)
        bodies.label_from_instance = lambda body: body.phrase
        bodies.empty_label = _("The unit's default body")
        bodies.help_text = _(
            "Gives the header and the symbol; choosing another body also brings its signature."
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "issuing_body",
            Row(Column("number", css_class="col-6"), Column("issuer_symbol", css_class="col-6")),
            "issued_on",
            "sign_on_behalf",
            Row(
                Column("signer_position", css_class="col-6"),
                Column("signer_name", css_class="col-6"),
            ),
            "recipients",
        )

    def clean_issuer_symbol(self) -> str:
        return issuer_symbol_only(self.cleaned_data["issuer_symbol"])

    def clean(self):
        data = super().clean()
        number, issued_on = data.get("number"), data.get("issued_on")
        if number is not None and number < 1:
            self.add_error("number", _("Numbers start from 01."))
        elif number is not None:
            from orgunits.models import Term

            term = Term.for_date(issued_on or timezone.localdate())
            taken = Report.objects.filter(unit=self.instance.unit, term=term, number=number)
            if taken.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "number",
                    _(
                        "Number %(number)s is already used by another report of your unit in the "
                        "%(term)s term."
                    )
                    % {"number": number, "term": term.name},
                )
        return data

    def save(self, commit: bool = True) -> Report:
        from orgunits.models import Term

        if "issuing_body" in self.changed_data and not {
            "sign_on_behalf",
            "signer_position",
            "signer_name",
        } & set(self.changed_data):
            body = self.instance.body
            self.instance.sign_on_behalf = body.sign_on_behalf
            self.instance.signer_position = body.signer_position
            self.instance.signer_name = body.signer_name or self.instance.signer_name

        if self.instance.number is not None:
            self.instance.term = Term.for_date(self.instance.issued_on or timezone.localdate())
        return super().save(commit)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; a list of uploads (maybe empty)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(upload, initial) for upload in data]
        return [super().clean(data, initial)] if data else []


class ReceivedReportForm(forms.Form):
    """A report the unit sent by e-mail or on paper, as the level above records it."""

    received_via = forms.ChoiceField(
        label=_("How the report arrived"),
        choices=[(v, capfirst(label)) for v, label in ReceivedVia.choices if v != ReceivedVia.APP],
        initial=ReceivedVia.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Say how the report arrived.")},
    )
    received_on = forms.DateField(
        label=_("Day it arrived"),
        widget=DATE_WIDGET,
        error_messages={
            "required": _("Enter the day the report arrived."),
            "invalid": _("Enter a valid date."),
        },
    )
    files = MultipleFileField(
        label=_("The report received (scan, PDF, Word or Excel)"), required=False
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. the e-mail address it came from, or who handed it in."),
    )

    def __init__(self, *args, report: Report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report
        today = timezone.localdate()
        attrs = self.fields["received_on"].widget.attrs = {"type": "date", "max": today.isoformat()}
        if report.plan.issued_on:
            attrs["min"] = report.plan.issued_on.isoformat()
        self.fields["files"].help_text = _(
            "One or more files: PDF, JPG, PNG, Word (.doc, .docx) or Excel (.xls, .xlsx), "
            "up to %(limit)s each."
        ) % {"limit": filesizeformat(settings.REPORT_ATTACHMENT_MAX_BYTES)}

    def clean_received_on(self):
        from .services import check_received_on

        day = self.cleaned_data["received_on"]
        try:
            check_received_on(self.report, day)
        except WorkflowError as e:
            raise forms.ValidationError(str(e)) from e
        return day
