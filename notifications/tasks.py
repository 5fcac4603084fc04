from celery import shared_task
from django.utils import timezone

from . import emails
from .models import Notification


@shared_task(bind=True, max_retries=emails.RETRIES, time_limit=300, soft_time_limit=270)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """Send the e-mail copy of each notification once, whoever runs this task.

    A conditional update claims each notification before sending, so a task
    delivered twice, or two workers, never send the same e-mail twice. On a
    mail error the claim is given back and the task retried (emails.retry_countdown).
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
        except OSError as error:
            # Give the claim back so the retry sends it.
            Notification.objects.filter(pk=notification.pk).update(emailed_at=None)
            raise self.retry(
                exc=error, countdown=emails.retry_countdown(self.request.retries)
            ) from error
        sent += 1
    return sent
