from django import forms
from django.contrib import admin

from . import services
from .models import FileVerification, SignedDocument, SigningCertificate, TrustedRoot


class TrustedRootForm(forms.ModelForm):
    class Meta:
        model = TrustedRoot
        fields = ["name", "pem", "is_active"]

    def clean_pem(self):
        pem = self.cleaned_data["pem"]
        services.parse_root(pem)  # a ValidationError shown on the field
        return pem.strip()

    def clean(self):
        cleaned = super().clean()
        if "pem" in cleaned:
            services.fill_root(self.instance_from(cleaned))
        return cleaned

    def instance_from(self, cleaned):
        self.instance.pem = cleaned["pem"]
        return self.instance


@admin.register(TrustedRoot)
class TrustedRootAdmin(admin.ModelAdmin):
    """The roots an uploaded signature must chain to (a provider's root CA)."""

    form = TrustedRootForm
    list_display = ["name", "subject", "fingerprint", "is_active", "added_at"]
    list_filter = ["is_active"]
    readonly_fields = ["subject", "fingerprint", "added_at"]

    def delete_queryset(self, request, queryset):
        for root in queryset:
            root.delete()  # each drops the verdicts that trusted it


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    """Read-only: certificates are uploaded on the body's page; the key and the
    passphrase are never shown."""

    list_display = ["subject", "body", "issuer", "not_after", "is_active", "uploaded_at"]
    list_filter = ["is_active"]
    fields = ["body", "subject", "issuer", "serial", "fingerprint", "not_before", "not_after"]
    fields += ["is_active", "uploaded_by", "uploaded_at"]
    readonly_fields = [f for f in fields if f != "is_active"]

    def has_add_permission(self, request):
        return False


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "certificate", "status", "created", "signed_at"]
    list_filter = ["status"]
    raw_id_fields = ["build", "plan", "certificate"]
    readonly_fields = ["file", "error", "signed_at"]


@admin.register(FileVerification)
class FileVerificationAdmin(admin.ModelAdmin):
    list_display = ["attachment", "verdict", "signer", "signed_at", "checked_at"]
    list_filter = ["verdict"]
    raw_id_fields = ["attachment"]
