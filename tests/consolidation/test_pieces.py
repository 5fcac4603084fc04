"""The annex of every unit built in pieces by several tasks, merged by the last.

Not the demo: a provincial party committee of the bloc (ĐUK) with three
levels under it — three districts, their communes and party cells — where
two districts have not consolidated yet (their units are listed "chưa được …
tổng hợp", long names that wrap) and one commune has a very long name; the
pieces are a page each, cut after an odd number of rows.
"""

import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from campaigns.models import AnswerType
from consolidation import tasks
from consolidation.models import BuildStatus, ChunkStatus, DocumentBuild, DocumentChunk
from notifications import delivery
from orgunits.models import Role
from reports.models import Report, ReportStatus
from tests.factories import (
    SEED000_DEADLINES,
    AnswerFactory,
    MembershipFactory,
    PlanFactory,
    add_unit,
    set_answer_type,
)

pytestmark = pytest.mark.django_db

LONG_NAME = (
    "Đảng ủy xã Ia Hrú, đơn vị hành chính mới sáp nhập từ các xã Ia Hrú, Ia Rong "
    "và Ia Dreng theo Nghị quyết của Ủy ban Thường vụ Quốc hội năm 2025"
)


@pytest.fixture(autouse=True)
def _pieces(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_PIECES_FROM_ROWS = 10
    settings.DOCUMENT_PIECE_HEAD_ROWS = 7
    settings.DOCUMENT_PIECE_PAGES = 1


@pytest.fixture
def bloc(levels):
    return make_bloc(levels)


@pytest.fixture
def report(bloc):
    return make_report(bloc)


def make_bloc(levels):
    """ĐUK → 3 districts → 25 communes each (one a party cell's parent)."""
    root = add_unit(None, "K", levels["tinh"], name="Đảng ủy Khối các cơ quan tỉnh", symbol="ĐUK")
    units = {"K": root}
    for d in range(3):
        district = add_unit(root, f"K{d}", levels["huyen"], name=f"Đảng ủy cơ sở {d}", symbol="ĐU")
        units[district.code] = district
        for c in range(25):
            name = LONG_NAME if (d, c) == (1, 5) else f"Chi bộ cơ quan {d}.{c}"
            units[f"K{d}.{c}"] = add_unit(district, f"K{d}.{c}", levels["co-so"], name=name)
    units["K0.0.1"] = add_unit(units["K0.0"], "K0.0.1", levels["chi-bo"], name="Tổ đảng 1")
    return units


def make_report(bloc):
    """The bloc's own report over a published plan, two districts not consolidated."""
    coordinator = MembershipFactory(unit=bloc["K"], role=Role.COORDINATOR).user
    plan = PlanFactory(
        issuing_unit=bloc["K"],
        seed000=True,
        deadlines=SEED000_DEADLINES,
        published_by=coordinator,
    )
    count = set_answer_type(plan, "1.1.", AnswerType.INTEGER)
    members = set_answer_type(plan, "1.2.", AnswerType.INTEGER)
    # K1 and K2 have not consolidated their units: the annex lists them.
    reports = Report.objects.filter(campaign=plan).exclude(unit__in=[bloc["K1"], bloc["K2"]])
    reports.update(status=ReportStatus.ACCEPTED)
    for number, found in enumerate(reports.exclude(unit=bloc["K"]).order_by("unit__path")):
        AnswerFactory(report=found, item=count, number=number * 7)
        AnswerFactory(report=found, item=members, number=1000 + number)
    own = Report.objects.get(campaign=plan, unit=bloc["K"])
    own.number, own.issuer_symbol, own.issued_on = 45, "ĐUK", datetime.date(2026, 2, 5)
    own.signer_name = "Nguyễn Văn Thử"
    own.save()
    own.coordinator = coordinator
    return own


def build(report, django_capture_on_commit_callbacks) -> DocumentBuild:
    found = DocumentBuild.objects.create(report=report, fmt="pdf", every_unit=True)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.build_document(found.pk)
    found.refresh_from_db()
    return found


def pages_text(found: DocumentBuild) -> list[str]:
    with found.file.open("rb") as f:
        return [page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages]


def test_it_builds_the_pages_a_single_pass_makes(
    report, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_PIECES_FROM_ROWS = 10**6
    single = build(report, django_capture_on_commit_callbacks)
    assert (single.status, single.chunk_count) == (BuildStatus.DONE, 0)

    settings.DOCUMENT_PIECES_FROM_ROWS = 10
    pieced = build(report, django_capture_on_commit_callbacks)
    assert pieced.status == BuildStatus.DONE, pieced.error
    assert pieced.chunk_count >= 3
    assert pieced.chunks_done == pieced.chunk_count
    assert pieced.layout is None  # freed once merged
    assert not DocumentChunk.objects.exists()
    pages = pages_text(pieced)
    assert pages == pages_text(single)
    text = " ".join(" ".join(pages).split())
    assert "chưa được Đảng ủy cơ sở 2 tổng hợp" in text
    assert "Quốc hội năm 2025" in text
    # Numbered from page 2 on, without a gap.
    assert [page.rstrip().splitlines()[-1] for page in pages[1:]] == [
        str(n) for n in range(2, len(pages) + 1)
    ]


def test_a_lost_piece_is_queued_again_by_the_sweep(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        tasks, "enqueue_on_commit", lambda task, *args: None
    )  # the broker lost them
    found = build(report, django_capture_on_commit_callbacks)
    assert (found.status, found.stage) == (BuildStatus.RUNNING, "rendering pages")
    lost = DocumentChunk.objects.filter(build=found, status=ChunkStatus.QUEUED)
    assert lost.count() == found.chunk_count - 1

    delivery.sweep(timezone.now())
    found.refresh_from_db()
    assert found.status == BuildStatus.RUNNING  # too early: they may still be rendering

    later = timezone.now() + delivery.REQUEUE_AFTER + datetime.timedelta(seconds=5)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(later)
    found.refresh_from_db()
    assert found.status == BuildStatus.DONE, found.error
    assert len(pages_text(found)) > found.chunk_count


def test_a_piece_rendered_twice_is_counted_once(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(tasks, "enqueue_on_commit", lambda task, *args: None)
    found = build(report, django_capture_on_commit_callbacks)
    first = DocumentChunk.objects.filter(build=found, index=1).get()
    assert tasks.render_chunk(first.pk) == "rendered"
    assert tasks.render_chunk(first.pk) == "already rendered"
    found.refresh_from_db()
    assert found.chunks_done == 2


def test_its_progress_counts_the_pages_and_never_goes_back(
    client, report, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(report.coordinator)
    seen, pages = [], []
    finished = DocumentBuild.piece_finished

    def spy(self, count):
        last = finished(self, count)
        row = DocumentBuild.objects.get(pk=self.pk)
        seen.append(row.progress)
        url = reverse("consolidation:build_progress", args=[report.pk, row.pk])
        pages.append((row.pages_shown, row.pages_total, client.get(url).content.decode()))
        return last

    monkeypatch.setattr(DocumentBuild, "piece_finished", spy)
    found = build(report, django_capture_on_commit_callbacks)
    assert found.status == BuildStatus.DONE
    assert len(seen) == found.chunk_count - 1
    assert seen == sorted(seen)
    assert 65 < seen[0] <= 94  # the head's pages were counted before
    assert seen[-1] == 95  # the last piece: merging
    assert [done for done, _total, _html in pages] == sorted(done for done, _t, _h in pages)
    done, total, html = pages[0]
    assert 0 < done < total
    assert f"đã xuất {done}/{total} trang" in html
    assert "Đang xuất các trang" in html
    assert f'aria-valuenow="{seen[0]}"' in html


def test_the_progress_says_the_pages_in_english(report):
    found = DocumentBuild(
        pk=1, report=report, fmt="pdf", every_unit=True, status=BuildStatus.RUNNING
    )
    found.created = timezone.now()
    found.stage, found.progress, found.pages_done, found.pages_total = "rendering pages", 70, 4, 9
    with translation.override("en"):
        html = render_to_string("consolidation/_build.html", {"report": report, "build": found})
    assert "Rendering the pages: 4 of 9 pages rendered" in " ".join(html.split())


def test_the_sweep_merges_a_build_whose_merge_was_lost(
    report, monkeypatch, django_capture_on_commit_callbacks
):
    claim = DocumentBuild.claim_merge
    monkeypatch.setattr(DocumentBuild, "claim_merge", lambda self: False)  # the merger died
    found = build(report, django_capture_on_commit_callbacks)
    assert (found.status, found.chunks_done) == (BuildStatus.RUNNING, found.chunk_count)
    monkeypatch.setattr(DocumentBuild, "claim_merge", claim)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.sweep(timezone.now())
    found.refresh_from_db()
    assert found.status == BuildStatus.DONE, found.error
    assert tasks.merge_pieces(found.pk) == "not to merge"  # a duplicate does nothing
