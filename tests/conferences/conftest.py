import datetime

import pytest
from django.utils import timezone

from conferences import services
from orgunits.models import Role
from tests.factories import MembershipFactory

DAY = datetime.timedelta(days=1)


@pytest.fixture
def organiser(published_plan):
    """The province's coordinator, who published the plan."""
    return (
        published_plan.created_by
        or MembershipFactory(unit=published_plan.issuing_unit, role=Role.COORDINATOR).user
    )


@pytest.fixture
def commune_reporter(small_tree):
    return MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user


@pytest.fixture
def sibling_reporter(small_tree):
    return MembershipFactory(unit=small_tree["D1C2"], role=Role.REPORTER).user


def make_conference(plan, by, *, units, date=None, **fields):
    """A conference of ``plan`` on ``date`` (20 days ahead), ``units`` invited."""
    conference = services.new_conference(plan=plan)
    conference.date = date or timezone.localdate() + 20 * DAY
    conference.venue = fields.pop("venue", "Hội trường Tỉnh ủy")
    conference.chair = fields.pop("chair", "Nguyễn Văn Bình, Bí thư Tỉnh ủy")
    for name, value in fields.items():
        setattr(conference, name, value)
    return services.save_conference(conference=conference, invited=list(units), by=by)


@pytest.fixture
def conference(published_plan, organiser, small_tree):
    return make_conference(
        published_plan, organiser, units=[small_tree["D1C1"], small_tree["D2C1"]]
    )
