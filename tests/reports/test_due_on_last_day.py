"""Reports are due on the last day their level's deadline allows, whatever
its kind: on or after every day the plan names for it."""

import calendar
import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import services
from campaigns.models import DeadlineKind
from orgunits.models import Role
from reports.models import Report
from tests.factories import SEED000_DEADLINES, MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

D = datetime.date
LATER = D(2045, 12, 31)  # the levels above: after anything drawn


@st.composite
def commune_deadlines(draw) -> services.DeadlineCheck:
    kind = draw(st.sampled_from(DeadlineKind.values))
    due_on = draw(st.dates(min_value=D(2020, 3, 1), max_value=D(2040, 12, 31)))
    finish = (
        due_on.replace(day=calendar.monthrange(due_on.year, due_on.month)[1])
        if kind == DeadlineKind.MONTH
        else due_on
    )
    return {
        "kind": kind,
        "due_on": due_on,
        "starts_on": draw(st.dates(min_value=D(2020, 2, 25), max_value=due_on)),
        "report_by": draw(st.none() | st.dates(min_value=finish, max_value=D(2044, 12, 31))),
    }


@pytest.fixture
def published(small_tree):
    who = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    plan = PlanFactory(
        issuing_unit=small_tree["P"], seed000=True, deadlines=SEED000_DEADLINES, published_by=who
    )
    return plan, who


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(drawn=commune_deadlines())
def test_a_revised_deadline_makes_the_communes_due_on_its_last_day(published, levels, drawn):
    plan, who = published
    services.set_deadlines(
        plan=plan,
        deadlines=[
            services.DeadlineCheck(levels["co-so"], **drawn),
            services.DeadlineCheck(levels["huyen"], LATER),
            services.DeadlineCheck(levels["tinh"], LATER),
        ],
    )
    if services.pending_changes(plan):  # the same deadline may be drawn again
        services.publish_revision(plan=plan, by=who)
    deadline = plan.deadlines.get(level=levels["co-so"])
    due = set(Report.objects.filter(unit__level=levels["co-so"]).values_list("due_on", flat=True))
    assert due == {deadline.last_day}
    named = [drawn["due_on"], drawn["report_by"], deadline.due_on]
    if drawn["kind"] == DeadlineKind.PERIOD:
        named.append(drawn["starts_on"])
    assert all(deadline.last_day >= day for day in named if day)
