from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from documents.numbering import issuer_symbol_only

from .models import OWN_COMMITTEE_KINDS, IssuingBody


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tree file (CSV or XLSX)"),
        help_text=_(
            "Columns: code, name, short name, parent code, level, kind, symbol, e-mail, "
            "place name, party organisation. Existing codes are updated; nothing is saved if "
            "any row has an error."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check and import"), css_class="btn-party"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ORGUNIT_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class IssuingBodyForm(forms.ModelForm):
    """A body of a unit: what its documents print in the header and the signature."""

    class Meta:
        model = IssuingBody
        fields = [
            "kind",
            "name",
            "phrase",
            "symbol",
            "authority",
            "sign_for",
            "signer_position",
            "signer_name",
            "position",
            "is_default",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["symbol"].help_text = _(
            "The issuer's part only: “BDVTU” gives 12-KH/BDVTU; a typed “KH/BDVTU” keeps BDVTU."
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("name", css_class="col-md-8")),
            Row(Column("phrase", css_class="col-md-8"), Column("symbol", css_class="col-md-4")),
            Row(
                Column("authority", css_class="col-md-3"),
                Column("sign_for", css_class="col-md-3"),
                Column("signer_position", css_class="col-md-3"),
                Column("signer_name", css_class="col-md-3"),
            ),
            Row(
                Column("position", css_class="col-md-3"), Column("is_default", css_class="col-md-9")
            ),
        )
        self.helper.add_input(Submit("submit", _("Save"), css_class="btn-party"))

    def clean_symbol(self) -> str:
        return issuer_symbol_only(self.cleaned_data["symbol"])

    def clean(self):
        data = super().clean()
        own = data.get("kind") in OWN_COMMITTEE_KINDS
        if not own and not (data.get("name") or "").strip():
            self.add_error(
                "name",
                _(
                    "A commission, steering committee or office prints its own name under "
                    "the unit's."
                ),
            )
        if data.get("authority") and not (data.get("sign_for") or "").strip():
            self.add_error(
                "sign_for", _("Say for whom the signer signs, e.g. “BAN THƯỜNG VỤ”, “TRƯỞNG BAN”.")
            )
        for name in ("name", "sign_for", "signer_position"):
            if data.get(name):
                data[name] = " ".join(data[name].split()).upper()
        return data
