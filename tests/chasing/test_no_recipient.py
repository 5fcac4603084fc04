"""A reminder nobody can receive is recorded as such, never as sent, and shown."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from chasing import services, tasks
from chasing.models import DeliveryStatus, Reminder, ReminderKind
from notifications.models import Notification
from orgunits.models import Membership, OrgUnit, Role
from tests.factories import MembershipFactory, UserFactory, build_province, publish_plan

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def run_sweep(now, capture):
    with capture(execute=True):
        return services.sweep(now=now)


def addresses() -> list[str]:
    return [address for message in mail.outbox for address in message.to + message.bcc]


def test_a_unit_without_members_gets_a_no_recipient_reminder_not_a_sent_one(
    province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    publish_plan(province, grassroots_due=today + DAY)
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    reminder = Reminder.objects.get(unit__code="C1")  # C1 has nobody
    assert reminder.status == DeliveryStatus.NO_RECIPIENT
    assert reminder.sent_at is None
    assert reminder.attempts == 1
    assert Reminder.objects.get(unit__code="C0").status == DeliveryStatus.SENT


def test_a_unit_with_only_inactive_users_gets_a_no_recipient_reminder(
    province, levels, today, nine_am, django_capture_on_commit_callbacks
):
    gone = UserFactory(email="c2.cu@example.vn", is_active=False)
    MembershipFactory(unit=OrgUnit.objects.get(code="C2"), role=Role.APPROVER, user=gone)
    publish_plan(province, grassroots_due=today + DAY)
    mail.outbox.clear()
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    assert Reminder.objects.get(unit__code="C2").status == DeliveryStatus.NO_RECIPIENT
    assert "c2.cu@example.vn" not in addresses()
    assert not Notification.objects.filter(user=gone, kind="reminder").exists()


def test_a_no_recipient_reminder_is_neither_sent_again_nor_requeued(
    province, levels, today, nine_am, django_capture_on_commit_callbacks
):
    publish_plan(province, grassroots_due=today + DAY)
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    reminder = Reminder.objects.get(unit__code="C1")
    assert tasks.send_reminder.apply(args=[reminder.pk]).get() == "already claimed"
    # Hours later the sweep re-sends lost queued messages, not this one.
    later = run_sweep(nine_am + 2 * services.REQUEUE_AFTER, django_capture_on_commit_callbacks)
    assert reminder.pk not in later.reminders
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (DeliveryStatus.NO_RECIPIENT, 1)


def test_the_board_shows_a_reminder_that_reached_nobody(
    client, province, levels, commune_people, today, nine_am, django_capture_on_commit_callbacks
):
    plan = publish_plan(province, grassroots_due=today + DAY)
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    coordinator = Membership.objects.get(unit=province, role=Role.COORDINATOR).user
    client.force_login(coordinator)
    response = client.get(reverse("chasing:board", args=[plan.pk]))
    rows = {row.unit.code: row for row in response.context["rows"]}
    assert rows["C1"].unreached_at is not None
    assert rows["C1"].last_reminder is None
    assert rows["C0"].unreached_at is None
    assert rows["C0"].last_reminder is not None
    html = response.content.decode()
    # The nine communes without members, not C0.
    assert html.count('data-testid="reminder-no-recipient"') == 9
    assert "không có người nhận" in html


def test_a_later_reminder_that_reached_someone_clears_the_mark(
    client, province, levels, today, nine_am, django_capture_on_commit_callbacks
):
    plan = publish_plan(province, grassroots_due=today + 3 * DAY)
    run_sweep(nine_am, django_capture_on_commit_callbacks)  # 3 days before: nobody in C1
    MembershipFactory(unit=OrgUnit.objects.get(code="C1"), role=Role.REPORTER)
    run_sweep(nine_am + 2 * DAY, django_capture_on_commit_callbacks)  # 1 day before
    statuses = list(
        Reminder.objects.filter(unit__code="C1")
        .order_by("created")
        .values_list("status", flat=True)
    )
    assert statuses == [DeliveryStatus.NO_RECIPIENT, DeliveryStatus.SENT]
    client.force_login(Membership.objects.get(unit=province, role=Role.COORDINATOR).user)
    rows = {
        r.unit.code: r for r in client.get(reverse("chasing:board", args=[plan.pk])).context["rows"]
    }
    assert rows["C1"].unreached_at is None
    assert rows["C1"].last_reminder is not None


def test_the_escalation_digest_lists_the_units_nobody_can_receive_apart(
    levels, today, nine_am, django_capture_on_commit_callbacks
):
    province = build_province(levels, communes=20)  # D0 has C0 and C10
    MembershipFactory(unit=OrgUnit.objects.get(code="C0"), role=Role.REPORTER)
    MembershipFactory(
        unit=OrgUnit.objects.get(code="D0"),
        role=Role.COORDINATOR,
        user=UserFactory(email="d0.dp@example.vn"),
    )
    publish_plan(province, grassroots_due=today - 3 * DAY)
    mail.outbox.clear()
    run_sweep(nine_am, django_capture_on_commit_callbacks)
    digest = next(m for m in mail.outbox if "d0.dp@example.vn" in m.to + m.bcc)
    assert "2 đơn vị" in digest.subject  # C0 and C10 are both late
    reached, apart = digest.body.split("Các đơn vị sau không có ai nhận được lời nhắc")
    assert "Đảng ủy xã 0:" in reached
    assert "Đảng ủy xã 10" not in reached
    assert "Đảng ủy xã 10:" in apart
    assert "Đảng ủy xã 0:" not in apart
    html = digest.alternatives[0][0]
    assert html.index("Đảng ủy xã 0<") < html.index("không có ai nhận") < html.index("xã 10<")
    # Both escalations reached D0's coordinator; those of districts without
    # a coordinator reached nobody.
    escalations = Reminder.objects.filter(kind=ReminderKind.ESCALATION)
    assert {e.status for e in escalations.filter(unit__code__in=["C0", "C10"])} == {
        DeliveryStatus.SENT
    }
    assert escalations.get(unit__code="C1").status == DeliveryStatus.NO_RECIPIENT
