"""A token sees what its scopes' people see on the pages: the access matrix again.

For every user of the access world (``tests/access/world.py``), a client is
made with that user's memberships as its scopes. Each API URL is paired with
the page whose rule it shares; the API lets the client in exactly when the
matrix lets the user in (``tests/access/test_matrix.py`` ``MATRIX``), else
answers 403/404, never a 5xx, and a JSON answer names no unit outside the
user's scope.
"""

from __future__ import annotations

import json
import logging

import pytest
from django.db import transaction
from django.urls import reverse

from api.services import create_client
from orgunits.models import Membership
from tests.access.test_matrix import MATRIX
from tests.access.world import NAMES, USERS, build_world
from tests.api.conftest import client_for

pytestmark = pytest.mark.django_db

# api URL name -> (method, the page whose row it follows, its arguments)
PAIRS = {
    "api:plan-detail": ("GET", "campaigns:detail", lambda w: [w.plan.pk]),
    "api:plan-outline": ("GET", "campaigns:detail", lambda w: [w.plan.pk]),
    "api:plan-pdf": ("GET", "campaigns:pdf", lambda w: [w.plan.pk]),
    "api:plan-board": ("GET", "chasing:board", lambda w: [w.plan.pk]),
    "api:report-detail": ("GET", "reports:detail", lambda w: [w.report.pk]),
    "api:report-answers": ("GET", "reports:detail", lambda w: [w.report.pk]),
    "api:report-pdf": ("GET", "reports:pdf", lambda w: [w.report.pk]),
    "api:report-builds": ("GET", "consolidation:builds", lambda w: [w.district_report.pk]),
    "api:build_file": (
        "GET",
        "consolidation:build_download",
        lambda w: [w.district_report.pk, w.build.pk],
    ),
    "api:report-submit": ("POST", "reports:submit", lambda w: [w.report.pk]),
    "api:answer": ("PUT", "reports:item", lambda w: [w.report.pk, w.item_id]),
}
USERS_WITH_SCOPES = [key for key, position in USERS.items() if position is not None]


@pytest.fixture
def world(levels, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logging.getLogger("django.request").setLevel(logging.CRITICAL)
    return build_world(levels)


def _allowed(page: str, method: str, user: str) -> bool:
    row = MATRIX[page]
    who = row.get if method == "GET" else (row.post if row.post is not None else row.get)
    return bool(who) and user in who


def _json_text(response) -> str:
    if "json" not in response.get("Content-Type", ""):
        return ""
    return json.dumps(response.json(), ensure_ascii=False)


def test_every_api_url_is_paired_with_a_page():
    api_rows = {name for name, row in MATRIX.items() if row.token}
    assert api_rows - set(PAIRS) == {"api:plan-list", "api:report-list"}


@pytest.mark.parametrize("user", USERS_WITH_SCOPES)
def test_a_token_gets_what_its_people_get_on_the_pages(world, user):
    person = world.users[user]
    scopes = [(m.unit, m.role) for m in Membership.objects.filter(user=person)]
    _client, token = create_client(name=f"system of {user}", scopes=scopes)
    api = client_for(token)
    allowed_names = world.scope_names(user)
    problems = []
    for name, (method, page, args) in PAIRS.items():
        url = reverse(name, args=args(world))
        with transaction.atomic():
            if method == "GET":
                response = api.get(url)
            elif method == "POST":
                response = api.post(url)
            else:
                response = api.put(url, {}, format="json")
            transaction.set_rollback(True)
        status = response.status_code
        if status >= 500 or status in (401, 429):
            problems.append(f"{method} {name}: {status}")
        elif _allowed(page, method, user) != (status not in (403, 404)):
            problems.append(
                f"{method} {name}: {status}, the page says {page} is "
                f"{'open' if _allowed(page, method, user) else 'closed'}"
            )
        text = _json_text(response)
        leaked = [n for n in NAMES.values() if n not in allowed_names and n in text]
        if leaked:
            problems.append(f"{method} {name} shows {leaked}")
    for url in (reverse("api:plan-list"), reverse("api:report-list") + "?page_size=200"):
        text = _json_text(api.get(url))
        leaked = [n for n in NAMES.values() if n not in allowed_names and n in text]
        if leaked:
            problems.append(f"{url} shows {leaked}")
    assert problems == []
