"""Opening, writing, submitting and reviewing unit reports."""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import selectors  # the plan's participants
from campaigns.models import OutlineItem, Plan, validate_figure
from documents.formatting import short_date, short_datetime
from documents.richtext import to_plain_text as plain_text
from notifications.messages import WORDINGS
from notifications.models import NotificationKind
from notifications.services import notify
from orgunits.access import can
from orgunits.bodies import default_bodies, new_default_body
from orgunits.history import attribute
from orgunits.models import Membership, OrgUnit, Role, Term

from . import registry
from .attachments import check_upload, store_attachment
from .models import (
    AlreadyDone,
    Answer,
    ReceivedVia,
    Report,
    ReportStatus,
    ReviewComment,
    WorkflowError,
)

ANSWER_FIELDS = ["text", "number", "per_year", "boolean", "choice", "points", "rows"]

# Saves by the same person on the same answer with no pause longer than this
# are one editing session: one entry in the history, not one per autosave.
EDITING_SESSION_IDLE = datetime.timedelta(minutes=10)


@dataclass
class SaveResult:
    answer: Answer
    conflict: bool = False  # someone saved a newer version first; nothing was written


def _check_writable(report: Report, user: AbstractBaseUser) -> None:
    if not can(user, "reports.edit_report", report):
        raise PermissionDenied
    report.require_changeable()


def save_answer(
    *,
    report: Report,
    item: OutlineItem,
    values: dict,
    base_version: int,
    by: AbstractBaseUser,
    answers: dict[int, Answer] | None = None,
) -> SaveResult:
    """Save one answer if nobody saved it since ``base_version``.

    The check and the write are one conditional UPDATE (``… WHERE version =
    base_version``), so two people saving from the same version cannot both
    succeed: the second gets the newer answer back to merge with, and loses
    nothing of what they typed.

    ``answers``: the report's answers by item id, read by the caller once it
    had locked the report's row in this transaction
    (``selectors.get_report_for_user(lock=True)``): neither the report nor the
    answer is read again (an autosave). Without them the report is read here,
    locked, and the answer after it.
    """
    fields = {name: values[name] for name in ANSWER_FIELDS if name in values}
    for name in ("number", "per_year"):
        if name in fields:
            # Every figure passes here (the form, the consolidation's fill):
            # one out of range would break every roll-up above the unit.
            validate_figure(fields[name])
    if answers is None:
        with transaction.atomic():
            report = _locked(report)  # the status and the plan as they are now
            _check_writable(report, by)
            current = Answer.objects.filter(report=report, item=item).first()
            return _save(report, item, fields, base_version, by, current)
    _check_writable(report, by)
    # No savepoint of its own: nothing below raises what a caller would
    # survive (a first save that comes second has its own savepoint).
    with transaction.atomic(savepoint=False):
        return _save(report, item, fields, base_version, by, answers.get(item.pk))


def _save(
    report: Report,
    item: OutlineItem,
    fields: dict,
    base_version: int,
    by: AbstractBaseUser,
    current: Answer | None,
) -> SaveResult:
    """The write of :func:`save_answer`: ``current`` was read under the report's lock."""
    if current is None and base_version != 0:
        # A version of an answer nobody saved (a forged form, an API client's
        # guess): nothing is written, nothing to merge with.
        return SaveResult(Answer(report=report, item=item, version=0), conflict=True)
    if current is None:
        answer = Answer(report=report, item=item, version=1, updated_by=by, **fields)
        attribute(answer, by)
        try:
            with transaction.atomic():
                answer.save()
        except IntegrityError:  # saved first by a writer that did not lock the report
            return SaveResult(Answer.objects.get(report=report, item=item), conflict=True)
    elif current.version != base_version:
        return SaveResult(current, conflict=True)
    elif all(getattr(current, k) == v for k, v in fields.items()):
        return SaveResult(current)  # nothing changed: no new version, no history
    else:
        answer = _update_answer(current, report, fields, by)
        if answer is None:
            return SaveResult(Answer.objects.get(report=report, item=item), conflict=True)
    report.mark_started()
    answer.report = report  # the status as it is now, for the page's completeness
    return SaveResult(answer)


def _update_answer(
    current: Answer, report: Report, fields: dict, by: AbstractBaseUser
) -> Answer | None:
    """``current`` with ``fields``, one version on, if its row still has
    ``current``'s version (None: someone saved first); with its history."""
    now = timezone.now()
    if "text" in fields:
        fields = {**fields, "text_plain": plain_text(fields["text"])}
    claimed = Answer.objects.filter(pk=current.pk, version=current.version).update(
        version=F("version") + 1, updated_by=by, updated_at=now, **fields
    )
    if not claimed:
        return None
    previous = (current.updated_by_id, current.updated_at)
    answer = copy.copy(current)
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.version, answer.updated_by, answer.updated_at = current.version + 1, by, now
    # A conditional UPDATE bypasses save(): record the history ourselves.
    _record_history(answer, report, by, previous=previous)
    return answer


def _record_history(
    answer: Answer, report: Report, by: AbstractBaseUser, *, previous: tuple
) -> None:
    """One history entry per editing session: a save by the person who made
    the answer's last entry, less than ``EDITING_SESSION_IDLE`` after it,
    amends that entry (its values and its time) instead of adding one. A
    submission in between closes the session: what was sent up stays visible.

    ``previous`` (who saved the answer before, and when) tells whether a
    session may be going on; the amending UPDATE checks it on the entry
    itself: one query either way, two when the guess was wrong."""
    now = answer.updated_at
    last_by, last_at = previous
    submitted = report.submitted_at
    if (
        last_by == by.pk
        and last_at is not None
        and now - last_at < EDITING_SESSION_IDLE
        and (submitted is None or submitted < last_at)
    ):
        last = Answer.history.filter(id=answer.pk).order_by("-history_date", "-history_id")
        entry = Answer.history.filter(
            history_id=Subquery(last.values("history_id")[:1]),
            history_user_id=by.pk,
            history_date__gt=max(filter(None, [now - EDITING_SESSION_IDLE, submitted])),
        )
        if entry.update(
            history_date=now,
            version=answer.version,
            updated_at=now,
            updated_by=by,
            **{name: getattr(answer, name) for name in ANSWER_FIELDS},
        ):
            return
    Answer.history.bulk_history_create([answer], update=True, default_user=by, default_date=now)


def move_answers_to_plan(plan: Plan) -> int:
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


def missing_required(report: Report, rows, answers: dict | None = None) -> list[OutlineItem]:
    """Required items of ``rows`` (those the unit answers) still empty
    (``answers`` by item id, if the caller has them already)."""
    if answers is None:
        answers = {a.item_id: a for a in report.answers.all()}
    return [
        row.item
        for row in rows
        if row.item.required
        and not row.item.is_heading
        and (row.item.pk not in answers or answers[row.item.pk].is_empty)
    ]


@dataclass
class Completeness:
    """How far the unit is: its required items answered, those still empty."""

    required: int
    missing: list[OutlineItem]

    @property
    def done(self) -> int:
        return self.required - len(self.missing)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.required) if self.required else 100


def completeness(report: Report, rows, answers: dict) -> Completeness:
    required = sum(1 for row in rows if row.item.required and not row.item.is_heading)
    return Completeness(required, missing_required(report, rows, answers))


def next_number(*, unit: OrgUnit, term: Term) -> int:
    last = Report.objects.filter(unit=unit, term=term).aggregate(Max("number"))["number__max"]
    return (last or 0) + 1


def recorded_moment(
    report: Report, on: datetime.date | None, *, not_before: datetime.date | None = None
) -> datetime.datetime | None:
    """In a campaign recorded after the fact, the day typed for a step as the
    moment stored (noon, local time): not in the future, not before the plan's
    date (nor ``not_before``). None in a live campaign: the step happens now."""
    if not report.plan.recorded_after_the_fact:
        return None
    if on is None:
        raise WorkflowError(_("Give the date on which this really happened."))
    if on > timezone.localdate():
        raise WorkflowError(_("The date cannot be in the future."))
    floor = max(filter(None, [report.plan.issued_on, not_before]))
    if on < floor:
        raise WorkflowError(_("The date cannot be before %(date)s.") % {"date": short_date(floor)})
    moment = datetime.datetime.combine(on, datetime.time(12))
    return timezone.make_aware(moment, timezone.get_default_timezone())


@transaction.atomic
def submit(
    *,
    report: Report,
    rows,
    by: AbstractBaseUser,
    on: datetime.date | None = None,
    locked: bool = False,
) -> OrgUnit:
    """The unit's approver sends the report up; required items must be answered.
    In a campaign recorded after the fact ``on`` is the day it was submitted
    (its BÁO CÁO is dated that day, and it is late or not by that day).
    ``locked``: the caller read ``report`` with its row locked in this
    transaction (``selectors.get_report_for_user(lock=True)``), so it is not
    read again. Returns the unit that reviews it (``reviewing_unit``).

    A few queries whatever the size of the campaign (deadline day): the
    answers, the register's next number, the report's row and its history,
    the coordinators above and their notifications (an hourly digest)."""
    if not can(by, "reports.submit_report", report):
        raise PermissionDenied
    if not locked:
        report = _locked(report)
    if report.status in (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED) and report.submitted_at:
        # The lock made this submission wait for another one: nothing to do.
        who = report.submitted_by
        raise AlreadyDone(
            _("The report was already submitted at %(time)s by %(who)s.")
            % {
                "time": short_datetime(timezone.localtime(report.submitted_at)),
                "who": (who.get_full_name() or who.get_username()) if who else "—",
            }
        )
    report.require_changeable()
    at = recorded_moment(report, on)
    missing = missing_required(report, rows)
    if missing:
        raise WorkflowError(
            _("Answer the required items first: %(items)s.")
            % {"items": "; ".join(f"{i.numbering} {i.title[:60]}".strip() for i in missing)}
        )
    if at is not None:
        report.issued_on = timezone.localdate(at)
    if report.number is None:
        report.issued_on = report.issued_on or timezone.localdate()
        report.term = Term.for_date(report.issued_on)
        report.number = next_number(unit=report.unit, term=report.term)
        report.issuer_symbol = report.issuer_symbol or report.body.symbol
    report.submit(by=by, at=at)
    registry.moved(report, registry.ReportEvent.SUBMITTED)
    reviewer, coordinators = _reviewers(report)
    if at is None:
        _notify_reviewers(report, coordinators)
    return reviewer


# --- Reports sent outside the app (e-mail, paper), recorded by the level above --


def check_received_on(report: Report, received_on: datetime.date) -> None:
    """The day a report arrived: not in the future, not before its plan was issued."""
    if received_on > timezone.localdate():
        raise WorkflowError(_("The day the report arrived cannot be in the future."))
    issued_on = report.plan.issued_on
    if issued_on is not None and received_on < issued_on:
        raise WorkflowError(
            _("The report cannot have arrived before its plan was issued (%(date)s).")
            % {"date": short_date(issued_on)}
        )


@transaction.atomic
def record_received_report(
    report: Report,
    *,
    by: AbstractBaseUser,
    received_via: str,
    received_on: datetime.date,
    files: list,
    note: str = "",
    answers: list[tuple[OutlineItem, dict]] = (),
) -> Report:
    """A coordinator of the level above records the report a unit sent by
    e-mail or on paper: ``files`` (the scan, the DOCX or PDF received) become
    its attachments, ``answers`` the figures typed in from it, as (item,
    Answer field values). The report is then submitted as of ``received_on``
    (its timeliness is judged from that day) and goes through the usual review.
    """
    if not can(by, "reports.record_received_report", report):
        raise PermissionDenied
    if received_via not in ReceivedVia.values or received_via == ReceivedVia.APP:
        raise WorkflowError(_("Say how the report arrived."))
    if not files:
        raise WorkflowError(_("Attach the report that was received (its scan or its file)."))
    checked = [(upload, *check_upload(upload)) for upload in files]  # ValidationError
    report = _locked(report)
    report.require_changeable()
    check_received_on(report, received_on)
    stored = []
    try:
        for upload, extension, content_type in checked:
            stored.append(
                store_attachment(
                    report=report,
                    upload=upload,
                    extension=extension,
                    content_type=content_type,
                    by=by,
                )
            )
        for item, values in answers:
            _write_answer(report, item, values, by)
        report.record_received(by=by, via=received_via, received_on=received_on, note=note.strip())
        registry.moved(report, registry.ReportEvent.SUBMITTED)
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    return report


def _write_answer(report: Report, item: OutlineItem, values: dict, by: AbstractBaseUser) -> None:
    """Save one answer typed in by the level above (the report row is locked:
    nobody else writes it meanwhile); an empty new one is not stored."""
    fields = {name: values[name] for name in ANSWER_FIELDS if name in values}
    answer = Answer.objects.filter(report=report, item=item).first()
    if answer is None:
        answer = Answer(report=report, item=item, version=0)
        if Answer(**fields).is_empty:
            return
    elif all(getattr(answer, k) == v for k, v in fields.items()):
        return
    for name, value in fields.items():
        setattr(answer, name, value)
    answer.version += 1
    answer.updated_by = by
    attribute(answer, by).save()


def reviewing_unit(report: Report) -> OrgUnit:
    """The unit whose coordinators review ``report``: the deepest unit above
    the report's unit, up to its governing plan's issuer (``report.plan``, see
    ``campaigns.selectors.governing_plan``), that has a coordinator; the
    plan's issuer when none has. One query."""
    issuer = report.plan.issuing_unit
    paths = [p for p in report.unit.ancestor_paths() if p.startswith(issuer.path)]
    reviewers = list(
        OrgUnit.objects.filter(path__in=paths, memberships__role=Role.COORDINATOR).distinct()
    )
    return max(reviewers, key=lambda unit: len(unit.path), default=issuer)


@transaction.atomic
def ask_approval(*, report: Report, by: AbstractBaseUser) -> list[AbstractBaseUser]:
    """A writer of the unit tells its approvers the report is ready to be
    checked and submitted; returns who was told (nobody: a WorkflowError)."""
    if not can(by, "reports.edit_report", report):
        raise PermissionDenied
    report = _locked(report)
    report.require_changeable()
    approvers = [
        m.user
        for m in Membership.objects.filter(unit=report.unit, role=Role.APPROVER)
        .exclude(user=by)
        .select_related("user")
    ]
    if not approvers:
        raise WorkflowError(_("Your unit has no approver to tell: ask the administrator."))
    params = {
        "unit": report.unit.name,
        "plan": report.plan.number_symbol,
        "who": by.get_full_name() or by.get_username(),
        "reviewer": reviewing_unit(report).name,
    }
    notify(
        users=approvers,
        kind=NotificationKind.REPORT_READY,
        title=str(WORDINGS[NotificationKind.REPORT_READY][0]) % params,
        body=str(WORDINGS[NotificationKind.REPORT_READY][1]) % params,
        url=reverse("reports:detail", args=[report.pk]),
        params=params,
    )
    return approvers


def _reviewers(report: Report) -> tuple[OrgUnit, list[Membership]]:
    """``reviewing_unit(report)`` and the coordinators to tell of a submission
    (of the unit right above, of the plan's issuer and of the reviewing unit),
    in one query."""
    issuer = report.plan.issuing_unit
    paths = [p for p in report.unit.ancestor_paths() if p.startswith(issuer.path)]
    above = report.unit.parent_path()
    coordinators = list(
        Membership.objects.filter(
            unit__path__in={*paths, above, issuer.path}, role=Role.COORDINATOR
        )
        .select_related("user", "unit")
        .order_by("pk")
    )
    reviewer = max(
        (m.unit for m in coordinators if m.unit.path in paths),
        key=lambda unit: len(unit.path),
        default=issuer,
    )
    told = {above, issuer.path, reviewer.path}
    return reviewer, [m for m in coordinators if m.unit.path in told]


def _notify_reviewers(report: Report, coordinators: list[Membership]) -> None:
    """Coordinators of the level above: the unit right above, and the plan's issuer."""
    late = _(" (late)") if report.is_late else ""
    notify(
        users=[m.user for m in coordinators],
        kind=NotificationKind.REPORT_SUBMITTED,
        title=_("%(unit)s submitted its report%(late)s") % {"unit": report.unit.name, "late": late},
        body=_("Plan %(plan)s.") % {"plan": report.plan.number_symbol},
        url=reverse("reports:detail", args=[report.pk]),
    )


def _locked(report: Report) -> Report:
    """The report fresh from the database, locked for the transition."""
    # Its row only (``of``): on PostgreSQL a bare FOR UPDATE would lock the plan's
    # row and the unit's too, and every report of the plan would wait on it.
    return (
        Report.objects.select_for_update(of=("self",))
        .select_related("plan__issuing_unit", "unit")
        .get(pk=report.pk)
    )


def _notify_unit(
    report: Report,
    *,
    kind: NotificationKind,
    title: str,
    body: str = "",
    params: dict | None = None,
) -> None:
    members = Membership.objects.filter(unit=report.unit).select_related("user")
    notify(
        users=[m.user for m in members],
        kind=kind,
        title=title,
        body=body,
        url=reverse("reports:detail", args=[report.pk]),
        params=params,
    )


@transaction.atomic
def send_back(
    *,
    report: Report,
    by: AbstractBaseUser,
    overall: str,
    per_item: dict[int, str],
    new_due_on: datetime.date | None = None,
) -> None:
    """Return the report for revision with comments, overall or per item, and
    optionally a new deadline (today or later) for the unit."""
    if not can(by, "reports.review_report", report):
        raise PermissionDenied
    if new_due_on is not None and new_due_on < timezone.localdate():
        raise WorkflowError(_("The new deadline cannot be in the past."))
    comments = [(None, overall.strip())] if overall.strip() else []
    comments += [(item_id, text.strip()) for item_id, text in per_item.items() if text.strip()]
    if not comments:
        raise WorkflowError(_("Say what must be revised: write at least one comment."))
    named = {item_id for item_id, _text in comments if item_id is not None}
    if named:
        known = set(
            OutlineItem.objects.filter(plan_id=report.plan_id, pk__in=named).values_list(
                "pk", flat=True
            )
        )
        if named - known:  # a stale or forged form: nothing is returned
            raise WorkflowError(
                _("A comment is on an item that is not in this report: nothing was returned.")
            )
    report = _locked(report)
    if new_due_on is not None:
        report.due_on = new_due_on
    report.send_back(by=by)
    registry.moved(report, registry.ReportEvent.RETURNED)
    ReviewComment.objects.bulk_create(
        [
            ReviewComment(report=report, item_id=item_id, text=text, author=by)
            for item_id, text in comments
        ]
    )
    _notify_unit(
        report,
        kind=NotificationKind.REPORT_RETURNED,
        title=_("Your report on plan %(plan)s was returned for revision")
        % {"plan": report.plan.number_symbol},
        body="\n".join(text for _item, text in comments),
        params={"new_due_on": short_date(new_due_on)} if new_due_on else None,
    )


def _review(
    report: Report, by: AbstractBaseUser, step, kind: NotificationKind, title: str
) -> Report:
    """A step of the level above on the locked report (``step``, a Report
    method), told to the unit; ``title`` takes the plan's number."""
    if not can(by, "reports.review_report", report):
        raise PermissionDenied
    report = _locked(report)
    step(report, by=by)
    _notify_unit(report, kind=kind, title=title % {"plan": report.plan.number_symbol})
    return report


@transaction.atomic
def accept(*, report: Report, by: AbstractBaseUser, on: datetime.date | None = None) -> None:
    """Accept; in a campaign recorded after the fact on the day typed, ``on``
    (not before the report was submitted), and nobody is notified."""
    if report.plan.recorded_after_the_fact:
        if not can(by, "reports.review_report", report):
            raise PermissionDenied
        report = _locked(report)
        submitted = timezone.localdate(report.submitted_at) if report.submitted_at else None
        report.accept(by=by, at=recorded_moment(report, on, not_before=submitted))
        registry.moved(report, registry.ReportEvent.ACCEPTED)
        return
    title = _("Your report on plan %(plan)s was accepted")
    report = _review(report, by, Report.accept, NotificationKind.REPORT_ACCEPTED, title)
    registry.moved(report, registry.ReportEvent.ACCEPTED)


@transaction.atomic
def reopen(*, report: Report, by: AbstractBaseUser) -> None:
    """Let one unit change and submit its report although the plan is locked."""
    title = _("Your report on plan %(plan)s was reopened")
    _review(report, by, Report.reopen, NotificationKind.REPORT_REOPENED, title)


# --- The plan's side: reports opened at publication, reopenings ended -----------
# campaigns.registry calls these (registered in ReportsConfig.ready) inside the
# plan's publishing and unlocking transactions.


def _due_dates(plan: Plan) -> tuple[dict[int, datetime.date], set[int]]:
    """Deadlines by level, and the pilot units (served by prefetched rows too)."""
    deadlines = {d.level_id: d.last_day for d in plan.deadlines.all()}
    pilots = {unit.pk for unit in plan.pilot_units.all()} if plan.pilot_due_on else set()
    return deadlines, pilots


def _ancestors(plan: Plan) -> list[Plan]:
    chain = []
    while plan.parent_id is not None:
        plan = plan.parent
        chain.append(plan)
    return chain


def _own_report_due(plan: Plan, deadlines: dict[int, datetime.date]) -> datetime.date:
    """The root issuer's consolidated report: its level's deadline, else the last one."""
    return deadlines.get(plan.issuing_unit.level_id) or max(deadlines.values())


def open_reports(plan: Plan) -> None:
    """Bring the campaign's reports in line with ``plan``, as
    :func:`campaigns.selectors.governing_plan` rules, at its publication and at each
    revision; a handful of queries whatever the number of units.

    The reports of its participants that a plan above governs move to it (at
    its first publication: its whole subtree); those it governs get its
    current dates; those that a published plan below governs are left alone,
    dates and all. A unit that newly takes part gets a report under the plan
    that covers it, the deepest first.
    """
    deadlines, pilots = _due_dates(plan)
    ancestors = _ancestors(plan)
    campaign = ancestors[-1] if ancestors else plan
    units = selectors.participants(plan)
    ours = Report.objects.filter(
        campaign=campaign, unit__in=units, plan_id__in=[plan.pk, *(p.pk for p in ancestors)]
    )
    # One update per level (a handful), not one per unit.
    for level_id, due_on in deadlines.items():
        ours.filter(unit__level_id=level_id).exclude(unit_id__in=pilots).update(
            plan=plan, due_on=due_on
        )
    if pilots:
        ours.filter(unit_id__in=pilots).update(plan=plan, due_on=plan.pilot_due_on)

    in_campaign = Report.objects.filter(campaign=campaign).values("unit_id")
    new_units = list(
        units.exclude(pk__in=in_campaign)
        # A unit formed by a merger: the merged units' reports count for it.
        .exclude(predecessors__in=in_campaign)
        .only("id", "path", "level_id", "name", "kind", "symbol")
    )
    own_due = None
    if plan.parent_id is None:  # the issuer of the campaign writes its own report
        own_due = _own_report_due(plan, deadlines)
        existing = Report.objects.filter(campaign=plan, unit_id=plan.issuing_unit_id).update(
            due_on=own_due
        )
        if not existing:
            new_units.append(plan.issuing_unit)
    below = selectors.published_plans_below(plan) if new_units and plan.children.exists() else []
    dates = {plan.pk: (deadlines, pilots)}
    bodies = default_bodies(new_units) if new_units else {}

    def signed(report: Report) -> Report:
        """The report is issued by the unit's default body, and signed as it signs."""
        body = bodies.get(report.unit.pk) or new_default_body(report.unit)
        report.issuing_body = body if body.pk else None
        report.sign_on_behalf = body.sign_on_behalf
        report.signer_position = body.signer_position
        report.signer_name = body.signer_name
        return report

    def report_for(unit: OrgUnit) -> Report:
        if unit.pk == plan.issuing_unit_id:
            return signed(Report(campaign=plan, plan=plan, unit=unit, due_on=own_due))
        governing = selectors.governing_plan(plan, below, unit)
        if governing.pk not in dates:
            dates[governing.pk] = _due_dates(governing)
        levels, pilot_units = dates[governing.pk]
        if unit.pk in pilot_units:
            due_on = governing.pilot_due_on
        else:
            # A level the plan below gives no date (it was added above since):
            # the date of the plan being published.
            due_on = levels.get(unit.level_id) or deadlines[unit.level_id]
        return signed(Report(campaign=campaign, plan=governing, unit=unit, due_on=due_on))

    Report.objects.bulk_create(
        [report_for(unit) for unit in new_units], ignore_conflicts=True, batch_size=500
    )
    # What the units moved here had answered to the plan above is now answered here.
    move_answers_to_plan(plan)


def withdraw_reports(plan: Plan, paths: list[str]) -> None:
    """Units of ``paths`` (subtrees) leave ``plan``: their reports in the campaign
    go, unless one was started (then nothing is withdrawn and the units are named)."""
    from campaigns.services import PlanError  # the plan's own error, for its service

    reports = Report.objects.filter(campaign=plan.root).filter(
        Q.create([("unit__path__startswith", path) for path in paths], connector=Q.OR)
    )
    started = list(
        reports.filter(
            Q(answers__isnull=False)
            | Q(attachments__isnull=False)
            | ~Q(status=ReportStatus.PENDING)
        )
        .values_list("unit__name", flat=True)
        .distinct()
    )
    if started:
        raise PlanError(
            [
                _(
                    "These units have already started their report, which would be lost: "
                    "%(units)s. Return or keep their reports instead."
                )
                % {"units": ", ".join(sorted(started))}
            ]
        )
    reports.delete()


def keep_names_of_merged(merger) -> None:
    """Units merged (``orgunits.mergers``): their reports keep the names they had."""
    for unit in merger.merged_units.all():
        Report.objects.filter(unit=unit, unit_name="").update(unit_name=unit.name)


def end_reopenings(plan: Plan) -> None:
    """The plan is unlocked: no report stays an exception to a later lock."""
    Report.objects.filter(plan=plan, reopened=True).update(reopened=False)
