"""Unit pickers that scale to any tree: form fields and their widget.

The page never lists the units to choose from. Without JavaScript the field
is a text box of unit codes separated by commas ("GL.STC, GL.HU01"), with the
units chosen named below it and a link to the tree to look codes up; with
JavaScript (``static/js/unit-picker.js``) Tom Select turns the same box into a
searchable picker that asks ``orgunits:pick`` as one types and submits the
codes it shows. A submitted value is a code or, for clients that post ids
(older pages, tests), an id; both are checked against the field's queryset
(``orgunits.pickers.pickable``) in one query: anything else is a Vietnamese
form error, never a 500.

Use them through ``scope(user, purpose=…, under=…)`` after the form is
built, which sets both the queryset that validates and the search the
widget asks::

    self.fields["pilot_units"].scope(user, under=plan.issuing_unit)
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import pickers
from .access import User
from .models import OrgUnit

SEPARATORS = re.compile(r"[\s,;]+")


def split_tokens(value) -> list[str]:
    """The codes (or ids) in a posted value: a string, or a list of them."""
    if value in (None, ""):
        return []
    if isinstance(value, list | tuple):
        value = ",".join(str(item) for item in value if item not in (None, ""))
    return [token for token in SEPARATORS.split(str(value)) if token]


class UnitPickerInput(forms.TextInput):
    """A text box of unit codes, enhanced into a searchable picker by script."""

    template_name = "orgunits/widgets/unit_picker.html"

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css", "css/pickers.css"]}
        js = ["vendor/tom-select/tom-select.complete.min.js", "js/unit-picker.js"]

    def __init__(self, attrs=None, *, multiple: bool = False) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.search_query: dict[str, str] = {}

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, list | tuple):
            return ",".join(str(v) for v in values if v not in (None, ""))
        return "" if values is None else str(values)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def format_value(self, value):
        items = value or []
        return ", ".join(item.code if isinstance(item, OrgUnit) else str(item) for item in items)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [item for item in (value or []) if isinstance(item, OrgUnit)]
        context["widget"]["chosen"] = [(unit.code, pickers.label(unit)) for unit in chosen]
        context["widget"]["multiple"] = self.multiple
        context["widget"]["tree_url"] = reverse("orgunits:tree")
        attributes = context["widget"]["attrs"]
        attributes["data-unit-picker"] = (
            f"{reverse('orgunits:pick')}?{urlencode(self.search_query)}"
        )
        attributes["data-multiple"] = "true" if self.multiple else "false"
        attributes["data-chosen"] = json.dumps([pickers.as_json(unit) for unit in chosen])
        attributes["data-type-to-search"] = _("Type part of a name or a code")
        attributes["data-no-results"] = _("No unit found")
        attributes["data-remove-label"] = _("Remove")
        attributes["data-js-help"] = (
            _("Type part of the units' names or codes, then choose.")
            if self.multiple
            else _("Type part of the unit's name or code, then choose.")
        )
        attributes["autocomplete"] = "off"
        attributes["spellcheck"] = "false"
        return context


class _UnitFieldMixin:
    """What the single and the multiple picker share."""

    multiple = False
    default_error_messages = {
        "unknown": _(
            "No unit you may choose here has the code “%(codes)s”. Type codes as shown in "
            "the tree (e.g. GL.STC), separated by commas."
        ),
        "one": _("Choose one unit only."),
    }

    def _setup(self, purpose: str) -> None:
        self.purpose = purpose
        self.under: OrgUnit | None = None
        self.widget.multiple = self.multiple
        self._search_url()
        if not self.help_text:
            self.help_text = (
                _("Type unit codes, separated by commas.")
                if self.multiple
                else _("Type the unit's code.")
            )

    def _search_url(self) -> None:
        # The widget builds the URL when rendered: fields are made at import
        # time, before the URLconf can be read.
        self.widget.search_query = {"scope": self.purpose}
        if self.under is not None:
            self.widget.search_query["under"] = self.under.code

    def scope(self, user: User, *, purpose: str | None = None, under: OrgUnit | None = None):
        """Offer and accept the units of ``purpose`` that ``user`` reaches (below ``under``)."""
        self.purpose = purpose or self.purpose
        self.under = under
        self.queryset = pickers.pickable(user, self.purpose, under)
        self._search_url()
        return self

    def _resolve(self, tokens: list[str], queryset) -> tuple[list[OrgUnit], list[str]]:
        """The units of ``queryset`` named by ``tokens`` (in their order) and the
        tokens that name none: one query."""
        if not tokens:
            return [], []
        ids = [int(t) for t in tokens if t.isascii() and t.isdigit() and len(t) < 19]
        found = list(pickers.with_parent_name(queryset.filter(Q(code__in=tokens) | Q(pk__in=ids))))
        by_code = {unit.code: unit for unit in found}
        by_id = {str(unit.pk): unit for unit in found}
        units, unknown, seen = [], [], set()
        for token in tokens:
            unit = by_code.get(token) or by_id.get(token)
            if unit is None:
                unknown.append(token)
            elif unit.pk not in seen:
                seen.add(unit.pk)
                units.append(unit)
        return units, unknown

    def _units_from(self, value) -> list[OrgUnit]:
        tokens = split_tokens(value)
        units, unknown = self._resolve(tokens, self.queryset)
        if unknown:
            raise ValidationError(
                self.error_messages["unknown"],
                code="unknown",
                params={"codes": ", ".join(unknown[:10])},
            )
        return units

    def prepare_value(self, value):
        """What the widget shows: units where they are known, typed text kept as typed.

        Posted text is looked up among the units the field accepts only (typing
        a code never reveals another unit's name); saved values (ids, units)
        are shown whatever the scope, so nothing saved disappears silently.
        """
        if value in (None, "", [], ()):
            return []
        if isinstance(value, str):
            tokens = split_tokens(value)
            units, _unknown = self._resolve(tokens, self.queryset)
            by_token = {unit.code: unit for unit in units} | {str(u.pk): u for u in units}
            return [by_token.get(token, token) for token in tokens]
        items = value if isinstance(value, list | tuple) else [value]
        if hasattr(value, "model") and not isinstance(value, list | tuple):  # a queryset
            items = list(value)
        ids = [item.pk if isinstance(item, OrgUnit) else item for item in items]
        units, _unknown = self._resolve([str(pk) for pk in ids], OrgUnit.objects.all())
        return units

    def _pks(self, value) -> set[int]:
        prepared = self.prepare_value(value)
        return {item.pk for item in prepared if isinstance(item, OrgUnit)} | {
            item for item in prepared if not isinstance(item, OrgUnit)
        }

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        if not split_tokens(data) and initial in (None, "", [], ()):
            return False
        return self._pks(initial) != self._pks(data)


class UnitChoiceField(_UnitFieldMixin, forms.ModelChoiceField):
    """One unit; cleaned to an ``OrgUnit`` (or ``None``)."""

    widget = UnitPickerInput

    def __init__(self, *, purpose: str = "visible", queryset=None, **kwargs) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(
            queryset=OrgUnit.objects.none() if queryset is None else queryset, **kwargs
        )
        self._setup(purpose)

    def to_python(self, value):
        units = self._units_from(value)
        if len(units) > 1:
            raise ValidationError(self.error_messages["one"], code="one")
        return units[0] if units else None

    def validate(self, value) -> None:
        forms.Field.validate(self, value)


class UnitMultipleChoiceField(_UnitFieldMixin, forms.ModelMultipleChoiceField):
    """Several units; cleaned to a list of ``OrgUnit`` in the order given."""

    widget = UnitPickerInput
    multiple = True

    def __init__(self, *, purpose: str = "visible", queryset=None, **kwargs) -> None:
        super().__init__(
            queryset=OrgUnit.objects.none() if queryset is None else queryset, **kwargs
        )
        self._setup(purpose)

    def clean(self, value):
        units = self._units_from(value)
        if self.required and not units:
            raise ValidationError(self.error_messages["required"], code="required")
        self.run_validators(units)
        return units
