from celery import shared_task
from django.utils import timezone

from . import emails
from .models import Notification


@shared_task(
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    time_limit=300,
    soft_time_limit=270,
)
def send_notification_emails(notification_ids: list[int]) -> int:
    """Send the e-mail copy of each notification once, whoever runs this task.

    A conditional update claims each notification before sending, so a task
    delivered twice, or two workers, never send the same e-mail twice.
    """
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True).exclude(
        user__notification_preference__email_enabled=False
    )
    for notification in pending.select_related("user"):
        if not notification.user.email:
            continue
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            continue
        try:
            emails.send("notification", notification.user.email, {"notification": notification})
        except OSError:
            # Give the claim back so the retry sends it.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise
        sent += 1
    return sent
