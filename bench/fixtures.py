"""The data of the table's benches, built once per run and shared by them: the
2,526-unit province of issue #17 (25 districts × 100 communes and the
province), with

- a consolidation campaign (90 % of the reports accepted, no district
  consolidated yet, about ten narrative answers a unit): the board, the
  workspace, the consolidated PDF and the roll-up;
- a campaign on deadline day (every report a draft with its required items
  answered, an approver and a reporter per commune): the report form with
  autosaves, and the burst of submissions.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from bench import live, trees
from bench.consolidation import make_campaign
from bench.workspace import more_texts
from campaigns import services as plan_services
from campaigns.models import AnswerType, OutlineItem, Plan
from orgunits.models import Level, Membership, OrgUnit, Role
from reports.models import Answer, Report

DISTRICTS, COMMUNES = 25, 2500


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load


@functools.cache
def province() -> OrgUnit:
    return trees.province("BK", DISTRICTS, COMMUNES)


def _user(username: str, unit: OrgUnit, role: str):
    user = get_user_model().objects.create_user(username=username, password=None)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@dataclass
class Consolidation:
    plan: Plan
    province: OrgUnit
    own: Report  # the province's report, whose workspace and PDF are measured
    coordinator: live.Session  # a coordinator of the province (board, workspace, build)
    coordinator_user: object
    units: int


@functools.cache
def consolidation() -> Consolidation:
    plan, unit = make_campaign("", 0, 0, districts_waiting=True, province=province())
    own = Report.objects.get(campaign=plan, unit=unit)
    more_texts(plan, own)
    user = _user("bench.coordinator", unit, Role.COORDINATOR)
    _analyze()
    (session,) = live.sessions([user])
    units = Report.objects.filter(campaign=plan).count()
    return Consolidation(plan, unit, own, session, user, units)


@dataclass
class DeadlineDay:
    plan: Plan
    reports: list[Report]  # the communes', in order
    approvers: list[live.Session]  # of each report's unit, in the same order
    reporters: list[live.Session]
    text_item: OutlineItem  # an item the reporters autosave


@functools.cache
def deadline_day() -> DeadlineDay:
    """Every commune's report a draft whose required items are answered, due
    in five days; one approver and one reporter per commune."""
    unit = province()
    levels = {level.code: level for level in Level.objects.all()}
    from tests.campaigns.seeds import seed000_plan

    plan = seed000_plan(unit, number=281)
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    today = timezone.localdate()
    plan.issued_on = today - datetime.timedelta(days=20)
    plan.save()
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], today + datetime.timedelta(days=5)),
            plan_services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=10)),
            plan_services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=15)),
        ],
    )
    plan_services.publish(plan=plan, by=None)
    plan.refresh_from_db()
    reports = list(
        Report.objects.filter(campaign=plan, unit__depth=unit.depth + 2)
        .select_related("unit")
        .order_by("unit__path")
    )
    required = list(plan.outline_items.filter(required=True, is_heading=False))
    text = "<p>Đảng ủy xã đã quán triệt, triển khai thực hiện nghiêm túc kế hoạch.</p>"
    answers = [
        Answer(report=report, item=item, version=1, text=text)
        for report in reports
        for item in required
    ]
    Answer.objects.bulk_create([a.fill_plain() for a in answers], batch_size=2000)
    User = get_user_model()
    approvers = User.objects.bulk_create(
        [User(username=f"bench.approver.{n}", password="!") for n in range(len(reports))],
        batch_size=1000,
    )
    reporters = User.objects.bulk_create(
        [User(username=f"bench.reporter.{n}", password="!") for n in range(len(reports))],
        batch_size=1000,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, unit=report.unit, role=role)
            for users, role in ((approvers, Role.APPROVER), (reporters, Role.REPORTER))
            for user, report in zip(users, reports, strict=True)
        ],
        batch_size=2000,
    )
    _analyze()
    text_item = (
        plan.outline_items.filter(is_heading=False, answer_type=AnswerType.TEXT, required=False)
        .order_by("position")
        .first()
    ) or plan.outline_items.filter(is_heading=False, answer_type=AnswerType.TEXT).first()
    return DeadlineDay(plan, reports, live.sessions(approvers), live.sessions(reporters), text_item)
