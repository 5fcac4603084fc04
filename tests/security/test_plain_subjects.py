"""E-mail subjects are plain text, never HTML-escaped (issue #16, item 7):
a unit, a plan or a petition with "&", quotes or "<" reads as typed."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings

from notifications import emails
from notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NAME = "Đảng ủy xã Ia O'Dăm & Chư <Sê>"
PLAN = SimpleNamespace(
    pk=1,
    number_symbol="12-KH/ĐU",
    summary="sơ kết 'A & B'",
    issuing_unit=SimpleNamespace(name=NAME),
)
UNIT = SimpleNamespace(name=NAME)
DUE = datetime.date(2026, 3, 9)


def test_a_notifications_subject_and_text_read_as_typed(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = UserFactory(email="a@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[user], kind="test", title=f"Báo cáo của {NAME} đã được trả lại")
    [message] = mailoutbox
    assert message.subject == f"[Tổng kết] Báo cáo của {NAME} đã được trả lại"
    assert NAME in message.body
    html = message.alternatives[0][0]
    assert "Ia O&#x27;Dăm &amp; Chư &lt;Sê&gt;" in html  # the HTML escapes once
    assert "&amp;amp;" not in html


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        (
            "reminder",
            {
                "reminder": SimpleNamespace(plan=PLAN, days_left=3, days_overdue=0, due_on=DUE),
                "plan": PLAN,
                "unit": UNIT,
            },
            f"· {NAME}",
        ),
        (
            "escalation",
            {"plan": PLAN, "total": 2, "reminders": [], "unit": UNIT},
            "12-KH/ĐU",
        ),
        (
            "dialogue_reminder",
            {
                "title": "Trả lời kiến nghị “Đường 'A & B' <hỏng>”",
                "unit": UNIT,
                "reminder": SimpleNamespace(days_left=2, days_overdue=0, due_on=DUE),
            },
            f"Trả lời kiến nghị “Đường 'A & B' <hỏng>” · {NAME}",
        ),
    ],
)
def test_every_subject_is_plain_text(mailoutbox, template, context, expected):
    emails.send(template, "a@example.vn", context)
    [message] = mailoutbox
    assert expected in message.subject
    assert "&amp;" not in message.subject
    assert "&#x27;" not in message.subject
    assert "&lt;" not in message.subject


def test_every_subject_template_turns_autoescaping_off():
    folder = Path(settings.BASE_DIR) / "notifications/templates/notifications/email"
    subjects = sorted(folder.glob("*-subject.txt"))
    assert len(subjects) >= 4
    for path in subjects:
        assert "{% autoescape off %}" in path.read_text(encoding="utf-8"), path.name
