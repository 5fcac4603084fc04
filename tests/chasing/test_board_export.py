"""The progress board's XLSX export: at once for a small board, a background
job (chasing.BoardExport) for a large one, for the user who asked only."""

import datetime
import io

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chasing import export, tasks
from chasing.models import BoardExport, ExportStatus
from notifications import delivery
from orgunits.models import Membership, Role
from reports.models import Report, ReportStatus
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(published_plan, small_tree):
    return Membership.objects.get(unit=small_tree["P"], role=Role.COORDINATOR).user


@pytest.fixture
def district_coordinator(small_tree):
    return MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user


@pytest.fixture
def plan(published_plan, today):
    """Some units late, some in: the timeliness filter has something to keep."""
    day = datetime.timedelta(days=1)
    for code, status, due_on in [
        ("D1", ReportStatus.PENDING, today - 2 * day),
        ("D1C1", ReportStatus.DRAFT, today - day),
        ("D2C2", ReportStatus.SUBMITTED, today + day),
    ]:
        report = Report.objects.get(campaign=published_plan, unit__code=code)
        report.status, report.due_on = status, due_on
        report.submitted_at = timezone.now() if status == ReportStatus.SUBMITTED else None
        report.save()
    return published_plan


def url(name, plan, *args, query=""):
    address = reverse(f"chasing:{name}", args=[plan.pk, *args])
    return f"{address}?{query}" if query else address


def sheet_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def direct_rows(client, plan, query="") -> list[tuple]:
    response = client.get(url("board_export", plan, query=query))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return sheet_rows(response.getvalue())


def start(client, plan, capture, data=None, *, run=True):
    """POST the export page; the job runs (eagerly) on commit when ``run``."""
    with capture(execute=run):
        response = client.post(url("board_export_start", plan), data or {})
    assert response.status_code == 302
    job = BoardExport.objects.order_by("-pk").first()
    assert response["Location"] == url("board_export_job", plan, job.pk)
    return job


def downloaded(client, plan, job) -> list[tuple]:
    response = client.get(url("board_export_download", plan, job.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tien-do-279.xlsx"'
    return sheet_rows(b"".join(response.streaming_content))


def test_it_writes_a_board_up_to_the_setting_at_once(client, coordinator, plan, settings):
    settings.BOARD_EXPORT_INLINE_MAX = 7  # the board's 7 reports
    client.force_login(coordinator)
    rows = direct_rows(client, plan)
    assert [row[1] for row in rows[1:]] == ["P", "D1", "D1C1", "D1C2", "D2", "D2C1", "D2C2"]
    assert not BoardExport.objects.exists()


def test_a_large_board_leads_to_a_page_with_a_button_and_makes_no_job_on_get(
    client, coordinator, plan, settings
):
    settings.BOARD_EXPORT_INLINE_MAX = 6
    client.force_login(coordinator)
    response = client.get(url("board_export", plan, query="timeliness=overdue&q="))
    assert response.status_code == 302
    assert response["Location"] == url("board_export_start", plan, query="timeliness=overdue")
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="export-start"' in html
    assert 'method="post"' in html
    assert 'name="timeliness" value="overdue"' in html
    assert "Quá hạn" in html  # the filter named on the page
    assert not BoardExport.objects.exists()


@pytest.mark.parametrize("query", ["", "timeliness=overdue", "level=co-so&q=D1"])
def test_the_background_file_has_the_rows_of_the_direct_export(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks, query
):
    client.force_login(coordinator)
    expected = direct_rows(client, plan, query)
    settings.BOARD_EXPORT_INLINE_MAX = 2
    data = dict(pair.split("=") for pair in query.split("&")) if query else {}
    job = start(client, plan, django_capture_on_commit_callbacks, data)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.rows_done == job.rows_total == len(expected) - 1
    assert job.file.name.startswith(f"board-exports/{plan.pk}/")
    assert len(job.file.name.split("/")[2]) >= 20  # the unguessable folder
    assert downloaded(client, plan, job) == expected


def test_a_district_coordinator_exports_their_own_subtree(
    client, district_coordinator, plan, settings, django_capture_on_commit_callbacks
):
    client.force_login(district_coordinator)
    expected = direct_rows(client, plan)
    assert [row[1] for row in expected[1:]] == ["D1", "D1C1", "D1C2"]
    settings.BOARD_EXPORT_INLINE_MAX = 2
    job = start(client, plan, django_capture_on_commit_callbacks)
    assert downloaded(client, plan, job) == expected


def test_its_progress_only_goes_forward_and_ends_at_every_row(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    monkeypatch.setattr(export, "PROGRESS_EVERY", 2)
    seen = []
    original = BoardExport.set_progress

    def recording(self, done, total):
        original(self, done, total)
        seen.append(BoardExport.objects.values_list("rows_done", "rows_total").get(pk=self.pk))

    monkeypatch.setattr(BoardExport, "set_progress", recording)
    client.force_login(coordinator)
    start(client, plan, django_capture_on_commit_callbacks)
    done = [d for d, _t in seen]
    assert done == sorted(done)
    assert done == [0, 2, 4, 6, 7]
    assert {t for _d, t in seen} == {7}


def test_a_second_post_reuses_the_job_until_the_data_changes(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    first = start(client, plan, django_capture_on_commit_callbacks, run=False)
    again = start(client, plan, django_capture_on_commit_callbacks, run=False)
    assert again.pk == first.pk
    assert BoardExport.objects.count() == 1
    # Other filters are another file.
    overdue = start(client, plan, django_capture_on_commit_callbacks, {"timeliness": "overdue"})
    assert overdue.pk != first.pk
    # Done a minute ago, the same data: the same file.
    assert start(client, plan, django_capture_on_commit_callbacks, {"timeliness": "overdue"}) == (
        overdue
    )
    # A report changed: written again.
    report = Report.objects.get(campaign=plan, unit__code="D2C1")
    report.status = ReportStatus.DRAFT
    report.save()
    fresh = start(client, plan, django_capture_on_commit_callbacks, {"timeliness": "overdue"})
    assert fresh.pk != overdue.pk
    # Another user asking for the same gets a job of their own.
    other = MembershipFactory(unit=plan.issuing_unit, role=Role.COORDINATOR).user
    client.force_login(other)
    theirs = start(client, plan, django_capture_on_commit_callbacks, {"timeliness": "overdue"})
    assert theirs.pk != fresh.pk
    assert theirs.requested_by == other


def test_only_the_user_who_asked_sees_the_job_and_its_file(
    client, coordinator, district_coordinator, plan, settings, django_capture_on_commit_callbacks
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    job = start(client, plan, django_capture_on_commit_callbacks)
    # The district's coordinator sees the board, not the province's export.
    client.force_login(district_coordinator)
    assert client.get(url("board", plan)).status_code == 200
    assert client.get(url("board_export_job", plan, job.pk)).status_code == 404
    assert client.get(url("board_export_download", plan, job.pk)).status_code == 404
    # The one who asked, having lost the province, loses the file too.
    client.force_login(coordinator)
    assert client.get(url("board_export_download", plan, job.pk)).status_code == 200
    Membership.objects.filter(user=coordinator).delete()
    assert client.get(url("board_export_job", plan, job.pk)).status_code == 404
    assert client.get(url("board_export_download", plan, job.pk)).status_code == 404


def test_the_page_polls_every_two_seconds_until_the_file_is_ready(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    job = start(client, plan, django_capture_on_commit_callbacks, run=False)
    page = client.get(url("board_export_job", plan, job.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "Tải lại trang" in page  # without JavaScript
    assert "Đang chờ đến lượt" in page
    tasks.build_board_export(job.pk)
    poll = client.get(url("board_export_job", plan, job.pk), HTTP_HX_REQUEST="true")
    fragment = poll.content.decode()
    assert "<nav" not in fragment  # the card alone
    assert "hx-trigger" not in fragment
    assert url("board_export_download", plan, job.pk) in fragment
    assert "Tệp có 7 đơn vị." in fragment


def test_the_poll_reads_a_constant_few_rows(
    client,
    coordinator,
    plan,
    settings,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    job = start(client, plan, django_capture_on_commit_callbacks, run=False)
    client.get(url("board_export_job", plan, job.pk), HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(8):
        client.get(url("board_export_job", plan, job.pk), HTTP_HX_REQUEST="true")


def test_a_job_is_written_once_even_if_queued_twice(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    job = start(client, plan, django_capture_on_commit_callbacks, run=False)
    assert tasks.build_board_export(job.pk) == ExportStatus.DONE
    name = BoardExport.objects.get(pk=job.pk).file.name
    assert tasks.build_board_export(job.pk) == "already claimed"
    assert BoardExport.objects.get(pk=job.pk).file.name == name


def test_the_minute_sweep_queues_a_lost_job_again(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    job = start(client, plan, django_capture_on_commit_callbacks, run=False)  # the broker lost it
    now = timezone.now()
    assert delivery.sweep(now)["chasing.board_exports"] == {"requeued": 0}  # not lost yet
    assert BoardExport.objects.get(pk=job.pk).status == ExportStatus.QUEUED
    later = now + delivery.REQUEUE_AFTER + datetime.timedelta(seconds=5)
    assert delivery.sweep(later)["chasing.board_exports"] == {"requeued": 1}
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.rows_done == 7


def test_a_job_whose_worker_died_fails_and_old_files_are_deleted(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks
):
    settings.BOARD_EXPORT_INLINE_MAX = 2
    client.force_login(coordinator)
    old = start(client, plan, django_capture_on_commit_callbacks)
    name = BoardExport.objects.get(pk=old.pk).file.name
    assert default_storage.exists(name)
    stuck = start(client, plan, django_capture_on_commit_callbacks, {"q": "D2"}, run=False)
    assert BoardExport.claim(stuck.pk)
    now = timezone.now()
    BoardExport.objects.filter(pk=old.pk).update(
        created=now - datetime.timedelta(days=1, minutes=1)
    )
    delivery.sweep(now + datetime.timedelta(minutes=16))
    assert not BoardExport.objects.filter(pk=old.pk).exists()
    assert not default_storage.exists(name)
    stuck.refresh_from_db()
    assert stuck.status == ExportStatus.FAILED
    assert stuck.error


def test_a_failed_job_says_so_in_vietnamese(
    client, coordinator, plan, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.BOARD_EXPORT_INLINE_MAX = 2

    def broken(rows, *, progress=None):
        raise OSError("disk full")

    monkeypatch.setattr(export, "workbook", broken)
    client.force_login(coordinator)
    job = start(client, plan, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "disk full"
    page = client.get(url("board_export_job", plan, job.pk)).content.decode()
    assert "Không ghi được tệp Excel" in page
    assert "hx-trigger" not in page
    assert client.get(url("board_export_download", plan, job.pk)).status_code == 404
    # Asking again makes a new job rather than handing back the failed one.
    assert start(client, plan, django_capture_on_commit_callbacks).pk != job.pk


def test_the_job_runs_on_the_documents_queue():
    route = django_settings.CELERY_TASK_ROUTES["chasing.tasks.build_board_export"]
    assert route == {"queue": django_settings.CELERY_DOCUMENTS_QUEUE}
