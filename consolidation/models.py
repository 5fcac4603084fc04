"""Consolidated documents built in the background (see consolidation.tasks).

A build is one rendering of a unit's consolidated report (its own Report,
with the annexes of figures by unit and of timeliness) as PDF, DOCX or XLSX.
It is kept with the fingerprint of the data it was made from, so a later
request on unchanged data gets the same file instead of a new job.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.responses import CONTENT_TYPES, unguessable_path
from reports.models import Report

# A queued or running build older than this is taken as lost (a worker that
# died): the task's time limit (10 minutes) and some slack for the queue.
STALE_AFTER = datetime.timedelta(minutes=15)


class BuildFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"
    XLSX = "xlsx", _("XLSX (annex tables)")


class BuildStatus(models.TextChoices):
    # A context of their own: "Queued" and "Failed" of reminders mean sending.
    QUEUED = "queued", pgettext_lazy("document build", "Queued")
    RUNNING = "running", pgettext_lazy("document build", "Being built")
    DONE = "done", pgettext_lazy("document build", "Ready")
    FAILED = "failed", pgettext_lazy("document build", "Failed")


# The task's stages, with the progress each one starts at. A long annex
# rendered in pieces goes from "rendering pages" (its progress then follows
# the pages rendered, up to PAGES_END) to "merging".
STAGES = {
    "collecting": 10,
    "rolling up": 35,
    "laying out": 60,
    "rendering": 80,
    "rendering pages": 65,
    "merging": 95,
}
PAGES_END = 94
STAGE_LABELS = {
    "starting": _("Starting"),
    "collecting": _("Collecting the reports"),
    "rolling up": _("Rolling up the figures"),
    "laying out": _("Laying out the document"),
    "rendering": _("Rendering the file"),
    "rendering pages": _("Rendering the pages"),
    "merging": _("Putting the pages together"),
    "done": pgettext_lazy("document build", "Ready"),
    "failed": pgettext_lazy("document build", "Failed"),
}


def build_path(instance: DocumentBuild, filename: str) -> str:
    report = instance.report
    code = get_valid_filename(report.unit.code)
    return unguessable_path(f"consolidated/{report.campaign_id}/{code}", filename)


class DocumentBuildQuerySet(models.QuerySet):
    def latest_per_format(self, report: Report) -> list[DocumentBuild]:
        """The newest build of ``report`` in each format, in format order (one query)."""
        newest = (
            DocumentBuild.objects.filter(report=report)
            .values("fmt")
            .annotate(newest=models.Max("pk"))
            .values("newest")
        )
        found = {b.fmt: b for b in self.filter(pk__in=newest)}
        return [found[fmt] for fmt in BuildFormat.values if fmt in found]

    def reusable(
        self,
        *,
        report: Report,
        fmt: str,
        include_submitted: bool,
        fingerprint: str,
        every_unit: bool = False,
    ) -> DocumentBuild | None:
        """A build of the same data: done, or still under way and not lost."""
        fresh = models.Q(status=BuildStatus.DONE) | models.Q(
            status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING],
            created__gte=timezone.now() - STALE_AFTER,
        )
        return (
            self.filter(
                fresh,
                report=report,
                fmt=fmt,
                include_submitted=include_submitted,
                every_unit=every_unit,
                fingerprint=fingerprint,
            )
            .order_by("-pk")
            .first()
        )


class DocumentBuild(models.Model):
    report = models.ForeignKey(
        Report, models.CASCADE, related_name="document_builds", verbose_name=_("report")
    )
    fmt = models.CharField(_("format"), max_length=4, choices=BuildFormat.choices)
    include_submitted = models.BooleanField(
        _("include submitted reports"),
        default=False,
        help_text=_("Count reports that are submitted but not accepted yet."),
    )
    # The figures of every unit below too (PHỤ LỤC 3), not only the direct
    # subordinates; always in an XLSX build.
    every_unit = models.BooleanField(_("annex of every unit"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=BuildStatus.choices, default=BuildStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=40, blank=True)
    # sha256 of the data the document was made from (consolidation.documents.fingerprint).
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    file = models.FileField(_("file"), upload_to=build_path, max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # A long annex rendered in pieces (DocumentChunk): the laid-out document
    # the pieces are rendered from, how many pieces and pages (predicted)
    # there are and how many are rendered. Cleared once merged.
    layout = models.BinaryField(null=True, blank=True, editable=False)
    chunk_count = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0)

    objects = DocumentBuildQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("document build")
        verbose_name_plural = _("document builds")
        indexes = [models.Index(fields=["report", "fmt", "fingerprint"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="document_build_progress_max"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.fmt} · {self.status}"

    @property
    def is_finished(self) -> bool:
        return self.status in (BuildStatus.DONE, BuildStatus.FAILED)

    @property
    def is_lost(self) -> bool:
        """Still waiting long after any worker would have finished it."""
        return not self.is_finished and self.created < timezone.now() - STALE_AFTER

    @property
    def stage_label(self) -> str:
        return str(STAGE_LABELS.get(self.stage, "")) if self.stage else ""

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.fmt]

    @property
    def download_name(self) -> str:
        """ "bao-cao-tong-hop-GL.pdf": what the browser saves the file as."""
        return f"bao-cao-tong-hop-{self.report.unit.code}.{self.fmt}"

    # --- State changes: small UPDATEs, so a page polling the build sees them
    # at once and two workers never build the same document. ----------------

    @classmethod
    def claim(cls, build_id: int) -> bool:
        """Take a queued build for this worker; False if another one has it."""
        claimed = cls.objects.filter(pk=build_id, status=BuildStatus.QUEUED).update(
            status=BuildStatus.RUNNING, progress=0, stage="starting"
        )
        return claimed == 1

    def set_stage(self, stage: str) -> None:
        self.stage, self.progress = stage, STAGES[stage]
        DocumentBuild.objects.filter(pk=self.pk).update(stage=stage, progress=self.progress)

    @property
    def pages_shown(self) -> int:
        """Pages rendered, as the progress bar says it (never past the total)."""
        return min(self.pages_done, self.pages_total)

    def start_pieces(self, *, layout: bytes, chunks: int, pages_total: int, pages_done: int):
        """The annex goes out in ``chunks`` pieces; ``pages_done`` of about
        ``pages_total`` pages are rendered already (the document before it)."""
        # The first piece, rendered by the build's own task, is counted.
        self.layout, self.chunk_count, self.chunks_done = layout, chunks, 1
        self.pages_total, self.pages_done = pages_total, pages_done
        self.stage, self.progress = "rendering pages", self._pages_progress(pages_done)
        self.save(
            update_fields=[
                "layout",
                "chunk_count",
                "chunks_done",
                "pages_total",
                "pages_done",
                "stage",
                "progress",
            ]
        )

    def _pages_progress(self, done: int) -> int:
        start = STAGES["rendering pages"]
        if not self.pages_total:
            return start
        return start + (PAGES_END - start) * min(done, self.pages_total) // self.pages_total

    def piece_finished(self, pages: int) -> bool:
        """Count one more piece of ``pages`` pages rendered; True for the
        worker whose piece was the last, which is to merge them (a
        conditional update: exactly one worker sees it)."""
        builds = DocumentBuild.objects.filter(pk=self.pk)
        builds.update(chunks_done=F("chunks_done") + 1, pages_done=F("pages_done") + pages)
        done = builds.values("chunks_done", "pages_done", "chunk_count", "pages_total").get()
        self.pages_total = done["pages_total"]
        # Never backwards, whatever order the pieces are counted in.
        builds.update(progress=Greatest(F("progress"), self._pages_progress(done["pages_done"])))
        if done["chunks_done"] < done["chunk_count"]:
            return False
        return self.claim_merge()

    def claim_merge(self) -> bool:
        claimed = DocumentBuild.objects.filter(
            pk=self.pk, status=BuildStatus.RUNNING, stage="rendering pages"
        ).update(stage="merging", progress=Greatest(F("progress"), STAGES["merging"]))
        return claimed == 1

    def set_fingerprint(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        DocumentBuild.objects.filter(pk=self.pk).update(fingerprint=fingerprint)

    def finish(self, content: bytes) -> None:
        """Store the file (through the storage) and mark the build done."""
        name = f"bao-cao-tong-hop-{self.report.unit.code}-{self.pk}.{self.fmt}"
        self.file.save(name, ContentFile(content), save=False)
        self.status, self.progress, self.stage = BuildStatus.DONE, 100, "done"
        self.error, self.finished_at = "", timezone.now()
        self.layout, self.pages_done = None, self.pages_total
        self.save(
            update_fields=[
                *("file", "status", "progress", "stage", "error", "finished_at"),
                *("layout", "pages_done"),
            ]
        )

    def fail(self, message: str) -> None:
        self.status, self.stage = BuildStatus.FAILED, "failed"
        self.error, self.finished_at = message, timezone.now()
        self.save(update_fields=["status", "stage", "error", "finished_at"])


class ChunkStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("document build", "Queued")
    DONE = "done", pgettext_lazy("document build", "Ready")


class DocumentChunk(models.Model):
    """One piece of a long annex (documents.chunked_pdf), rendered by
    whichever worker takes it: rows [start, end) of the annex (end empty:
    to the end of the document), its PDF and the row each page starts with.
    Rendering one again gives the same bytes, so a piece queued twice (by
    the sweep) is harmless: the first one stored counts."""

    build = models.ForeignKey(DocumentBuild, models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField(null=True, blank=True)
    planned_pages = models.PositiveIntegerField(default=0)
    first_page = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ChunkStatus.choices, default=ChunkStatus.QUEUED
    )
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    page_rows = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["build", "index"]
        constraints = [
            models.UniqueConstraint(fields=["build", "index"], name="document_chunk_unique_index")
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.build_id} · {self.index} · {self.status}"

    def store(self, pdf: bytes, page_rows: list) -> bool:
        """Keep the rendered piece; False if another worker stored it first."""
        stored = DocumentChunk.objects.filter(pk=self.pk, status=ChunkStatus.QUEUED).update(
            status=ChunkStatus.DONE, pdf=pdf, page_rows=page_rows, finished_at=timezone.now()
        )
        return stored == 1
