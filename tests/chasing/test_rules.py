"""Who may follow a plan's progress board and chase which units."""

import pytest
from django.urls import reverse

from orgunits.access import can
from orgunits.models import Role
from reports.models import Report
from tests.campaigns.seeds import seed000_plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


def chased_by(user, plan) -> set[str]:
    reports = Report.objects.filter(campaign=plan).select_related("unit", "plan")
    return {r.unit.code for r in reports if can(user, "chasing.chase", r)}


def test_the_board_is_for_issued_plans(client, published_plan, small_tree):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    assert can(reporter, "chasing.view_board", published_plan)
    draft = seed000_plan(small_tree["P"], number=301)
    issuer = member(small_tree["P"], Role.COORDINATOR)
    assert not can(issuer, "chasing.view_board", draft)
    client.force_login(issuer)
    assert client.get(reverse("chasing:board", args=[draft.pk])).status_code == 404
    assert client.get(reverse("chasing:board", args=[published_plan.pk])).status_code == 200


def test_coordinators_in_the_plans_tree_chase_and_others_do_not(published_plan, small_tree):
    assert can(member(small_tree["P"], Role.COORDINATOR), "chasing.chase_units", published_plan)
    assert can(member(small_tree["D2"], Role.COORDINATOR), "chasing.chase_units", published_plan)
    assert not can(member(small_tree["P"], Role.VIEWER), "chasing.chase_units", published_plan)
    assert not can(member(small_tree["D1C1"], Role.REPORTER), "chasing.chase_units", published_plan)
    district_plan = seed000_plan(small_tree["D1"], number=302)
    assert not can(member(small_tree["D2"], Role.COORDINATOR), "chasing.chase_units", district_plan)


def test_the_level_above_chases_a_unit_never_the_unit_itself(published_plan, small_tree):
    district = member(small_tree["D1"], Role.COORDINATOR)
    assert chased_by(district, published_plan) == {"D1C1", "D1C2"}
    assert chased_by(member(small_tree["D1C1"], Role.REPORTER), published_plan) == set()


def test_the_root_plans_issuer_chases_every_unit_its_own_included(published_plan, small_tree):
    issuer = member(small_tree["P"], Role.COORDINATOR)
    assert chased_by(issuer, published_plan) == {"P", "D1", "D2", "D1C1", "D1C2", "D2C1", "D2C2"}
