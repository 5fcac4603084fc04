"""The annex of every unit (PHỤ LỤC 3) as PDF in pieces: 1 worker process vs 2.

On the synthetic tree of ``bench.consolidation.make_campaign`` with no
district consolidated yet (every commune is a row of the annex), the
consolidated PDF with ``every_unit`` is rendered as the documents workers do
(documents.chunked_pdf: the head in the build's task, the pieces by the
workers, the merge by the last one), the workers being a pool of 1 then 2
processes. Sizes in units: ``PDF_PARALLEL_UNITS`` (comma-separated, default
2526,10000; 50000 is the country, which takes long on a shared machine).
``PDF_PARALLEL_SAMPLE=K``: only the first K pieces after the head are
rendered (no merge), and the whole is extrapolated from them (the pieces are
alike: rows of the same annex): a country's speed-up within minutes.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import time
from concurrent.futures import ProcessPoolExecutor

from django.conf import settings
from pypdf import PdfReader

from bench.consolidation import make_campaign
from consolidation import documents, rollup
from documents import chunked_pdf
from documents.pdf import render_pdf
from reports.models import Report

_DOC = None  # the numbered document, inherited by the forked workers
SINGLE_PASS_UP_TO = 3000  # units: the single pass (today's build) measured too, for comparison


def _render(cut: tuple[int, int | None, int | None]) -> tuple[chunked_pdf.Piece, int, float]:
    """One piece, HTML and PDF, as a worker's task renders it; the worker's
    pid and the CPU time it took."""
    cpu = time.process_time()
    piece = chunked_pdf.render_at((_DOC, *cut))
    return piece, os.getpid(), time.process_time() - cpu


SAMPLE = int(os.environ.get("PDF_PARALLEL_SAMPLE", "0"))


def _in_pieces(doc, processes: int) -> tuple[bytes | None, int, int, dict]:
    """The PDF in pieces, and the wall and CPU time of each stage: the head
    (in the build's task), the pieces (the pool), the merge (the last piece).
    With ``SAMPLE``, the first pieces only and no PDF (None)."""
    global _DOC
    doc = chunked_pdf.numbered(doc)
    _DOC = doc
    wall, cpu = time.perf_counter(), time.process_time()
    head, cuts = chunked_pdf.cut_up(
        doc,
        head_rows=settings.DOCUMENT_PIECE_HEAD_ROWS,
        pages_per_piece=settings.DOCUMENT_PIECE_PAGES,
    )
    stages = {"head": (time.perf_counter() - wall, time.process_time() - cpu)}
    wall = time.perf_counter()
    context = multiprocessing.get_context("fork")
    rendered = cuts[1 : 1 + SAMPLE] if SAMPLE else cuts[1:]
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        done = list(pool.map(_render, [(c.start, c.stop, c.first_page) for c in rendered]))
    per_process: dict[int, float] = {}
    for _piece, pid, seconds in done:
        per_process[pid] = per_process.get(pid, 0) + seconds
    # On an idle machine the pool takes as long as its busiest process.
    stages["pieces"] = (time.perf_counter() - wall, max(per_process.values()))
    if SAMPLE:
        return None, len(cuts), 0, stages
    pieces = [head, *(piece for piece, _pid, _seconds in done)]
    wall, cpu = time.perf_counter(), time.process_time()
    pdf, again = chunked_pdf.assemble(
        cuts, lambda index: pieces[index], lambda *cut: _render(cut)[0]
    )
    stages["merge"] = (time.perf_counter() - wall, time.process_time() - cpu)
    return pdf, len(cuts), again, stages


def _measure(units: int) -> None:
    districts = max(units // 100, 1)
    code = f"PP{units}"
    plan, province = make_campaign(code, districts, units - 1 - districts, districts_waiting=True)
    report = Report.objects.select_related("unit__level", "plan__issuing_unit").get(
        campaign=plan, unit=province
    )
    start = time.perf_counter()
    result = rollup.build(plan=plan, unit=province, include_submitted=False)
    doc = documents.consolidated_document(report, result, every_unit=True)
    layout = time.perf_counter() - start
    rows = chunked_pdf.row_count(doc)
    print(f"  {units:>6} units, annex of {rows} rows: roll-up and layout {layout:.1f} s")
    times = {}
    if units <= SINGLE_PASS_UP_TO:
        start = time.perf_counter()
        pdf = render_pdf(doc)
        single = time.perf_counter() - start
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(f"    single pass: {single:7.1f} s ({pages} pages)")
    cpu_bound = {}
    for processes in (1, 2):
        start = time.perf_counter()
        pdf, pieces, again, stages = _in_pieces(doc, processes)
        times[processes] = time.perf_counter() - start
        cpu_bound[processes] = sum(cpu for _wall, cpu in stages.values())
        if pdf is None:
            sampled = min(SAMPLE, pieces - 1)
            wall, cpu = stages["pieces"]
            head = stages["head"][0]
            scale = (pieces - 1) / sampled
            print(
                f"    {processes} process{'es' if processes > 1 else '  '}: {sampled} of "
                f"{pieces - 1} pieces in {wall:.1f} s (CPU {cpu:.1f} s), head {head:.1f} s; "
                f"all pieces extrapolated: {head + wall * scale:.0f} s"
            )
            times[processes] = head + wall * scale
            cpu_bound[processes] = stages["head"][1] + cpu * scale
            continue
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"    {processes} process{'es' if processes > 1 else '  '}: {times[processes]:7.1f} s "
            f"({pages} pages, {pieces} pieces, {again} rendered again); wall/CPU s: "
            + ", ".join(f"{name} {w:.1f}/{c:.1f}" for name, (w, c) in stages.items())
        )
    print(
        f"    speed-up with 2 processes: {times[1] / times[2]:.2f}× measured; "
        f"{cpu_bound[1] / cpu_bound[2]:.2f}× from the CPU times (what an idle machine gives)"
    )


def run() -> None:
    sizes = os.environ.get("PDF_PARALLEL_UNITS", "2526,10000")
    # The load of the machine decides what a second process can give.
    print(
        f"  pieces of {settings.DOCUMENT_PIECE_PAGES} pages; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    for size in sizes.split(","):
        _measure(int(size))
