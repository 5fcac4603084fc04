"""A submission runs the same few queries whatever the size of the campaign.

On deadline day thousands of approvers submit within the hour: the submit
request must not grow with the tree (the burst of issue #17). The report is
read once (its row locked as it is read), the outline comes from the copy
kept per plan, and the memberships are read once per request, with the user.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import outline_changed
from orgunits.models import OrgUnit, Role
from reports.models import Report
from tests.factories import MembershipFactory, build_province, publish_plan

pytestmark = pytest.mark.django_db

# Session, user with roles, the report (locked), three savepoints and their
# releases, the answers, the term, the register's last number, the report's
# row and its history, the coordinators above, their notifications, the
# integrating systems whose webhooks might be told (api).
SUBMIT_QUERIES = 17


def submit_queries(client, plan, unit) -> list[dict]:
    if plan.outline_items.filter(required=True).update(required=False):
        outline_changed(plan.pk)  # a bulk update sends no signal
    report = Report.objects.get(campaign=plan, unit=unit)
    client.force_login(MembershipFactory(unit=unit, role=Role.APPROVER).user)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    # The approver's roles, once, with the user (people.backends), never on their own.
    with_user = 'FROM "auth_user" LEFT OUTER JOIN "orgunits_membership"'
    assert sum(with_user in q["sql"] for q in queries) == 1
    assert not any(q["sql"].startswith('SELECT "orgunits_orgunit"."path"') for q in queries)
    return queries.captured_queries


def test_a_submission_costs_the_same_at_40_and_400_communes(client, levels):
    counts = []
    for prefix, communes in (("S", 40), ("B", 400)):
        province = build_province(levels, communes, prefix=prefix)
        plan = publish_plan(province, grassroots_due=datetime.date.today() + datetime.timedelta(20))
        # A second submission of the campaign (the term and the register exist).
        first, second = OrgUnit.objects.filter(code__in=[f"{prefix}C1", f"{prefix}C2"])
        submit_queries(client, plan, first)
        counts.append(len(submit_queries(client, plan, second)))
    assert counts[0] == counts[1]
    assert counts[1] <= SUBMIT_QUERIES


def test_a_submission_reads_the_report_and_the_outline_once(client, levels):
    province = build_province(levels, 20, prefix="O")
    plan = publish_plan(province, grassroots_due=datetime.date.today() + datetime.timedelta(20))
    first, second = OrgUnit.objects.filter(code__in=["OC1", "OC2"])
    submit_queries(client, plan, first)
    queries = [q["sql"] for q in submit_queries(client, plan, second)]
    [read] = [q for q in queries if q.startswith('SELECT "reports_report"."id"')]
    # With the relations the submission reads only: its plan and unit (the
    # scope), the unit a merged unit went to, the plan's issuer, the report's
    # issuing body. Each more join is PostgreSQL planning time in the burst.
    assert read.count(" JOIN ") == 5
    assert not any('FROM "campaigns_outlineitem"' in q for q in queries)
    # The report's row is the only one locked (PostgreSQL; SQLite locks the
    # database for the write anyway): never its plan's, which all reports share.
    locks = [q for q in queries if "FOR UPDATE" in q]
    if connection.features.has_select_for_update:
        assert locks == [read]
        assert read.endswith('FOR UPDATE OF "reports_report"')
    else:
        assert locks == []
