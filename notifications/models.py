"""In-app notifications; e-mail copies are sent by a Celery task."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """What a notification is about: every app's kinds, spelled here once."""

    PLAN_PUBLISHED = "plan_published", _("A plan was published")
    PLAN_REVISED = "plan_revised", _("A plan was changed")
    PARENT_PLAN_REVISED = "parent_plan_revised", _("The plan your plan implements was changed")
    REPORT_SUBMITTED = "report_submitted", _("A report was submitted")
    REPORT_RETURNED = "report_returned", _("A report was returned")
    REPORT_ACCEPTED = "report_accepted", _("A report was accepted")
    REPORT_REOPENED = "report_reopened", _("A report was reopened")
    REPORT_READY = "report_ready", _("A report is ready for approval")
    REMINDER = "reminder", _("Reminder")
    ESCALATION = "escalation", _("Escalation")
    CONSOLIDATED_DOCUMENT = "consolidated_document", _("A consolidated document is ready")
    DIALOGUE_OPINIONS = "dialogue_opinions", _("Opinions due")
    DIALOGUE_NOTICE = "dialogue_notice", _("Radio notice due")
    DIALOGUE_PETITION = "dialogue_petition", _("Petition due")
    DIALOGUE_PETITION_ESCALATION = (
        "dialogue_petition_escalation",
        _("Overdue petition, to the head's office"),
    )


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=500, blank=True)
    # What the wording of a kind in ``notifications.messages`` takes; with it
    # the title and body are worded when read, in the reader's language
    # (``title``/``body`` keep the wording as sent, for everything else).
    params = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        from .messages import worded

        return worded(self, "title")

    @property
    def shown_body(self) -> str:
        from .messages import worded

        return worded(self, "body")


class Preference(models.Model):
    """A user's choices about notifications. In-app notifications cannot be
    turned off; e-mail copies can."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="notification_preference"
    )
    email_enabled = models.BooleanField(_("send me e-mails"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)
