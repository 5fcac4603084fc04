"""A parent plan amended after a district cascaded it: the cascade holds.

Province publishes → the district cascades with earlier deadlines and
publishes → the province revises its outline and a deadline. The communes
stay with the district, its dates and its board; the district is handed the
change, adopts it and publishes its own revision.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import outline, selectors, services, upstream
from campaigns.models import UpstreamChange
from chasing.board import plan_reports
from notifications.models import Notification
from orgunits.models import Role
from reports.models import Answer, Report
from reports.selectors import items_for_unit
from reports.services import move_answers_to_plan
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory, add_unit

pytestmark = pytest.mark.django_db

D = datetime.date
NEW_ITEM = "Số đảng viên tham gia đối thoại"
DISTRICT_GRASSROOTS = D(2020, 3, 8)  # before the province's 12/3
REVISED_GRASSROOTS = D(2020, 3, 6)  # the province's new date: earlier than the district's


def member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


def publish_province(unit, levels, by, *, number=279):
    plan = seed000_plan(unit, number=number)
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    services.publish(plan=plan, by=by)
    plan.refresh_from_db()
    return plan


def publish_district(parent, unit, levels, by, *, grassroots=DISTRICT_GRASSROOTS):
    child = services.cascade(parent=parent, unit=unit, by=by)
    child.issued_on = D(2020, 3, 2)
    child.signer_name = "Nguyễn Văn A"
    child.save()
    child.participating_levels.set([levels["co-so"]])
    services.set_deadlines(
        plan=child, deadlines=[services.DeadlineCheck(levels["co-so"], grassroots)]
    )
    services.publish(plan=child, by=by)
    child.refresh_from_db()
    return child


def item(plan, numbering):
    return plan.outline_items.get(numbering=numbering)


def revise_province(plan, levels, by, *, grassroots=REVISED_GRASSROOTS):
    """A new item 1.4., a changed title for 2.1., 2.3. removed, an earlier
    grassroots deadline."""
    outline.add_item(
        plan=plan, after=item(plan, "1.3."), numbering="1.4.", title=NEW_ITEM, answer_type="integer"
    )
    changed = item(plan, "2.1.")
    changed.title = "Đánh giá việc triển khai thực hiện ở cơ sở."
    changed.save()
    outline.delete_item(item=item(plan, "2.3."))
    services.set_deadlines(
        plan=plan,
        deadlines=[
            services.DeadlineCheck(levels["co-so"], grassroots),
            services.DeadlineCheck(levels["huyen"], D(2020, 3, 24)),
            services.DeadlineCheck(levels["tinh"], D(2020, 3, 31)),
        ],
    )
    return services.publish_revision(plan=plan, by=by, note="Bổ sung mục 1.4.")


@pytest.fixture
def people(small_tree):
    return {
        "province": member(small_tree["P"], Role.COORDINATOR),
        "district": member(small_tree["D1"], Role.COORDINATOR),
        "commune": member(small_tree["D1C1"], Role.APPROVER),
        "other_commune": member(small_tree["D2C1"], Role.REPORTER),
    }


@pytest.fixture
def cascade(small_tree, levels, people):
    province = publish_province(small_tree["P"], levels, people["province"])
    district = publish_district(province, small_tree["D1"], levels, people["district"])
    return province, district


def test_a_parent_revision_leaves_the_reports_of_the_cascade_where_they_are(
    cascade, small_tree, levels, people
):
    province, district = cascade
    revise_province(province, levels, people["province"])

    for code in ("D1C1", "D1C2"):
        report = Report.objects.get(campaign=province, unit__code=code)
        assert (report.plan, report.due_on) == (district, D(2020, 3, 8))
    # What the province governs follows its revision.
    assert Report.objects.get(campaign=province, unit__code="D2C1").due_on == D(2020, 3, 6)
    assert Report.objects.get(campaign=province, unit__code="D1").plan == province
    # The district's own plan is untouched, and its board still has its units.
    assert {d.level.code: d.due_on for d in district.deadlines.select_related("level")} == {
        "co-so": D(2020, 3, 8)
    }
    assert set(plan_reports(district).values_list("unit__code", flat=True)) == {"D1C1", "D1C2"}
    # The units of the district hear from the district, not from the province.
    revised = Notification.objects.filter(kind="plan_revised")
    assert revised.filter(user=people["other_commune"]).exists()
    assert not revised.filter(user=people["commune"]).exists()
    assert Notification.objects.filter(user=people["district"], kind="parent_plan_revised").exists()


def test_the_district_adopts_the_change_and_publishes_its_own_revision(
    cascade, small_tree, levels, people, client
):
    province, district = cascade
    revise_province(province, levels, people["province"])

    notice = upstream.notice(district)
    assert [entry["title"] for entry in notice.changes["added"]] == [NEW_ITEM]
    assert [c["new"]["numbering"] for c in notice.changes["changed"]] == ["2.1."]
    assert [entry["numbering"] for entry in notice.changes["removed"]] == ["2.3."]
    deadline = notice.changes["deadlines"][0]
    assert (deadline["old"], deadline["new"]) == ("2020-03-12", "2020-03-06")
    # The province's new date is earlier than the district's: it must move.
    assert len(notice.conflicts) == 1
    assert "08/3/2020" in notice.conflicts[0]
    client.force_login(people["district"])
    page = client.get(district.get_absolute_url()).content.decode()
    assert "Cấp trên đã sửa đổi kế hoạch" in page
    assert 'data-testid="adopt"' in page

    response = client.post(reverse("campaigns:adopt", args=[district.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "campaigns:compose", args=[district.pk, "preview"]
    )
    assert upstream.notice(district) is None
    copy = district.outline_items.get(title=NEW_ITEM)
    original = province.outline_items.get(title=NEW_ITEM)
    assert copy.inherited_from == original
    assert copy.key == original.key
    assert copy.parent == district.outline_items.get(inherited_from=item(province, "1."))
    assert [row.item.numbering for row in selectors.outline_rows(district)][:5] == [
        "1.",
        "1.1.",
        "1.2.",
        "1.3.",
        "1.4.",
    ]
    assert item(district, "2.1.").title == "Đánh giá việc triển khai thực hiện ở cơ sở."
    kept = item(district, "2.3.")  # no longer asked by the province: the district's own now
    assert kept.inherited_from is None
    assert not kept.is_locked_by_parent_plan
    # Adopting again changes nothing.
    assert upstream.adopt(plan=district, by=people["district"]).added == []

    with pytest.raises(services.PlanError):  # its grassroots deadline is still 8/3
        services.publish_revision(plan=district, by=people["district"])
    services.set_deadlines(
        plan=district, deadlines=[services.DeadlineCheck(levels["co-so"], D(2020, 3, 5))]
    )
    services.publish_revision(plan=district, by=people["district"])

    report = Report.objects.get(campaign=province, unit=small_tree["D1C1"])
    assert (report.plan, report.due_on) == (district, D(2020, 3, 5))
    rows = items_for_unit(report)
    assert NEW_ITEM in [row.item.title for row in rows]

    for row in rows:
        if row.item.required and not row.item.is_heading:
            Answer.objects.create(report=report, item=row.item, text="Có", number=1)
    client.force_login(people["commune"])
    response = client.post(reverse("reports:submit", args=[report.pk]), follow=True)
    assert "Đã nộp báo cáo về Huyện ủy D1" in response.content.decode()
    submitted = Notification.objects.filter(kind="report_submitted")
    assert submitted.filter(user=people["district"]).exists()
    assert not submitted.filter(user=people["province"]).exists()


def test_revisions_before_an_adoption_make_one_pending_change(cascade, levels, people):
    province, district = cascade
    revise_province(province, levels, people["province"])
    outline.add_item(plan=province, title="Kiến nghị, đề xuất")
    services.publish_revision(plan=province, by=people["province"])

    change = UpstreamChange.objects.get(plan=district)
    assert (change.base.number, change.revision.number) == (1, 3)
    titles = [entry["title"] for entry in upstream.notice(district).changes["added"]]
    assert titles == [NEW_ITEM, "Kiến nghị, đề xuất"]


def test_a_unit_that_newly_takes_part_reports_under_the_plan_that_covers_it(
    cascade, small_tree, levels, people
):
    province, district = cascade
    newcomers = {
        "D1C3": add_unit(small_tree["D1"], "D1C3", levels["co-so"]),
        "D2C3": add_unit(small_tree["D2"], "D2C3", levels["co-so"]),
    }
    revise_province(province, levels, people["province"])

    under_district = Report.objects.get(campaign=province, unit=newcomers["D1C3"])
    assert (under_district.plan, under_district.due_on) == (district, D(2020, 3, 8))
    under_province = Report.objects.get(campaign=province, unit=newcomers["D2C3"])
    assert (under_province.plan, under_province.due_on) == (province, D(2020, 3, 6))


def _revision_queries(province, levels, by) -> int:
    with CaptureQueriesContext(connection) as queries:
        revise_province(province, levels, by)
    start = next(
        i for i, q in enumerate(queries.captured_queries) if "campaigns_planrevision" in q["sql"]
    )
    # From publish_revision's first read of the revisions on.
    return len(queries.captured_queries) - start


def test_publish_revision_runs_the_same_queries_for_a_small_and_a_larger_tree(
    small_tree, levels, people
):
    province = publish_province(small_tree["P"], levels, people["province"])
    publish_district(province, small_tree["D1"], levels, people["district"])
    add_unit(small_tree["D2"], "N1", levels["co-so"])
    small = _revision_queries(province, levels, people["province"])

    for i in range(30):
        unit = add_unit(small_tree["D2" if i % 3 else "D1"], f"X{i}", levels["co-so"])
        MembershipFactory(unit=unit, role=Role.REPORTER)
    larger = publish_province(small_tree["P"], levels, people["province"], number=300)
    publish_district(larger, small_tree["D1"], levels, people["district"])
    add_unit(small_tree["D1"], "N2", levels["co-so"])
    assert Report.objects.filter(campaign=larger).count() == 38  # 1 + 2 + 35 communes
    assert _revision_queries(larger, levels, people["province"]) == small
    assert Report.objects.get(campaign=larger, unit__code="N2").plan.parent == larger


def test_adopting_keeps_the_districts_own_items(cascade, small_tree, levels, people):
    province, district = cascade
    own = outline.add_item(plan=district, after=item(district, "1.3."), title="Nội dung riêng")
    revise_province(province, levels, people["province"])
    upstream.adopt(plan=district, by=people["district"])
    titles = [row.item.title for row in selectors.outline_rows(district)]
    # The province's 1.4. follows its 1.3.; what the district added there comes after.
    assert titles.index(item(district, "1.3.").title) + 1 == titles.index(NEW_ITEM)
    assert titles.index(NEW_ITEM) + 1 == titles.index(own.title)
    report = Report.objects.get(campaign=province, unit=small_tree["D1C1"])
    assert own.pk in [row.item.pk for row in items_for_unit(report)]


def _answer_everything(plan, units):
    item = plan.outline_items.filter(is_heading=False).order_by("position").first()
    for report in Report.objects.filter(campaign=plan, unit__in=units):
        Answer.objects.create(report=report, item=item, text="<div>Đã triển khai.</div>", version=1)
    return item


def test_answers_given_before_the_district_published_move_to_its_plan(small_tree, levels, people):
    """A commune that started under the province's plan finds its answers in
    the district's form; moving them costs the same queries for more units."""
    for i in range(8):
        add_unit(small_tree["D2"], f"D2X{i}", levels["co-so"])
    province = publish_province(small_tree["P"], levels, people["province"])
    communes = Report.objects.filter(campaign=province, unit__level=levels["co-so"])
    item = _answer_everything(province, communes.values("unit"))
    districts = [
        publish_district(province, small_tree[code], levels, people["district"])
        for code in ("D1", "D2")
    ]

    for code in ("D1C1", "D2X7"):
        report = Report.objects.get(campaign=province, unit__code=code)
        [answer] = report.answers.all()
        assert answer.item.plan == report.plan != province
        assert answer.item.key == item.key
    assert not Answer.objects.filter(item=item).exists()

    Answer.objects.update(item=item)  # as they were before the districts published
    counts = []
    for district in districts:
        with CaptureQueriesContext(connection) as queries:
            assert move_answers_to_plan(district) == district.reports.count()
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]  # 2 communes, 10 communes
