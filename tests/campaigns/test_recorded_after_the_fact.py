"""A campaign entered after it took place (issue #15): publishing asks, the
sweep chases nothing, the dates typed drive lateness and the documents."""

import datetime
import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import services as plan_services
from campaigns.models import PlanStatus
from chasing import board, tasks
from chasing import services as chasing_services
from chasing.chart import submissions_chart
from chasing.models import Reminder, ReminderKind
from notifications.models import Notification
from orgunits.models import Role
from reports import documents as report_documents
from reports import services
from reports.models import Report, ReportStatus, WorkflowError
from reports.selectors import DueRow, items_for_unit
from tests.campaigns.seeds import SEED000_DEADLINES
from tests.factories import MembershipFactory, PlanFactory, add_unit
from tests.reports.test_workflow import fill_required

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def coordinator(small_tree):
    return MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user


@pytest.fixture
def past_draft(small_tree):
    """Seed 000 of 2020, deadlines long past, ready to publish."""
    return PlanFactory(issuing_unit=small_tree["P"], seed000=True, deadlines=SEED000_DEADLINES)


@pytest.fixture
def recorded(past_draft, coordinator):
    plan_services.publish(plan=past_draft, by=coordinator, recorded_after_the_fact=True)
    past_draft.refresh_from_db()
    return past_draft


def _publish_url(plan):
    return reverse("campaigns:publish", args=[plan.pk])


# --- Publishing asks --------------------------------------------------------


def test_publishing_a_plan_with_past_deadlines_asks_first(client, past_draft, coordinator):
    client.force_login(coordinator)
    response = client.post(_publish_url(past_draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ghi lại đợt đã diễn ra" in html
    assert 'name="mode" value="recorded"' in html
    assert 'name="mode" value="live"' in html
    assert "12/3/2020" in html  # the grassroots deadline, flagged
    assert reverse("campaigns:compose", args=[past_draft.pk, "deadlines"]) in html
    past_draft.refresh_from_db()
    assert past_draft.status == PlanStatus.DRAFT


def test_recording_keeps_the_mode_in_the_plan_and_its_history(client, past_draft, coordinator):
    client.force_login(coordinator)
    response = client.post(_publish_url(past_draft), {"mode": "recorded"})
    assert response.status_code == 302
    past_draft.refresh_from_db()
    assert past_draft.status == PlanStatus.PUBLISHED
    assert past_draft.recorded_after_the_fact
    assert past_draft.history.filter(recorded_after_the_fact=True).exists()
    assert Report.objects.filter(campaign=past_draft).count() == 7  # P, D1, D2, 4 communes
    # Nobody is told to report on a campaign that took place.
    assert not Notification.objects.filter(kind="plan_published").exists()


def test_a_live_campaign_can_be_confirmed_and_is_chased(client, past_draft, coordinator):
    client.force_login(coordinator)
    client.post(_publish_url(past_draft), {"mode": "live"})
    past_draft.refresh_from_db()
    assert past_draft.status == PlanStatus.PUBLISHED
    assert not past_draft.recorded_after_the_fact
    assert tasks.sweep()["reminders"] > 0


def test_a_plan_whose_deadlines_are_all_ahead_publishes_without_asking(
    client, small_tree, coordinator
):
    today = timezone.localdate()
    plan = PlanFactory(
        issuing_unit=small_tree["P"],
        seed000=True,
        issued_on=today,
        deadlines={"co-so": today + 5 * DAY, "huyen": today + 9 * DAY, "tinh": today + 12 * DAY},
    )
    client.force_login(coordinator)
    assert client.post(_publish_url(plan)).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert not plan.recorded_after_the_fact


# --- Nothing is chased ------------------------------------------------------


def test_the_sweep_chases_nothing_for_a_recorded_campaign(recorded, small_tree):
    for unit in ("D1C1", "D2C2", "D1"):
        for role in (Role.REPORTER, Role.APPROVER):
            MembershipFactory(unit=small_tree[unit], role=role)
    Notification.objects.all().delete()
    result = tasks.sweep()
    assert result["reminders"] == 0
    assert result["escalations"] == 0
    assert not Reminder.objects.exists()
    assert not Notification.objects.exists()


def test_no_unit_of_a_recorded_campaign_can_be_chased_by_hand(recorded, coordinator):
    rows = board.board_rows(coordinator, recorded)
    assert rows
    assert not any(row.can_chase for row in rows)


def test_no_days_overdue_are_counted_for_a_recorded_campaign(
    client, recorded, coordinator, small_tree
):
    rows = board.board_rows(coordinator, recorded)
    overdue = [row for row in rows if row.timeliness == board.Timeliness.OVERDUE]
    assert overdue
    assert all(row.timeliness_note == "" for row in overdue)
    assert all(row.timeliness_label == "Không nộp đúng hạn" for row in overdue)
    report = Report.objects.get(campaign=recorded, unit=small_tree["D1C1"])
    row = DueRow.of(report, timezone.localdate())
    assert not row.is_overdue
    writer = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    client.force_login(writer)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "quá hạn" not in html.lower()
    inbox = client.get(reverse("reports:inbox")).content.decode()
    assert "quá hạn" not in inbox.lower()
    client.force_login(coordinator)
    page = client.get(reverse("chasing:board", args=[recorded.pk])).content.decode()
    # No count of overdue units or days (the filter keeps its "quá hạn" option).
    assert not re.search(r"\d+ quá hạn|quá hạn \d+|\d+ ngày", page.lower())
    assert "4 không nộp đúng hạn" in page  # the four communes


def test_a_closed_live_campaign_shows_its_outcome_not_a_growing_count(published_plan, small_tree):
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    published_plan.close()
    rows = board.board_rows(coordinator, published_plan)
    overdue = [row for row in rows if row.timeliness == board.Timeliness.OVERDUE]
    assert overdue
    assert all(row.timeliness_note == "" for row in overdue)


# --- The dates typed --------------------------------------------------------


def _submit(report, on):
    approver = MembershipFactory(unit=report.unit, role=Role.APPROVER).user
    fill_required(report, approver)
    services.submit(report=report, rows=items_for_unit(report), by=approver, on=on)
    report.refresh_from_db()
    return report


def test_the_typed_dates_drive_lateness_and_the_documents(recorded, small_tree):
    on_time = Report.objects.get(campaign=recorded, unit=small_tree["D1C1"])
    late = Report.objects.get(campaign=recorded, unit=small_tree["D1C2"])
    _submit(on_time, datetime.date(2020, 3, 10))
    _submit(late, datetime.date(2020, 3, 16))
    assert not on_time.is_late
    assert late.is_late
    assert timezone.localdate(on_time.submitted_at) == datetime.date(2020, 3, 10)
    assert on_time.issued_on == datetime.date(2020, 3, 10)
    assert on_time.term.starts_on <= datetime.date(2020, 3, 10) <= on_time.term.ends_on
    doc = report_documents.build(on_time)
    assert doc.place_date.endswith("ngày 10 tháng 3 năm 2020")
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    rows = {row.unit.code: row for row in board.board_rows(coordinator, recorded)}
    assert rows["D1C1"].timeliness == board.Timeliness.ON_TIME
    assert rows["D1C2"].timeliness == board.Timeliness.LATE
    # Nobody above is told of a submission typed after the fact.
    assert not Notification.objects.filter(kind="report_submitted").exists()

    services.accept(report=on_time, by=coordinator, on=datetime.date(2020, 3, 14))
    on_time.refresh_from_db()
    assert on_time.status == ReportStatus.ACCEPTED
    assert timezone.localdate(on_time.reviewed_at) == datetime.date(2020, 3, 14)
    assert not Notification.objects.filter(kind="report_accepted").exists()


def test_an_undated_report_of_a_recorded_campaign_is_dated_in_its_time(recorded, small_tree):
    report = Report.objects.get(campaign=recorded, unit=small_tree["D2C1"])
    assert report.document_date == datetime.date(2020, 3, 12)
    own = Report.objects.get(campaign=recorded, unit=small_tree["P"])
    assert report_documents.build(own).place_date.endswith("ngày 31 tháng 3 năm 2020")


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (None, "Hãy nhập ngày"),
        (datetime.date(2020, 2, 1), "không thể trước ngày 25/02/2020"),
        (timezone.localdate() + DAY, "không thể ở tương lai"),
    ],
)
def test_a_bad_date_is_refused_in_vietnamese(recorded, small_tree, on, message):
    report = Report.objects.get(campaign=recorded, unit=small_tree["D1C1"])
    with pytest.raises(WorkflowError, match=message):
        _submit(report, on)
    report.refresh_from_db()
    assert report.status != ReportStatus.SUBMITTED


def test_an_acceptance_cannot_be_dated_before_the_submission(recorded, small_tree):
    report = _submit(
        Report.objects.get(campaign=recorded, unit=small_tree["D1C1"]), datetime.date(2020, 3, 10)
    )
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    with pytest.raises(WorkflowError, match="10/3/2020"):
        services.accept(report=report, by=coordinator, on=datetime.date(2020, 3, 9))


def test_the_submit_form_takes_the_date(client, recorded, small_tree):
    report = Report.objects.get(campaign=recorded, unit=small_tree["D1C1"])
    approver = MembershipFactory(unit=report.unit, role=Role.APPROVER).user
    fill_required(report, approver)
    client.force_login(approver)
    url = reverse("reports:detail", args=[report.pk])
    assert 'name="on"' in client.get(url).content.decode()
    response = client.post(
        reverse("reports:submit", args=[report.pk]), {"on": "2020-03-11"}, follow=True
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert report.issued_on == datetime.date(2020, 3, 11)
    assert "11/3/2020" in response.content.decode()


def test_the_coordinator_above_types_a_recorded_campaign_in(recorded, small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    report = Report.objects.get(campaign=recorded, unit=small_tree["D1C1"])
    fill_required(report, coordinator)
    services.submit(
        report=report, rows=items_for_unit(report), by=coordinator, on=datetime.date(2020, 3, 9)
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_in_a_live_campaign_the_level_above_does_not_submit(published_plan, small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    live = Report.objects.get(campaign=published_plan, unit=small_tree["D1C1"])
    with pytest.raises(PermissionDenied):
        services.submit(report=live, rows=items_for_unit(live), by=coordinator)


# --- The chart --------------------------------------------------------------


def test_the_chart_of_a_past_campaign_labels_its_days_with_the_year(client, recorded, small_tree):
    _submit(
        Report.objects.get(campaign=recorded, unit=small_tree["D1C1"]), datetime.date(2020, 3, 10)
    )
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    rows = board.board_rows(coordinator, recorded)
    chart = submissions_chart(
        rows,
        deadlines=[("Cơ sở", datetime.date(2020, 3, 12))],
        start=recorded.issued_on,
        today=timezone.localdate(),
        running=recorded.is_live,
    )
    assert chart.last_day == datetime.date(2020, 3, 12)  # not stretched to today
    assert chart.x_ticks
    assert all(tick.label.endswith("/2020") for tick in chart.x_ticks)
    client.force_login(coordinator)
    html = client.get(reverse("chasing:board", args=[recorded.pk])).content.decode()
    assert 'text-anchor="middle">25/02/2020</text>' in html


def test_a_chart_across_new_year_carries_the_years():
    chart = submissions_chart(
        [],
        deadlines=[("Cơ sở", datetime.date(2026, 1, 20))],
        start=datetime.date(2025, 12, 10),
        today=datetime.date(2026, 1, 5),
    )
    labels = [tick.label for tick in chart.x_ticks]
    assert labels[0] == "10/12/2025"
    assert any(label.endswith("/2026") for label in labels)


def test_a_chart_within_the_current_year_keeps_short_labels():
    today = datetime.date(2026, 3, 15)
    chart = submissions_chart(
        [],
        deadlines=[("Cơ sở", datetime.date(2026, 3, 20))],
        start=datetime.date(2026, 3, 1),
        today=today,
    )
    assert chart.x_ticks[0].label == "01/3"


# --- The property: recorded plans are never chased, live overdue ones always --


CODES = itertools.count()
OFFSETS = st.lists(st.integers(min_value=-4000, max_value=40), min_size=1, max_size=3)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_the_sweep_never_chases_a_recorded_plan_and_always_a_live_overdue_one(levels, data):
    """Random plans, each with deadlines past or ahead (one level per plan, in
    a province of its own), each recorded or live: after one sweep, no
    reminder concerns a recorded plan, and every live plan with an overdue
    unsubmitted report has a reminder for it."""
    today = timezone.localdate()
    offsets = data.draw(OFFSETS, label="grassroots deadline offsets, one plan each")
    modes = data.draw(st.lists(st.booleans(), min_size=len(offsets), max_size=len(offsets)))
    plans = []
    for offset, recorded_mode in zip(offsets, modes, strict=True):
        code = f"H{next(CODES)}"
        province = add_unit(None, code, levels["tinh"], name=f"Tỉnh ủy {code}", symbol="TU")
        add_unit(province, f"{code}-X", levels["co-so"], name=f"Đảng ủy xã {code}")
        due = today + offset * DAY
        plan = PlanFactory(
            issuing_unit=province,
            seed000=True,
            issued_on=due - 30 * DAY,
            levels=["co-so"],
            deadlines={"co-so": due},
        )
        by = MembershipFactory(unit=province, role=Role.COORDINATOR).user
        plan_services.publish(plan=plan, by=by, recorded_after_the_fact=recorded_mode)
        plans.append((plan, recorded_mode, offset))
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(9)))
    chasing_services.sweep(now=now)
    for plan, recorded_mode, offset in plans:
        chased = Reminder.objects.filter(plan=plan, kind=ReminderKind.REMINDER).exists()
        if recorded_mode:
            assert not Reminder.objects.filter(plan=plan).exists()
        elif offset < 0:
            assert chased
