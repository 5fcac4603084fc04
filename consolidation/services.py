"""The consolidation workspace: a unit's own report beside the roll-up of its subtree.

The consolidated report of a unit is the unit's own ``Report``. The writer
reads the roll-up here and asks for the figures to be filled in, or for the
empty narrative items to be drafted from what the units wrote. Filling and
drafting always follow the roll-up's rule (``rollup.DIRECT``: each unit once,
through the report the level uses); the "tính từ cơ sở" view is there to
compare with. Both go
through ``reports.services.save_answer``, so they are versioned, kept in the
history and refused when someone saved the same item meanwhile, exactly like
an edit in the report form.
"""

from __future__ import annotations

import datetime
import html

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F

from campaigns.models import AnswerType, figure_error
from notifications import delivery
from notifications.outbox import enqueue, enqueue_on_commit
from reports.models import Answer, Report, WorkflowError
from reports.services import save_answer

from . import documents, drafting
from .models import STALE_AFTER, BuildFormat, BuildStatus, ChunkStatus, DocumentBuild, DocumentChunk
from .selectors import (
    Draft,
    FigureChange,
    WorkspaceItem,
    build_workspace,
    refusal,
)

# --- Writes -----------------------------------------------------------------


def _check_can_change(report: Report, by: AbstractBaseUser) -> None:
    reason = refusal(by, report)
    if reason:
        raise WorkflowError(reason)


def _base_version(answer: Answer | None) -> int:
    return answer.version if answer is not None else 0


def fill_figures(
    *, report: Report, by: AbstractBaseUser, include_submitted: bool
) -> list[FigureChange]:
    """Write the roll-up's figures into the report where they differ; what changed.

    A figure the roll-up does not have (no unit gave it) is left alone, so a
    figure the writer typed is never wiped out.
    """
    _check_can_change(report, by)
    workspace = build_workspace(report=report, include_submitted=include_submitted)
    changes = []
    with transaction.atomic():
        for entry in workspace.changed:
            key = "per_year" if entry.item.answer_type == AnswerType.INTEGER_PER_YEAR else "number"
            out_of_range = figure_error(entry.rolled)
            if out_of_range:  # save_answer would refuse it: say so, fill the others
                changes.append(
                    FigureChange(
                        item=entry.item, old=entry.current, new=entry.rolled, too_large=out_of_range
                    )
                )
                continue
            saved = save_answer(
                report=report,
                item=entry.item,
                values={key: entry.rolled},
                base_version=_base_version(entry.answer),
                by=by,
            )
            changes.append(
                FigureChange(
                    item=entry.item, old=entry.current, new=entry.rolled, conflict=saved.conflict
                )
            )
    return changes


def draft_text(entry: WorkspaceItem, total: int | None = None) -> dict:
    """The answer values that pre-fill an empty narrative item from the roll-up.

    Written by ``drafting`` (sentences, each said once, with who said it where
    that helps, in the consolidating level's words); ``total`` is the number
    of units the roll-up counts. The text is Vietnamese whatever the interface
    language, like the report it goes into.
    """
    if entry.item.answer_type == AnswerType.POINTS:
        said = [(group.text, unit) for group in entry.rollup.groups for unit in group.units]
        return {"points": drafting.draft_lines(said, total=total)}
    said = [(n.text, n.unit) for n in entry.rollup.narratives]
    if not said:  # points given to a copy of the item that became a narrative
        said = [(group.text, unit) for group in entry.rollup.groups for unit in group.units]
    lines = drafting.draft_lines(said, total=total)
    return {"text": "".join(f"<div>- {html.escape(line)}</div>" for line in lines)}


def draft_texts(*, report: Report, by: AbstractBaseUser, include_submitted: bool) -> list[Draft]:
    """Pre-fill the empty narrative and list items from what the units wrote.

    An item with anything in it is never touched: the writer's words win; nor
    is one whose units wrote nothing but bullet marks (nothing to draft).
    """
    _check_can_change(report, by)
    workspace = build_workspace(report=report, include_submitted=include_submitted, texts=True)
    drafts = []
    with transaction.atomic():
        for entry in workspace.draftable:
            values = draft_text(entry, total=workspace.rollup.counted_reports)
            if not (values.get("points") or values.get("text")):
                continue
            saved = save_answer(
                report=report,
                item=entry.item,
                values=values,
                base_version=_base_version(entry.answer),
                by=by,
            )
            lines = len(values.get("points") or []) or values["text"].count("<div>")
            drafts.append(Draft(item=entry.item, lines=lines, conflict=saved.conflict))
    return drafts


# --- Builds of the consolidated document ------------------------------------


def start_build(
    *, report: Report, fmt: str, include_submitted: bool, every_unit: bool = False, by=None
) -> tuple[DocumentBuild, bool]:
    """A build of ``report``'s consolidated document in ``fmt``; True if queued now.

    ``every_unit`` adds the annex of every unit below (the direct subordinates
    only otherwise); an XLSX build always has it.

    A build of the same data (same fingerprint, format and choice of reports)
    that is done, or still under way, is handed back instead: the document is
    kept until the data changes.
    """
    if fmt == BuildFormat.XLSX:
        every_unit = True
    current = documents.fingerprint(report, include_submitted)
    kept = DocumentBuild.objects.reusable(
        report=report,
        fmt=fmt,
        include_submitted=include_submitted,
        every_unit=every_unit,
        fingerprint=current,
    )
    if kept is not None:
        return kept, False
    build = DocumentBuild.objects.create(
        report=report,
        fmt=fmt,
        include_submitted=include_submitted,
        every_unit=every_unit,
        fingerprint=current,
        requested_by=by,
    )
    from .tasks import build_document  # the task module imports the documents, not this

    enqueue_on_commit(build_document, build.pk)
    return build, True


# The minute sweep's window: each lost build is queued again once.
REQUEUE_WINDOW = datetime.timedelta(minutes=1)


def requeue_lost_builds(now: datetime.datetime) -> int:
    """Builds still queued a little after REQUEUE_AFTER lost their task (the
    broker was down or restarted empty): queued again once, by the minute
    sweep (the claim keeps a duplicate from building twice). Later than
    that they are stale, and the page offers to start again."""
    from .tasks import build_document

    window_end = now - delivery.REQUEUE_AFTER
    ids = list(
        DocumentBuild.objects.filter(
            status=BuildStatus.QUEUED,
            created__lt=window_end,
            created__gte=window_end - REQUEUE_WINDOW,
        ).values_list("pk", flat=True)
    )
    for pk in ids:
        if not enqueue(build_document, pk):
            return 0
    return len(ids)


def requeue_lost_pieces(now: datetime.datetime) -> int:
    """Pieces of a build under way still not rendered REQUEUE_AFTER after they
    were queued lost their task (or their worker): queued again, once per
    REQUEUE_AFTER (a piece rendered twice is stored once). A build whose
    pieces are all rendered but that was never merged is merged."""
    from .tasks import merge_pieces, render_chunk

    lost = DocumentChunk.objects.filter(
        status=ChunkStatus.QUEUED,
        queued_at__lt=now - delivery.REQUEUE_AFTER,
        build__status=BuildStatus.RUNNING,
        build__created__gte=now - STALE_AFTER,
    )
    ids = list(lost.values_list("pk", flat=True))
    DocumentChunk.objects.filter(pk__in=ids).update(queued_at=now)
    for pk in ids:
        if not enqueue(render_chunk, pk):
            return 0
    unmerged = DocumentBuild.objects.filter(
        status=BuildStatus.RUNNING,
        stage="rendering pages",
        chunk_count__gt=0,
        chunks_done__gte=F("chunk_count"),
    ).values_list("pk", flat=True)
    merged = 0
    for pk in unmerged:  # the task claims the merge: one of two duplicates merges
        merged += enqueue(merge_pieces, pk)
    return len(ids) + merged
