"""A submission runs the same few queries whatever the size of the campaign.

On deadline day thousands of approvers submit within the hour: the submit
request must not grow with the tree (the burst of issue #17). The memberships
are read once per request, whoever asks (the view, the rules, the service).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from orgunits.models import OrgUnit, Role
from reports.models import Report
from tests.factories import MembershipFactory, build_province, publish_plan

pytestmark = pytest.mark.django_db


def submit_queries(client, plan, unit) -> int:
    plan.outline_items.update(required=False)
    report = Report.objects.get(campaign=plan, unit=unit)
    client.force_login(MembershipFactory(unit=unit, role=Role.APPROVER).user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    own = 'SELECT "orgunits_orgunit"."path" AS "unit__path", "orgunits_membership"."role"'
    assert sum(q["sql"].startswith(own) for q in queries) == 1  # the approver's roles, once
    return len(queries)


def test_a_submission_costs_the_same_at_40_and_400_communes(client, levels):
    counts = []
    for prefix, communes in (("S", 40), ("B", 400)):
        province = build_province(levels, communes, prefix=prefix)
        plan = publish_plan(province, grassroots_due=datetime.date.today() + datetime.timedelta(20))
        # A second submission of the campaign (the term and the register exist).
        first, second = OrgUnit.objects.filter(code__in=[f"{prefix}C1", f"{prefix}C2"])
        submit_queries(client, plan, first)
        counts.append(submit_queries(client, plan, second))
    assert counts[0] == counts[1]
    assert counts[1] <= 26
