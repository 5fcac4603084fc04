"""Wordings worded when read: a notification of a kind listed here is shown
in the reader's language (the one active when the list or e-mail is
rendered), from the ``params`` stored with it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import NotificationKind

# kind -> (title, body): %-templates over Notification.params.
WORDINGS = {
    NotificationKind.REPORT_READY: (
        _("%(unit)s: the report on plan %(plan)s is ready for your approval"),
        _("%(who)s asks you to check the report and submit it to %(reviewer)s."),
    ),
    NotificationKind.CONFERENCE_INVITATION: (
        _("Invitation: %(title)s, %(when)s"),
        _("%(organiser)s invites %(unit)s to %(title)s at %(venue)s. Please reply in the app."),
    ),
}

# Optional lines appended to the body when their parameter is set.
EXTRA_LINES = {
    "new_due_on": _("New deadline: %(new_due_on)s."),
}


def worded(notification, part: str) -> str:
    """The ``part`` ("title" or "body") of ``notification`` in the active language."""
    stored = getattr(notification, part)
    params = notification.params or {}
    texts = WORDINGS.get(notification.kind)
    if texts and params:
        try:
            text = str(texts[0 if part == "title" else 1]) % params
        except (KeyError, TypeError, ValueError):
            text = stored
    else:
        text = stored
    if part == "body":
        extra = [str(line) % params for key, line in EXTRA_LINES.items() if params.get(key)]
        text = "\n".join(t for t in [text, *extra] if t)
    return text
