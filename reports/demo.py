"""The demo campaign with reports in every state: some communes submitted (on
time or late), some are writing, some have not started."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from campaigns import demo as plan_demo
from campaigns.models import NUMBER_TYPES, AnswerType, Plan

from .models import Answer, Report, ReportStatus


@transaction.atomic
def load_campaign() -> Plan | None:
    """Publish the demo plan once (``campaigns.demo``) and fill some of its
    reports in; None if it exists already."""
    plan = plan_demo.load_plan()
    if plan is None:
        return None
    _spread_states(plan, timezone.localdate())
    return plan


def _spread_states(plan: Plan, today: datetime.date) -> None:
    """Some communes submitted (on time or late), some are writing, some not started."""
    rng = random.Random(plan_demo.DEMO_NUMBER)
    now = timezone.now()
    reports = list(
        Report.objects.filter(campaign=plan, unit__level__code="co-so")
        .exclude(unit__code__startswith="GL.CS.IABLANG")
        .order_by("unit__path")
    )
    for report in reports:
        roll = rng.random()
        if roll < 0.45:
            days_ago = rng.choice([5, 6, 7, 8, 9, 2, 3])
            report.status = ReportStatus.ACCEPTED if roll < 0.2 else ReportStatus.SUBMITTED
            report.submitted_at = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 6))
            report.is_late = timezone.localdate(report.submitted_at) > report.due_on
        elif roll < 0.65:
            report.status = ReportStatus.DRAFT
    Report.objects.bulk_update(reports, ["status", "submitted_at", "is_late"], batch_size=500)
    _answer(plan, [r for r in reports if r.status != ReportStatus.PENDING], rng)


SENTENCES = [
    "Đảng ủy đã quán triệt đầy đủ Quyết định đến cán bộ, đảng viên và nhân dân.",
    "Ban hành kế hoạch thực hiện, phân công rõ trách nhiệm người đứng đầu.",
    "Các cuộc tiếp xúc, đối thoại được chuẩn bị chu đáo, đúng quy trình.",
    "Ý kiến, kiến nghị của nhân dân được tiếp thu và giải quyết kịp thời.",
    "Công tác kiểm tra, giám sát được thực hiện thường xuyên.",
]
POINTS = [
    "Cấp ủy quan tâm lãnh đạo, chỉ đạo sát sao.",
    "Nhân dân đồng tình, ủng hộ, tích cực tham gia.",
    "Một số cuộc đối thoại còn hình thức.",
    "Kinh phí tổ chức đối thoại còn hạn chế.",
    "Việc giải quyết một số kiến nghị còn chậm.",
    "Cần hướng dẫn cụ thể hơn quy trình tiếp xúc, đối thoại.",
]


def _answer(plan: Plan, reports: list[Report], rng: random.Random) -> None:
    """Answers for the reports that were started: figures, narratives, points."""
    years = [str(y) for y in range(plan.period_start, plan.period_end + 1)]
    answers = []
    for item in plan.outline_items.filter(is_heading=False):
        for report in reports:
            if item.answer_type == AnswerType.INTEGER_PER_YEAR:
                values = {"per_year": {y: rng.randint(1, 6) for y in years}}
            elif item.answer_type in NUMBER_TYPES:
                values = {"number": rng.randint(0, 12)}
            elif item.answer_type == AnswerType.POINTS:
                values = {"points": rng.sample(POINTS, 2)}
            else:
                values = {"text": "".join(f"<div>{s}</div>" for s in rng.sample(SENTENCES, 2))}
            answers.append(Answer(report=report, item=item, version=1, **values).fill_plain())
    Answer.objects.bulk_create(answers, batch_size=1000)
