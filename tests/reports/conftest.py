import pytest

from campaigns import services as plan_services
from campaigns.models import AnswerType
from orgunits.models import Role
from reports.models import Report
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory


@pytest.fixture
def published_plan(small_tree, levels):
    plan = seed000_plan(small_tree["P"])
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    plan_services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def commune_report(published_plan, small_tree) -> Report:
    return Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])


@pytest.fixture
def people(small_tree):
    """One user per role where the tests need them."""
    return {
        "reporter": MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user,
        "approver": MembershipFactory(unit=small_tree["D1C1"], role=Role.APPROVER).user,
        "viewer": MembershipFactory(unit=small_tree["D1C1"], role=Role.VIEWER).user,
        "district_coordinator": MembershipFactory(
            unit=small_tree["D1"], role=Role.COORDINATOR
        ).user,
        "other_commune": MembershipFactory(unit=small_tree["D2C1"], role=Role.REPORTER).user,
        "other_district": MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user,
    }


def item_of_type(plan, answer_type):
    item = plan.outline_items.filter(is_heading=False).order_by("position").first()
    item.answer_type = answer_type
    item.save()
    return item


@pytest.fixture
def text_item(published_plan):
    return (
        published_plan.outline_items.filter(is_heading=False, answer_type=AnswerType.TEXT)
        .order_by("position")
        .first()
    )
