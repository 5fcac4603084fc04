"""E-mails as three templates per message (subject, text, HTML), as healthchecks does."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

# Every sender of e-mail retries a failed send the same way: RETRIES more
# times, after a countdown that doubles (60 s, 120 s, 240 s, 480 s).
RETRIES = 4
RETRY_COUNTDOWN = 60


def retry_countdown(retries: int) -> int:
    """Seconds to wait before the next try, after ``retries`` retries already."""
    return RETRY_COUNTDOWN * 2**retries


def send(template: str, to: str | list[str], context: dict, *, language: str | None = None) -> None:
    """Render notifications/email/<template>-{subject.txt,body.txt,body.html} and send,
    in ``language`` (the recipient's; the site's language by default)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"notifications/email/{template}-subject.txt", context)
        text = render_to_string(f"notifications/email/{template}-body.txt", context)
        html = render_to_string(f"notifications/email/{template}-body.html", context)
    # Several recipients of one message are blind copies of each other.
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        text,
        to=recipients if len(recipients) == 1 else [],
        bcc=recipients if len(recipients) > 1 else [],
        headers={"X-Tongket-Message": template},
    )
    message.attach_alternative(html, "text/html")
    message.send()
