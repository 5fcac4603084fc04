"""Deadlines saved before kinds existed stay the same days."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import PlanFactory

BEFORE = [("campaigns", "0009_remove_plan_text_fields")]
AFTER = [("campaigns", "0010_deadline_kinds_and_last_day")]


@pytest.mark.django_db(transaction=True)
def test_existing_deadlines_become_days_with_their_date_as_last_day(small_tree, levels):
    plan = PlanFactory(issuing_unit=small_tree["P"], seed000=True)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Deadline = old.get_model("campaigns", "Deadline")
    for code, day in [("co-so", 12), ("huyen", 24)]:
        Deadline.objects.create(
            plan_id=plan.pk, level_id=levels[code].pk, due_on=datetime.date(2020, 3, day)
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    rows = new.get_model("campaigns", "Deadline").objects.filter(plan_id=plan.pk).order_by("due_on")
    assert [(d.kind, d.starts_on, d.due_on, d.report_by, d.last_day) for d in rows] == [
        ("day", None, datetime.date(2020, 3, 12), None, datetime.date(2020, 3, 12)),
        ("day", None, datetime.date(2020, 3, 24), None, datetime.date(2020, 3, 24)),
    ]
