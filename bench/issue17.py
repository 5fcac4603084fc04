"""The figures of issue #17, measured from outside through a live gunicorn
(bench.live) on the 2,526-unit province (bench.fixtures), each against a
floor that does the same work around it, over interleaved rounds.

Floors: a trivial authenticated page (the password-change form: session,
user, menus and context processors, one template) for the pages; a trivial
authenticated POST (marking one's notifications read: CSRF, session, a write
transaction, a redirect) for the autosaves and submissions; WeasyPrint alone
on the same HTML for the PDF; one hand-written SQL query summing the same
figure answers for the roll-up.
"""

from __future__ import annotations

import os
import statistics
import time

from django.db import connection
from django.test import Client as TestClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from bench import fixtures, live
from bench.live import get, post, sequence
from bench.table import percentile, rounds, row
from consolidation import rollup
from reports.models import Answer, Report, ReportStatus

ALONE = 5  # requests of one browser per round
TRIVIAL_URL = "password_change"
TRIVIAL_POST = "notifications:read_all"
HX = {"HX-Request": "true"}


def _median(samples) -> float:
    return statistics.median(s.ms for s in samples)


def _kib(samples) -> float:
    return statistics.median(s.size for s in samples) / 1024


def _statuses(samples) -> str:
    return ",".join(sorted({str(s.status) for s in samples}))


# --- Report form and autosave -------------------------------------------------

REPORTERS = 50
SAVES = 3  # autosaves per reporter between two openings of the form


def form() -> None:
    """50 reporters of 50 communes at once, each opening the report form,
    autosaving an item three times and opening the form again; the floor is
    the same 50 browsers opening the trivial page and posting the trivial POST."""
    day = fixtures.deadline_day()
    reports = day.reports[-REPORTERS:]
    sessions = day.reporters[-REPORTERS:]
    item = day.text_item
    prefix = f"item{item.pk}"
    versions = dict(
        Answer.objects.filter(report__in=reports, item=item).values_list("report_id", "version")
    )
    text = "<p>" + "Đảng ủy xã đã quán triệt, triển khai thực hiện nghiêm túc. " * 30 + "</p>"
    trivial, trivial_post = reverse(TRIVIAL_URL), reverse(TRIVIAL_POST)
    figures = {"form": [], "save": [], "floor form": [], "floor save": []}
    unexpected: set[int] = set()

    def reporter(report: Report, session: live.Session):
        detail = reverse("reports:detail", args=[report.pk])
        url = reverse("reports:item", args=[report.pk, item.pk])

        def script(client: live.Client):
            samples = [client.send(get(detail, session, kind="form"))]
            for n in range(SAVES):
                version = versions.get(report.pk, 0)
                data = {f"{prefix}-version": str(version), f"{prefix}-text": f"{text} {n}"}
                sample = client.send(post(url, session, data, kind="save", **HX))
                if sample.status == 200:
                    versions[report.pk] = version + 1
                samples.append(sample)
            samples.append(client.send(get(detail, session, kind="form")))
            return samples

        return script

    def floor_script(session: live.Session):
        return sequence(
            get(trivial, session, kind="form"),
            *[post(trivial_post, session, {}, kind="save") for _ in range(SAVES)],
            get(trivial, session, kind="form"),
        )

    def floor(_n: int) -> None:
        result = live.load([floor_script(s) for s in sessions], REPORTERS)
        figures["floor form"].append(percentile(result.ms("form"), 95))
        figures["floor save"].append(percentile(result.ms("save"), 95))
        unexpected.update(s.status for s in result.samples if s.status not in (200, 302))

    def measured(_n: int) -> None:
        scripts = [reporter(r, s) for r, s in zip(reports, sessions, strict=True)]
        result = live.load(scripts, REPORTERS)
        figures["form"].append(percentile(result.ms("form"), 95))
        figures["save"].append(percentile(result.ms("save"), 95))
        unexpected.update(s.status for s in result.samples if s.status != 200)

    first, session = reports[0], sessions[0]
    live.warm(
        get(trivial, session),
        get(reverse("reports:detail", args=[first.pk]), session),
        post(trivial_post, session, {}),
    )
    rounds(floor, measured)
    saved = dict(
        Answer.objects.filter(report__in=reports, item=item).values_list("report_id", "version")
    )
    lost = sum(saved.get(r.pk, 0) != versions.get(r.pk, 0) for r in reports)
    row(
        f"report form p95, {REPORTERS} concurrent reporters autosaving",
        figures["form"],
        "ms",
        floor=figures["floor form"],
        floor_what="trivial view p95",
        goal="≤ 3×",
    )
    row(
        "autosave POST p95, same run",
        figures["save"],
        "ms",
        floor=figures["floor save"],
        floor_what="trivial POST p95",
        note=f"{lost} of {REPORTERS} answers not at the version saved"
        + (f"; HTTP {sorted(unexpected)}" if unexpected else ""),
    )
    row("queries per autosave", [_save_queries(day, text)], "queries", goal="≤ 8")


def _save_queries(day: fixtures.DeadlineDay, text: str) -> int:
    """Queries of one autosave through the Django stack (test client, in process)."""
    report, session = day.reports[-REPORTERS - 1], day.reporters[-REPORTERS - 1]
    item = day.text_item
    client = TestClient()
    client.cookies[live.settings.SESSION_COOKIE_NAME] = session.key
    url = reverse("reports:item", args=[report.pk, item.pk])
    version = Answer.objects.filter(report=report, item=item).values_list("version", flat=True)
    version = version.first() or 0
    prefix = f"item{item.pk}"
    counts = []
    for n in range(3):
        data = {f"{prefix}-version": str(version + n), f"{prefix}-text": f"{text} q{n}"}
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, response.status_code
        counts.append(len(queries.captured_queries))
    return counts[-1]


# --- Progress board -------------------------------------------------------------

CONCURRENT = 20


def board() -> None:
    """The board of the province's coordinator: alone (first page, the 30-s
    poll with nothing changed) and with 20 users opening it and polling."""
    data = fixtures.consolidation()
    session = data.coordinator
    page = reverse("chasing:board", args=[data.plan.pk])
    poll_url = reverse("chasing:board_rows", args=[data.plan.pk])
    poll_url += "?" + urlencode({"since": timezone.now().isoformat()})
    first = live.alone(get(poll_url, session, **HX), 1)[0]
    etag = first.headers.get("ETag", "")
    poll = get(poll_url, session, **HX, **({"If-None-Match": etag} if etag else {}))
    trivial = get(reverse(TRIVIAL_URL), session)
    f = {k: [] for k in ("trivial", "page", "kib", "poll", "c-trivial", "c-page", "c-poll")}
    statuses = {"page": set(), "poll": set()}

    def alone(_n: int) -> None:
        f["trivial"].append(_median(live.alone(trivial, ALONE)))
        samples = live.alone(get(page, session), ALONE)
        f["page"].append(_median(samples))
        f["kib"].append(_kib(samples))
        statuses["page"].update(s.status for s in samples)
        samples = live.alone(poll, ALONE)
        f["poll"].append(_median(samples))
        statuses["poll"].update(s.status for s in samples)

    def concurrent_floor(_n: int) -> None:
        result = live.load([sequence(trivial, trivial) for _ in range(CONCURRENT)], CONCURRENT)
        f["c-trivial"].append(statistics.median(result.ms()))

    def concurrent(_n: int) -> None:
        polled = get(poll_url, session, kind="poll", **poll.headers)
        script = sequence(get(page, session, kind="page"), polled)
        result = live.load([script for _ in range(CONCURRENT)], CONCURRENT)
        f["c-page"].append(statistics.median(result.ms("page")))
        f["c-poll"].append(statistics.median(result.ms("poll")))

    live.warm(trivial, get(page, session), poll)
    rounds(alone, concurrent_floor, concurrent)
    units = f"{data.units:,} units"
    row(
        f"progress board, {units}, alone: first page",
        f["page"],
        "ms",
        floor=f["trivial"],
        floor_what="trivial",
        goal="≤ 10×",
        note=f"HTTP {sorted(statuses['page'])}",
    )
    row("progress board, first page size", f["kib"], "KiB", goal="≤ 150 KiB")
    row(
        "board poll, nothing changed",
        f["poll"],
        "ms",
        floor=f["trivial"],
        floor_what="trivial",
        goal="≤ 2×",
        note=f"HTTP {sorted(statuses['poll'])}",
    )
    row(
        f"progress board, {CONCURRENT} concurrent users (median)",
        f["c-page"],
        "ms",
        floor=f["c-trivial"],
        floor_what=f"trivial, {CONCURRENT} concurrent",
    )
    row(
        f"board poll, {CONCURRENT} concurrent users (median)",
        f["c-poll"],
        "ms",
        floor=f["c-trivial"],
        floor_what=f"trivial, {CONCURRENT} concurrent",
    )


# --- Consolidation workspace -------------------------------------------------------


def workspace() -> None:
    data = fixtures.consolidation()
    session = data.coordinator
    url = reverse("consolidation:workspace", args=[data.own.pk])
    trivial = get(reverse(TRIVIAL_URL), session)
    f = {k: [] for k in ("trivial", "page", "kib", "c-trivial", "c-page")}
    statuses = set()

    def alone(_n: int) -> None:
        f["trivial"].append(_median(live.alone(trivial, ALONE)))
        samples = live.alone(get(url, session), 3)
        f["page"].append(_median(samples))
        f["kib"].append(_kib(samples))
        statuses.update(s.status for s in samples)

    def concurrent_floor(_n: int) -> None:
        result = live.load([sequence(trivial) for _ in range(CONCURRENT)], CONCURRENT)
        f["c-trivial"].append(statistics.median(result.ms()))

    def concurrent(_n: int) -> None:
        result = live.load([sequence(get(url, session)) for _ in range(CONCURRENT)], CONCURRENT)
        f["c-page"].append(statistics.median(result.ms()))
        statuses.update(s.status for s in result.samples)

    live.warm(trivial, get(url, session))
    rounds(alone, concurrent_floor, concurrent)
    row(
        f"consolidation workspace, {data.units:,} units, alone: first paint",
        f["page"],
        "ms",
        floor=f["trivial"],
        floor_what="trivial",
        goal="≤ 10×",
        note=f"HTTP {sorted(statuses)}",
    )
    row("consolidation workspace, first paint size", f["kib"], "KiB")
    row(
        f"consolidation workspace, {CONCURRENT} concurrent (median)",
        f["c-page"],
        "ms",
        floor=f["c-trivial"],
        floor_what=f"trivial, {CONCURRENT} concurrent",
    )


# --- Consolidated PDF and the documents worker ---------------------------------------

MAX_MEMORY_KIB = int(os.environ.get("DOCUMENTS_MAX_MEMORY_KIB", "307200"))  # as the Procfile


def _floor_html(data: fixtures.Consolidation) -> str:
    """The HTML the build renders (default annexes), built in this process."""
    from consolidation import documents
    from documents.html import render_html

    result = rollup.build(plan=data.plan, unit=data.province)
    return render_html(documents.consolidated_document(data.own, result))


def pdf() -> None:
    """From the click (POST of the build form) to the end of the download,
    through gunicorn and a Celery worker of the documents queue as the
    Procfile runs it; the stages as the build records them (read every 50 ms).
    The floor: WeasyPrint alone on the same HTML, in this process. Then one
    build with the annex of every unit (the big PDF; BENCH_PDF_EVERY=0 skips
    it) and the worker's memory: its child before any build, after each, and
    once replaced for holding more than max-memory-per-child."""
    from documents.pdf import html_to_pdf

    data = fixtures.consolidation()
    live.server()
    worker = live.documents_worker(MAX_MEMORY_KIB)
    _wait_ready(worker)
    memory = _Memory(worker)
    f = {k: [] for k in ("click", "weasy", "kib")}
    stages: dict[str, list[float]] = {}
    failures = []

    def floor(_n: int) -> None:
        html = _floor_html(data)
        begin = time.perf_counter()
        html_to_pdf(html)
        f["weasy"].append(time.perf_counter() - begin)

    def click(_n: int) -> None:
        seconds, kib, seen, error = _click(data, worker, every_unit=False, memory=memory)
        memory.after_build()
        if error:
            failures.append(error)
            return
        f["click"].append(seconds)
        f["kib"].append(kib)
        for stage, duration in seen.items():
            stages.setdefault(stage, []).append(duration)

    rounds(floor, click)
    big = None
    if os.environ.get("BENCH_PDF_EVERY", "1") != "0":
        big = _click(data, worker, every_unit=True, memory=memory)
        memory.after_build()
    worker.stop()
    row(
        f"consolidated PDF, {data.units:,} units, default annexes: click → download",
        f["click"],
        "s",
        floor=f["weasy"],
        floor_what="WeasyPrint alone, same HTML",
        goal="≤ 8 s",
        note=_stages(stages)
        + (f"; {len(failures)} failed: {failures[0][:80]}" if failures else ""),
    )
    row("consolidated PDF size", f["kib"], "KiB")
    if big is not None:
        seconds, kib, seen, error = big
        row(
            "consolidated PDF with the annex of every unit (one build): click → download",
            [] if error else [seconds],
            "s",
            note=(f"failed: {error[:80]}" if error else f"{kib:,.0f} KiB; ")
            + _stages({k: [v] for k, v in seen.items()}),
        )
    memory.rows(builds=len(f["click"]) + (big is not None), big=big is not None)


def _stages(stages: dict[str, list[float]]) -> str:
    from consolidation.models import STAGES  # stage → progress: their order

    ordered = sorted(stages.items(), key=lambda kv: STAGES.get(kv[0], 1000))
    return ", ".join(f"{name} {statistics.median(t):.1f} s" for name, t in ordered) or (
        "no stage seen"
    )


def _click(data: fixtures.Consolidation, worker: live.Process, *, every_unit: bool, memory=None):
    """One build from the click to the downloaded file: (seconds, KiB, stages'
    durations, error)."""
    from consolidation.models import BuildStatus, DocumentBuild

    DocumentBuild.objects.filter(report=data.own).delete()  # a new build, not a kept one
    client = live.Client(live.server())
    fields = {"fmt": "pdf", **({"every_unit": "on"} if every_unit else {})}
    url = reverse("consolidation:build_start", args=[data.own.pk])
    begin = time.perf_counter()
    sample = client.send(post(url, data.coordinator, fields))
    if sample.status != 302:
        return 0.0, 0.0, {}, f"HTTP {sample.status} on the click"
    build, seen, last = None, {}, None
    if memory is not None:
        memory.start()
    while time.perf_counter() - begin < 600:
        worker.check()
        if memory is not None:
            memory.sample()
        build = DocumentBuild.objects.filter(report=data.own).order_by("-pk").first()
        if build is not None:
            if build.stage != last:
                seen[build.stage] = time.perf_counter()
                last = build.stage
            if build.status in (BuildStatus.DONE, BuildStatus.FAILED):
                break
        time.sleep(0.05)
    ended = time.perf_counter()
    if build is None or build.status != BuildStatus.DONE:
        client.close()
        return 0.0, 0.0, {}, (getattr(build, "error", "") or "no build or timeout")
    url = reverse("consolidation:build_download", args=[data.own.pk, build.pk])
    download = client.send(get(url, data.coordinator))
    client.close()
    seconds = time.perf_counter() - begin
    marks = sorted(seen.items(), key=lambda kv: kv[1]) + [("end", ended)]
    durations = {
        stage: until - at
        for (stage, at), (_next, until) in zip(marks, marks[1:], strict=False)
        if stage and stage not in ("done", "failed")
    }
    return seconds, download.size / 1024, durations, ""


class _Memory:
    """The resident set of the worker's child processes, sampled every 50 ms
    during a build (the peak is what max-memory-per-child compares), read
    again once the build is done (what the child keeps), and that of the
    child started in its place when it was replaced."""

    def __init__(self, worker: live.Process) -> None:
        self.worker = worker
        self.children = set(live.children(worker.popen.pid))
        self.before = self._rss(self.children)
        self.peaks: list[float] = []
        self.kept: list[float] = []
        self.replaced: list[float] = []
        self.peak = 0.0

    @staticmethod
    def _rss(pids) -> float:
        values = [v for v in (live.rss_mib(pid) for pid in pids) if v == v]
        return max(values) if values else float("nan")

    def start(self) -> None:
        self.peak = 0.0
        self.children = set(live.children(self.worker.popen.pid))

    def sample(self) -> None:
        rss = self._rss(self.children)
        if rss == rss:
            self.peak = max(self.peak, rss)

    def after_build(self) -> None:
        """A child over the limit exits once its task returned and the worker
        starts another: the memory of the new one; else what the child kept."""
        self.peaks.append(self.peak)
        deadline = time.monotonic() + (20 if self.peak * 1024 > MAX_MEMORY_KIB else 1)
        while time.monotonic() < deadline:
            now = set(live.children(self.worker.popen.pid))
            if now and now != self.children:
                time.sleep(1)  # the new child started: its imports done
                self.replaced.append(self._rss(now - self.children))
                self.children = now
                return
            time.sleep(0.2)
        self.kept.append(self._rss(self.children))

    def rows(self, builds: int, big: bool) -> None:
        default, every = (self.peaks[:-1], self.peaks[-1:]) if big else (self.peaks, [])
        row(
            "Celery documents worker, child RSS: peak during a default build",
            default,
            "MiB",
            note=f"before any build {self.before:.0f} MiB",
        )
        if big:
            row("Celery documents worker, child RSS: peak during the big PDF", every, "MiB")
        row("Celery documents worker, child RSS kept after a build", self.kept, "MiB")
        limit = f"max-memory-per-child {MAX_MEMORY_KIB // 1024} MiB"
        row(
            f"worker child replaced ({limit}): RSS of the new child",
            self.replaced,
            "MiB",
            note=f"replaced after {len(self.replaced)} of {builds} builds"
            if self.replaced
            else f"never: no child held more than {MAX_MEMORY_KIB // 1024} MiB",
        )


def _wait_ready(worker: live.Process) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        worker.check()
        if " ready." in worker.log.read_text(errors="replace"):
            return
        time.sleep(0.3)
    raise RuntimeError(f"the Celery worker did not start (see {worker.log})")


# --- Roll-up ------------------------------------------------------------------------


def rollup_figures() -> None:
    """The figures of the province by the rule, against one hand-written SQL
    query summing the same figure answers (bench.consolidation.hand_figures)."""
    from bench.consolidation import hand_figures

    data = fixtures.consolidation()
    f = {"app": [], "hand": [], "build": []}
    checked = {}

    def hand(_n: int) -> None:
        begin = time.perf_counter()
        checked["totals"] = hand_figures(data.plan, data.province)
        f["hand"].append((time.perf_counter() - begin) * 1000)

    def app(_n: int) -> None:
        begin = time.perf_counter()
        checked["figures"] = rollup.figures(plan=data.plan, unit=data.province)
        f["app"].append((time.perf_counter() - begin) * 1000)

    def build(_n: int) -> None:
        begin = time.perf_counter()
        rollup.build(plan=data.plan, unit=data.province)
        f["build"].append((time.perf_counter() - begin) * 1000)

    rounds(hand, app, build)
    totals, figures = checked["totals"], checked["figures"]
    compared = [e for e in figures if e.item.pk in totals]
    same = all(totals[e.item.pk] == e.figure.total for e in compared)
    row(
        f"roll-up figures, {data.units:,} units (rollup.figures)",
        f["app"],
        "ms",
        floor=f["hand"],
        floor_what="hand SQL, same figure answers",
        note=f"{len(compared)} totals compared, " + ("all equal" if same else "DIFFERENT"),
    )
    row(
        "whole roll-up (rollup.build: figures, texts, points)",
        f["build"],
        "ms",
        floor=f["hand"],
        floor_what="hand SQL",
    )


# --- The deadline-day burst ------------------------------------------------------------


def burst() -> None:
    """BENCH_BURST (2,000) approvers each submitting their commune's report at
    concurrency 50; the floor: as many trivial authenticated POSTs by the same
    browsers. The reports are put back as they were between rounds."""
    day = fixtures.deadline_day()
    count = min(int(os.environ.get("BENCH_BURST", "2000")), len(day.reports) - REPORTERS - 1)
    reports, sessions = day.reports[:count], day.approvers[:count]
    ids = [r.pk for r in reports]
    snapshot = list(Report.objects.filter(pk__in=ids))
    fields = [
        f.name for f in Report._meta.concrete_fields if not f.primary_key and f.name != "unit"
    ]
    trivial = reverse(TRIVIAL_POST)
    f = {k: [] for k in ("rate", "p50", "p95", "seconds", "errors", "submitted")}
    f.update({k: [] for k in ("f-rate", "f-p50", "f-p95", "f-errors")})

    def floor(_n: int) -> None:
        result = live.load([sequence(post(trivial, s, {})) for s in sessions], 50)
        ms = result.ms()
        f["f-rate"].append(count / result.seconds)
        f["f-p50"].append(percentile(ms, 50))
        f["f-p95"].append(percentile(ms, 95))
        f["f-errors"].append(result.errors(ok=(302,)))

    def measured(_n: int) -> None:
        scripts = [
            sequence(post(reverse("reports:submit", args=[r.pk]), s, {}))
            for r, s in zip(reports, sessions, strict=True)
        ]
        result = live.load(scripts, 50)
        ms = result.ms()
        f["rate"].append(count / result.seconds)
        f["seconds"].append(result.seconds)
        f["p50"].append(percentile(ms, 50))
        f["p95"].append(percentile(ms, 95))
        f["errors"].append(result.errors(ok=(302,)))
        submitted = Report.objects.filter(pk__in=ids, status=ReportStatus.SUBMITTED).count()
        f["submitted"].append(submitted)
        Report.objects.bulk_update(snapshot, fields, batch_size=500)  # drafts again

    def browser_script(report: Report, session: live.Session):
        def script(client: live.Client):
            url = reverse("reports:submit", args=[report.pk])
            sample = client.send(post(url, session, {}, kind="submit"))
            samples = [sample]
            location = sample.headers.get("Location", "")
            if sample.status == 302 and location.startswith("/"):
                samples.append(client.send(get(location, session, kind="page")))
            return samples

        return script

    def browser(_n: int) -> None:
        """As a browser does: the submission, then the report page its
        redirect lands on (about twice the submission's work)."""
        scripts = [browser_script(r, s) for r, s in zip(reports, sessions, strict=True)]
        result = live.load(scripts, 50)
        f["b-rate"].append(count / result.seconds)
        f["b-seconds"].append(result.seconds)
        f["b-p50"].append(percentile(result.ms("page"), 50))
        pages = result.of("page")
        f["b-errors"].append(
            sum(s.status != 302 for s in result.of("submit"))
            + sum(s.status != 200 for s in pages)
            + (count - len(pages))
        )
        submitted = Report.objects.filter(pk__in=ids, status=ReportStatus.SUBMITTED).count()
        f["b-submitted"].append(submitted)
        Report.objects.bulk_update(snapshot, fields, batch_size=500)  # drafts again

    follow = os.environ.get("BENCH_BURST_FOLLOW", "1") != "0"
    f.update({k: [] for k in ("b-rate", "b-seconds", "b-p50", "b-errors", "b-submitted")})
    live.warm(post(trivial, sessions[0], {}))
    rounds(floor, measured, *([browser] if follow else []))
    what = f"deadline-day burst, {count:,} approvers submitting, concurrency 50"
    row(
        what + ": submissions/s",
        f["rate"],
        "/s",
        floor=f["f-rate"],
        floor_what="trivial authenticated POST",
        goal="≥ 33/s",
        invert=True,
    )
    row(f"burst: {count:,} submissions in", f["seconds"], "s", goal="≤ 60 s")
    row("burst: p50", f["p50"], "ms", floor=f["f-p50"], floor_what="trivial POST p50")
    row("burst: p95", f["p95"], "ms", floor=f["f-p95"], floor_what="trivial POST p95")
    row(
        "burst: errors (HTTP other than 302)",
        f["errors"],
        "",
        floor=f["f-errors"],
        floor_what="trivial POST",
        goal="0",
    )
    row(
        "burst: reports submitted afterwards",
        f["submitted"],
        "",
        goal=f"{count:,}",
        note=f"of {count:,}",
    )
    if follow:
        row(
            f"burst as a browser (submission, then the report page), {count:,} approvers: "
            "submissions/s",
            f["b-rate"],
            "/s",
            goal="≥ 33/s",
            note=f"in {statistics.median(f['b-seconds']):.1f} s; report page p50 "
            f"{statistics.median(f['b-p50']):,.0f} ms; errors {max(f['b-errors'])}; "
            f"submitted {min(f['b-submitted']):,} of {count:,}",
        )
