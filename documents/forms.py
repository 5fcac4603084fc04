"""Form fields of the documents: rich text (an editor whose HTML is sanitised
on the way in) and the recipients (Nơi nhận), one per line."""

from __future__ import annotations

from django import forms

from . import richtext
from .formatting import parse_recipients


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
