import datetime
import random

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from campaigns import services as plan_services
from chasing.models import Reminder, ReminderKind, ReminderStatus
from orgunits import demo
from orgunits.models import Level, OrgUnit
from reports.models import Report, ReportStatus
from tests.browser.conftest import log_in
from tests.campaigns.seeds import seed000_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shots(page, live_server, demo_province):
    plan = seed000_plan(OrgUnit.objects.get(code="GL"))
    levels = {level.code: level for level in Level.objects.all()}
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    today = timezone.localdate()
    plan.issued_on = today - datetime.timedelta(days=18)
    plan.save()
    plan_services.set_deadlines(plan=plan, deadlines=[
        plan_services.DeadlineCheck(levels["co-so"], today - datetime.timedelta(days=4)),
        plan_services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=5)),
        plan_services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=12)),
    ])
    plan_services.publish(plan=plan, by=get_user_model().objects.get(username="tinh.dieuphoi"))
    rnd = random.Random(4)
    now = timezone.now()
    for report in Report.objects.filter(campaign=plan).select_related("unit__level"):
        r = rnd.random()
        if report.unit.level.code == "co-so":
            if r < 0.55:
                report.status = ReportStatus.SUBMITTED if r < 0.35 else ReportStatus.ACCEPTED
                report.submitted_at = now - datetime.timedelta(days=rnd.choice([2,3,4,4,5,5,5,6,6,7,8,9,11]), hours=rnd.randint(0, 8))
            elif r < 0.7:
                report.status = ReportStatus.DRAFT
            elif r < 0.75:
                report.status = ReportStatus.RETURNED
        elif report.unit.level.code == "huyen" and r < 0.3:
            report.status = ReportStatus.SUBMITTED
            report.submitted_at = now - datetime.timedelta(days=1, hours=3)
        elif report.unit.level.code == "huyen" and r < 0.6:
            report.status = ReportStatus.DRAFT
        report.save()
    for report in Report.objects.filter(campaign=plan, status__in=["pending", "draft"], unit__level__code="co-so")[:20]:
        Reminder.objects.create(plan=plan, report=report, unit=report.unit, step="due@x", kind=ReminderKind.REMINDER,
                                due_on=report.due_on, days_left=0, status=ReminderStatus.SENT, sent_at=now - datetime.timedelta(days=4, hours=-2))
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.set_viewport_size({"width": 1366, "height": 1000})
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
    page.screenshot(path="/tmp/board-top.png")
    page.screenshot(path="/tmp/board-full.png", full_page=True)
    page.get_by_test_id("filter-timeliness").select_option("overdue")
    page.wait_for_url("**timeliness=overdue")
    page.get_by_test_id("select-all-shown").check()
    page.screenshot(path="/tmp/board-overdue.png")
    page.locator("[data-board-collapse=all]").click()
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
    page.locator("[data-board-collapse=all]").click()
    page.locator("tr[data-unit=GL] [data-board-toggle]").click()
    page.screenshot(path="/tmp/board-folded.png", full_page=True)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/nhac-viec/")
    page.screenshot(path="/tmp/policy.png", full_page=True)
    page.fill("#id_days_before", "7, x")
    page.get_by_test_id("policy-save").click()
    page.screenshot(path="/tmp/policy-error.png", full_page=True)
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/")
    page.screenshot(path="/tmp/plan.png")
    page.set_viewport_size({"width": 420, "height": 900})
    page.goto(f"{live_server.url}/ke-hoach/{plan.pk}/tien-do/")
    page.screenshot(path="/tmp/board-mobile.png")
