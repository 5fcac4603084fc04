"""Building the consolidated document in the background, with its progress.

``start_build`` is what the page calls: it hands back a kept build of the
same data, or queues a new one. ``build_document`` is the job: it claims the
build with a conditional update (two workers never build the same one), and
writes its stage and progress with small UPDATEs that the page polls.
"""

from __future__ import annotations

import logging
import pickle
import zlib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from documents import chunked_pdf, signing
from documents.content import OfficialDocument
from documents.rendering import render
from notifications.models import NotificationKind
from notifications.outbox import enqueue_on_commit
from notifications.services import notify
from reports.models import Report

from . import documents, rollup
from .models import BuildFormat, BuildStatus, ChunkStatus, DocumentBuild, DocumentChunk

logger = logging.getLogger(__name__)


@shared_task(time_limit=600, soft_time_limit=570)
def build_document(build_id: int) -> str:
    """Build one consolidated document; a failure is kept on the build, not raised."""
    if not DocumentBuild.claim(build_id):
        return "already claimed"
    build = DocumentBuild.objects.select_related("requested_by").get(pk=build_id)
    try:
        build.set_stage("collecting")
        report = Report.objects.select_related(
            "unit__level", "plan__issuing_unit", "campaign", "term"
        ).get(pk=build.report_id)
        build.report = report
        # Taken before the data is read: a change while building makes the
        # fingerprint stale, never the document newer than its fingerprint says.
        build.set_fingerprint(documents.fingerprint(report, build.include_submitted))

        build.set_stage("rolling up")
        result = rollup.build(
            plan=report.plan, unit=report.unit, include_submitted=build.include_submitted
        )

        build.set_stage("laying out")
        if build.fmt == BuildFormat.XLSX:
            annexes = documents.annex_data(report, result, every_unit=True)
        else:
            doc = documents.consolidated_document(report, result, every_unit=build.every_unit)

        if build.fmt == BuildFormat.PDF and build.every_unit and _in_pieces(doc):
            if _start_pieces(build, doc):
                return build.stage  # the pieces go on; the last one merges and tells
        build.set_stage("rendering")
        if build.fmt == BuildFormat.XLSX:
            content = documents.xlsx(annexes)
        else:
            content = render(doc, build.fmt)
        build.finish(content)
        if build.fmt == BuildFormat.PDF:
            signing.document_final(build)  # the body's certificate signs it (signatures)
    except SoftTimeLimitExceeded:
        build.fail(_("The document took too long to build."))
    except Exception as error:  # noqa: BLE001  (any failure is shown to the user)
        logger.exception("Consolidated document build %s failed", build_id)
        build.fail(str(error) or error.__class__.__name__)
    _tell_requester(build)
    return build.status


# --- A long annex in pieces (documents.chunked_pdf) ------------------------


def _in_pieces(doc: OfficialDocument) -> bool:
    """A long last annex (PHỤ LỤC 3) of plain rows (no merged cells to cut)."""
    tables = doc.annexes[-1].tables if doc.annexes else []
    return chunked_pdf.row_count(doc) >= settings.DOCUMENT_PIECES_FROM_ROWS and not any(
        table.merges for table in tables
    )


def _start_pieces(build: DocumentBuild, doc: OfficialDocument) -> bool:
    """Render the document up to a few pages into the long annex here (it
    says where a page of the annex starts), cut the rest into pieces of
    about DOCUMENT_PIECE_PAGES pages and queue one task a piece. False when
    the annex ends within those first pages (then one pass it is)."""
    doc = chunked_pdf.numbered(doc)
    found = chunked_pdf.cut_up(
        doc,
        head_rows=settings.DOCUMENT_PIECE_HEAD_ROWS,
        pages_per_piece=settings.DOCUMENT_PIECE_PAGES,
    )
    if found is None:
        return False
    head, cuts = found
    layout = zlib.compress(pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))
    with transaction.atomic():
        build.start_pieces(
            layout=layout,
            chunks=len(cuts),
            pages_total=sum(cut.pages for cut in cuts),
            pages_done=cuts[0].pages,
        )
        DocumentChunk.objects.bulk_create(
            DocumentChunk(
                build=build,
                index=i,
                start=cut.start,
                end=cut.end,
                planned_pages=cut.pages,
                first_page=cut.first_page,
            )
            for i, cut in enumerate(cuts)
        )
        DocumentChunk.objects.get(build=build, index=0).store(head.pdf, head.page_rows)
        for pk in build.chunks.filter(index__gt=0).order_by("index").values_list("pk", flat=True):
            enqueue_on_commit(render_chunk, pk)
    return True


def _layout(build: DocumentBuild) -> OfficialDocument:
    return pickle.loads(zlib.decompress(build.layout))  # noqa: S301  (written by build_document)


@shared_task(time_limit=600, soft_time_limit=570)
def render_chunk(chunk_id: int) -> str:
    """Render one piece of a long annex; the last piece counted merges them."""
    chunk = DocumentChunk.objects.filter(pk=chunk_id).select_related("build").first()
    if chunk is None or chunk.status == ChunkStatus.DONE:
        return "already rendered"
    build = chunk.build
    if build.status != BuildStatus.RUNNING:
        return "build over"
    try:
        doc = _layout(build)
        cut = chunked_pdf.Cut(start=chunk.start, end=chunk.end)
        html = chunked_pdf.piece_html(doc, cut.start, cut.stop)
        piece = chunked_pdf.render_piece(html, chunk.first_page)
    except SoftTimeLimitExceeded:
        build.fail(_("The document took too long to build."))
        _tell_requester(build)
        return build.status
    except Exception as error:  # noqa: BLE001
        logger.exception("Piece %s of document build %s failed", chunk_id, build.pk)
        build.fail(str(error) or error.__class__.__name__)
        _tell_requester(build)
        return build.status
    if chunk.store(piece.pdf, piece.page_rows) and build.piece_finished(chunk.planned_pages):
        merge_pieces(build.pk, claimed=True)  # the last piece: this worker merges
    return "rendered"


@shared_task(time_limit=600, soft_time_limit=570)
def merge_pieces(build_id: int, claimed: bool = False) -> str:
    """Put the rendered pieces together (rendering again a piece whose start
    was not where a page starts) and finish the build. The worker of the
    last piece has ``claimed`` the merge; queued by the sweep, the task
    claims it itself, once every piece is rendered."""
    build = DocumentBuild.objects.select_related("requested_by", "report__unit").get(pk=build_id)
    if build.status != BuildStatus.RUNNING:
        return "not to merge"
    if not claimed and (build.chunks_done < build.chunk_count or not build.claim_merge()):
        return "not to merge"
    try:
        doc = _layout(build)
        chunks = list(build.chunks.order_by("index"))
        cuts = [chunked_pdf.Cut(start=c.start, end=c.end, pages=c.planned_pages) for c in chunks]

        def rendered(index: int) -> chunked_pdf.Piece:
            chunk = chunks[index]
            return chunked_pdf.Piece(
                pdf=bytes(chunk.pdf), page_rows=chunk.page_rows, first_page=chunk.first_page
            )

        def again(start: int, stop: int | None, first_page: int | None) -> chunked_pdf.Piece:
            return chunked_pdf.render_at((doc, start, stop, first_page))

        content, rendered_again = chunked_pdf.assemble(cuts, rendered, again)
        if rendered_again:
            logger.info("Build %s: %s pieces rendered again", build_id, rendered_again)
        build.finish(content)
        build.chunks.all().delete()
        signing.document_final(build)  # the body's certificate signs it (signatures)
    except SoftTimeLimitExceeded:
        build.fail(_("The document took too long to build."))
    except Exception as error:  # noqa: BLE001
        logger.exception("Merging document build %s failed", build_id)
        build.fail(str(error) or error.__class__.__name__)
    _tell_requester(build)
    return build.status


def _tell_requester(build: DocumentBuild) -> None:
    """An in-app note for whoever asked, who may have left the page meanwhile."""
    if build.requested_by is None:
        return
    report = build.report
    values = {"format": build.get_fmt_display(), "unit": report.unit.name}
    if build.status == BuildStatus.DONE:
        title = _("The consolidated report of %(unit)s (%(format)s) is ready") % values
    else:
        title = _("The consolidated report of %(unit)s (%(format)s) could not be built") % values
    notify(
        users=[build.requested_by],
        kind=NotificationKind.CONSOLIDATED_DOCUMENT,
        title=title,
        body=build.error,
        url=reverse("reports:detail", args=[report.pk]),
        email=False,
    )
