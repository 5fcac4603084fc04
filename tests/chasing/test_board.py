"""The progress board of a plan: statuses, timeliness, filters, counts per
level, export, the chart, chasing by hand, the reminder policy, and scoping."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaigns import services as plan_services
from chasing.models import DeliveryStatus, Reminder, ReminderKind, ReminderPolicy
from notifications.models import Notification
from orgunits.models import Membership, Role
from reports.models import Report, ReportStatus
from tests.campaigns.seeds import seed000_plan
from tests.factories import MembershipFactory, UserFactory, add_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(published_plan, small_tree):
    """The province's coordinator, who published the plan."""
    return Membership.objects.get(unit=small_tree["P"], role=Role.COORDINATOR).user


def report_of(plan, code) -> Report:
    return Report.objects.get(campaign=plan, unit__code=code)


def set_report(plan, code, *, status, due_on, submitted_at=None) -> Report:
    report = report_of(plan, code)
    report.status = status
    report.due_on = due_on
    report.submitted_at = submitted_at
    report.save()
    return report


@pytest.fixture
def mixed(published_plan, today):
    """Every timeliness on the small tree, set directly on the reports."""
    day = datetime.timedelta(days=1)
    now = timezone.now()
    plan = published_plan
    set_report(plan, "P", status=ReportStatus.PENDING, due_on=today + 10 * day)
    set_report(
        plan, "D1", status=ReportStatus.RETURNED, due_on=today - 2 * day, submitted_at=now - 3 * day
    )
    set_report(
        plan, "D2", status=ReportStatus.ACCEPTED, due_on=today - 2 * day, submitted_at=now - 5 * day
    )
    set_report(plan, "D1C1", status=ReportStatus.PENDING, due_on=today - day)
    set_report(
        plan, "D1C2", status=ReportStatus.SUBMITTED, due_on=today - 4 * day, submitted_at=now - day
    )
    set_report(plan, "D2C1", status=ReportStatus.DRAFT, due_on=today + 3 * day)
    set_report(plan, "D2C2", status=ReportStatus.SUBMITTED, due_on=today + day, submitted_at=now)
    return plan


def board_url(plan, name="board", query=""):
    url = reverse(f"chasing:{name}", args=[plan.pk])
    return f"{url}?{query}" if query else url


def shown(response) -> dict[str, str]:
    return {row.unit.code: row.timeliness for row in response.context["rows"]}


def test_it_computes_status_and_timeliness(client, coordinator, mixed):
    client.force_login(coordinator)
    response = client.get(board_url(mixed))
    assert response.status_code == 200
    assert shown(response) == {
        "P": "not_due",
        "D1": "overdue",
        "D2": "on_time",
        "D1C1": "overdue",
        "D1C2": "late",
        "D2C1": "not_due",
        "D2C2": "on_time",
    }
    rows = response.context["rows"]
    assert [row.unit.code for row in rows] == ["P", "D1", "D1C1", "D1C2", "D2", "D2C1", "D2C2"]
    assert [row.indent for row in rows] == [0, 1, 2, 2, 1, 2, 2]
    assert [row.has_children for row in rows] == [True, True, False, False, True, False, False]
    html = response.content.decode()
    assert html.count('data-testid="board-row"') == 7
    assert 'data-path="' in html
    # D1, D1C1, D2C1: the province writes its own report, nobody chases it.
    assert html.count('data-testid="chase-checkbox"') == 3


def test_it_judges_lateness_by_the_local_day_of_submission(client, coordinator, published_plan):
    # 23:30 in UTC is 06:30 the next morning in Vietnam: one day after the deadline.
    due = datetime.date(2026, 3, 12)
    submitted = datetime.datetime(2026, 3, 12, 23, 30, tzinfo=datetime.UTC)
    set_report(
        published_plan, "D1C1", status=ReportStatus.SUBMITTED, due_on=due, submitted_at=submitted
    )
    before_midnight = submitted - datetime.timedelta(hours=7)  # 23:30 in Vietnam
    set_report(
        published_plan,
        "D1C2",
        status=ReportStatus.SUBMITTED,
        due_on=due,
        submitted_at=before_midnight,
    )
    client.force_login(coordinator)
    response = client.get(board_url(published_plan, query="level=co-so"))
    timeliness = shown(response)
    assert timeliness["D1C1"] == "late"
    assert timeliness["D1C2"] == "on_time"


def test_it_filters_by_status_level_and_timeliness(client, coordinator, mixed):
    client.force_login(coordinator)
    overdue = client.get(board_url(mixed, query="timeliness=overdue"))
    assert set(shown(overdue)) == {"D1", "D1C1"}
    assert [(row.indent, row.has_children) for row in overdue.context["rows"]] == [
        (0, True),
        (1, False),
    ]
    assert set(shown(client.get(board_url(mixed, query="level=co-so")))) == {
        "D1C1",
        "D1C2",
        "D2C1",
        "D2C2",
    }
    assert set(shown(client.get(board_url(mixed, query="status=submitted")))) == {"D1C2", "D2C2"}
    both = client.get(board_url(mixed, query="level=co-so&timeliness=not_due"))
    assert set(shown(both)) == {"D2C1"}
    # An unknown value is ignored rather than an error.
    assert len(shown(client.get(board_url(mixed, query="status=bogus&level=x")))) == 7


def test_it_keeps_the_filters_in_the_polled_rows(client, coordinator, mixed):
    client.force_login(coordinator)
    response = client.get(board_url(mixed, "board_rows", "timeliness=overdue&level=co-so"))
    assert response.status_code == 200
    assert set(shown(response)) == {"D1C1"}
    html = response.content.decode()
    assert html.count('data-testid="board-row"') == 1
    assert 'hx-swap-oob="true"' in html  # the counts and the chart follow


def test_it_counts_statuses_and_percent_complete_per_level(client, coordinator, mixed):
    client.force_login(coordinator)
    response = client.get(board_url(mixed, query="timeliness=overdue"))
    summaries = {s.level.code: s for s in response.context["summaries"]}
    assert list(summaries) == ["tinh", "huyen", "co-so"]  # highest first, all units
    assert (summaries["co-so"].total, summaries["co-so"].done, summaries["co-so"].percent) == (
        4,
        2,
        50,
    )
    assert summaries["co-so"].statuses == {"pending": 1, "submitted": 2, "draft": 1}
    assert summaries["co-so"].overdue == 1
    assert (summaries["huyen"].done, summaries["huyen"].percent) == (1, 50)
    assert summaries["tinh"].percent == 0
    assert 'data-percent="50"' in response.content.decode()


def test_it_shows_the_last_reminder_sent(client, coordinator, mixed, today):
    report = report_of(mixed, "D1C1")
    sent = timezone.now() - datetime.timedelta(days=1)
    for step, at, status in [
        ("before-3", sent - datetime.timedelta(days=2), DeliveryStatus.SENT),
        ("due", sent, DeliveryStatus.SENT),
        ("overdue-2", None, DeliveryStatus.QUEUED),
    ]:
        Reminder.objects.create(
            plan=mixed,
            report=report,
            unit=report.unit,
            step=step,
            kind=ReminderKind.REMINDER,
            due_on=report.due_on,
            days_left=0,
            status=status,
            sent_at=at,
        )
    client.force_login(coordinator)
    rows = {row.unit.code: row for row in client.get(board_url(mixed)).context["rows"]}
    assert rows["D1C1"].last_reminder == sent
    assert rows["D1C2"].last_reminder is None


def test_it_exports_the_rows_to_xlsx(client, coordinator, mixed):
    client.force_login(coordinator)
    response = client.get(board_url(mixed, "board_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tien-do-279.xlsx"'
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 7
    assert len(rows[0]) == 8
    codes = [row[1] for row in rows[1:]]
    assert codes == ["P", "D1", "D1C1", "D1C2", "D2", "D2C1", "D2C2"]
    d1c2 = rows[1 + codes.index("D1C2")]
    assert d1c2[0].strip() == "Đảng ủy xã D1C2"
    assert d1c2[5] == f"{report_of(mixed, 'D1C2').due_on:%d/%m/%Y}"

    overdue = client.get(board_url(mixed, "board_export", "timeliness=overdue"))
    rows = list(load_workbook(io.BytesIO(overdue.getvalue())).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["D1", "D1C1"]


def test_it_charts_submissions_per_local_day_against_the_deadlines(
    client, coordinator, published_plan, today
):
    noon = timezone.make_aware(datetime.datetime.combine(today, datetime.time(12)))
    for code in ("D1C1", "D1C2"):
        set_report(
            published_plan, code, status=ReportStatus.SUBMITTED, due_on=today, submitted_at=noon
        )
    set_report(
        published_plan,
        "D2C1",
        status=ReportStatus.ACCEPTED,
        due_on=today,
        submitted_at=noon - datetime.timedelta(days=2),
    )
    client.force_login(coordinator)
    chart = client.get(board_url(published_plan)).context["chart"]
    assert {bar.day: bar.total for bar in chart.bars} == {
        today: 2,
        today - datetime.timedelta(days=2): 1,
    }
    assert chart.total == 3
    assert [mark.day for mark in chart.deadlines] == sorted(
        published_plan.deadlines.values_list("due_on", flat=True)
    )
    assert chart.first_day == published_plan.issued_on
    assert chart.last_day == today
    assert all("," not in bar.x for bar in chart.bars)  # never localized into the SVG


def test_it_runs_a_constant_number_of_queries(
    client,
    coordinator,
    mixed,
    small_tree,
    levels,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client.force_login(coordinator)
    report = report_of(mixed, "D1C1")
    Reminder.objects.create(
        plan=mixed,
        report=report,
        unit=report.unit,
        step="due",
        kind=ReminderKind.REMINDER,
        due_on=report.due_on,
        days_left=0,
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
    )

    few = {}
    for name, budget in (("board", 20), ("board_rows", 16)):
        with django_assert_max_num_queries(budget, info=name) as captured:
            assert client.get(board_url(mixed, name)).status_code == 200
        few[name] = len(captured)
    units = [add_unit(small_tree["D2"], f"X{n}", levels["co-so"]) for n in range(60)]
    reports = Report.objects.bulk_create(
        [Report(campaign=mixed, plan=mixed, unit=u, due_on=mixed.issued_on) for u in units]
    )
    Reminder.objects.bulk_create(
        Reminder(
            plan=mixed,
            report=r,
            unit_id=r.unit_id,
            step="due",
            kind=ReminderKind.REMINDER,
            due_on=r.due_on,
            days_left=0,
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
        )
        for r in reports
    )
    for name, count in few.items():
        with django_assert_num_queries(count, info=name):
            assert client.get(board_url(mixed, name)).status_code == 200
    assert len(client.get(board_url(mixed)).context["rows"]) == 67


def test_it_marks_units_without_an_active_member_in_constant_queries(
    client,
    coordinator,
    mixed,
    small_tree,
    levels,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(20) as captured:
        html = client.get(board_url(mixed)).content.decode()
    few = len(captured)
    assert html.count('data-testid="no-member"') == 6  # all but the province
    units = [add_unit(small_tree["D2"], f"X{n}", levels["co-so"]) for n in range(30)]
    Report.objects.bulk_create(
        [Report(campaign=mixed, plan=mixed, unit=u, due_on=mixed.issued_on) for u in units]
    )
    for unit in units[:10]:
        MembershipFactory(unit=unit, role=Role.REPORTER)
    for unit in units[10:20]:
        MembershipFactory(unit=unit, role=Role.APPROVER, user=UserFactory(is_active=False))
    with django_assert_num_queries(few):
        response = client.get(board_url(mixed))
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows["X0"].has_member
    assert not rows["X10"].has_member  # only an inactive user
    assert not rows["X20"].has_member
    assert response.content.decode().count('data-testid="no-member"') == 6 + 20


def test_it_chases_only_unsubmitted_units_in_scope(
    client, people, mixed, django_capture_on_commit_callbacks
):
    client.force_login(people["district_coordinator"])  # coordinates D1
    ids = [report_of(mixed, code).pk for code in ("D1", "D1C1", "D1C2", "D2C1")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            board_url(mixed, "chase", "timeliness=overdue"),
            {"report": ids + ["junk"], "note": "Đề nghị gửi báo cáo trước thứ Sáu."},
        )
    assert response.status_code == 302
    assert response["Location"] == board_url(mixed, query="timeliness=overdue")
    reminders = list(Reminder.objects.all())
    # D1 is the coordinator's own unit, D1C2 has submitted, D2C1 is not theirs.
    assert [(r.unit.code, r.kind, r.note) for r in reminders] == [
        ("D1C1", ReminderKind.MANUAL, "Đề nghị gửi báo cáo trước thứ Sáu.")
    ]
    assert reminders[0].sent_by == people["district_coordinator"]
    assert reminders[0].status == DeliveryStatus.SENT
    assert Notification.objects.filter(user=people["reporter"], kind="reminder").count() == 1
    assert not Notification.objects.filter(user=people["other_commune"], kind="reminder").exists()


def test_chasing_by_hand_says_which_units_nobody_can_receive(
    client, coordinator, people, mixed, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    # D1 (returned) has its coordinator only, who is not reminded as a member.
    ids = [report_of(mixed, code).pk for code in ("D1", "D1C1")]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(board_url(mixed, "chase"), {"report": ids}, follow=True)
    said = [(m.level_tag, m.message) for m in response.context["messages"]]
    assert said == [
        ("success", "Đã nhắc 1 đơn vị."),
        ("warning", "Không ai nhận được lời nhắc tại 1 đơn vị: Huyện ủy D1."),
    ]
    statuses = dict(Reminder.objects.values_list("unit__code", "status"))
    assert statuses == {"D1": DeliveryStatus.NO_RECIPIENT, "D1C1": DeliveryStatus.SENT}


def test_it_logs_a_chase_under_the_plan_the_unit_answers_to(
    client, coordinator, people, published_plan, small_tree, levels
):
    child = plan_services.cascade(
        parent=published_plan, unit=small_tree["D1"], by=people["district_coordinator"]
    )
    child.issued_on, child.signer_name = datetime.date(2020, 3, 1), "Lê Văn Ba"
    child.save()
    child.participating_levels.set([levels["co-so"]])
    plan_services.set_deadlines(
        plan=child,
        deadlines=[plan_services.DeadlineCheck(levels["co-so"], datetime.date(2020, 3, 10))],
    )
    plan_services.publish(plan=child, by=people["district_coordinator"])
    client.force_login(coordinator)
    client.post(
        board_url(published_plan, "chase"), {"report": [report_of(published_plan, "D1C1").pk]}
    )
    assert Reminder.objects.get().plan == child

    client.force_login(people["district_coordinator"])
    child_board = client.get(board_url(child))
    assert set(shown(child_board)) == {"D1C1", "D1C2"}


def test_it_refuses_chasing_to_a_unit_reporter(client, people, mixed):
    client.force_login(people["reporter"])
    response = client.post(board_url(mixed, "chase"), {"report": [report_of(mixed, "D1C1").pk]})
    assert response.status_code == 403
    assert not Reminder.objects.exists()
    board = client.get(board_url(mixed))
    assert set(shown(board)) == {"D1C1"}
    assert 'data-testid="chase-checkbox"' not in board.content.decode()


def test_it_refuses_a_chase_without_units_or_with_a_long_note(client, coordinator, mixed):
    client.force_login(coordinator)
    assert client.post(board_url(mixed, "chase"), {"note": "x"}).status_code == 302
    response = client.post(
        board_url(mixed, "chase"), {"report": [report_of(mixed, "D1C1").pk], "note": "x" * 501}
    )
    assert response.status_code == 302
    assert not Reminder.objects.exists()


def test_it_scopes_the_board_to_the_user_units(client, people, mixed):
    client.force_login(people["other_district"])
    response = client.get(board_url(mixed))
    assert set(shown(response)) == {"D2", "D2C1", "D2C2"}
    assert [s.total for s in response.context["summaries"]] == [1, 2]
    export = client.get(board_url(mixed, "board_export"))
    rows = list(load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(values_only=True))
    assert {row[1] for row in rows[1:]} == {"D2", "D2C1", "D2C2"}


def test_it_hides_a_plan_outside_the_user_scope(client, people, small_tree):
    other = seed000_plan(small_tree["D2"], number=7)
    client.force_login(people["district_coordinator"])  # D1
    for name in ("board", "board_rows", "board_export", "policy"):
        assert client.get(board_url(other, name)).status_code == 404
    assert client.post(board_url(other, "chase"), {"report": [1]}).status_code == 404


def test_it_shows_the_policy_with_its_defaults(client, coordinator, published_plan):
    client.force_login(coordinator)
    response = client.get(board_url(published_plan, "policy"))
    assert response.status_code == 200
    assert response.context["form"]["days_before"].value() == "7, 3, 1"
    assert len(response.context["steps"]) == 5
    assert not ReminderPolicy.objects.exists()


def test_it_refuses_bad_days_before(client, coordinator, published_plan):
    client.force_login(coordinator)
    data = {
        "enabled": "on",
        "days_before": "7, x",
        "on_due_day": "on",
        "overdue_every": 2,
        "escalate_after": 3,
        "send_hour": 7,
    }
    for days in ("7, x", "61", "0", "-3"):
        response = client.post(board_url(published_plan, "policy"), {**data, "days_before": days})
        assert response.status_code == 200
        assert "days_before" in response.context["form"].errors
    response = client.post(board_url(published_plan, "policy"), {**data, "send_hour": 24})
    assert "send_hour" in response.context["form"].errors
    assert not ReminderPolicy.objects.exists()


def test_it_saves_the_policy(client, coordinator, published_plan):
    client.force_login(coordinator)
    data = {"days_before": "5,10; 2 ,5", "overdue_every": 1, "escalate_after": 0, "send_hour": 8}
    response = client.post(board_url(published_plan, "policy"), data)
    assert response.status_code == 302
    policy = ReminderPolicy.objects.get(plan=published_plan)
    assert policy.days_before == [10, 5, 2]
    assert (policy.enabled, policy.on_due_day) == (False, False)
    assert (policy.overdue_every, policy.escalate_after, policy.send_hour) == (1, 0, 8)
    client.post(board_url(published_plan, "policy"), {**data, "enabled": "on", "days_before": ""})
    policy.refresh_from_db()
    assert (policy.enabled, policy.days_before) == (True, [])
    assert ReminderPolicy.objects.count() == 1


def test_it_lets_only_the_plan_managers_edit_the_policy(client, people, published_plan):
    for who in ("district_coordinator", "reporter"):
        client.force_login(people[who])
        assert client.get(board_url(published_plan, "policy")).status_code == 403
        assert client.post(board_url(published_plan, "policy"), {}).status_code == 403


def test_it_links_the_board_from_a_published_plan(client, coordinator, published_plan):
    client.force_login(coordinator)
    response = client.get(published_plan.get_absolute_url())
    assert board_url(published_plan) in response.content.decode()
    board = client.get(board_url(published_plan))
    assert board_url(published_plan, "policy") in board.content.decode()
