"""Pilot units (chọn điểm) review first: their deadline, its cascade, its print."""

import datetime

import pytest

from campaigns import documents, services
from reports.models import Report
from tests.campaigns.seeds import seed000_deadlines, seed000_plan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan(small_tree, levels):
    plan = seed000_plan(small_tree["P"])
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    plan.pilot_units.set([small_tree["D1C2"], small_tree["D2C1"]])
    plan.pilot_due_on = D(2020, 3, 5)
    plan.save()
    seed000_deadlines(plan, levels)
    return plan


def test_a_pilot_deadline_later_than_its_units_level_is_refused(plan, levels):
    plan.pilot_due_on = D(2020, 3, 15)  # the communes' deadline is 12/3
    plan.save()
    errors = services.publish_errors(plan)
    assert any("chọn điểm phải báo cáo trước" in e and "Cấp cơ sở" in e for e in errors)
    with pytest.raises(services.PlanError):
        seed000_deadlines(plan, levels)


def test_a_cascade_inherits_the_pilot_units_below_it_and_their_deadline(
    plan, small_tree, levels, coordinator
):
    services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    child = services.cascade(parent=plan, unit=small_tree["D1"], by=coordinator)
    assert list(child.pilot_units.all()) == [small_tree["D1C2"]]
    assert child.pilot_due_on == D(2020, 3, 5)

    child.issued_on = D(2020, 3, 2)
    child.pilot_due_on = D(2020, 3, 6)  # later than the province's pilots
    child.save()
    with pytest.raises(services.PlanError) as error:
        services.set_deadlines(
            plan=child, deadlines=[services.DeadlineCheck(levels["co-so"], D(2020, 3, 8))]
        )
    assert "kế hoạch cấp trên" in " ".join(error.value.messages)

    child.pilot_due_on = D(2020, 3, 4)
    child.signer_name = "Nguyễn Văn A"
    child.save()
    child.participating_levels.set([levels["co-so"]])
    services.set_deadlines(
        plan=child, deadlines=[services.DeadlineCheck(levels["co-so"], D(2020, 3, 8))]
    )
    services.publish(plan=child, by=coordinator)
    pilot = Report.objects.get(campaign=plan, unit=small_tree["D1C2"])
    assert (pilot.plan, pilot.due_on) == (child, D(2020, 3, 4))


def test_the_printed_plan_names_the_pilot_units(plan):
    texts = [block.text for block in documents.build(plan).blocks]
    pilots = next(text for text in texts if text.startswith("- Các đơn vị chọn điểm"))
    assert pilots.startswith(
        "- Các đơn vị chọn điểm (Đảng ủy xã D1C2, Đảng ủy xã D2C1): Hoàn thành trước ngày 05 "
    )
