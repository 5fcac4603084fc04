"""Form fields of the documents: rich text (an editor whose HTML is sanitised
on the way in), the recipients (Nơi nhận), one per line, and dates in the
app's window (documents.dates)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import richtext
from .dates import DATE_INPUT_ATTRS, validate_date_window
from .formatting import parse_recipients


class DateWindowMixin:
    """A date form field that takes only dates of the app's window
    (1945–2100), and says so to the browser's date picker."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if validate_date_window not in self.validators:
            self.validators.append(validate_date_window)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        for name, value in DATE_INPUT_ATTRS.items():
            # A field may narrow the window (e.g. min="today"), never widen it.
            if name not in widget.attrs:
                attrs[name] = value
        return attrs


class DateField(DateWindowMixin, forms.DateField):
    """forms.DateField in the window; <input type="date"> by default."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


_CONTROLS = "\x00controls\x00"  # where a field's id goes in the kept toolbar
_TOOLBARS: dict[str, str] = {}


def richtext_toolbar(controls: str) -> SafeString:
    """The editor's toolbar for the field of id ``controls``, in the active
    language. A report form has a dozen rich-text fields: their toolbar (some
    thirty translated words) is rendered once per language and process, not
    once per field (not kept with ``DEBUG``, where templates change)."""
    language = get_language() or settings.LANGUAGE_CODE
    html = _TOOLBARS.get(language)
    if html is None:
        html = render_to_string("documents/widgets/_richtext_toolbar.html", {"controls": _CONTROLS})
        if not settings.DEBUG:
            _TOOLBARS[language] = html
    return mark_safe(html.replace(_CONTROLS, escape(controls)))  # noqa: S308 (escaped id)


class RichTextWidget(forms.Textarea):
    """A textarea that static/js/richtext.js turns into the rich-text editor
    (Quill, vendored in static/vendor/quill); without JavaScript it stays a
    textarea. The editor is named by the field's label, or by the element
    that ``labelledby`` gives (e.g. a report item's heading)."""

    template_name = "documents/widgets/richtext.html"

    def __init__(self, attrs=None, *, labelledby: str = "") -> None:
        attrs = {"rows": 6, "data-richtext-input": "", **(attrs or {})}
        if labelledby:
            attrs["aria-labelledby"] = labelledby
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["toolbar"] = richtext_toolbar(context["widget"]["attrs"].get("id", ""))
        return context


class RichTextField(forms.CharField):
    widget = RichTextWidget

    def to_python(self, value):
        return richtext.sanitize(super().to_python(value))


class RecipientsField(forms.CharField):
    """Nơi nhận typed one per line, with or without the leading dash; a list
    of lines in, a list of lines out (the models keep it as a JSON list)."""

    def __init__(self, *, rows: int = 4, **kwargs) -> None:
        kwargs.setdefault("required", False)
        super().__init__(widget=forms.Textarea(attrs={"rows": rows}), **kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        return parse_recipients(super().to_python(value))
