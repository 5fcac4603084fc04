"""Who may see, write, submit and review a unit's report (see ``orgunits.access``).

Writing is the unit's own business: a role on the unit itself, not above it.
Reviewing belongs to the coordinators of a unit strictly above. Whether the
report's state allows the step (a submitted report is not edited, a closed
plan takes nothing) is the report's own rule, ``Report.require_…``.
"""

import rules

from campaigns.models import PlanStatus
from orgunits import access
from orgunits.models import Role

from .models import Report

WRITERS = {Role.REPORTER, Role.APPROVER, Role.COORDINATOR}


def _successor(report: Report):
    """The unit a merged unit was merged into (None: not merged); its people
    take the merged unit's reports over (``orgunits.mergers``)."""
    return report.unit.successor if report.unit.successor_id else None


def _own_roles(user, report: Report) -> set[str]:
    """Roles on the report's unit, or on the unit it was merged into."""
    roles = access.roles_on(user, report.unit)
    successor = _successor(report)
    return roles | access.roles_on(user, successor) if successor is not None else roles


@rules.predicate
def sees_report(user, report: Report | None) -> bool:
    """Reports of units in the user's subtrees (or merged into a unit of them),
    once their plan is issued: ``reports_visible_to`` as a rule."""
    return (
        report is not None
        and report.plan.status in (PlanStatus.PUBLISHED, PlanStatus.CLOSED)
        and (access.reaches(user, report.unit) or access.reaches(user, _successor(report)))
    )


@rules.predicate
def writes_for_unit(user, report: Report | None) -> bool:
    """The unit's reporters and approvers, and its coordinators (the commission
    staff who write the unit's consolidated report); for a merged unit, those
    of the unit it was merged into too."""
    return report is not None and bool(_own_roles(user, report) & WRITERS)


@rules.predicate
def approves_for_unit(user, report: Report | None) -> bool:
    return report is not None and Role.APPROVER in _own_roles(user, report)


@rules.predicate
def coordinates_above(user, report: Report | None) -> bool:
    return report is not None and access.reaches_below(user, report.unit, roles=[Role.COORDINATOR])


@rules.predicate
def records_for_unit(user, report: Report | None) -> bool:
    """A campaign recorded after the fact is typed in by the coordinators above:
    they enter the units' answers and submit them with the dates they had."""
    return (
        report is not None
        and report.plan.recorded_after_the_fact
        and access.reaches_below(user, report.unit, roles=[Role.COORDINATOR])
    )


rules.add_perm("reports.view_report", sees_report)
rules.add_perm("reports.download_report", sees_report)  # PDF, DOCX, print, attachments
# Answers, attachments, consolidation.
rules.add_perm("reports.edit_report", writes_for_unit | records_for_unit)
rules.add_perm("reports.submit_report", approves_for_unit | records_for_unit)
# Accept, return for revision, reopen after the plan's lock.
rules.add_perm("reports.review_report", coordinates_above)
# Record a report the unit sent outside the app (e-mail, paper): whoever reviews it.
rules.add_perm("reports.record_received_report", coordinates_above)
