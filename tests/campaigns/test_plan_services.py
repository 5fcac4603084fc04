import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from campaigns import outline, selectors, services
from campaigns.models import OutlineItem, PlanStatus
from notifications.models import Notification
from orgunits.access import can
from orgunits.models import Level, Role, Term
from reports.models import Report, ReportStatus
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import SEED000_DEADLINES, MembershipFactory, PlanFactory, UserFactory, add_unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def plan(small_tree, levels):
    plan = seed000_plan(small_tree["P"])
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    return plan


@pytest.fixture
def ready_plan(plan, levels):
    seed000_deadlines(plan, levels)
    return plan


def test_it_proposes_the_next_number_in_the_units_register_for_the_term(small_tree, plan):
    assert plan.number_symbol == "279-KH/TU"
    assert services.new_plan(issuing_unit=small_tree["P"], issued_on=D(2020, 5, 1)).number == 280
    # Another unit has its own register; a new term starts again from 01.
    assert services.new_plan(issuing_unit=small_tree["D1"], issued_on=D(2020, 5, 1)).number == 1
    fresh = services.new_plan(issuing_unit=small_tree["P"], issued_on=D(2020, 11, 2))
    assert fresh.number == 1
    assert fresh.term.name == "2020–2025"
    assert plan.term.name == "2015–2020"


def test_it_pads_numbers_below_ten(small_tree, plan):
    plan.number = 7
    assert plan.number_symbol == "07-KH/TU"


def test_it_finds_the_conventional_term_of_a_date():
    assert Term.for_date(D(2020, 9, 30)).name == "2015–2020"
    assert Term.for_date(D(2025, 10, 1)).name == "2025–2030"


@pytest.mark.parametrize(
    ("grassroots", "district", "province", "fragment"),
    [
        (D(2020, 3, 25), D(2020, 3, 24), D(2020, 3, 31), "phải báo cáo trước"),
        (D(2020, 2, 20), D(2020, 3, 24), D(2020, 3, 31), "trước ngày của kế hoạch"),
    ],
)
def test_it_refuses_deadlines_out_of_order(plan, levels, grassroots, district, province, fragment):
    checks = [
        services.DeadlineCheck(levels["co-so"], grassroots),
        services.DeadlineCheck(levels["huyen"], district),
        services.DeadlineCheck(levels["tinh"], province),
    ]
    with pytest.raises(services.PlanError) as error:
        services.set_deadlines(plan=plan, deadlines=checks)
    assert any(fragment in message for message in error.value.messages)
    assert not plan.deadlines.exists()


def test_it_lists_what_stops_publication(plan):
    plan.signer_name = ""
    errors = services.publish_errors(plan)
    assert any("Cấp cơ sở" in e for e in errors)
    assert any("người ký" in e for e in errors)


def test_it_publishes_opens_reports_and_notifies(
    ready_plan, small_tree, coordinator, django_capture_on_commit_callbacks
):
    commune_user = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.publish(plan=ready_plan, by=coordinator)

    ready_plan.refresh_from_db()
    assert ready_plan.status == PlanStatus.PUBLISHED
    assert revision.number == 1
    assert [item["numbering"] for item in revision.outline[:3]] == ["1.", "1.1.", "1.2."]
    reports = Report.objects.filter(campaign=ready_plan)
    # 1 province + 2 districts + 4 communes; the chi bộ level does not take part.
    assert reports.count() == 7
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.PENDING}
    assert reports.get(unit=small_tree["D1C1"]).due_on == D(2020, 3, 12)
    assert reports.get(unit=small_tree["D2"]).due_on == D(2020, 3, 24)
    notification = Notification.objects.get(user=commune_user)
    assert "279-KH/TU" in notification.title
    sent = [m for m in mail.outbox if commune_user.email in m.to]
    assert len(sent) == 1
    assert "279-KH/TU" in sent[0].subject
    assert "Kính gửi đồng chí" in sent[0].body


def test_it_publishes_with_a_constant_number_of_queries(
    ready_plan,
    small_tree,
    levels,
    coordinator,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER)
    with django_assert_max_num_queries(40) as small:
        services.publish(plan=ready_plan, by=coordinator)

    other = PlanFactory(
        issuing_unit=small_tree["P"], seed000=True, number=300, deadlines=SEED000_DEADLINES
    )
    # 30, not 40: SQLite caps a statement at 999 parameters, so 47 reports of
    # 21 columns would need a second INSERT (one batch on PostgreSQL).
    for i in range(30):
        commune = add_unit(small_tree["D2"], f"X{i}", levels["co-so"])
        MembershipFactory(unit=commune, role=Role.REPORTER)
    with django_assert_num_queries(len(small)):
        services.publish(plan=other, by=coordinator)
    assert Report.objects.filter(campaign=other).count() == 37


def test_it_excludes_units_with_their_subtrees_and_gives_pilots_their_date(
    ready_plan, small_tree, coordinator
):
    ready_plan.excluded_units.set([small_tree["D2"]])
    ready_plan.pilot_units.set([small_tree["D1C2"]])
    ready_plan.pilot_due_on = D(2020, 3, 5)
    ready_plan.save()
    services.publish(plan=ready_plan, by=coordinator)
    units = set(Report.objects.filter(campaign=ready_plan).values_list("unit__code", flat=True))
    assert units == {"P", "D1", "D1C1", "D1C2"}
    assert Report.objects.get(campaign=ready_plan, unit__code="D1C2").due_on == D(2020, 3, 5)


def test_it_refuses_to_publish_twice(ready_plan, coordinator):
    services.publish(plan=ready_plan, by=coordinator)
    with pytest.raises(services.PlanError):
        services.publish(plan=ready_plan, by=coordinator)


def test_a_change_after_publication_makes_a_revision_that_units_can_read(
    ready_plan, levels, coordinator
):
    services.publish(plan=ready_plan, by=coordinator)
    assert services.pending_changes(ready_plan) == {}
    outline.add_item(
        plan=ready_plan, title="Số đảng viên tham gia đối thoại", answer_type="integer"
    )
    services.set_deadlines(
        plan=ready_plan,
        deadlines=[
            services.DeadlineCheck(levels["co-so"], D(2020, 3, 15)),
            services.DeadlineCheck(levels["huyen"], D(2020, 3, 24)),
            services.DeadlineCheck(levels["tinh"], D(2020, 3, 31)),
        ],
    )
    changes = services.pending_changes(ready_plan)
    assert [item["title"] for item in changes["added"]] == ["Số đảng viên tham gia đối thoại"]
    assert changes["deadlines"][0]["new"] == "2020-03-15"

    revision = services.publish_revision(plan=ready_plan, by=coordinator, note="Lùi hạn cấp cơ sở")
    assert revision.number == 2
    assert services.pending_changes(ready_plan) == {}
    assert Report.objects.get(campaign=ready_plan, unit__code="D1C1").due_on == D(2020, 3, 15)


def test_a_district_cascades_its_own_plan(ready_plan, small_tree, levels, coordinator):
    services.publish(plan=ready_plan, by=coordinator)
    ready_plan.refresh_from_db()
    district_coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    child = services.cascade(parent=ready_plan, unit=small_tree["D1"], by=district_coordinator)

    assert child.parent == ready_plan
    assert child.number_symbol == "01-KH/HU"
    assert child.introduction.startswith("Thực hiện Kế hoạch số 279-KH/TU, ngày 25/02/2020")
    assert child.subjects.count() == 2
    parent_items = OutlineItem.objects.filter(plan=ready_plan).count()
    assert child.outline_items.filter(inherited_from__isnull=False).count() == parent_items
    # Its deadlines start at the parent's for the levels below it.
    assert {d.level.code: d.due_on for d in child.deadlines.select_related("level")} == {
        "co-so": D(2020, 3, 12)
    }
    child.issued_on = D(2020, 3, 2)
    child.save()

    # A district may add items but not drop the required ones it inherited.
    inherited = child.outline_items.filter(required=True, is_heading=False).first()
    with pytest.raises(outline.OutlineError):
        outline.delete_item(item=inherited)
    outline.add_item(plan=child, title="Nội dung riêng của huyện")

    # Deadlines later than the parent's are refused.
    with pytest.raises(services.PlanError) as error:
        services.set_deadlines(
            plan=child, deadlines=[services.DeadlineCheck(levels["co-so"], D(2020, 3, 20))]
        )
    assert "kế hoạch cấp trên" in " ".join(error.value.messages)
    services.set_deadlines(
        plan=child, deadlines=[services.DeadlineCheck(levels["co-so"], D(2020, 3, 8))]
    )
    child.participating_levels.set([levels["co-so"]])
    child.signer_name = "Nguyễn Văn A"
    child.save()

    services.publish(plan=child, by=district_coordinator)
    commune_report = Report.objects.get(campaign=ready_plan, unit=small_tree["D1C1"])
    assert commune_report.plan == child
    assert commune_report.due_on == D(2020, 3, 8)
    # The district still reports to the province under the parent plan.
    assert Report.objects.get(campaign=ready_plan, unit=small_tree["D1"]).plan == ready_plan
    assert Report.objects.filter(campaign=ready_plan).count() == 7

    status = {row["unit"].code: row["plan"] for row in services.children_status(ready_plan)}
    assert status == {"D1": child, "D2": None}


def test_cascading_twice_returns_the_same_draft(ready_plan, small_tree, coordinator):
    services.publish(plan=ready_plan, by=coordinator)
    ready_plan.refresh_from_db()
    first = services.cascade(parent=ready_plan, unit=small_tree["D1"], by=coordinator)
    assert services.cascade(parent=ready_plan, unit=small_tree["D1"], by=coordinator) == first


def test_a_cascade_goes_only_to_a_direct_participating_child(ready_plan, small_tree, coordinator):
    """Audit finding #16.11: a commune coordinator posted a cascade of the
    province's plan for a unit two levels below; the service refuses it."""
    services.publish(plan=ready_plan, by=coordinator)
    ready_plan.refresh_from_db()
    with pytest.raises(services.PlanError) as error:
        services.cascade(parent=ready_plan, unit=small_tree["D1C1"], by=coordinator)
    assert "Tỉnh ủy Gia Lai" in " ".join(error.value.messages)
    ready_plan.excluded_units.set([small_tree["D2"]])
    with pytest.raises(services.PlanError):
        services.cascade(parent=ready_plan, unit=small_tree["D2"], by=coordinator)
    # Nor is the excluded district offered the cascade on the plan's page.
    d2_coordinator = MembershipFactory(unit=small_tree["D2"], role=Role.COORDINATOR).user
    assert selectors.units_to_cascade(d2_coordinator, ready_plan) == []
    assert not ready_plan.children.exists()


def test_one_implementing_plan_per_unit_is_kept_by_the_database(
    ready_plan, small_tree, coordinator
):
    services.publish(plan=ready_plan, by=coordinator)
    ready_plan.refresh_from_db()
    first = services.cascade(parent=ready_plan, unit=small_tree["D1"], by=coordinator)
    second = services.new_plan(issuing_unit=small_tree["D1"])
    second.parent, second.summary = ready_plan, first.summary
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()


def test_only_a_published_plan_cascades(plan, small_tree, coordinator):
    with pytest.raises(services.PlanError):
        services.cascade(parent=plan, unit=small_tree["D1"], by=coordinator)


def test_it_copies_a_previous_plan_into_a_new_draft(ready_plan, small_tree, coordinator):
    copy = services.copy_plan(source=ready_plan, issuing_unit=small_tree["P"], by=coordinator)
    assert copy.status == PlanStatus.DRAFT
    assert copy.pk != ready_plan.pk
    assert copy.summary == ready_plan.summary
    assert copy.outline_items.count() == ready_plan.outline_items.count()
    assert copy.outline_items.filter(inherited_from__isnull=False).count() == 0
    assert not copy.deadlines.exists()


def test_a_user_sees_plans_of_their_subtree_and_published_plans_above(
    ready_plan, small_tree, coordinator
):
    district_plan = PlanFactory(
        issuing_unit=small_tree["D2"],
        number=5,
        place_name="Chư Sê",
        issued_on=D(2020, 3, 1),
        summary="sơ kết riêng",
    )
    commune_user = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    assert list(selectors.plans_visible_to(commune_user)) == []  # draft above: hidden
    services.publish(plan=ready_plan, by=coordinator)
    assert list(selectors.plans_visible_to(commune_user)) == [ready_plan]
    d2_user = MembershipFactory(unit=small_tree["D2"], role=Role.VIEWER).user
    assert set(selectors.plans_visible_to(d2_user)) == {ready_plan, district_plan}
    assert not can(commune_user, "campaigns.manage_plan", ready_plan)
    assert can(coordinator, "campaigns.manage_plan", district_plan)
    assert not can(UserFactory(), "campaigns.manage_plan", ready_plan)


def test_levels_are_data(levels):
    assert Level.objects.count() == 5
