"""Numbers, symbols and who takes part: what the composer refuses before publishing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns import services
from campaigns.forms import PlanGeneralForm
from chasing import services as chasing_services
from chasing.board import board_rows
from dialogues.models import DialoguePlan
from orgunits.bodies import default_body
from orgunits.models import IssuingBody, Role
from reports.models import Report
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan(small_tree, levels):
    plan = seed000_plan(small_tree["P"])
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    return plan


def general_data(unit, **changes):
    data = {
        "issuing_body": default_body(unit).pk,
        "number": "12",
        "place_name": "Chư Sê",
        "issued_on": "2018-05-02",
        "kind": "interim",
        "period_start": "2015",
        "period_end": "2018",
        "summary": "sơ kết riêng",
    }
    return data | changes


def test_a_symbol_typed_with_its_document_type_is_printed_once(client, levels, small_tree):
    plan = seed000_plan(small_tree["P"])
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    services.publish(plan=plan, by=MembershipFactory(unit=small_tree["P"]).user)
    report = Report.objects.get(campaign=plan, unit=small_tree["D1C1"])
    client.force_login(MembershipFactory(unit=small_tree["D1C1"], role=Role.APPROVER).user)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "số và loại văn bản (BC) được ghép tự động" in page

    client.post(
        reverse("reports:document_info", args=[report.pk]),
        {"number": "25", "issuer_symbol": "BC/ĐU", "issued_on": "2020-03-10"},
    )
    report.refresh_from_db()
    assert report.issuer_symbol == "ĐU"
    assert report.number_symbol == "25-BC/ĐU"


def test_a_plan_takes_its_symbol_from_its_body(small_tree):
    """The composer no longer types the symbol: the body's "HU" gives "12-KH/HU"."""
    bodies = IssuingBody.objects.filter(unit=small_tree["D1"])
    form = PlanGeneralForm(
        general_data(small_tree["D1"]),
        instance=services.new_plan(issuing_unit=small_tree["P"]),
        bodies=bodies,
    )
    assert form.is_valid(), form.errors
    plan = form.save()
    assert plan.issuing_unit == small_tree["D1"]
    assert plan.number_symbol == "12-KH/HU"


def test_a_plan_number_is_unique_in_the_register_it_shares_with_dialogue_plans(small_tree):
    """Review plans and the secretary's dialogue plans are both KH of the Huyện ủy."""
    DialoguePlan.objects.create(
        unit=small_tree["D1"], year=2018, number=12, issued_on=D(2018, 1, 5), summary="đối thoại"
    )
    bodies = IssuingBody.objects.filter(unit=small_tree["D1"])
    instance = services.new_plan(issuing_unit=small_tree["D1"], issued_on=D(2018, 5, 2))
    assert instance.number == 13  # the proposal skips the dialogue plan's number

    form = PlanGeneralForm(general_data(small_tree["D1"]), instance=instance, bodies=bodies)
    assert not form.is_valid()
    assert "Số 12 đã được dùng" in form.errors["number"][0]
    # In the next term the register starts again.
    later = PlanGeneralForm(
        general_data(small_tree["D1"], issued_on="2021-05-02"), instance=instance, bodies=bodies
    )
    assert later.is_valid(), later.errors


def test_a_dialogue_plan_number_is_refused_when_a_review_plan_has_it(client, small_tree, levels):
    plan = seed000_plan(small_tree["D1"], number=3)
    assert plan.term.name == "2015–2020"
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    response = client.post(
        reverse("dialogues:plan_create"),
        {
            "unit": small_tree["D1"].pk,
            "year": "2020",
            "number": "3",
            "issuer_symbol": "KH/HU",
            "issued_on": "2020-01-10",
            "summary": "tiếp xúc, đối thoại năm 2020",
        },
    )
    assert "Số 3 đã được dùng" in response.content.decode()
    assert not DialoguePlan.objects.exists()


def test_the_deadlines_step_refuses_a_level_that_takes_part_without_a_deadline(
    client, plan, levels, coordinator
):
    client.force_login(coordinator)
    url = reverse("campaigns:compose", args=[plan.pk, "deadlines"])
    page = client.get(url)
    offered = {
        level.pk
        for level in page.context["participants_form"].fields["participating_levels"].queryset
    }
    assert levels["tinh"].pk not in offered  # the province never reports to itself
    response = client.post(
        url,
        {
            "participating_levels": [levels["huyen"].pk, levels["co-so"].pk],
            f"level_{levels['huyen'].pk}": "2020-03-24",
            f"level_{levels['tinh'].pk}": "2020-03-31",
        },
    )
    assert response.status_code == 200
    assert "Hãy đặt thời hạn cho Cấp cơ sở" in response.content.decode()
    assert not plan.deadlines.exists()


def test_the_issuing_unit_writes_its_own_report_and_nobody_chases_it(
    plan, levels, small_tree, coordinator, django_capture_on_commit_callbacks
):
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    services.set_deadlines(
        plan=plan,
        deadlines=[
            services.DeadlineCheck(levels["co-so"], timezone.localdate()),
            services.DeadlineCheck(levels["huyen"], timezone.localdate()),
        ],
        complete=True,
    )
    services.publish(plan=plan, by=coordinator)
    own = Report.objects.get(campaign=plan, unit=small_tree["P"])
    # No date of its own level: its consolidated report is due with the last one.
    assert own.due_on == timezone.localdate()
    rows = {row.unit.code: row for row in board_rows(coordinator, plan)}
    assert not rows["P"].can_chase
    assert rows["D1"].can_chase

    with django_capture_on_commit_callbacks(execute=False):
        chasing_services.sweep(now=timezone.now())
    chased = set(plan.reports.filter(reminders__isnull=False).values_list("unit__code", flat=True))
    assert "P" not in chased
    assert "D1" in chased
