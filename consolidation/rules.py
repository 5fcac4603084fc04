"""Who may open a consolidation, work on it, build its document and read a
plan's overview (see ``orgunits.access``)."""

import rules

from campaigns.rules import is_issued, sees_plan
from orgunits import access
from orgunits.models import Role
from reports.models import Report
from reports.rules import sees_report, writes_for_unit


@rules.predicate
def has_units_below(user, report: Report | None) -> bool:
    return report is not None and report.unit.numchild > 0


@rules.predicate
def leads_unit(user, report: Report | None) -> bool:
    """Viewers and coordinators of the unit itself, coordinators above it."""
    if report is None:
        return False
    return bool(
        access.roles_on(user, report.unit) & {Role.VIEWER, Role.COORDINATOR}
    ) or access.reaches_below(user, report.unit, roles=[Role.COORDINATOR])


# The workspace: the roll-up of the units below beside the unit's own report.
rules.add_perm("consolidation.view_workspace", sees_report & has_units_below)
# Fill the report's figures and draft its texts from the roll-up: its writers.
rules.add_perm("consolidation.consolidate", writes_for_unit)
# Build and download the consolidated document (PDF, DOCX, XLSX).
rules.add_perm("consolidation.build", sees_report & leads_unit)
# The leader's page of a plan; its figures are those of the user's own units.
rules.add_perm("consolidation.view_overview", sees_plan & is_issued)
