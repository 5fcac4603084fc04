"""Invitations after an import read the people's profiles and roles once, not per person.

Each invitation is one outbox row (one insert); nothing else grows with the
number of people imported.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications.models import EmailOutbox
from orgunits.models import Role
from people import services
from people.models import profile_of
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def invite(unit, count: int) -> int:
    people = [MembershipFactory(unit=unit, role=Role.REPORTER).user for _ in range(count)]
    for person in people:
        profile_of(person)
    with CaptureQueriesContext(connection) as queries:
        services.invite_many(people=people, inviter="Điều phối")
    return len(queries)


def test_inviting_more_people_costs_one_insert_each(small_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        few, many = invite(small_tree["D1C1"], 3), invite(small_tree["D1C2"], 12)
    assert EmailOutbox.objects.count() == 15
    assert many - few <= 9  # the 9 more people's outbox rows, and nothing per person besides
