"""Units added to the tree after a plan was published join it (and leave it).

The province publishes; a commune imported later has no report until a
coordinator adds it; the change is a revision of the plan that keeps the
outline and deadlines. A unit whose report has not been started may leave.
"""

import datetime

import pytest
from django.urls import reverse

from campaigns import outline, selectors, services
from campaigns.models import PlanRevision
from notifications.models import Notification
from orgunits.models import Role
from reports.models import Answer, Report
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def province_coordinator(published_plan):
    return published_plan.revisions.get().published_by


@pytest.fixture
def late_commune(published_plan, small_tree, levels):
    """A commune imported under D1 after the plan was published."""
    return add_unit(small_tree["D1"], "D1C9", levels["co-so"], name="Đảng ủy xã Mới Lập")


def test_a_unit_added_after_publication_is_not_in_the_plan_until_it_joins(
    published_plan, late_commune, province_coordinator
):
    member = MembershipFactory(unit=late_commune, role=Role.REPORTER).user
    assert not Report.objects.filter(unit=late_commune).exists()
    assert list(selectors.newcomers(published_plan)) == [late_commune]
    before = published_plan.revisions.get()

    revision = services.change_participants(
        plan=published_plan, by=province_coordinator, add=[late_commune], note="Xã mới thành lập."
    )

    report = Report.objects.get(campaign=published_plan, unit=late_commune)
    assert report.plan == published_plan
    assert report.due_on == published_plan.deadlines.get(level=late_commune.level).last_day
    assert revision.number == before.number + 1
    assert revision.units_added == [{"code": "D1C9", "name": "Đảng ủy xã Mới Lập"}]
    assert "Đảng ủy xã Mới Lập (D1C9)" in revision.note
    assert "Xã mới thành lập." in revision.note
    # What the units were given does not change.
    assert revision.outline == before.outline
    assert revision.deadlines == before.deadlines
    assert Notification.objects.filter(user=member).exists()
    assert not selectors.newcomers(published_plan).exists()


def test_a_unit_below_a_district_plan_joins_under_the_district_plan(
    published_plan, small_tree, levels, province_coordinator
):
    district = small_tree["D1"]
    district_coordinator = MembershipFactory(unit=district, role=Role.COORDINATOR).user
    child = services.cascade(parent=published_plan, unit=district, by=district_coordinator)
    child.signer_name = "Nguyễn Văn A"
    child.issued_on = published_plan.issued_on
    child.save()
    child.participating_levels.set([levels["co-so"]])
    earlier = published_plan.deadlines.get(level=levels["co-so"]).last_day - datetime.timedelta(3)
    services.set_deadlines(plan=child, deadlines=[services.DeadlineCheck(levels["co-so"], earlier)])
    services.publish(plan=child, by=district_coordinator)
    commune = add_unit(district, "D1C8", levels["co-so"], name="Đảng ủy thị trấn Mới")

    # The province's coordinator adds it: the district's plan governs it.
    services.change_participants(plan=published_plan, by=province_coordinator, add=[commune])

    report = Report.objects.get(campaign=published_plan, unit=commune)
    assert report.plan == child
    assert report.due_on == earlier
    # Nothing else moved.
    assert Report.objects.filter(
        campaign=published_plan, unit=small_tree["D1C1"], plan=child
    ).exists()


def test_an_unstarted_unit_leaves_and_its_empty_report_is_withdrawn(
    published_plan, small_tree, province_coordinator
):
    commune = small_tree["D2C2"]
    services.change_participants(plan=published_plan, by=province_coordinator, remove=[commune])

    assert not Report.objects.filter(unit=commune).exists()
    assert commune in published_plan.excluded_units.all()
    assert commune not in selectors.participants(published_plan)
    revision = published_plan.revisions.order_by("-number").first()
    assert revision.units_removed == [{"code": "D2C2", "name": commune.name}]
    # It may come back: it is offered again, and joins with a new report.
    assert commune in selectors.newcomers(published_plan)
    services.change_participants(plan=published_plan, by=province_coordinator, add=[commune])
    assert Report.objects.filter(unit=commune, campaign=published_plan).exists()
    assert commune not in published_plan.excluded_units.all()


def test_a_unit_that_started_its_report_cannot_leave(
    published_plan, small_tree, province_coordinator, commune_report
):
    item = next(i for i in published_plan.outline_items.all() if i.is_answerable)
    Answer.objects.create(report=commune_report, item=item, text="Đã viết.")
    revisions = PlanRevision.objects.filter(plan=published_plan).count()

    with pytest.raises(services.PlanError) as error:
        services.change_participants(
            plan=published_plan, by=province_coordinator, remove=[small_tree["D1C1"]]
        )

    assert "Đảng ủy xã D1C1" in error.value.messages[0]
    assert Report.objects.filter(pk=commune_report.pk).exists()
    assert small_tree["D1C1"] not in published_plan.excluded_units.all()
    assert PlanRevision.objects.filter(plan=published_plan).count() == revisions


def test_a_district_that_left_takes_its_communes_along_only_when_none_started(
    published_plan, small_tree, province_coordinator, commune_report
):
    item = next(i for i in published_plan.outline_items.all() if i.is_answerable)
    Answer.objects.create(report=commune_report, item=item, text="Đã viết.")
    with pytest.raises(services.PlanError):
        services.change_participants(
            plan=published_plan, by=province_coordinator, remove=[small_tree["D1"]]
        )
    services.change_participants(
        plan=published_plan, by=province_coordinator, remove=[small_tree["D2"]]
    )
    assert not Report.objects.filter(unit__path__startswith=small_tree["D2"].path).exists()


def test_units_cannot_join_while_changes_wait_to_be_published(
    published_plan, late_commune, province_coordinator
):
    first = next(i for i in published_plan.outline_items.all() if i.is_answerable)
    outline.add_item(plan=published_plan, after=first, numbering="9.", title="Mục mới")
    with pytest.raises(services.PlanError) as error:
        services.change_participants(
            plan=published_plan, by=province_coordinator, add=[late_commune]
        )
    assert "công bố" in error.value.messages[0]
    assert not Report.objects.filter(unit=late_commune).exists()


def test_only_the_plans_coordinators_change_its_units(published_plan, late_commune, people):
    from django.core.exceptions import PermissionDenied

    for who in ("district_coordinator", "reporter"):
        with pytest.raises(PermissionDenied):
            services.change_participants(plan=published_plan, by=people[who], add=[late_commune])
    assert not Report.objects.filter(unit=late_commune).exists()


def test_a_unit_outside_the_plan_cannot_be_added(published_plan, levels, province_coordinator):
    elsewhere = add_unit(None, "Q", levels["tinh"], name="Tỉnh ủy khác")
    stranger = add_unit(elsewhere, "QD", levels["huyen"], name="Huyện ủy khác")
    with pytest.raises(services.PlanError):
        services.change_participants(plan=published_plan, by=province_coordinator, add=[stranger])
    assert not Report.objects.filter(unit=stranger).exists()


def test_the_page_adds_a_unit_and_the_plan_page_tells_of_newcomers(
    client, published_plan, late_commune, province_coordinator
):
    client.force_login(province_coordinator)
    detail = client.get(published_plan.get_absolute_url())
    assert b'data-testid="newcomers"' in detail.content
    url = reverse("campaigns:participants", args=[published_plan.pk])
    page = client.get(url)
    assert "Đảng ủy xã Mới Lập" in page.content.decode()

    response = client.post(url, {"action": "add", "add-units": [late_commune.pk], "add-note": ""})

    assert response.status_code == 302
    assert Report.objects.filter(unit=late_commune).exists()
    page = client.get(url)
    assert "Đảng ủy xã Mới Lập (D1C9)" in page.content.decode()  # the revision's note


@pytest.mark.parametrize("value", ["abc", "999999", "1e9", "\x00"])
def test_the_page_refuses_bad_ids_with_a_message(
    client, published_plan, province_coordinator, value
):
    client.force_login(province_coordinator)
    reports = Report.objects.filter(campaign=published_plan).count()
    url = reverse("campaigns:participants", args=[published_plan.pk])
    response = client.post(url, {"action": "remove", "remove-units": [value]})
    if value == "\x00":  # refused before the view (config.middleware.RefuseNulMiddleware)
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert response.context["remove_form"].errors["units"]
    assert Report.objects.filter(campaign=published_plan).count() == reports


def test_the_page_is_closed_to_others(client, published_plan, people):
    url = reverse("campaigns:participants", args=[published_plan.pk])
    for who in ("district_coordinator", "reporter", "other_district"):
        client.force_login(people[who])
        assert client.get(url).status_code in (403, 404)
        assert client.post(url, {"action": "add"}).status_code in (403, 404)


def test_the_page_runs_the_same_queries_for_3_and_30_newcomers(
    client, published_plan, small_tree, levels, province_coordinator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(province_coordinator)
    url = reverse("campaigns:participants", args=[published_plan.pk])
    counts = []
    for start, count in ((0, 3), (3, 27)):
        for n in range(start, start + count):
            add_unit(small_tree["D2"], f"N{n}", levels["co-so"], name=f"Xã mới {n}")
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert page.content.decode().count('name="add-units"') == start + count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_unit_formed_by_a_merger_is_not_offered_to_join(
    published_plan, small_tree, levels, province_coordinator
):
    """Its predecessors' reports count for it: a report of its own would count them twice."""
    from orgunits.mergers import merge_units

    merged = merge_units(
        units=[small_tree["D2C1"], small_tree["D2C2"]],
        name="Đảng ủy xã Hợp Nhất",
        code="D2C9",
        on=datetime.date.today(),
        by=province_coordinator,
    )
    assert not selectors.newcomers(published_plan).filter(pk=merged.resulting_unit_id).exists()
