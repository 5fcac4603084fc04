"""The API tested through its own schema: schemathesis reads ``/api/schema/``
from a live server and sends what the schema allows (and the world's real
ids, in and out of the token's scope), a few examples per operation with a
fixed seed. No answer is a 5xx, and none shows a unit, plan, report or item
outside what the token's scopes see by the pages' rules."""

from __future__ import annotations

import logging

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from api.services import create_client
from campaigns.models import OutlineItem
from campaigns.selectors import plans_visible_to
from orgunits.access import assume_memberships
from orgunits.models import OrgUnit, Role
from reports.models import Report
from reports.selectors import reports_visible_to
from tests.access.world import build_world

pytestmark = pytest.mark.django_db(transaction=True)

EXAMPLES = 6  # per operation and per source of ids: bounded, the machine is shared


class Scope:
    """What the token may see, computed with the pages' selectors."""

    def __init__(self, client):
        user = client.user
        assume_memberships(user, [(s.unit.path, s.role) for s in client.scopes.all()])
        self.plans = set(plans_visible_to(user).values_list("pk", flat=True))
        self.reports = set(reports_visible_to(user).values_list("pk", flat=True))
        self.items = set(
            OutlineItem.objects.filter(plan__in=self.plans).values_list("pk", flat=True)
        )
        roots = [s.unit for s in client.scopes.all()]
        self.units = {
            unit.code
            for unit in OrgUnit.objects.all()
            if any(unit.path.startswith(r.path) or r.path.startswith(unit.path) for r in roots)
        }

    def problems(self, value, path: str = "") -> list[str]:
        """Every object of a JSON answer outside the scope."""
        found: list[str] = []
        if isinstance(value, list):
            for child in value:
                found += self.problems(child, path)
        elif isinstance(value, dict):
            if {"id", "code", "name"} <= value.keys() and value["code"] not in self.units:
                found.append(f"unit {value['code']}")
            if "number_symbol" in value and value.get("id") not in self.plans:
                found.append(f"plan {value.get('id')}")
            if "due_on" in value and "unit" in value and value.get("id") not in self.reports:
                found.append(f"report {value.get('id')}")
            if "answer_type" in value and "item" in value and value["item"] not in self.items:
                found.append(f"item {value['item']}")
            if path.startswith("/api/v1/reports/{id}") and "report" in value:
                if value["report"] not in self.reports:
                    found.append(f"report {value['report']}")
            for child in value.values():
                found += self.problems(child, path)
        return found


def _within_scope(scope: Scope):
    def within_scope(ctx, response, case) -> None:
        if not 200 <= response.status_code < 300:
            return
        path = case.operation.path
        asked = case.path_parameters or {}
        if path.startswith("/api/v1/plans/{id}"):
            assert int(asked["id"]) in scope.plans, f"plan {asked['id']} answered"
        if path.startswith("/api/v1/reports/{id}"):
            assert int(asked["id"]) in scope.reports, f"report {asked['id']} answered"
        if "json" in response.headers.get("Content-Type", [""])[0]:
            outside = scope.problems(response.json(), path)
            assert outside == [], f"{case.method} {path} shows {outside}"

    return within_scope


@pytest.fixture
def world(levels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    return build_world(levels)


def _known_ids(world) -> dict[str, list[int]]:
    q_report = Report.objects.filter(campaign=world.q_plan).first()
    d2_report = Report.objects.filter(campaign=world.plan, unit=world.units["D2C1"]).first()
    return {
        "id": [
            world.plan.pk,
            world.draft.pk,
            world.q_plan.pk,
            world.report.pk,
            world.district_report.pk,
            d2_report.pk,
            q_report.pk,
        ],
        "item_id": [world.item_id, world.draft_item_id],
        "build_id": [world.build.pk],
    }


def fuzz(live_server, world, client, token, *, only: str = "") -> list[int]:
    """Every operation of the schema (or those whose path contains ``only``),
    a few examples each; the statuses answered."""
    scope = Scope(client)
    assert scope.reports  # the world gives the token something to see
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    checks = [not_a_server_error, _within_scope(scope)]
    known = _known_ids(world)
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    statuses: list[int] = []
    for operation in operations:
        if only not in operation.path:
            continue
        names = [p.name for p in operation.path_parameters]
        real = st.fixed_dictionaries({n: st.sampled_from(known[n]) for n in names}).flatmap(
            lambda values, op=operation: op.as_strategy(path_parameters=values)
        )
        strategy = st.one_of(operation.as_strategy(), real) if names else operation.as_strategy()

        @settings(
            max_examples=EXAMPLES * (2 if names else 1),
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            response = case.call(base_url=live_server.url, headers=headers)
            statuses.append(response.status_code)
            case.validate_response(response, checks=checks)

        run()
    return statuses


@pytest.mark.parametrize(("unit_code", "role"), [("D1C1", Role.APPROVER), ("D1", Role.COORDINATOR)])
def test_no_answer_is_a_5xx_or_outside_the_token_s_scope(live_server, world, unit_code, role):
    client, token = create_client(
        name=f"fuzz {unit_code}", scopes=[(world.units[unit_code], role)], rate_per_minute=100_000
    )
    statuses = fuzz(live_server, world, client, token)
    # The real ids reached objects in the scope, and out of it were refused.
    assert {200, 404} <= set(statuses)
    assert len(statuses) >= 13 * EXAMPLES


def test_the_scope_check_notices_a_view_that_drops_the_scope(live_server, world, monkeypatch):
    """The API's reports opened to every token: the fuzzing must fail."""
    from api import views

    monkeypatch.setattr(views, "reports_visible_to", lambda user: Report.objects.all())
    client, token = create_client(
        name="fuzz leak", scopes=[(world.units["D1C1"], Role.VIEWER)], rate_per_minute=100_000
    )
    # Schemathesis raises its group of failures (a BaseExceptionGroup).
    with pytest.raises(BaseException) as failure:  # noqa: PT011
        fuzz(live_server, world, client, token, only="/reports/{id}/")
    assert "within_scope" in str(failure.value)
