from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services

MAX_PKCS12_BYTES = 100 * 1024


class CertificateForm(forms.Form):
    """A PKCS#12 file and its passphrase; the passphrase is never shown back."""

    file = forms.FileField(
        label=_("Certificate file (.p12, .pfx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".p12,.pfx,application/x-pkcs12"}),
    )
    passphrase = forms.CharField(
        label=_("Passphrase of the file"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(
            render_value=False, attrs={"autocomplete": "off", "class": "form-control"}
        ),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_PKCS12_BYTES:
            raise ValidationError(
                _("A certificate file is a few kilobytes; this one is too large.")
            )
        data = upload.read()
        try:
            services.read_pkcs12(data, cleaned.get("passphrase") or "")
        except ValidationError as error:
            self.add_error("passphrase" if error.code == "passphrase" else "file", error)
            return cleaned
        cleaned["data"] = data
        return cleaned
