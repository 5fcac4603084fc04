"""Round trip of one autosave (POST of one item, through the whole Django stack)."""

import datetime
import io
import statistics
import time
from contextlib import redirect_stdout

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaigns import services as plan_services
from orgunits import demo
from orgunits.models import Level, OrgUnit
from reports.models import Answer, Report
from tests.campaigns.seeds import seed000_plan

SAVES = 60


def run() -> None:
    with redirect_stdout(io.StringIO()):
        call_command("load_demo")
    plan = seed000_plan(OrgUnit.objects.get(code="GL"))
    levels = {level.code: level for level in Level.objects.all()}
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    today = timezone.localdate()
    plan.issued_on = today
    plan.save()
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], today + datetime.timedelta(days=5)),
            plan_services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=10)),
            plan_services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=15)),
        ],
    )
    plan_services.publish(plan=plan, by=get_user_model().objects.get(username="tinh.dieuphoi"))
    report = Report.objects.get(campaign=plan, unit__code=demo.DEMO_COMMUNE)
    item = plan.outline_items.filter(is_heading=False, answer_type="text").first()

    client = Client()
    client.force_login(get_user_model().objects.get(username="xa.baocao"))
    url = reverse("reports:item", args=[report.pk, item.pk])
    prefix = f"item{item.pk}"
    text = "<div>" + "Đảng ủy xã đã quán triệt, triển khai thực hiện nghiêm túc. " * 40 + "</div>"
    timings = []
    for version in range(SAVES):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post(
                url,
                {f"{prefix}-version": str(version), f"{prefix}-text": f"{text} {version}"},
                HTTP_HX_REQUEST="true",
            )
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    assert Answer.objects.get(report=report, item=item).version == SAVES
    timings.sort()
    print(
        f"autosave of a {len(text):,}-character answer, {SAVES} saves: "
        f"median {statistics.median(timings):.1f} ms, p95 {timings[int(SAVES * 0.95)]:.1f} ms, "
        f"{len(queries.captured_queries)} queries each"
    )
