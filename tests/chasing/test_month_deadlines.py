"""The sweep goes by the last day a deadline allows: the month's last day, or
the day for sending the report up."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from campaigns.models import DeadlineKind
from chasing import services
from chasing.models import Reminder
from orgunits.models import OrgUnit, Role
from reports.models import Report
from tests.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def at_nine(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


def publish(province, issued_on, deadlines):
    return PlanFactory(
        issuing_unit=province,
        seed000=True,
        issued_on=issued_on,
        deadlines=deadlines,
        published_by=MembershipFactory(unit=province, role=Role.COORDINATOR).user,
    )


@pytest.fixture
def september(province):
    """Communes: "Hoàn thành trong tháng 9 năm 2030"; districts: by 10/10,
    sending the report up by 15/10."""
    return publish(
        province,
        D(2030, 8, 1),
        {
            "co-so": {"kind": DeadlineKind.MONTH, "due_on": D(2030, 9, 1)},
            "huyen": {"due_on": D(2030, 10, 10), "report_by": D(2030, 10, 15)},
            "tinh": D(2030, 10, 31),
        },
    )


def reminders_at(day, capture) -> dict[str, str]:
    with capture(execute=True):
        services.sweep(now=at_nine(day))
    return dict(
        Reminder.objects.filter(unit__code__in=["C0", "D0"]).values_list("unit__code", "step")
    )


def test_a_month_deadline_is_due_today_on_the_months_last_day(
    september, commune_people, django_capture_on_commit_callbacks
):
    assert Report.objects.get(unit__code="C0").due_on == D(2030, 9, 30)
    # On the 1st of the month nothing is due yet: 29 days are left.
    assert "C0" not in reminders_at(D(2030, 9, 1), django_capture_on_commit_callbacks)
    assert reminders_at(D(2030, 9, 29), django_capture_on_commit_callbacks)["C0"] == (
        "before-1@2030-09-30"
    )
    mail.outbox.clear()
    Reminder.objects.all().delete()
    assert reminders_at(D(2030, 9, 30), django_capture_on_commit_callbacks)["C0"] == (
        "due@2030-09-30"
    )
    sent = [m for m in mail.outbox if "c0.bc@example.vn" in m.bcc + m.to]
    assert len(sent) == 1
    assert "hết hạn hôm nay" in sent[0].subject
    assert "30/9/2030" in sent[0].body
    assert "Hoàn thành trong tháng 9 năm 2030" in sent[0].body


def test_a_district_is_chased_by_its_day_for_sending_the_report(
    september, commune_people, django_capture_on_commit_callbacks
):
    # On the finish day the district still has five days to send its report.
    assert reminders_at(D(2030, 10, 10), django_capture_on_commit_callbacks)["D0"] == (
        "before-7@2030-10-15"
    )
    Reminder.objects.all().delete()
    assert reminders_at(D(2030, 10, 15), django_capture_on_commit_callbacks)["D0"] == (
        "due@2030-10-15"
    )


def test_the_board_and_the_inbox_word_the_deadlines(
    client, september, commune_people, django_assert_max_num_queries
):
    client.force_login(commune_people["district_coordinator"])
    board = client.get(reverse("chasing:board", args=[september.pk])).content.decode()
    assert "tháng 9/2030" in board
    client.force_login(commune_people["reporter"])
    inbox = client.get(reverse("reports:inbox")).content.decode()
    assert "tháng 9/2030" in inbox
    report = Report.objects.get(unit__code="C0")
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "tháng 9/2030" in page


def test_a_past_campaign_publishes_and_its_pages_count_days_overdue(
    province, commune_people, client, today, django_capture_on_commit_callbacks
):
    """Every deadline long past, of every kind: published, shown, swept."""
    plan = publish(
        province,
        D(2019, 3, 1),
        {
            "co-so": {"kind": DeadlineKind.MONTH, "due_on": D(2019, 4, 1)},
            "huyen": {
                "kind": DeadlineKind.PERIOD,
                "starts_on": D(2019, 5, 1),
                "due_on": D(2019, 5, 10),
            },
            "tinh": {"due_on": D(2019, 5, 20), "report_by": D(2019, 5, 25)},
        },
    )
    report = Report.objects.get(unit__code="C0")
    assert report.due_on == D(2019, 4, 30)
    assert report.days_overdue == (today - D(2019, 4, 30)).days
    client.force_login(commune_people["district_coordinator"])
    for url in [
        reverse("campaigns:detail", args=[plan.pk]),
        reverse("chasing:board", args=[plan.pk]),
        reverse("reports:detail", args=[report.pk]),
    ]:
        assert client.get(url).status_code == 200, url
    client.force_login(commune_people["reporter"])
    assert client.get(reverse("reports:inbox")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        result = services.sweep(now=at_nine(today))
    assert result.reminders  # overdue reminders, with no division by the days left
    assert OrgUnit.objects.get(code="C0").reports.get().is_late is False
