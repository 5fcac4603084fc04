"""Building the consolidated document in the background, with its progress.

``start_build`` is what the page calls: it hands back a kept build of the
same data, or queues a new one. ``build_document`` is the job: it claims the
build with a conditional update (two workers never build the same one), and
writes its stage and progress with small UPDATEs that the page polls.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils.translation import gettext as _

from documents import signing
from documents.rendering import render
from notifications.models import NotificationKind
from notifications.services import notify
from reports.models import Report

from . import documents, rollup
from .models import BuildFormat, BuildStatus, DocumentBuild

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
