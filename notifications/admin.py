from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import EmailOutbox


@admin.register(EmailOutbox)
class EmailOutboxAdmin(admin.ModelAdmin):
    """Outgoing e-mails: what failed or is "to check" (interrupted twice)."""

    list_display = ["created", "status", "recipient", "subject", "attempts", "interruptions"]
    list_filter = ["status"]
    search_fields = ["subject", "to", "notification__user__email"]
    list_select_related = ["notification__user"]
    # The text is not shown: a password reset link stays out of the admin.
    readonly_fields = [f.name for f in EmailOutbox._meta.fields if f.name not in ("text", "html")]
    exclude = ["text", "html"]

    @admin.display(description=_("recipients"))
    def recipient(self, row: EmailOutbox) -> str:
        if row.notification_id:
            return row.notification.user.email
        return ", ".join(row.to)

    def has_add_permission(self, request) -> bool:
        return False
