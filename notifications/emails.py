"""E-mails as three templates per message (subject, text, HTML), as healthchecks does."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

# Every sender of e-mail retries a failed send the same way: RETRIES more
# times, after a countdown that doubles (60 s, 120 s, 240 s, 480 s).
RETRIES = 4
RETRY_COUNTDOWN = 60

# The Message-ID of the delivery being sent (notifications.delivery): every
# try of one delivery carries the same one.
_message_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("message_id", default=None)


def retry_countdown(retries: int) -> int:
    """Seconds to wait before the next try, after ``retries`` retries already."""
    return RETRY_COUNTDOWN * 2**retries


@contextlib.contextmanager
def message_id(value: str) -> Iterator[None]:
    """Messages sent inside carry ``value`` as their Message-ID."""
    token = _message_id.set(value)
    try:
        yield
    finally:
        _message_id.reset(token)


def send_message(message: EmailMessage) -> int:
    """Send ``message`` (with the current delivery's Message-ID); how many the
    server accepted."""
    if _message_id.get():
        message.extra_headers["Message-ID"] = _message_id.get()
    return message.send()


def build(
    template: str, to: str | list[str], context: dict, *, language: str | None = None
) -> EmailMultiAlternatives:
    """Render notifications/email/<template>-{subject.txt,body.txt,body.html}, in
    ``language`` (the recipient's; the site's language by default)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"notifications/email/{template}-subject.txt", context)
        text = render_to_string(f"notifications/email/{template}-body.txt", context)
        html = render_to_string(f"notifications/email/{template}-body.html", context)
    message = composed(to, subject, text, html)
    message.extra_headers["X-Tongket-Message"] = template
    return message


def composed(
    to: str | list[str], subject: str, text: str, html: str = "", headers: dict | None = None
) -> EmailMultiAlternatives:
    # Several recipients of one message are blind copies of each other.
    recipients = [to] if isinstance(to, str) else list(to)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),
        text,
        to=recipients if len(recipients) == 1 else [],
        bcc=recipients if len(recipients) > 1 else [],
        headers=dict(headers or {}),
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send(template: str, to: str | list[str], context: dict) -> int:
    """Render and send; how many messages the server accepted."""
    return send_message(build(template, to, context))
