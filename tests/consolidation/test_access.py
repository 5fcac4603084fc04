"""Who may open a consolidation, work on it, build its document and read a
plan's overview; and what the overview shows each of them.

The tree and the answers are those of tests/consolidation/conftest.py: accepted D1C1 (count 3)
and D1C2 (count 4, late), submitted D1 (count 5), returned D2C1 (100, not
counted), pending D2C2.
"""

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


def report_of(plan, tree, code) -> Report:
    return Report.objects.select_related("unit", "plan").get(campaign=plan, unit=tree[code])


def test_a_unit_with_units_below_has_a_workspace_a_leaf_has_none(answered, small_tree):
    reporter = member(small_tree["D1"], Role.REPORTER)
    assert can(reporter, "consolidation.view_workspace", report_of(answered, small_tree, "D1"))
    leaf = member(small_tree["D2C1"], Role.REPORTER)
    assert not can(leaf, "consolidation.view_workspace", report_of(answered, small_tree, "D2C1"))
    outsider = member(small_tree["D2"], Role.COORDINATOR)
    assert not can(outsider, "consolidation.view_workspace", report_of(answered, small_tree, "D1"))


def test_the_writers_of_the_report_consolidate(answered, small_tree):
    district = report_of(answered, small_tree, "D1")
    assert can(member(small_tree["D1"], Role.REPORTER), "consolidation.consolidate", district)
    assert can(member(small_tree["D1"], Role.COORDINATOR), "consolidation.consolidate", district)
    assert not can(member(small_tree["D1"], Role.VIEWER), "consolidation.consolidate", district)
    assert not can(member(small_tree["P"], Role.COORDINATOR), "consolidation.consolidate", district)


def test_the_units_leaders_and_the_coordinators_above_build(answered, small_tree):
    district = report_of(answered, small_tree, "D1")
    assert can(member(small_tree["D1"], Role.VIEWER), "consolidation.build", district)
    assert can(member(small_tree["D1"], Role.COORDINATOR), "consolidation.build", district)
    assert can(member(small_tree["P"], Role.COORDINATOR), "consolidation.build", district)
    assert not can(member(small_tree["D1"], Role.REPORTER), "consolidation.build", district)
    assert not can(member(small_tree["P"], Role.VIEWER), "consolidation.build", district)
    assert not can(member(small_tree["D1C1"], Role.COORDINATOR), "consolidation.build", district)


def test_the_overview_is_for_issued_plans_of_the_users_tree(answered, small_tree):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    assert can(reporter, "consolidation.view_overview", answered)
    draft = seed000_plan(small_tree["P"], number=300)
    issuer = member(small_tree["P"], Role.COORDINATOR)
    assert not can(issuer, "consolidation.view_overview", draft)
    assert _overview(issuer, draft).status_code == 404


def _overview(user, plan, client=None):
    from django.test import Client

    client = client or Client()
    client.force_login(user)
    return client.get(reverse("consolidation:overview", args=[plan.pk]))


def _count_total(body: str, item) -> str | None:
    marker = f'data-testid="key-figure" data-item="{item.pk}" data-total="'
    if marker not in body:
        return None
    return body.split(marker, 1)[1].split('"', 1)[0]


def test_the_overview_shows_a_district_its_own_subtree_only(answered, small_tree, items):
    body = _overview(member(small_tree["D1"], Role.COORDINATOR), answered).content.decode()
    assert _count_total(body, items["count"]) == "7"  # D1C1 3 + D1C2 4; not D1's own 5
    assert 'data-level="co-so" data-percent="100" data-expected="2"' in body
    assert 'data-level="huyen"' not in body
    assert 'data-testid="overview-scope"' in body


def test_the_overview_shows_a_commune_reporter_no_province_figures(answered, small_tree, items):
    body = _overview(member(small_tree["D1C1"], Role.REPORTER), answered).content.decode()
    assert _count_total(body, items["count"]) is None
    assert 'data-level="huyen"' not in body
    assert 'data-level="co-so"' not in body
    province = _overview(member(small_tree["P"], Role.VIEWER), answered).content.decode()
    # D1 counted once, by its own (submitted) report; D2C1 is returned.
    assert _count_total(province, items["count"]) == "5"
    assert 'data-testid="overview-scope"' not in province


def test_a_reporter_sees_no_consolidation_link_he_cannot_open(client, answered, small_tree):
    district = report_of(answered, small_tree, "D1")
    reporter = member(small_tree["D1"], Role.REPORTER)
    client.force_login(reporter)
    workspace = client.get(reverse("consolidation:workspace", args=[district.pk]))
    assert workspace.status_code == 200
    assert 'data-testid="consolidated-builds"' not in workspace.content.decode()
    assert client.get(reverse("consolidation:builds", args=[district.pk])).status_code == 403

    commune = report_of(answered, small_tree, "D2C1")  # no unit below it
    client.force_login(member(small_tree["D2C1"], Role.REPORTER))
    page = client.get(reverse("reports:detail", args=[commune.pk])).content.decode()
    assert 'data-testid="consolidate"' not in page
    assert client.get(reverse("consolidation:workspace", args=[commune.pk])).status_code == 404


def test_the_builds_card_is_offered_to_those_who_may_build(client, answered, small_tree):
    district = report_of(answered, small_tree, "D1")
    client.force_login(member(small_tree["D1"], Role.VIEWER))
    workspace = client.get(reverse("consolidation:workspace", args=[district.pk]))
    assert 'data-testid="consolidated-builds"' in workspace.content.decode()
    assert client.get(reverse("consolidation:builds", args=[district.pk])).status_code == 200
