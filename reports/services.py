"""Writing, submitting and reviewing unit reports."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import OutlineItem, Plan
from notifications.services import notify
from orgunits.access import can
from orgunits.models import Membership, OrgUnit, Role, Term

from .models import EDITABLE_STATUSES, Answer, Report, ReportStatus, ReviewComment, WorkflowError

ANSWER_FIELDS = ["text", "number", "per_year", "boolean", "choice", "points"]


@dataclass
class SaveResult:
    answer: Answer
    conflict: bool = False  # someone saved a newer version first; nothing was written


def _check_writable(report: Report, user: AbstractBaseUser) -> None:
    if not can(user, "reports.edit_report", report):
        raise PermissionDenied
    if not report.is_editable_status:
        raise WorkflowError(
            _("This report is %(status)s and cannot be changed.")
            % {"status": report.get_status_display().lower()}
        )
    report._require_open_plan()


def save_answer(
    *, report: Report, item: OutlineItem, values: dict, base_version: int, by: AbstractBaseUser
) -> SaveResult:
    """Save one answer if nobody saved it since ``base_version``.

    The check and the write are one conditional UPDATE, so two people saving
    from the same version cannot both succeed: the second gets the newer
    answer back to merge with, and loses nothing of what they typed.
    """
    fields = {name: values[name] for name in ANSWER_FIELDS if name in values}
    with transaction.atomic():
        report = _locked(report)  # the status and the plan as they are now
        _check_writable(report, by)
        if base_version == 0:
            answer = Answer(report=report, item=item, version=1, updated_by=by, **fields)
            answer._history_user = by  # outside a request the middleware cannot say who
            try:
                with transaction.atomic():
                    answer.save()
            except IntegrityError:
                return SaveResult(Answer.objects.get(report=report, item=item), conflict=True)
        else:
            current = Answer.objects.filter(report=report, item=item, version=base_version).first()
            if current is not None and all(getattr(current, k) == v for k, v in fields.items()):
                return SaveResult(current)  # nothing changed: no new version, no history
            claimed = Answer.objects.filter(report=report, item=item, version=base_version).update(
                version=F("version") + 1, updated_by=by, updated_at=timezone.now(), **fields
            )
            answer = Answer.objects.get(report=report, item=item)
            if not claimed:
                return SaveResult(answer, conflict=True)
            # A conditional UPDATE bypasses save(): record the history ourselves.
            Answer.history.bulk_history_create([answer], update=True, default_user=by)
        report.mark_started()
    return SaveResult(answer)


def move_answers_to_plan(*, plan: Plan) -> int:
    """Put the answers of the reports ``plan`` governs on ``plan``'s own items.

    A unit may answer before its district publishes the implementing plan
    (its report then moves to that plan), or before the plan adopts an item
    the province added: its answer hangs on the province's item while its
    form shows the district's copy, which has the same key. Left there, the
    form would show the item empty and a new answer would be a second one,
    counted twice. Returns how many answers moved; a few queries whatever
    the number of reports.
    """
    answers = list(
        Answer.objects.filter(
            report__plan=plan,
            item__key__in=OutlineItem.objects.filter(plan=plan).values("key"),
        )
        .exclude(item__plan=plan)
        .select_related("item")
    )
    if not answers:
        return 0
    items = dict(OutlineItem.objects.filter(plan=plan).values_list("key", "pk"))
    taken = set(
        Answer.objects.filter(
            report_id__in={answer.report_id for answer in answers}, item__plan=plan
        ).values_list("report_id", "item_id")
    )
    moved = []
    for answer in answers:
        target = (answer.report_id, items[answer.item.key])
        if target in taken:  # answered there too (before this was done): left alone
            continue
        taken.add(target)
        answer.item_id = target[1]
        moved.append(answer)
    Answer.objects.bulk_update(moved, ["item"], batch_size=500)
    Answer.history.bulk_history_create(moved, update=True)
    return len(moved)


def missing_required(report: Report, rows) -> list[OutlineItem]:
    """Required items of ``rows`` (those the unit answers) still empty."""
    answers = {a.item_id: a for a in report.answers.all()}
    return [
        row.item
        for row in rows
        if row.item.required
        and not row.item.is_heading
        and (row.item.pk not in answers or answers[row.item.pk].is_empty)
    ]


def next_number(*, unit: OrgUnit, term: Term) -> int:
    last = Report.objects.filter(unit=unit, term=term).aggregate(Max("number"))["number__max"]
    return (last or 0) + 1


@transaction.atomic
def submit(*, report: Report, rows, by: AbstractBaseUser) -> None:
    """The unit's approver sends the report up; required items must be answered."""
    if not can(by, "reports.submit_report", report):
        raise PermissionDenied
    report = _locked(report)
    report._require(*EDITABLE_STATUSES)
    report._require_open_plan()
    missing = missing_required(report, rows)
    if missing:
        raise WorkflowError(
            _("Answer the required items first: %(items)s.")
            % {"items": "; ".join(f"{i.numbering} {i.title[:60]}".strip() for i in missing)}
        )
    report._history_user = by
    if report.number is None:
        report.issued_on = report.issued_on or timezone.localdate()
        report.term = Term.for_date(report.issued_on)
        report.number = next_number(unit=report.unit, term=report.term)
        report.issuer_symbol = report.issuer_symbol or report.unit.symbol
    report.submit(by=by)
    _notify_reviewers(report)


def _notify_reviewers(report: Report) -> None:
    """Coordinators of the level above: the unit right above, and the plan's issuer."""
    reviewers = Membership.objects.filter(
        Q(unit__path=report.unit.parent_path()) | Q(unit=report.plan.issuing_unit_id),
        role=Role.COORDINATOR,
    ).select_related("user")
    late = _(" (late)") if report.is_late else ""
    notify(
        users=[m.user for m in reviewers],
        kind="report_submitted",
        title=_("%(unit)s submitted its report%(late)s") % {"unit": report.unit.name, "late": late},
        body=_("Plan %(plan)s.") % {"plan": report.plan.number_symbol},
        url=reverse("reports:detail", args=[report.pk]),
    )


def _locked(report: Report) -> Report:
    """The report fresh from the database, locked for the transition."""
    return Report.objects.select_for_update().select_related("plan", "unit").get(pk=report.pk)


def _notify_unit(report: Report, *, kind: str, title: str, body: str = "") -> None:
    members = Membership.objects.filter(unit=report.unit).select_related("user")
    notify(
        users=[m.user for m in members],
        kind=kind,
        title=title,
        body=body,
        url=reverse("reports:detail", args=[report.pk]),
    )


@transaction.atomic
def send_back(
    *, report: Report, by: AbstractBaseUser, overall: str, per_item: dict[int, str]
) -> None:
    """Return the report for revision with comments, overall or per item."""
    if not can(by, "reports.review_report", report):
        raise PermissionDenied
    comments = [(None, overall.strip())] if overall.strip() else []
    comments += [(item_id, text.strip()) for item_id, text in per_item.items() if text.strip()]
    if not comments:
        raise WorkflowError(_("Say what must be revised: write at least one comment."))
    report = _locked(report)
    report._history_user = by
    report.send_back(by=by)
    ReviewComment.objects.bulk_create(
        [
            ReviewComment(report=report, item_id=item_id, text=text, author=by)
            for item_id, text in comments
        ]
    )
    _notify_unit(
        report,
        kind="report_returned",
        title=_("Your report on plan %(plan)s was returned for revision")
        % {"plan": report.plan.number_symbol},
        body="\n".join(text for _item, text in comments),
    )


@transaction.atomic
def accept(*, report: Report, by: AbstractBaseUser) -> None:
    if not can(by, "reports.review_report", report):
        raise PermissionDenied
    report = _locked(report)
    report._history_user = by
    report.accept(by=by)
    _notify_unit(
        report,
        kind="report_accepted",
        title=_("Your report on plan %(plan)s was accepted") % {"plan": report.plan.number_symbol},
    )


def lock_plan(*, plan: Plan, by: AbstractBaseUser) -> None:
    """After the deadlines, the issuer stops further changes to reports."""
    if not can(by, "campaigns.manage_plan", plan):
        raise PermissionDenied
    plan.locked_at = timezone.now()
    plan.save(update_fields=["locked_at", "modified"])


def unlock_plan(*, plan: Plan, by: AbstractBaseUser) -> None:
    if not can(by, "campaigns.manage_plan", plan):
        raise PermissionDenied
    plan.locked_at = None
    plan.save(update_fields=["locked_at", "modified"])
    Report.objects.filter(Q(plan=plan), reopened=True).update(reopened=False)


def reopen(*, report: Report, by: AbstractBaseUser) -> None:
    """Let one unit change and submit its report although the plan is locked."""
    if not can(by, "reports.review_report", report):
        raise PermissionDenied
    report = _locked(report)
    report._history_user = by
    report.reopened = True
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED):
        report.status = ReportStatus.RETURNED
    report.save(update_fields=["reopened", "status", "modified"])
    _notify_unit(
        report,
        kind="report_reopened",
        title=_("Your report on plan %(plan)s was reopened") % {"plan": report.plan.number_symbol},
    )
