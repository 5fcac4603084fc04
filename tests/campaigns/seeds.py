"""The plans of seeds 000 and 003, entered through the services as a user would."""

import datetime
from pathlib import Path

from campaigns import documents, outline, services
from campaigns.models import (
    OutlinePlacement,
    Plan,
    PlanBlock,
    PlanKind,
    PlanSection,
    ReviewForm,
    SubjectDocument,
)
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


# --- Seed 003: plan 174-KH/TU, three sections, content and timing merged ----------

SEED003_SUMMARY = (
    "tổng kết 10 năm thực hiện Quyết định số 221-QĐ/TW, ngày 27 tháng 4 năm 2009 của Ban Bí "
    "thư (khóa X) về ban hành Quy chế phối hợp giữa ban tuyên giáo các cấp với cơ quan quản "
    "lý nhà nước cùng cấp trong việc triển khai kế hoạch phát triển kinh tế - xã hội, giải "
    "quyết các vấn đề bức xúc của nhân dân"
)
SEED003_FIELDS = {
    "issuer_symbol": "TU",
    "place_name": "Gia Lai",
    "kind": PlanKind.FINAL,
    "period_start": 2009,
    "period_end": 2018,
    "summary": SEED003_SUMMARY,
    "introduction": (
        "Thực hiện Quyết định số 221-QĐ/TW, ngày 27 tháng 4 năm 2009 của Ban Bí thư về Quy chế "
        "phối hợp giữa ban tuyên giáo các cấp với cơ quan quản lý nhà nước cùng cấp trong việc "
        "triển khai kế hoạch phát triển kinh tế - xã hội, giải quyết các vấn đề bức xúc của "
        "nhân dân (viết tắt là Quyết định 221-QĐ/TW), Ban Thường vụ Tỉnh ủy (khóa XIII) đã ban "
        "hành Quyết định số 1141-QĐ/TU, ngày 20 tháng 10 năm 2009 về Quy chế phối hợp giữa Ban "
        "Tuyên giáo Tỉnh ủy với Ủy ban nhân dân tỉnh và các cơ quan quản lý nhà nước trực thuộc "
        "Ủy ban nhân dân tỉnh trong việc triển khai kế hoạch phát triển kinh tế - xã hội, giải "
        "quyết các vấn đề bức xúc của nhân dân (viết tắt là Quyết định 1141-QĐ/TU). Nhằm đánh "
        "giá một cách sâu sắc, toàn diện kết quả 10 năm triển khai thực hiện Quyết định "
        "221-QĐ/TW và Quyết định 1141-QĐ/TU, trên cơ sở đó, đề ra nhiệm vụ, giải pháp để tiếp "
        "tục thực hiện công tác phối hợp giữa Ban Tuyên giáo Tỉnh ủy với Ủy ban nhân dân tỉnh "
        "và các cơ quan quản lý nhà nước trực thuộc Ủy ban nhân dân tỉnh trong việc triển khai "
        "kế hoạch phát triển kinh tế - xã hội, giải quyết các vấn đề bức xúc của nhân dân trong "
        "thời gian tới, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch tổng kết, cụ thể như sau:"
    ),
    "review_form": ReviewForm.WRITTEN,
    "lead_commission": "Ban Tuyên giáo Tỉnh ủy",
    "outline_placement": OutlinePlacement.ANNEX,
    "recipients": [
        "Ban Bí thư Trung ương Đảng (để báo cáo)",
        "Ban Tuyên giáo Trung ương (Vụ Tuyên truyền)",
        "Cơ quan Thường trực Ban Tuyên giáo Trung ương tại Đà Nẵng",
        "Ban cán sự đảng Ủy ban nhân dân tỉnh",
        "Các huyện ủy, thị ủy, thành ủy",
        "Lưu Văn phòng Tỉnh ủy",
    ],
    "sign_on_behalf": "T/M BAN THƯỜNG VỤ",
    "signer_position": "PHÓ BÍ THƯ",
    "signer_name": "Hồ Văn Niên",
}
SEED003_SUBJECTS = [
    {
        "doc_type": "Quyết định",
        "number_symbol": "221-QĐ/TW",
        "issued_on": datetime.date(2009, 4, 27),
        "issuer": "Ban Bí thư",
        "title": "về ban hành Quy chế phối hợp giữa ban tuyên giáo các cấp với cơ quan quản lý "
        "nhà nước cùng cấp",
    },
    {
        "doc_type": "Quyết định",
        "number_symbol": "1141-QĐ/TU",
        "issued_on": datetime.date(2009, 10, 20),
        "issuer": "Ban Thường vụ Tỉnh ủy",
        "title": "về Quy chế phối hợp giữa Ban Tuyên giáo Tỉnh ủy với Ủy ban nhân dân tỉnh",
    },
]
SEED003_OUTLINE = (DATA / "seed003_outline.txt").read_text(encoding="utf-8")
# The districts report by 31/12/2018; the province holds its conference by 15/01/2019.
SEED003_DEADLINES = {"huyen": datetime.date(2018, 12, 31), "tinh": datetime.date(2019, 1, 15)}
SEED003_TIMING = [
    "- Ban Thường vụ Tỉnh ủy tổ chức Hội nghị tổng kết 10 năm thực hiện Quyết định 221-QĐ/TW "
    "và Quyết định 1141-QĐ/TU trước ngày 15 tháng 01 năm 2019.",
    "- Các huyện ủy, thị ủy, thành ủy ; Ban cán sự đảng Ủy ban nhân dân tỉnh xây dựng báo cáo "
    "tổng kết (theo đề cương gợi ý) gửi về Ban Thường vụ Tỉnh ủy (qua Ban Tuyên giáo Tỉnh ủy) "
    "trước ngày 31 tháng 12 năm 2018 để tổng hợp, xây dựng báo cáo chung của tỉnh.",
]
SEED003_CROSS_REFERENCE = "đúng thời gian quy định tại điểm 2, Mục 2, Phần II"


def _divs(*paragraphs: str) -> str:
    return "".join(f"<div>{p}</div>" for p in paragraphs)


SEED003_PARTS = [
    {
        "title": "MỤC ĐÍCH, YÊU CẦU",
        "body": _divs(
            "1. Việc tổng kết 10 năm thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU "
            "cần bám sát nội dung phối hợp, trách nhiệm, phương thức lãnh đạo, chỉ đạo được "
            "nêu trong các quyết định để kiểm điểm những việc đã làm được, chưa làm được, hạn "
            "chế, yếu kém tìm ra nguyên nhân và rút ra bài học kinh nghiệm.",
            "2. Thông qua việc tổng kết nhằm nâng cao nhận thức, trách nhiệm của các cấp ủy, "
            "chính quyền trong công tác phối hợp giữa ban tuyên giáo các cấp với cơ quan quản lý "
            "nhà nước cùng cấp để triển khai kế hoạch phát triển kinh tế - xã hội, giải quyết "
            "những vấn đề bức xúc của nhân dân.",
            "3. Cấp ủy các cấp tập trung lãnh đạo, chỉ đạo tổ chức tổng kết thực hiện Quyết định "
            "221-QĐ/TW và Quyết định 1141-QĐ/TU nghiêm túc, thiết thực, hiệu quả, đảm bảo tiến "
            "độ thời gian.",
        ),
    },
    {
        "title": "NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN TỔNG KẾT",
        "body": _divs(
            "1. Nội dung",
            "Báo cáo kết quả 10 năm thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU tập "
            "trung đánh giá toàn diện quá trình lãnh đạo, chỉ đạo, quản lý và tổ chức triển khai "
            "thực hiện ở các cấp. Nội dung báo cáo nêu rõ những ưu điểm, khuyết điểm, đặc biệt là "
            "nguyên nhân chủ quan hạn chế, yếu kém; đồng thời, đề xuất nhiệm vụ, giải pháp thực "
            "hiện hiệu quả trong thời gian tới (<em>gửi kèm Đề cương tổng kết</em>).",
            "2. Cách thức, thời gian tổng kết",
        ),
    },
    # The deadlines block, in the plan's own words (edited from the generated ones).
    {"block": PlanBlock.DEADLINES, "wording": "\n".join(SEED003_TIMING)},
    {
        "title": "TỔ CHỨC THỰC HIỆN",
        "body": _divs(
            "1. Các huyện ủy, thị ủy, thành ủy; Ban cán sự đảng Ủy ban nhân dân tỉnh bám sát nội "
            "dung Kế hoạch, chỉ đạo các cơ quan, đơn vị trực thuộc tổng kết 10 năm thực hiện "
            "Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU đảm bảo đúng thực chất, hiệu quả; tổ "
            "chức tổng kết việc triển khai thực hiện Quyết định 221-QĐ/TW và Quyết định "
            f"1141-QĐ/TU bằng văn bản, đảm bảo {SEED003_CROSS_REFERENCE} của Kế hoạch này.",
            "2. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan, đơn vị liên quan giúp "
            "Ban Thường vụ Tỉnh ủy đôn đốc, kiểm tra việc thực hiện Kế hoạch và tổng hợp dự thảo "
            "Báo cáo tổng kết việc thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU đảm "
            "bảo chất lượng, đúng thời gian quy định; đồng thời, chủ động chuẩn bị nội dung, "
            "chương trình, các điều kiện cần thiết tham mưu Ban Thường vụ Tỉnh ủy tổ chức Hội "
            "nghị tổng kết cấp tỉnh đảm bảo tiết kiệm, thiết thực, phù hợp và hiệu quả.",
        ),
    },
]


def seed003_plan(
    unit: OrgUnit, levels: dict, *, number: int = 174, own_wording: bool = True
) -> Plan:
    """Plan 174-KH/TU of 03/12/2018 as its office would enter it: three sections,
    II merging content and timing, its deadlines as the block of II's point 2 (in
    the plan's own words unless ``own_wording=False``), the outline as the ĐỀ
    CƯƠNG annex. ``levels`` by code (the ``levels`` fixture)."""
    plan = services.new_plan(issuing_unit=unit, issued_on=datetime.date(2018, 12, 3))
    plan.number = number
    for field, value in SEED003_FIELDS.items():
        setattr(plan, field, value)
    plan.save()
    for position, subject in enumerate(SEED003_SUBJECTS):
        SubjectDocument.objects.create(plan=plan, position=position, **subject)
    result = outline.import_text(plan=plan, text=SEED003_OUTLINE, replace=True)
    assert not result.errors, result.errors
    plan.participating_levels.set([levels["huyen"]])
    services.set_deadlines(
        plan=plan,
        deadlines=[
            services.DeadlineCheck(levels[code], due) for code, due in SEED003_DEADLINES.items()
        ],
    )
    data = documents.BodyData.of(plan)
    for position, part in enumerate(SEED003_PARTS):
        part = dict(part)
        if part.get("wording"):
            if own_wording:
                part["wording_source"] = documents.generated_text(part["block"], data)
            else:
                part["wording"] = ""
        PlanSection.objects.create(plan=plan, position=position, **part)
    return plan
