"""Since 1 July 2025 (issue #15): a province's campaign goes straight to its
communes, and communes merged during a campaign keep their reports under the
names they had and count once in the roll-up (``orgunits.mergers``)."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import services as plan_services
from campaigns.models import AnswerType
from chasing import board
from chasing import services as chasing_services
from consolidation import documents as consolidated
from consolidation import rollup
from documents.html import render_html
from notifications.models import Notification
from orgunits.mergers import MergerError, merge_units
from orgunits.models import OrgUnit, Role, UnitMerger
from reports import documents as report_documents
from reports import services
from reports.models import Answer, Report, ReportStatus
from reports.selectors import items_for_unit, reports_to_write
from reports.services import open_reports
from tests.factories import MembershipFactory, PlanFactory, add_unit, set_answer_type
from tests.reports.test_workflow import fill_required

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PROVINCES = itertools.count()


def two_level_campaign(levels, communes: int):
    """A province of ``communes`` communes right under it (no district), one
    with a chi bộ below; a seed 000 plan to the communes, published."""
    n = next(PROVINCES)
    province = add_unit(None, f"Q{n}", levels["tinh"], name=f"Tỉnh ủy Quảng Trị {n}", symbol="TU")
    units = [
        add_unit(province, f"Q{n}X{i}", levels["co-so"], name=f"Đảng ủy xã Cũ {n}-{i}", symbol="ĐU")
        for i in range(communes)
    ]
    add_unit(units[0], f"Q{n}X0CB", levels["chi-bo"], name="Chi bộ thôn 1")
    today = timezone.localdate()
    coordinator = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan = PlanFactory(
        issuing_unit=province,
        seed000=True,
        issued_on=today - 10 * DAY,
        levels=["co-so"],
        deadlines={"co-so": today + 5 * DAY},
    )
    count = set_answer_type(plan, "1.1.", AnswerType.INTEGER)
    plan_services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    return province, units, plan, count, coordinator


def report_with(plan, unit, count, figure, *, accept_by=None):
    """The unit's report answered (``figure`` for the count), submitted by its
    approver and, given ``accept_by``, accepted."""
    report = Report.objects.get(campaign=plan, unit=unit)
    approver = MembershipFactory(unit=unit, role=Role.APPROVER).user
    fill_required(report, approver)
    Answer.objects.filter(report=report, item=count).update(number=figure)
    if not Answer.objects.filter(report=report, item=count).exists():
        Answer.objects.create(report=report, item=count, number=figure, version=1)
    services.submit(report=report, rows=items_for_unit(report), by=approver)
    if accept_by is not None:
        services.accept(report=report, by=accept_by)
    report.refresh_from_db()
    return report


def direct_total(plan, province, count) -> Decimal:
    figures = rollup.totals(plan=plan, unit=province)
    return figures[count.pk].direct.total if count.pk in figures else Decimal(0)


# --- Two levels, end to end -------------------------------------------------


def test_a_two_level_campaign_goes_from_the_province_to_the_communes(levels):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=5)
    reports = Report.objects.filter(campaign=plan)
    # The communes and the province's own (consolidated) report; no district, no chi bộ.
    assert {r.unit.level.code for r in reports} == {"co-so", "tinh"}
    assert reports.count() == 6
    figures = [4, 0, 7, 12, 5]
    for unit, figure in zip(units, figures, strict=True):
        report_with(plan, unit, count, figure, accept_by=coordinator)
    totals = rollup.totals(plan=plan, unit=province)[count.pk]
    assert totals.direct.total == Decimal(sum(figures))
    assert totals.leaves.total == Decimal(sum(figures))

    own = Report.objects.get(campaign=plan, unit=province)
    result = rollup.build(plan=plan, unit=province)
    assert [node.name for node in result.tree.direct] == [u.name for u in units]
    html = render_html(consolidated.consolidated_document(own, result))
    assert "Tổng cộng" in html
    for unit in units:
        assert unit.name in html
    assert "Huyện" not in html


# --- Mergers ----------------------------------------------------------------


def test_a_merger_in_mid_campaign_keeps_the_reports_and_counts_them_once(levels):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=4)
    for unit, figure in zip(units[:3], [3, 4, 6], strict=True):
        report_with(plan, unit, count, figure, accept_by=coordinator)
    before = direct_total(plan, province, count)
    assert before == 13
    old_names = [units[0].name, units[1].name]

    merger = merge_units(
        units=units[:2], name="Đảng ủy xã Mới Hợp Nhất", on=timezone.localdate(), by=coordinator
    )
    new = merger.resulting_unit
    assert set(merger.merged_units.all()) == set(units[:2])
    for unit in units[:2]:
        unit.refresh_from_db()
        assert not unit.is_active
        assert unit.successor == new
        assert unit.valid_to == timezone.localdate()
    assert new.parent_path() == province.path
    assert new.is_active

    assert direct_total(plan, province, count) == before
    # A revision opens no second report for the merged area.
    open_reports(plan)
    assert not Report.objects.filter(campaign=plan, unit=new).exists()
    assert direct_total(plan, province, count) == before

    # Renamed later by mistake: the reports keep the names the units had.
    OrgUnit.objects.filter(pk=units[0].pk).update(name="Tên khác")
    report = Report.objects.get(campaign=plan, unit=units[0])
    assert report.unit_label == old_names[0]
    text = render_html(report_documents.build(report))
    assert f"{old_names[0]} báo cáo kết quả như sau" in text
    own = Report.objects.get(campaign=plan, unit=province)
    result = rollup.build(plan=plan, unit=province)
    html = render_html(consolidated.consolidated_document(own, result))
    for name in old_names:
        assert name in html
    assert "Tên khác" not in html
    assert "Mới Hợp Nhất" not in html  # the new unit has no report of its own here


def test_the_resulting_unit_takes_over_a_report_not_yet_submitted(client, levels):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=3)
    merger = merge_units(
        units=units[:2], name="Đảng ủy xã Hợp Nhất", on=timezone.localdate(), by=coordinator
    )
    approver = MembershipFactory(unit=merger.resulting_unit, role=Role.APPROVER).user
    left = Report.objects.get(campaign=plan, unit=units[1])
    assert left in reports_to_write(approver)
    client.force_login(approver)
    assert client.get(reverse("reports:detail", args=[left.pk])).status_code == 200
    fill_required(left, approver)
    services.submit(report=left, rows=items_for_unit(left), by=approver)
    left.refresh_from_db()
    assert left.status == ReportStatus.SUBMITTED
    assert left.unit == units[1]  # still the merged commune's report
    # Someone of a commune that was not merged into it does not.
    stranger = MembershipFactory(unit=units[2], role=Role.APPROVER).user
    client.force_login(stranger)
    assert client.get(reverse("reports:detail", args=[left.pk])).status_code == 404


def test_a_merged_units_reminders_reach_the_unit_that_took_it_over(
    levels, django_capture_on_commit_callbacks
):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=3)
    today = timezone.localdate()
    merger = merge_units(units=units[:2], name="Đảng ủy xã Hợp Nhất", on=today, by=None)
    reporter = MembershipFactory(unit=merger.resulting_unit, role=Role.REPORTER).user
    now = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(9)))
    with django_capture_on_commit_callbacks(execute=True):
        result = chasing_services.sweep(now=now)
    assert result.reminders
    told = Notification.objects.filter(user=reporter, kind="reminder").count()
    assert told == 2  # the two merged communes' reports, not yet submitted
    assert chasing_services.units_with_people([units[0].pk, units[2].pk]) == {units[0].pk}


def test_the_board_notes_the_merged_units(client, levels):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=3)
    merge_units(units=units[:2], name="Đảng ủy xã Hợp Nhất", on=timezone.localdate(), by=None)
    rows = {row.unit.code: row for row in board.board_rows(coordinator, plan)}
    assert rows[units[0].code].merged_note.startswith("đã hợp nhất vào Đảng ủy xã Hợp Nhất")
    assert rows[units[2].code].merged_note == ""
    client.force_login(coordinator)
    html = client.get(reverse("chasing:board", args=[plan.pk])).content.decode()
    assert html.count('data-testid="merged-note"') == 2


def test_merging_into_an_existing_commune_keeps_it(levels):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=3)
    for unit, figure in zip(units, [2, 5, 9], strict=True):
        report_with(plan, unit, count, figure, accept_by=coordinator)
    merger = merge_units(units=units[:2], into=units[0], on=timezone.localdate(), by=coordinator)
    units[0].refresh_from_db()
    units[1].refresh_from_db()
    assert units[0].is_active
    assert units[1].successor == units[0]
    assert list(merger.merged_units.all()) == [units[1]]
    assert direct_total(plan, province, count) == 16


@pytest.mark.parametrize(
    "case",
    ["one unit", "both ways", "different parents", "twice", "not allowed"],
)
def test_a_merger_that_makes_no_sense_is_refused(levels, small_tree, case):
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=3)
    today = timezone.localdate()
    if case == "one unit":
        with pytest.raises(MergerError):
            merge_units(units=units[:1], name="X", on=today, by=None)
    elif case == "both ways":
        with pytest.raises(MergerError):
            merge_units(units=units[:2], into=units[2], name="X", on=today, by=None)
    elif case == "different parents":
        with pytest.raises(MergerError):
            merge_units(units=[units[0], small_tree["D1C1"]], name="X", on=today, by=None)
    elif case == "twice":
        merge_units(units=units[:2], name="Xã Một", on=today, by=None)
        units[0].refresh_from_db()
        with pytest.raises(MergerError):
            merge_units(units=[units[0], units[2]], name="Xã Hai", on=today, by=None)
    else:
        reporter = MembershipFactory(unit=units[0], role=Role.REPORTER).user
        with pytest.raises(PermissionDenied):
            merge_units(units=units[:2], name="X", on=today, by=reporter)
    assert UnitMerger.objects.count() == (1 if case == "twice" else 0)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    figures=st.lists(st.integers(min_value=0, max_value=500), min_size=3, max_size=6),
    data=st.data(),
)
def test_totals_are_the_same_before_and_after_a_merger(levels, figures, data):
    """Random figures, random reports accepted, two random communes merged
    (into a new unit or into one of them): the province's totals do not move,
    and equal the sum of the accepted communes' figures."""
    province, units, plan, count, coordinator = two_level_campaign(levels, communes=len(figures))
    accepted = data.draw(st.lists(st.booleans(), min_size=len(figures), max_size=len(figures)))
    for unit, figure, is_accepted in zip(units, figures, accepted, strict=True):
        if is_accepted:
            report_with(plan, unit, count, figure, accept_by=coordinator)
    expected = sum(f for f, a in zip(figures, accepted, strict=True) if a)
    before = direct_total(plan, province, count)
    assert before == expected
    pair = data.draw(st.lists(st.sampled_from(units), min_size=2, max_size=2, unique=True))
    if data.draw(st.booleans(), label="into one of them"):
        merge_units(units=pair, into=pair[0], on=timezone.localdate(), by=coordinator)
    else:
        merge_units(units=pair, name="Đảng ủy xã Mới", on=timezone.localdate(), by=coordinator)
    open_reports(plan)  # as a revision of the plan would
    assert direct_total(plan, province, count) == before
    assert rollup.totals(plan=plan, unit=province).get(count.pk) is None or (
        rollup.totals(plan=plan, unit=province)[count.pk].leaves.total == before
    )


# --- The demo ---------------------------------------------------------------


def test_the_2025_demo_loads_twice_beside_the_first_and_its_board_renders(client, levels):
    call_command("load_demo", verbosity=0)
    call_command("load_demo_2025", verbosity=0)
    call_command("load_demo_2025", verbosity=0)
    province = OrgUnit.objects.get(code="DL")
    assert OrgUnit.objects.filter(code="GL").exists()
    communes = OrgUnit.objects.within([province.path]).filter(level__code="co-so")
    assert 20 <= communes.count() <= 40
    assert not OrgUnit.objects.within([province.path]).filter(level__code="huyen").exists()
    assert UnitMerger.objects.filter(resulting_unit__code="DL.EANUOL").count() == 1
    plan = province.plans.get()
    assert Report.objects.filter(campaign=plan, status=ReportStatus.ACCEPTED).exists()
    assert not Report.objects.filter(campaign=plan, unit__code="DL.EANUOL").exists()
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="dl.dieuphoi")
    assert (user.first_name, user.last_name) == ("Y Thanh Niê", "")
    client.force_login(user)
    response = client.get(reverse("chasing:board", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "đã hợp nhất vào Đảng ủy xã Ea Nuôl" in html
    assert "Đảng ủy xã Buôn Đôn" in html
