"""In-app notifications; every e-mail is a delivery row (``EmailOutbox``, and
the chased reminders), sent by a Celery task and swept every minute."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
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
    CONFERENCE_INVITATION = "conference_invitation", _("Invitation to a conference")
    CONFERENCE_SPEECH = "conference_speech", _("Speech due")


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


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Nobody could receive it (no active user to send to): never counted as sent.
    NO_RECIPIENT = "no_recipient", _("No recipient")
    # Interrupted while sending twice: a person must find out whether it went.
    TO_CHECK = "to_check", _("To check")


class Delivery(models.Model):
    """What every outbound e-mail shares: claimed by a conditional update from
    ``queued`` to ``sending`` (the lease starts at ``claimed_at``), then
    ``sent``, ``failed``, ``no_recipient`` or ``to_check`` (see
    notifications.delivery). The SMTP server's acceptance is recorded before
    the row is marked sent, so an interrupted send is told from one that never
    went out. Notification e-mails, reminders of review reports and of
    dialogue deadlines are all deliveries."""

    status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sweep_token = models.CharField(max_length=36, blank=True, db_index=True)
    created = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the SMTP server took the message, and what the sender said of it.
    accepted_at = models.DateTimeField(null=True, blank=True)
    smtp_response = models.CharField(max_length=255, blank=True, default="", db_default="")
    # Sends found "sending" after their lease; one is retried, two: to check.
    interruptions = models.PositiveSmallIntegerField(default=0, db_default=0)
    # A queued row still queued this long after this moment lost its task.
    queued_at = models.DateTimeField(null=True, blank=True)
    # When its status last changed (every update in notifications.delivery
    # sets it): what the progress board's poll looks for among reminders.
    changed_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        abstract = True


class EmailOutbox(Delivery):
    """One e-mail to send: the copy of a notification (composed when sent,
    from the notification), or a message composed already (``queue_email``:
    password resets, invitations)."""

    notification = models.OneToOneField(
        Notification, models.CASCADE, null=True, blank=True, related_name="email"
    )
    to = models.JSONField(default=list, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    # The text holds a secret (a password reset link): erased once sent.
    erase_when_sent = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return self.subject or f"notification {self.notification_id}"
