"""The demo campaign's plan on the demo province: seed 000's plan, dated so
that grassroots units are a few days late, and published (reports.demo then
fills some of its reports in)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from orgunits.models import IssuingBody, Level, OrgUnit

from . import outline, services
from .models import Plan, PlanKind, ReviewForm, SubjectDocument

DEMO_NUMBER = 285
OUTLINE = Path(__file__).resolve().parent / "fixtures" / "seed000_outline.txt"

SUMMARY = (
    "sơ kết 03 năm triển khai thực hiện Quyết định số 553-QĐ/TU, ngày 14 tháng 3 năm 2017 "
    "của Ban Thường vụ Tỉnh ủy về Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp "
    "ủy, chính quyền các cấp với nhân dân trên địa bàn tỉnh"
)


@transaction.atomic
def load_plan() -> Plan | None:
    """Create and publish the demo plan once; None if it exists already."""
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
    purpose = (
        "<div>1. Đánh giá những kết quả đạt được trong triển khai thực hiện Quyết định "
        "553-QĐ/TU.</div><div>2. Công tác sơ kết phải được chỉ đạo thực hiện từ cơ sở, đảm bảo "
        "nghiêm túc, thiết thực, hiệu quả.</div>"
    )
    implementation = (
        "<div>1. Các huyện ủy, thị ủy, thành ủy tiến hành sơ kết và gửi báo cáo về Ban Thường vụ "
        "Tỉnh ủy (qua Ban Dân vận Tỉnh ủy).</div>"
    )
    plan.review_form = ReviewForm.WRITTEN
    plan.lead_commission = "Ban Dân vận Tỉnh ủy"
    # Reports go "(qua Ban Dân vận Tỉnh ủy Gia Lai)": the province's commission.
    plan.lead_body = IssuingBody.objects.filter(unit=province, symbol="BDVTU").first()
    plan.recipients = ["Các huyện ủy, thị ủy, thành ủy", "Lưu Văn phòng Tỉnh ủy"]
    plan.signer_name = "Dương Văn Trang"
    plan.save()
    services.seed_sections(plan, purpose=purpose, implementation=implementation)
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
    return plan
