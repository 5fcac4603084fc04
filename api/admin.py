"""Integrating systems are made, scoped and revoked by the administrator.
A new token is shown once (a message after saving), never again."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from orgunits.admin import UnitPickerAdminMixin

from . import services
from .models import ClientScope, IntegrationClient, WebhookDelivery, WebhookEvent


class ScopeInline(UnitPickerAdminMixin, admin.TabularInline):
    model = ClientScope
    extra = 1


class ClientForm(forms.ModelForm):
    webhook_url = forms.URLField(label=_("webhook URL"), required=False, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=_("events"),
        choices=WebhookEvent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = IntegrationClient
        fields = ["name", "is_active", "rate_per_minute", "webhook_url", "webhook_secret", "events"]


@admin.register(IntegrationClient)
class IntegrationClientAdmin(admin.ModelAdmin):
    form = ClientForm
    inlines = [ScopeInline]
    list_display = ["name", "is_active", "revoked_at", "last_used_at", "webhook_url"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    readonly_fields = ["key", "revoked_at", "last_used_at", "created"]
    actions = ["revoke", "rotate"]

    def save_model(self, request, obj, form, change):
        token = None if change else services.prepare(obj)
        super().save_model(request, obj, form, change)
        if token:
            messages.warning(
                request,
                _("The token of %(name)s, shown this once: %(token)s")
                % {"name": obj.name, "token": token},
            )

    @admin.action(description=_("Revoke the tokens of the selected systems"))
    def revoke(self, request, queryset):
        for client in queryset:
            services.revoke(client)

    @admin.action(description=_("Give the selected systems new tokens"))
    def rotate(self, request, queryset):
        for client in queryset:
            token = services.rotate_token(client)
            messages.warning(
                request,
                _("The token of %(name)s, shown this once: %(token)s")
                % {"name": client.name, "token": token},
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created", "client", "event", "status", "attempts", "response_status"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
