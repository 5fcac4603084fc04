"""Revisions and cascades keep a deadline's kind and dates, and compare by them."""

import datetime

import pytest
from django.urls import reverse

from campaigns import revisions, services, upstream
from campaigns.models import Deadline, DeadlineKind, Level
from orgunits.models import Role
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date
Check = services.DeadlineCheck


def snapshot(**fields) -> dict:
    level = Level(code="co-so", name="Cấp cơ sở")
    return Deadline(level=level, **fields).normalize().snapshot()


def compared(old: list[dict], new: list[dict]) -> list[dict]:
    return revisions.compare(
        {"outline": [], "deadlines": old}, {"outline": [], "deadlines": new}
    ).get("deadlines", [])


def test_a_day_that_becomes_its_month_is_a_change_worded_in_vietnamese():
    day = snapshot(kind=DeadlineKind.DAY, due_on=D(2024, 9, 30))
    month = snapshot(kind=DeadlineKind.MONTH, due_on=D(2024, 9, 1))
    assert day["last_day"] == month["last_day"]  # the same last day…
    [change] = compared([day], [month])  # …and still a change
    assert (change["old_text"], change["new_text"]) == ("30/9/2024", "tháng 9/2024")
    assert change["old_on"] == change["new_on"] == D(2024, 9, 30)


def test_a_day_for_sending_the_report_added_is_a_change():
    [change] = compared(
        [snapshot(due_on=D(2024, 9, 15))],
        [snapshot(due_on=D(2024, 9, 15), report_by=D(2024, 9, 20))],
    )
    assert change["new_text"] == "15/9 – gửi 20/9/2024"
    assert change["new"] == "2024-09-20"


def test_a_revision_kept_before_kinds_compares_equal_to_the_same_day():
    old = {"level": "co-so", "level_name": "Cấp cơ sở", "due_on": "2024-09-15"}
    assert compared([old], [snapshot(due_on=D(2024, 9, 15))]) == []
    assert Deadline.from_snapshot(old).phrase == "Hoàn thành trước ngày 15 tháng 9 năm 2024"


def people(tree):
    return {
        "province": MembershipFactory(unit=tree["P"], role=Role.COORDINATOR).user,
        "district": MembershipFactory(unit=tree["D1"], role=Role.COORDINATOR).user,
    }


@pytest.fixture
def province_plan(small_tree, levels):
    plan = seed000_plan(small_tree["P"])
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    return plan


def test_a_revision_freezes_the_kind_and_the_plan_page_shows_what_changed(
    client, small_tree, levels, province_plan
):
    who = people(small_tree)
    services.publish(plan=province_plan, by=who["province"])
    services.set_deadlines(
        plan=province_plan,
        deadlines=[
            Check(levels["co-so"], D(2020, 3, 1), DeadlineKind.MONTH),
            Check(levels["huyen"], D(2020, 3, 31), report_by=D(2020, 4, 3)),
            Check(levels["tinh"], D(2020, 4, 10)),
        ],
    )
    pending = revisions.pending_changes(province_plan)
    assert [(d["level"], d["old_text"], d["new_text"]) for d in pending["deadlines"]] == [
        ("co-so", "12/3/2020", "tháng 3/2020"),
        ("huyen", "24/3/2020", "31/3 – gửi 03/4/2020"),
        ("tinh", "31/3/2020", "10/4/2020"),
    ]
    revision = services.publish_revision(plan=province_plan, by=who["province"])
    client.force_login(who["province"])
    page = client.get(reverse("campaigns:detail", args=[province_plan.pk])).content.decode()
    assert "12/3/2020 → <strong>tháng 3/2020</strong>" in page
    frozen = {d["level"]: d for d in revision.deadlines}
    assert frozen["co-so"]["kind"] == "month"
    assert frozen["huyen"]["report_by"] == "2020-04-03"
    assert frozen["huyen"]["last_day"] == "2020-04-03"
    assert province_plan.reports.get(unit=small_tree["D1"]).due_on == D(2020, 4, 3)


def test_a_cascade_carries_the_kinds_and_limits_by_the_parents_last_day(
    small_tree, levels, province_plan
):
    who = people(small_tree)
    services.set_deadlines(
        plan=province_plan,
        deadlines=[
            Check(
                levels["co-so"],
                D(2020, 3, 10),
                DeadlineKind.PERIOD,
                starts_on=D(2020, 3, 2),
                report_by=D(2020, 3, 15),
            ),
            Check(levels["huyen"], D(2020, 3, 1), DeadlineKind.MONTH),
            Check(levels["tinh"], D(2020, 4, 10)),
        ],
    )
    services.publish(plan=province_plan, by=who["province"])
    province_plan.refresh_from_db()
    child = services.cascade(parent=province_plan, unit=small_tree["D1"], by=who["district"])
    copied = {d.level.code: d for d in child.deadlines.select_related("level")}
    commune = copied["co-so"]
    assert (commune.kind, commune.starts_on, commune.due_on, commune.report_by) == (
        "period",
        D(2020, 3, 2),
        D(2020, 3, 10),
        D(2020, 3, 15),
    )
    assert commune.last_day == D(2020, 3, 15)
    child.issued_on = D(2020, 3, 2)
    child.save()

    # Later than the parent's finish day (10/3) but within its last day (15/3): allowed.
    services.set_deadlines(plan=child, deadlines=[Check(levels["co-so"], D(2020, 3, 14))])
    # A month whose last day is beyond 15/3: refused.
    with pytest.raises(services.PlanError) as error:
        services.set_deadlines(
            plan=child, deadlines=[Check(levels["co-so"], D(2020, 3, 1), DeadlineKind.MONTH)]
        )
    assert "tháng 3/2020" in str(error.value.messages)
    assert "15/3/2020" in str(error.value.messages)

    limits = {"co-so": D(2020, 3, 15)}
    within = Check(levels["co-so"], D(2020, 3, 10), report_by=D(2020, 3, 15))
    beyond = Check(levels["co-so"], D(2020, 3, 10), report_by=D(2020, 3, 16))
    assert list(upstream.beyond_parent([within], limits, "huyen")) == []
    assert list(upstream.beyond_parent([beyond], limits, "huyen")) == [(beyond, D(2020, 3, 15))]
