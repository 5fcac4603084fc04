"""The plans of seeds 000 and 003, entered through the services as a user would."""

import datetime
from pathlib import Path

from campaigns import outline, services
from campaigns.models import Plan, PlanKind, ReviewForm, SubjectDocument
from orgunits.models import OrgUnit

DATA = Path(__file__).parent / "data"

SEED000_SUMMARY = (
    "sơ kết 03 năm triển khai thực hiện Quyết định số 553-QĐ/TU, ngày 14 tháng 3 năm 2017 "
    "của Ban Thường vụ Tỉnh ủy về Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp "
    "ủy, chính quyền các cấp với nhân dân trên địa bàn tỉnh; Quyết định số 554-QĐ/TU, ngày 14 "
    "tháng 3 năm 2017 của Ban Thường vụ Tỉnh ủy về Quy định trách nhiệm của các cấp ủy, tổ chức "
    "đảng, chính quyền trong việc tiếp thu ý kiến đóng góp xây dựng đảng, xây dựng chính quyền"
)
SEED000_RECIPIENTS = [
    "Cơ quan Thường trực Ban Dân vận Trung ương tại Đà Nẵng (để báo cáo)",
    "Ban cán sự đảng Ủy ban nhân dân tỉnh",
    "Các huyện ủy, thị ủy, thành ủy",
    "Đảng đoàn Mặt trận Tổ quốc Việt Nam và các đoàn thể chính trị - xã hội tỉnh, "
    "Ban Thường vụ Tỉnh đoàn",
    "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy",
    "Lưu Văn phòng Tỉnh ủy",
]


# What the province's office typed into plan 279-KH/TU (PlanFactory(seed000=True) too).
SEED000_FIELDS = {
    "issuer_symbol": "TU",
    "place_name": "Gia Lai",
    "kind": PlanKind.INTERIM,
    "period_start": 2017,
    "period_end": 2020,
    "summary": SEED000_SUMMARY,
    "introduction": (
        "Thực hiện Chương trình làm việc năm 2020, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch sơ "
        "kết 03 năm thực hiện Quyết định 553-QĐ/TU, Quyết định 554-QĐ/TU, cụ thể như sau:"
    ),
    "review_form": ReviewForm.WRITTEN,
    "lead_commission": "Ban Dân vận Tỉnh ủy",
    "recipients": SEED000_RECIPIENTS,
    "sign_on_behalf": "T/M BAN THƯỜNG VỤ",
    "signer_position": "BÍ THƯ",
    "signer_name": "Dương Văn Trang",
}
# What it typed into its sections (services.skeleton's keywords).
SEED000_TEXTS = {
    "purpose": (
        "<div>1. Việc sơ kết 03 năm thực hiện Quyết định 553-QĐ/TU, Quyết định 554-QĐ/TU nhằm "
        "đánh giá những kết quả đạt được trong triển khai thực hiện.</div>"
        "<div>2. Công tác sơ kết phải được chỉ đạo thực hiện từ cơ sở, đảm bảo nghiêm túc, "
        "thiết thực, hiệu quả.</div>"
    ),
    "implementation": (
        "<div>1. Các huyện ủy, thị ủy, thành ủy tiến hành sơ kết và gửi báo cáo về Ban Thường "
        "vụ Tỉnh ủy (qua Ban Dân vận Tỉnh ủy) trước 24 tháng 3 năm 2020 để tổng hợp.</div>"
    ),
}
SEED000_SUBJECTS = [
    {
        "doc_type": "Quyết định",
        "number_symbol": number_symbol,
        "issued_on": datetime.date(2017, 3, 14),
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "title": title,
        "short_form": f"Quyết định {number_symbol}",
    }
    for number_symbol, title in [
        (
            "553-QĐ/TU",
            "về Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy, "
            "chính quyền các cấp với nhân dân trên địa bàn tỉnh",
        ),
        (
            "554-QĐ/TU",
            "về Quy định trách nhiệm của các cấp ủy, tổ chức đảng, chính quyền "
            "trong việc tiếp thu ý kiến đóng góp xây dựng đảng, xây dựng chính quyền",
        ),
    ]
]
SEED000_OUTLINE = (DATA / "seed000_outline.txt").read_text(encoding="utf-8")
# The deadlines by level code: grassroots 12/3, districts 24/3, the province 31/3/2020.
SEED000_DEADLINES = {
    "co-so": datetime.date(2020, 3, 12),
    "huyen": datetime.date(2020, 3, 24),
    "tinh": datetime.date(2020, 3, 31),
}


def seed000_plan(unit: OrgUnit, *, number: int = 279) -> Plan:
    plan = services.new_plan(issuing_unit=unit, issued_on=datetime.date(2020, 2, 25))
    plan.number = number
    for field, value in SEED000_FIELDS.items():
        setattr(plan, field, value)
    plan.save()
    services.seed_sections(plan, **SEED000_TEXTS)
    for position, subject in enumerate(SEED000_SUBJECTS):
        SubjectDocument.objects.create(plan=plan, position=position, **subject)
    result = outline.import_text(plan=plan, text=SEED000_OUTLINE, replace=True)
    assert not result.errors, result.errors
    return plan


def seed000_deadlines(plan: Plan, levels: dict) -> None:
    services.set_deadlines(
        plan=plan,
        deadlines=[
            services.DeadlineCheck(levels[code], due) for code, due in SEED000_DEADLINES.items()
        ],
    )
