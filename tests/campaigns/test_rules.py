"""Who may see, download and manage a plan: one rule each, the same as the plan list."""

import pytest

from campaigns import selectors
from campaigns.models import Plan
from orgunits.access import can
from orgunits.models import Role
from tests.campaigns.seeds import seed000_plan
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(small_tree):
    return {
        "province coordinator": MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user,
        "province viewer": MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user,
        "district coordinator": MembershipFactory(
            unit=small_tree["D1"], role=Role.COORDINATOR
        ).user,
        "commune reporter": MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user,
        "other district viewer": MembershipFactory(unit=small_tree["D2"], role=Role.VIEWER).user,
        "nobody": UserFactory(),
    }


@pytest.fixture
def district_draft(small_tree):
    return seed000_plan(small_tree["D1"], number=12)


@pytest.mark.parametrize(
    ("who", "plan", "allowed"),
    [
        ("commune reporter", "published", True),  # the plan its unit answers
        ("commune reporter", "district draft", False),  # a draft is not shown below
        ("other district viewer", "district draft", False),
        ("district coordinator", "district draft", True),
        ("province viewer", "district draft", True),
        ("nobody", "published", False),
    ],
)
def test_a_plan_is_seen_and_downloaded_by_its_subtree_and_the_units_answering_it(
    users, published_plan, district_draft, who, plan, allowed
):
    plan = published_plan if plan == "published" else district_draft
    assert can(users[who], "campaigns.view_plan", plan) is allowed
    assert can(users[who], "campaigns.download_plan", plan) is allowed


@pytest.mark.parametrize(
    ("who", "plan", "allowed"),
    [
        ("province coordinator", "published", True),
        ("province coordinator", "district draft", True),  # a coordinator above
        ("district coordinator", "district draft", True),
        ("district coordinator", "published", False),
        ("province viewer", "district draft", False),
        ("commune reporter", "published", False),
    ],
)
def test_a_plan_is_managed_by_the_coordinators_of_its_issuer_or_above(
    users, published_plan, district_draft, who, plan, allowed
):
    plan = published_plan if plan == "published" else district_draft
    assert can(users[who], "campaigns.manage_plan", plan) is allowed


def test_the_rule_and_the_plan_list_agree(users, published_plan, district_draft):
    plans = list(Plan.objects.select_related("issuing_unit"))
    for user in users.values():
        listed = set(selectors.plans_visible_to(user))
        assert {p for p in plans if can(user, "campaigns.view_plan", p)} == listed
