"""The rich-text widget's toolbar: rendered once per language and kept, it
still names the field it controls and speaks the page's language."""

from django import forms
from django.test import override_settings
from django.utils import translation

from documents import forms as document_forms
from documents.forms import RichTextField


class TwoTexts(forms.Form):
    first = RichTextField()
    second = RichTextField()


@override_settings(DEBUG=False)
def test_each_field_has_its_toolbar_in_the_page_language(monkeypatch):
    monkeypatch.setattr(document_forms, "_TOOLBARS", {})
    renders = []
    real = document_forms.render_to_string
    monkeypatch.setattr(
        document_forms, "render_to_string", lambda *a, **k: renders.append(a) or real(*a, **k)
    )
    for language, bold in (("vi", "In đậm (Ctrl+B)"), ("en", "Bold (Ctrl+B)"), ("vi", "In đậm")):
        with translation.override(language):
            form = TwoTexts(prefix=f"f{language}")
            html = str(form["first"]) + str(form["second"])
        assert html.count(f'title="{bold}') == 2
        assert f'aria-controls="id_f{language}-first"' in html
        assert f'aria-controls="id_f{language}-second"' in html
        assert html.count("<template data-richtext-toolbar>") == 2
    assert len(renders) == 2  # once for Vietnamese, once for English


def test_an_id_is_escaped_in_the_toolbar():
    html = str(document_forms.richtext_toolbar('x" onclick="alert(1)'))
    assert 'aria-controls="x&quot; onclick=&quot;alert(1)"' in html
