"""A published demo campaign on the demo province: seed 000's plan, dated so
that grassroots units are a few days late, with reports in every state."""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from orgunits.models import Level, OrgUnit
from reports.models import Answer, Report, ReportStatus

from . import outline, services
from .models import AnswerType, Plan, PlanKind, ReviewForm, SubjectDocument

DEMO_NUMBER = 285
OUTLINE = Path(__file__).resolve().parent / "fixtures" / "seed000_outline.txt"

SUMMARY = (
    "sơ kết 03 năm triển khai thực hiện Quyết định số 553-QĐ/TU, ngày 14 tháng 3 năm 2017 "
    "của Ban Thường vụ Tỉnh ủy về Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp "
    "ủy, chính quyền các cấp với nhân dân trên địa bàn tỉnh"
)


@transaction.atomic
def load_campaign() -> Plan | None:
    """Create the demo campaign once; None if it exists already."""
    province = OrgUnit.objects.get(code="GL")
    if Plan.objects.filter(issuing_unit=province, number=DEMO_NUMBER).exists():
        return None
    today = timezone.localdate()
    plan = services.new_plan(issuing_unit=province, issued_on=today - datetime.timedelta(days=20))
    plan.number = DEMO_NUMBER
    plan.kind = PlanKind.INTERIM
    plan.period_start, plan.period_end = today.year - 3, today.year
    plan.summary = SUMMARY
    plan.introduction = (
        "Thực hiện Chương trình làm việc năm nay, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch sơ kết "
        "03 năm thực hiện Quyết định 553-QĐ/TU, cụ thể như sau:"
    )
    plan.purpose = (
        "<div>1. Đánh giá những kết quả đạt được trong triển khai thực hiện Quyết định "
        "553-QĐ/TU.</div><div>2. Công tác sơ kết phải được chỉ đạo thực hiện từ cơ sở, đảm bảo "
        "nghiêm túc, thiết thực, hiệu quả.</div>"
    )
    plan.implementation = (
        "<div>1. Các huyện ủy, thị ủy, thành ủy tiến hành sơ kết và gửi báo cáo về Ban Thường vụ "
        "Tỉnh ủy (qua Ban Dân vận Tỉnh ủy).</div>"
    )
    plan.review_form = ReviewForm.WRITTEN
    plan.lead_commission = "Ban Dân vận Tỉnh ủy"
    plan.recipients = ["Các huyện ủy, thị ủy, thành ủy", "Lưu Văn phòng Tỉnh ủy"]
    plan.signer_name = "Dương Văn Trang"
    plan.save()
    SubjectDocument.objects.create(
        plan=plan,
        doc_type="Quyết định",
        number_symbol="553-QĐ/TU",
        issued_on=datetime.date(2017, 3, 14),
        issuer="Ban Thường vụ Tỉnh ủy",
        title="về Quy chế tiếp xúc, đối thoại trực tiếp",
        short_form="Quyết định 553-QĐ/TU",
    )
    outline.import_text(plan=plan, text=OUTLINE.read_text(encoding="utf-8"), replace=True)
    levels = {level.code: level for level in Level.objects.all()}
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    services.set_deadlines(
        plan=plan,
        deadlines=[
            services.DeadlineCheck(levels["co-so"], today - datetime.timedelta(days=4)),
            services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=6)),
            services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=13)),
        ],
    )
    coordinator = get_user_model().objects.get(username="tinh.dieuphoi")
    services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    _spread_states(plan, today)
    return plan


def _spread_states(plan: Plan, today: datetime.date) -> None:
    """Some communes submitted (on time or late), some are writing, some not started."""
    rng = random.Random(DEMO_NUMBER)
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
            elif item.answer_type in (AnswerType.INTEGER, AnswerType.DECIMAL):
                values = {"number": rng.randint(0, 12)}
            elif item.answer_type == AnswerType.POINTS:
                values = {"points": rng.sample(POINTS, 2)}
            else:
                values = {"text": "".join(f"<div>{s}</div>" for s in rng.sample(SENTENCES, 2))}
            answers.append(Answer(report=report, item=item, version=1, **values))
    Answer.objects.bulk_create(answers, batch_size=1000)
