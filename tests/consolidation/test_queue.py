"""Consolidated documents are built on a queue of their own, so that e-mails
and reminders never wait behind a PDF (README, "Background workers")."""

from pathlib import Path

from django.conf import settings

from config.celery_app import app

ROOT = Path(settings.BASE_DIR)


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_the_build_goes_to_the_documents_queue_and_the_mail_does_not():
    assert queue_of("consolidation.tasks.build_document") == "documents"
    default = settings.CELERY_TASK_DEFAULT_QUEUE
    for name in (
        "notifications.tasks.send_outbox",
        "notifications.tasks.sweep_deliveries",
        "chasing.tasks.sweep",
    ):
        assert queue_of(name) == default


def test_every_procfile_runs_a_worker_for_the_documents_queue_that_gives_memory_back():
    for procfile in ("Procfile", "Procfile.dev"):
        lines = dict(
            line.split(":", 1) for line in (ROOT / procfile).read_text().splitlines() if line
        )
        documents = lines["documents"]
        assert "worker" in documents, procfile
        assert "-Q " in documents, procfile
        assert "documents" in documents.split("-Q ", 1)[1].split()[0], procfile
        assert "--max-memory-per-child=" in documents, procfile
        assert "-Q" not in lines["worker"], procfile  # the default queue: mail, reminders
    web = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines())["web"]
    assert "--worker-class gthread" in web
    assert "--threads" in web
