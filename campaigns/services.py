"""Workflows of review plans: numbering, deadlines, publishing, cascading, copying."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import signing
from documents.formatting import short_date
from notifications.models import NotificationKind
from notifications.services import notify
from orgunits.access import can
from orgunits.bodies import default_body
from orgunits.models import IssuingBody, Level, Membership, OrgUnit, Term

from . import outline, registry, selectors, upstream
from .models import (
    Deadline,
    DeadlineKind,
    Plan,
    PlanBlock,
    PlanRevision,
    PlanSection,
    PlanStatus,
    SubjectDocument,
)
from .revisions import deadline_snapshot, pending_changes


class PlanError(Exception):
    """A workflow step the plan's state forbids; ``messages`` are for the user."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def next_number(*, body: IssuingBody, term: Term) -> int:
    """The next free plan number in the issuing body's register for the term
    (after the last one used, by a review plan or a dialogue plan)."""
    return max(selectors.plan_numbers_taken(body, term), default=0) + 1


def new_plan(
    *,
    issuing_unit: OrgUnit | None = None,
    body: IssuingBody | None = None,
    issued_on: datetime.date | None = None,
) -> Plan:
    """An unsaved plan of ``body`` (by default: ``issuing_unit``'s default body)
    with the defaults a coordinator would type anyway."""
    if body is None:
        body = default_body(issuing_unit)
    issued_on = issued_on or timezone.localdate()
    term = Term.for_date(issued_on)
    plan = Plan(
        term=term,
        number=next_number(body=body, term=term),
        place_name=body.unit.place_name,
        issued_on=issued_on,
        period_start=issued_on.year - 3,
        period_end=issued_on.year,
    )
    plan.take_body(body)
    return plan


# --- The parts of the body ---------------------------------------------------


def skeleton(
    plan: Plan,
    *,
    purpose: str = "",
    content_intro: str = "",
    implementation: str = "",
    closing: str = "",
) -> list[PlanSection]:
    """The usual shape of a plan, unsaved: I MỤC ĐÍCH, YÊU CẦU; II NỘI DUNG with
    the outline; III HÌNH THỨC, THỜI GIAN with the form, the pilot units and the
    deadlines; IV TỔ CHỨC THỰC HIỆN; a closing paragraph."""
    word = plan.kind_word
    parts = [
        PlanSection(title="MỤC ĐÍCH, YÊU CẦU", body=purpose),
        PlanSection(title=f"NỘI DUNG {word.upper()}", body=content_intro, block=PlanBlock.OUTLINE),
        PlanSection(title=f"HÌNH THỨC, THỜI GIAN {word.upper()}", block=PlanBlock.FORM),
        PlanSection(body=f"<div>2. Thời gian {word}:</div>", block=PlanBlock.PILOTS),
        PlanSection(block=PlanBlock.DEADLINES),
        PlanSection(title="TỔ CHỨC THỰC HIỆN", body=implementation),
        PlanSection(body=closing),
    ]
    for position, part in enumerate(parts):
        part.plan, part.position = plan, position
    return parts


def seed_sections(plan: Plan, **texts: str) -> list[PlanSection]:
    """Give a plan without parts the usual skeleton (``texts`` as in :func:`skeleton`)."""
    if plan.sections.exists():
        return list(plan.sections.all())
    return PlanSection.objects.bulk_create(skeleton(plan, **texts))


SECTION_FIELDS = ["position", "title", "body", "block", "wording", "wording_source"]


def copy_sections(source: Plan, target: Plan) -> None:
    """The source's parts as the target's starting point (a district's plan is
    usually shaped like the province's)."""
    target.sections.all().delete()
    PlanSection.objects.bulk_create(
        [
            PlanSection(plan=target, **{name: getattr(p, name) for name in SECTION_FIELDS})
            for p in source.sections.all()
        ]
    )


def move_section(part: PlanSection, offset: int) -> None:
    """Swap a part with its neighbour above (-1) or below (+1); positions renumbered."""
    parts = list(part.plan.sections.all())
    index = next(i for i, p in enumerate(parts) if p.pk == part.pk)
    other = index + offset
    if 0 <= other < len(parts):
        parts[index], parts[other] = parts[other], parts[index]
    renumber(parts)


def renumber(parts: list[PlanSection]) -> None:
    changed = []
    for position, p in enumerate(parts):
        if p.position != position:
            p.position = position
            changed.append(p)
    PlanSection.objects.bulk_update(changed, ["position"])


# --- Deadlines ---------------------------------------------------------------


@dataclass
class DeadlineCheck:
    """A deadline proposed for a level, checked before it is saved."""

    level: Level
    due_on: datetime.date
    kind: str = DeadlineKind.DAY
    starts_on: datetime.date | None = None
    report_by: datetime.date | None = None

    @classmethod
    def of(cls, deadline: Deadline) -> DeadlineCheck:
        return cls(
            deadline.level, deadline.due_on, deadline.kind, deadline.starts_on, deadline.report_by
        )

    @property
    def deadline(self) -> Deadline:
        """As an unsaved :class:`Deadline`, for its rules and its words."""
        return Deadline(
            level=self.level,
            kind=self.kind,
            starts_on=self.starts_on,
            due_on=self.due_on,
            report_by=self.report_by,
        ).normalize()

    @property
    def last_day(self) -> datetime.date:
        return self.deadline.last_day

    @property
    def finish_on(self) -> datetime.date:
        return self.deadline.due_on


def deadline_errors(plan: Plan, proposed: list[DeadlineCheck]) -> list[str]:
    """What is wrong with ``proposed`` deadlines, as sentences for the user.

    A lower level reports first: its deadline may not be later than a higher
    level's. No deadline may finish before the plan's date, and in an
    implementing plan none may be later than the parent plan's for the same
    level. Deadlines compare by the last day they allow.
    """
    errors = []
    for check in proposed:
        try:
            check.deadline.clean()
        except ValidationError as error:
            errors += [f"{check.level}: {message}" for message in error.messages]
    by_rank = sorted(proposed, key=lambda d: d.level.rank)
    for check in by_rank:
        if plan.issued_on and check.finish_on < plan.issued_on:
            errors.append(
                _("The deadline of %(level)s (%(date)s) is before the plan's date (%(plan)s).")
                % {
                    "level": check.level,
                    "date": check.deadline.cited,
                    "plan": short_date(plan.issued_on),
                }
            )
    for higher, lower in zip(by_rank, by_rank[1:], strict=False):
        if lower.last_day > higher.last_day:
            errors.append(
                _(
                    "%(lower)s must report before %(higher)s: its deadline (%(lower_date)s) is "
                    "later than %(higher_date)s."
                )
                % {
                    "lower": lower.level,
                    "higher": higher.level,
                    "lower_date": lower.deadline.cited,
                    "higher_date": higher.deadline.cited,
                }
            )
    if plan.parent_id:
        parent_dates = dict(plan.parent.deadlines.values_list("level__code", "last_day"))
        own_level = plan.issuing_unit.level.code
        for check, limit in upstream.beyond_parent(by_rank, parent_dates, own_level):
            errors.append(
                _(
                    "The deadline of %(level)s (%(date)s) is later than the parent plan "
                    "allows (%(limit)s)."
                )
                % {
                    "level": check.level,
                    "date": check.deadline.cited,
                    "limit": short_date(limit),
                }
            )
    return errors + _pilot_errors(plan, proposed)


def _pilot_errors(plan: Plan, proposed: list[DeadlineCheck]) -> list[str]:
    """Pilot units (chọn điểm) report first: before their levels' deadlines,
    and no later than the parent plan's pilot units."""
    if not plan.pilot_due_on:
        return []
    pilot_due = short_date(plan.pilot_due_on)
    errors = []
    by_level = {check.level.pk: check for check in proposed}
    for level in Level.objects.filter(pk__in=plan.pilot_units.values("level")).order_by("-rank"):
        check = by_level.get(level.pk)
        if check and plan.pilot_due_on > check.last_day:
            errors.append(
                _(
                    "The pilot units report first: their deadline (%(pilot)s) is later than "
                    "that of %(level)s (%(date)s)."
                )
                % {"pilot": pilot_due, "level": level, "date": check.deadline.cited}
            )
    parent_due = plan.parent.pilot_due_on if plan.parent_id else None
    if parent_due and plan.pilot_due_on > parent_due:
        errors.append(
            _("The pilot units' deadline (%(pilot)s) is later than the parent plan's (%(limit)s).")
            % {"pilot": pilot_due, "limit": short_date(parent_due)}
        )
    return errors


def missing_deadlines(plan: Plan, proposed: list[DeadlineCheck]) -> list[str]:
    """A sentence for each level that takes part in ``plan`` with no deadline."""
    given = {check.level.pk for check in proposed}
    levels = Level.objects.filter(pk__in=selectors.participants(plan).values("level"))
    return [
        _("Set a deadline for %(level)s.") % {"level": level}
        for level in levels.order_by("rank")
        if level.pk not in given
    ]


def set_deadlines(*, plan: Plan, deadlines: list[DeadlineCheck], complete: bool = False) -> None:
    """Save ``deadlines``, refused with the reasons when they break the rules
    (and, when ``complete``, when a level that takes part has none)."""
    errors = missing_deadlines(plan, deadlines) if complete else []
    errors += deadline_errors(plan, deadlines)
    if errors:
        raise PlanError(errors)
    with transaction.atomic():
        plan.deadlines.exclude(level__in=[d.level for d in deadlines]).delete()
        for check in deadlines:
            Deadline.objects.update_or_create(
                plan=plan,
                level=check.level,
                defaults={
                    "kind": check.kind,
                    "starts_on": check.starts_on,
                    "due_on": check.due_on,
                    "report_by": check.report_by,
                },
            )


# --- Publishing --------------------------------------------------------------


def publish_errors(plan: Plan) -> list[str]:
    """Everything that stops ``plan`` from being published, for the user."""
    errors = []
    snapshot = outline.snapshot(plan)
    if not any(not item["is_heading"] for item in snapshot):
        errors.append(_("The outline has no item for units to answer."))
    checks = [DeadlineCheck.of(d) for d in selectors.deadlines_by_level(plan).values()]
    errors += missing_deadlines(plan, checks)
    errors += deadline_errors(plan, checks)
    if not plan.signer_name:
        errors.append(_("Give the name of the signer."))
    if not selectors.participants(plan).exists():
        errors.append(_("No unit takes part in this plan."))
    return errors


def needs_mode_confirmation(plan: Plan) -> bool:
    """Whether publishing ``plan`` must first ask if it records a campaign that
    already took place: some of its deadlines are past. An implementing plan
    follows its parent's mode and is not asked."""
    if plan.parent_id is not None:
        return False
    pilot_past = plan.pilot_due_on is not None and plan.pilot_due_on < timezone.localdate()
    return pilot_past or bool(plan.past_deadlines())


@transaction.atomic
def publish(
    *, plan: Plan, by: AbstractBaseUser, recorded_after_the_fact: bool = False
) -> PlanRevision:
    """Freeze outline and deadlines, open a report for every participant, tell them.

    ``recorded_after_the_fact``: the campaign took place before it was entered
    (the view asks when deadlines are past); an implementing plan takes its
    parent's mode. A constant number of queries whatever the number of units:
    reports are created in bulk and notifications go out as one bulk insert.
    """
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise PlanError([_("This plan is already published.")])
    errors = publish_errors(plan)
    if errors:
        raise PlanError(errors)
    if plan.parent_id is not None:
        recorded_after_the_fact = plan.parent.recorded_after_the_fact
    plan.recorded_after_the_fact = recorded_after_the_fact

    revision = PlanRevision.objects.create(
        plan=plan,
        number=1,
        published_by=by,
        outline=outline.snapshot(plan),
        deadlines=deadline_snapshot(plan),
    )
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    plan.save(update_fields=["status", "published_at", "recorded_after_the_fact", "modified"])
    registry.published(plan)
    signing.document_final(plan)  # signed on commit if the body has a certificate
    if plan.recorded_after_the_fact:
        return revision  # nobody is asked to do anything: the campaign took place
    _notify_units(
        selectors.participants(plan),
        plan,
        kind=NotificationKind.PLAN_PUBLISHED,
        title=_("New plan %(number)s: %(summary)s")
        % {"number": plan.number_symbol, "summary": plan.summary[:120]},
        body=_("%(issuer)s has published a plan your unit takes part in. Deadlines: %(deadlines)s.")
        % {"issuer": plan.issuing_unit.name, "deadlines": _deadline_text(revision.deadlines)},
    )
    return revision


def _deadline_text(deadlines: list[dict]) -> str:
    return "; ".join(f"{d['level_name']} {Deadline.from_snapshot(d).short}" for d in deadlines)


def _notify_units(units, plan: Plan, *, kind: NotificationKind, title: str, body: str) -> None:
    users = [
        m.user for m in Membership.objects.filter(unit__in=units).select_related("user").distinct()
    ]
    notify(
        users=users,
        kind=kind,
        title=title,
        body=body,
        url=reverse("campaigns:detail", args=[plan.pk]),
    )


@transaction.atomic
def publish_revision(*, plan: Plan, by: AbstractBaseUser, note: str = "") -> PlanRevision:
    """Publish changes made after publication as a new revision.

    The units whose reports ``plan`` governs get its new dates and are told;
    the implementing plans below keep their reports, dates and participants,
    and each is handed the change to adopt (:mod:`campaigns.upstream`).
    """
    plan = Plan.objects.select_for_update().select_related("issuing_unit").get(pk=plan.pk)
    if plan.status != PlanStatus.PUBLISHED:
        raise PlanError([_("Only a published plan can be revised.")])
    if not pending_changes(plan):
        raise PlanError([_("Nothing has changed since the last publication.")])
    errors = publish_errors(plan)
    if errors:
        raise PlanError(errors)
    last = plan.revisions.order_by("-number").first()
    revision = PlanRevision.objects.create(
        plan=plan,
        number=last.number + 1,
        published_by=by,
        note=note,
        outline=outline.snapshot(plan),
        deadlines=deadline_snapshot(plan),
    )
    registry.published(plan)
    signing.document_final(plan)  # signed on commit if the body has a certificate
    _notify_units(
        OrgUnit.objects.filter(reports__plan=plan).exclude(pk=plan.issuing_unit_id),
        plan,
        kind=NotificationKind.PLAN_REVISED,
        title=_("Plan %(number)s was changed") % {"number": plan.number_symbol},
        body=note or _("See what changed on the plan's page."),
    )
    upstream.hand_down(plan=plan, previous=last, revision=revision)
    return revision


# --- Units joining or leaving a published plan --------------------------------


def _named(units) -> list[dict]:
    return [{"code": unit.code, "name": unit.name} for unit in units]


def _names(rows: list[dict]) -> str:
    return ", ".join(f"{row['name']} ({row['code']})" for row in rows)


@transaction.atomic
def change_participants(
    *,
    plan: Plan,
    by: AbstractBaseUser,
    add: list[OrgUnit] = (),
    remove: list[OrgUnit] = (),
    note: str = "",
) -> PlanRevision:
    """Units join the published ``plan`` (their reports open) or leave it (their
    unstarted reports are withdrawn), recorded as a revision of the plan.

    The revision keeps the outline and deadlines of the one before: a plan with
    changes not yet published must publish them first, so that joining units
    get exactly what the others were given. A constant number of queries.
    """
    plan = Plan.objects.select_for_update().select_related("issuing_unit").get(pk=plan.pk)
    if not can(by, "campaigns.manage_plan", plan):
        raise PermissionDenied
    if plan.status != PlanStatus.PUBLISHED:
        raise PlanError([_("Units can join or leave only a published plan.")])
    if pending_changes(plan):
        raise PlanError([_("This plan has changes the units do not see yet: publish them first.")])
    add, remove = list(add), list(remove)
    if not add and not remove:
        raise PlanError([_("Choose the units that join or leave the plan.")])
    errors = []
    joining = {unit.pk for unit in selectors.newcomers(plan).filter(pk__in=[u.pk for u in add])}
    refused = [unit for unit in add if unit.pk not in joining]
    if refused:
        errors.append(
            _("These units cannot join this plan: %(units)s.") % {"units": _names(_named(refused))}
        )
    governed = set(
        plan.reports.filter(campaign=plan.root, unit__in=remove).values_list("unit_id", flat=True)
    )
    elsewhere = [unit for unit in remove if unit.pk not in governed]
    if elsewhere:
        errors.append(
            _(
                "These units do not report under this plan (they follow a plan below "
                "or have no report): %(units)s."
            )
            % {"units": _names(_named(elsewhere))}
        )
    implementing = list(
        plan.children.filter(issuing_unit__in=remove).values_list("issuing_unit__name", flat=True)
    )
    if implementing:
        errors.append(
            _("These units have issued their own implementing plan: %(units)s.")
            % {"units": ", ".join(implementing)}
        )
    if errors:
        raise PlanError(errors)
    if remove:
        registry.leaving(plan, [unit.path for unit in remove])
        plan.excluded_units.add(*remove)
    if add:
        plan.excluded_units.remove(*add)
    last = plan.revisions.order_by("-number").first()
    added, removed = _named(add), _named(remove)
    lines = []
    if added:
        lines.append(_("Units that joined: %(units)s.") % {"units": _names(added)})
    if removed:
        lines.append(_("Units that left: %(units)s.") % {"units": _names(removed)})
    if note.strip():
        lines.append(note.strip())
    revision = PlanRevision.objects.create(
        plan=plan,
        number=last.number + 1,
        published_by=by,
        note=" ".join(lines),
        outline=last.outline,
        deadlines=last.deadlines,
        units_added=added,
        units_removed=removed,
    )
    registry.published(plan)
    signing.document_final(plan)  # signed on commit if the body has a certificate
    if add:
        _notify_units(
            OrgUnit.objects.within([unit.path for unit in add]).filter(reports__campaign=plan.root),
            plan,
            kind=NotificationKind.PLAN_PUBLISHED,
            title=_("New plan %(number)s: %(summary)s")
            % {"number": plan.number_symbol, "summary": plan.summary[:120]},
            body=_("%(issuer)s has added your unit to a plan. Deadlines: %(deadlines)s.")
            % {"issuer": plan.issuing_unit.name, "deadlines": _deadline_text(revision.deadlines)},
        )
    return revision


# --- Cascade and copy --------------------------------------------------------

COPIED_FIELDS = [
    "kind",
    "period_start",
    "period_end",
    "summary",
    "section_style",
    "outline_placement",
    "review_form",
    "conference_date",
    "lead_commission",
    "recipients",
]
# The signature block: a plan's body prefills it; a copy from the same body keeps it.
SIGNATURE_FIELDS = ["sign_on_behalf", "signer_position", "signer_name"]


SUBJECT_FIELDS = [
    "position",
    "doc_type",
    "number_symbol",
    "issued_on",
    "issuer",
    "title",
    "short_form",
]


def _copy_subjects(source: Plan, target: Plan) -> None:
    SubjectDocument.objects.bulk_create(
        [
            SubjectDocument(plan=target, **{name: getattr(s, name) for name in SUBJECT_FIELDS})
            for s in source.subjects.all()
        ]
    )


@transaction.atomic
def cascade(*, parent: Plan, unit: OrgUnit, by: AbstractBaseUser) -> Plan:
    """A draft implementing plan of ``unit`` for its subtree, pre-filled from
    ``parent``: same subject, inherited outline, deadlines for its levels and
    the pilot units below it at the parent's dates (to be brought forward by
    the unit)."""
    if parent.status != PlanStatus.PUBLISHED:
        raise PlanError([_("Only a published plan can be implemented by units below.")])
    issuer = parent.issuing_unit
    if not unit.path.startswith(issuer.path) or unit.depth != issuer.depth + 1:
        raise PlanError(
            [
                _("Only a unit directly below %(issuer)s can implement this plan.")
                % {"issuer": issuer}
            ]
        )
    if any(unit.path.startswith(excluded.path) for excluded in parent.excluded_units.all()):
        raise PlanError([_("%(unit)s does not take part in this plan.") % {"unit": unit}])
    if not unit.numchild:
        raise PlanError(
            [_("%(unit)s has no units below it to implement the plan.") % {"unit": unit}]
        )
    # Concurrent cascades of one plan queue on its row: the later ones find
    # the draft the first one made (and a constraint keeps one per unit).
    Plan.objects.select_for_update().filter(pk=parent.pk).first()
    existing = parent.children.filter(issuing_unit=unit).first()
    if existing is not None:
        return existing

    child = new_plan(issuing_unit=unit)
    for name in COPIED_FIELDS:
        setattr(child, name, getattr(parent, name))
    child.recorded_after_the_fact = parent.recorded_after_the_fact
    child.parent = parent
    child.created_by = by
    child.recipients = []
    child.introduction = (
        f"Thực hiện Kế hoạch số {parent.number_symbol}, ngày {short_date(parent.issued_on)} "
        f"của {parent.issuer_phrase} về {parent.summary}, "
        f"{child.issuer_phrase} xây dựng Kế hoạch thực hiện, cụ thể như sau:"
    )
    subtree = OrgUnit.objects.within([unit.path]).exclude(pk=unit.pk)
    pilots = list(parent.pilot_units.filter(pk__in=subtree.values("pk")))
    if pilots:
        child.pilot_due_on = parent.pilot_due_on
    child.save()
    child.pilot_units.set(pilots)
    _copy_subjects(parent, child)
    copy_sections(parent, child)
    outline.copy_items(source=parent, target=child, inherit=True)
    subtree_levels = set(subtree.values_list("level_id", flat=True))
    Deadline.objects.bulk_create(
        [
            Deadline(
                plan=child,
                level=d.level,
                kind=d.kind,
                starts_on=d.starts_on,
                due_on=d.due_on,
                report_by=d.report_by,
                last_day=d.last_day,
            )
            for d in parent.deadlines.select_related("level")
            if d.level_id in subtree_levels
        ]
    )
    return child


@transaction.atomic
def copy_plan(*, source: Plan, issuing_unit: OrgUnit, by: AbstractBaseUser) -> Plan:
    """A new draft starting from a previous plan: texts, subjects and outline."""
    same_unit = source.issuing_unit_id == issuing_unit.pk
    plan = new_plan(body=source.issuing_body if same_unit else default_body(issuing_unit))
    copied = [*COPIED_FIELDS, "introduction", *(SIGNATURE_FIELDS if same_unit else [])]
    if same_unit:
        plan.lead_body = source.lead_body
    for name in copied:
        setattr(plan, name, getattr(source, name))
    plan.created_by = by
    plan.save()
    _copy_subjects(source, plan)
    copy_sections(source, plan)
    outline.copy_items(source=source, target=plan, inherit=False)
    return plan


def children_status(plan: Plan) -> list[dict]:
    """For each mid-level participant, whether it has issued its own plan."""
    units = (
        selectors.participants(plan)
        .filter(numchild__gt=0, depth=plan.issuing_unit.depth + 1)
        .select_related("level")
    )
    issued = {p.issuing_unit_id: p for p in plan.children.all()}
    return [{"unit": unit, "plan": issued.get(unit.pk)} for unit in units]


# --- Locking the reports -------------------------------------------------------


@transaction.atomic
def lock_plan(*, plan: Plan, by: AbstractBaseUser) -> None:
    """After the deadlines, the issuer stops further changes to reports."""
    if not can(by, "campaigns.manage_plan", plan):
        raise PermissionDenied
    plan.lock()


@transaction.atomic
def unlock_plan(*, plan: Plan, by: AbstractBaseUser) -> None:
    """Every unit may change its report again; none stays reopened."""
    if not can(by, "campaigns.manage_plan", plan):
        raise PermissionDenied
    plan.unlock()
    registry.unlocked(plan)
