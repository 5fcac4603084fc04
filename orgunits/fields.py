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
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import pickers
from .access import User
from .models import IssuingBody, OrgUnit

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
        self.extra_choices: list[tuple[str, str]] = []  # (token, label) hinted without script
        self.own_help = ""  # the field's help text, said with or without script

    @staticmethod
    def describe(item) -> dict:
        """What the picker shows of a chosen item (a unit here; bodies differ)."""
        return pickers.as_json(item)

    def value_from_datadict(self, data, files, name):
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        if isinstance(values, list | tuple):
            return ",".join(str(v) for v in values if v not in (None, ""))
        return "" if values is None else str(values)

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data

    def format_value(self, value):
        items = value or []
        return ", ".join(
            item if isinstance(item, str) else self.describe(item)["code"] for item in items
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = [self.describe(item) for item in (value or []) if not isinstance(item, str)]
        context["widget"]["chosen"] = [(item["code"], item["label"]) for item in chosen]
        context["widget"]["extra_choices"] = self.extra_choices
        context["widget"]["multiple"] = self.multiple
        context["widget"]["tree_url"] = reverse("orgunits:tree")
        attributes = context["widget"]["attrs"]
        attributes["data-unit-picker"] = (
            f"{reverse('orgunits:pick')}?{urlencode(self.search_query)}"
        )
        attributes["data-multiple"] = "true" if self.multiple else "false"
        attributes["data-chosen"] = json.dumps(chosen)
        attributes["data-type-to-search"] = _("Type part of a name or a code")
        attributes["data-no-results"] = _("No unit found")
        attributes["data-remove-label"] = _("Remove")
        search_hint = (
            _("Type part of the units' names or codes, then choose.")
            if self.multiple
            else _("Type part of the unit's name or code, then choose.")
        )
        attributes["data-js-help"] = (
            f"{self.own_help} {search_hint}" if self.own_help else str(search_hint)
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
        # The field's own help, then how to choose: typing codes without
        # script; the script says how to search instead (data-js-help).
        own = self.help_text
        self.widget.own_help = own
        hint = self.typing_hint()
        self.help_text = format_lazy("{} {}", own, hint) if own else hint

    def typing_hint(self):
        return (
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

    model = OrgUnit

    def _find(self, tokens: list[str], queryset) -> dict[str, OrgUnit]:
        """The units of ``queryset`` that ``tokens`` (codes or ids) name, by token: one query."""
        ids = [int(t) for t in tokens if t.isascii() and t.isdigit() and len(t) < 19]
        found = pickers.with_parent_name(queryset.filter(Q(code__in=tokens) | Q(pk__in=ids)))
        by_token = {}
        for unit in found:
            by_token[str(unit.pk)] = unit
        for unit in found:  # a code wins over an id that spells the same
            by_token[unit.code] = unit
        return by_token

    def _resolve(self, tokens: list[str], queryset) -> tuple[list, list[str]]:
        """The objects of ``queryset`` named by ``tokens`` (in their order, once
        each) and the tokens that name none."""
        if not tokens:
            return [], []
        by_token = self._find(tokens, queryset)
        found, unknown, seen = [], [], set()
        for token in tokens:
            item = by_token.get(token)
            if item is None:
                unknown.append(token)
            elif item.pk not in seen:
                seen.add(item.pk)
                found.append(item)
        return found, unknown

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
            by_token = self._find(tokens, self.queryset) if tokens else {}
            return [by_token.get(token, token) for token in tokens]
        items = value if isinstance(value, list | tuple) else [value]
        if hasattr(value, "model") and not isinstance(value, list | tuple):  # a queryset
            items = list(value)
        ids = [item.pk if isinstance(item, models.Model) else item for item in items]
        found, _unknown = self._resolve([str(pk) for pk in ids], self.model._default_manager.all())
        return found

    def _pks(self, value) -> set:
        prepared = self.prepare_value(value)
        return {item.pk if isinstance(item, models.Model) else item for item in prepared}

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


class BodyPickerInput(UnitPickerInput):
    @staticmethod
    def describe(item) -> dict:
        return pickers.body_as_json(item)


class BodyChoiceField(_UnitFieldMixin, forms.ModelChoiceField):
    """One issuing body, searched by its unit's name or code (or its own
    phrase); typed without script as the unit's code (the unit's default body)
    or "code/number" for another of its bodies, as the page shows them."""

    widget = BodyPickerInput
    model = IssuingBody
    default_error_messages = {
        "unknown": _(
            "No body you may choose here is “%(codes)s”. Type the unit's code for its own "
            "committee, or the code shown for another of its bodies (e.g. GL/12)."
        ),
        "one": _("Choose one body only."),
    }

    def __init__(self, *, purpose: str = "issuer", queryset=None, **kwargs) -> None:
        kwargs.setdefault("empty_label", None)
        super().__init__(
            queryset=IssuingBody.objects.none() if queryset is None else queryset, **kwargs
        )
        self._setup(purpose)
        self.widget.search_query["pick"] = "body"

    def _search_url(self) -> None:
        super()._search_url()
        self.widget.search_query["pick"] = "body"

    def typing_hint(self):
        return _(
            "Type the unit's code for its own committee, or the code shown for another of "
            "its bodies."
        )

    def scope(self, user: User, *, purpose: str | None = None, under: OrgUnit | None = None):
        self.purpose = purpose or self.purpose
        self.under = under
        self.queryset = pickers.pickable_bodies(user, self.purpose, under)
        self._search_url()
        return self

    def _find(self, tokens: list[str], queryset) -> dict[str, IssuingBody]:
        """Bodies by token: "GL" (the unit's default body), "GL/12", or an id."""
        ids, codes = [], []
        for token in tokens:
            code, _slash, number = token.rpartition("/")
            if code and number.isascii() and number.isdigit() and len(number) < 19:
                ids.append(int(number))
            elif token.isascii() and token.isdigit() and len(token) < 19:
                ids.append(int(token))
            else:
                codes.append(token)
        found = pickers.with_unit_names(
            queryset.filter(Q(pk__in=ids) | Q(unit__code__in=codes))
        ).order_by("-is_default", "position", "id")
        by_token: dict[str, IssuingBody] = {}
        for body in found:
            by_token[str(body.pk)] = body
            by_token[f"{body.unit.code}/{body.pk}"] = body
            if body.unit.code in codes:
                by_token.setdefault(body.unit.code, body)  # the default body first
        return by_token

    def prepare_value(self, value):
        prepared = super().prepare_value(value)
        # Without script, the other bodies of the chosen unit are named with
        # the code to type for each (a unit has a few).
        units = {item.unit_id for item in prepared if isinstance(item, IssuingBody)}
        chosen = {item.pk for item in prepared if isinstance(item, IssuingBody)}
        others = (
            pickers.with_unit_names(
                self.queryset.filter(unit__in=units).exclude(pk__in=chosen)
            ).order_by("-is_default", "position", "id")
            if units
            else []
        )
        self.widget.extra_choices = [
            (pickers.body_token(body), pickers.body_label(body)) for body in others
        ]
        return prepared

    def to_python(self, value):
        bodies = self._units_from(value)
        if len(bodies) > 1:
            raise ValidationError(self.error_messages["one"], code="one")
        return bodies[0] if bodies else None

    def validate(self, value) -> None:
        forms.Field.validate(self, value)
