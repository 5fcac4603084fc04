"""The sweep through a real Celery worker process: Redis in CI (REDIS_URL), the
embedded file broker elsewhere. One unit due tomorrow gets exactly one e-mail."""

import datetime
import email
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from chasing import tasks
from chasing.models import DeliveryStatus, Reminder
from config.celery_app import app as celery_app
from orgunits.models import OrgUnit, Role
from tests.factories import MembershipFactory, UserFactory, build_province, publish_plan

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path, monkeypatch):
    """A worker process on its own queue (so it takes no other work from the
    broker), writing e-mails to files."""
    queue = f"test-{os.getpid()}-{time.time_ns()}"
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
    }
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield mail_dir, queue
    process.terminate()
    try:
        output, _unused = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _unused = process.communicate()
    print(output[-4000:])


def reminders_to(mail_dir: Path, address: str) -> list:
    found = []
    for path in sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []:
        for raw in path.read_text(encoding="utf-8").split("-" * 79):
            if raw.strip():
                message = email.message_from_string(raw.strip())
                if message.get("X-Tongket-Message") == "reminder" and address in message["To"]:
                    found.append(message)
    return found


def wait_for(condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_the_sweep_through_a_worker_sends_exactly_one_reminder(levels, worker):
    mail_dir, queue = worker
    province = build_province(levels, communes=1)
    commune = OrgUnit.objects.get(code="C0")
    reporter = MembershipFactory(
        unit=commune, role=Role.REPORTER, user=UserFactory(email="ia.blang@example.vn")
    ).user
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    plan = publish_plan(province, grassroots_due=tomorrow)

    # The queue is named explicitly: the app may have cached its default queue.
    tasks.sweep.apply_async(queue=queue)
    assert wait_for(
        lambda: Reminder.objects.filter(
            plan=plan, unit=commune, status=DeliveryStatus.SENT
        ).exists()
    ), "no reminder was sent"
    assert wait_for(lambda: len(reminders_to(mail_dir, reporter.email)) == 1)

    # A second sweep through the worker finds nothing new to send.
    tasks.sweep.apply_async(queue=queue)
    time.sleep(5)
    assert Reminder.objects.filter(plan=plan, unit=commune).count() == 1
    sent = reminders_to(mail_dir, reporter.email)
    assert len(sent) == 1
    assert (
        plan.number_symbol
        in email.header.make_header(email.header.decode_header(sent[0]["Subject"])).__str__()
    )
