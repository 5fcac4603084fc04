"""The rich-text form field: a Trix editor whose HTML is sanitised on the way in."""

from __future__ import annotations

from django import forms

from . import richtext


class RichTextWidget(forms.Textarea):
    """A Trix editor bound to a hidden input; without JavaScript, a textarea."""

    template_name = "documents/widgets/richtext.html"


class RichTextField(forms.CharField):
    widget = RichTextWidget

    def to_python(self, value):
        return richtext.sanitize(super().to_python(value))
