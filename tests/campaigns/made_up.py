"""A plan shaped like none of the seeds, as its author would type it.

Issued by a body that is not a unit: the steering committee of a bloc party
committee ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH KON TUM / BAN CHỈ ĐẠO …", symbol
"-KH/BCĐ", signed "T/M BAN CHỈ ĐẠO / TRƯỞNG BAN"); three sections numbered
"I." with content, form and timing merged in II; the outline both as a short
list in II and as the ĐỀ CƯƠNG annex; the grassroots' deadline a month
("trong tháng 11 năm 2025") with a day for sending the report.

The data is used twice: :func:`build` enters it through the services (the
golden page images), and ``tests/browser/test_made_up_plan.py`` types it into
the composer as a user would and checks both print the same.
"""

from __future__ import annotations

import datetime

from campaigns import outline, services
from campaigns.models import (
    DeadlineKind,
    OutlinePlacement,
    Plan,
    PlanBlock,
    PlanKind,
    PlanSection,
    ReviewForm,
    SectionStyle,
    SubjectDocument,
)
from orgunits.models import IssuingBody, IssuingBodyKind, Level, OrgUnit, OrgUnitKind
from tests.factories import add_unit

PROVINCE = {"code": "KT", "name": "Tỉnh ủy Kon Tum", "symbol": "TU", "place_name": "Kon Tum"}
BLOC = {
    "code": "KT-DUK",
    "name": "Đảng ủy Khối các cơ quan tỉnh Kon Tum",
    "symbol": "ĐUK",
    "place_name": "Kon Tum",
}
GRASSROOTS = [
    ("KT-DUK-01", "Đảng ủy Sở Tài chính", OrgUnitKind.GRASSROOTS_COMMITTEE),
    ("KT-DUK-02", "Đảng ủy Sở Y tế", OrgUnitKind.GRASSROOTS_COMMITTEE),
    ("KT-DUK-03", "Chi bộ Văn phòng Sở Tư pháp", OrgUnitKind.PARTY_CELL),
]

BODY = {
    "kind": IssuingBodyKind.STEERING_COMMITTEE,
    "name": "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ",
    "phrase": "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở Đảng ủy Khối",
    "symbol": "BCĐ",
    "authority": "T/M",
    "sign_for": "BAN CHỈ ĐẠO",
    "signer_position": "TRƯỞNG BAN",
    "signer_name": "A Pớt",
}
HEADER = ("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH KON TUM", "BAN CHỈ ĐẠO THỰC HIỆN QUY CHẾ DÂN CHỦ Ở CƠ SỞ")
NUMBER_SYMBOL = "07-KH/BCĐ"

PLAN = {
    "number": 7,
    "issued_on": datetime.date(2025, 9, 5),
    "place_name": "Kon Tum",
    "kind": PlanKind.FINAL,
    "period_start": 2020,
    "period_end": 2025,
    "summary": (
        "tổng kết 05 năm thực hiện Kết luận số 120-KL/TW, ngày 07 tháng 01 năm 2016 của Bộ "
        "Chính trị về tiếp tục đẩy mạnh, nâng cao chất lượng, hiệu quả việc xây dựng và thực "
        "hiện Quy chế dân chủ ở cơ sở trong Đảng bộ Khối"
    ),
    "introduction": (
        "Thực hiện Kế hoạch số 112-KH/TU, ngày 12 tháng 8 năm 2025 của Ban Thường vụ Tỉnh ủy, "
        "Ban Chỉ đạo thực hiện Quy chế dân chủ ở cơ sở Đảng ủy Khối xây dựng Kế hoạch tổng kết "
        "như sau:"
    ),
    "review_form": ReviewForm.CONFERENCE,
    "conference_date": datetime.date(2025, 12, 10),
}
SUBJECT = {
    "doc_type": "Kết luận",
    "number_symbol": "120-KL/TW",
    "issued_on": datetime.date(2016, 1, 7),
    "issuer": "Bộ Chính trị",
    "title": (
        "về tiếp tục đẩy mạnh, nâng cao chất lượng, hiệu quả việc xây dựng và thực hiện Quy "
        "chế dân chủ ở cơ sở"
    ),
    "short_form": "Kết luận 120-KL/TW",
}
RECIPIENTS = [
    "Ban Thường vụ Đảng ủy Khối (để báo cáo)",
    "Ban Dân vận Tỉnh ủy (để báo cáo)",
    "Các đảng ủy, chi bộ cơ sở trực thuộc",
    "Lưu Văn phòng Đảng ủy Khối",
]

OUTLINE = """\
1. Công tác lãnh đạo, chỉ đạo việc xây dựng và thực hiện Quy chế dân chủ
1.1. Việc ban hành văn bản, kế hoạch của cấp ủy và cơ quan, đơn vị.
1.2. Công tác tuyên truyền, quán triệt.
2. Kết quả thực hiện Quy chế dân chủ ở cơ sở
2.1. Những việc phải công khai để cán bộ, công chức, viên chức biết.
2.2. Những việc cán bộ, công chức, viên chức tham gia ý kiến, giám sát.
2.3. Số hội nghị cán bộ, công chức, viên chức đã tổ chức.
3. Đánh giá chung, phương hướng và kiến nghị
3.1. Ưu điểm, hạn chế và nguyên nhân.
3.2. Bài học kinh nghiệm.
3.3. Phương hướng, nhiệm vụ, giải pháp; kiến nghị, đề xuất.
"""

# What the author types in each part, one paragraph per line (the editor
# makes one block per paragraph).
PARTS = [
    {
        "title": "MỤC ĐÍCH, YÊU CẦU",
        "paragraphs": [
            "1. Đánh giá đúng thực chất kết quả 05 năm thực hiện Kết luận 120-KL/TW trong "
            "Đảng bộ Khối; chỉ rõ ưu điểm, hạn chế, nguyên nhân và rút ra bài học kinh nghiệm.",
            "2. Việc tổng kết tiến hành nghiêm túc, thiết thực, tránh hình thức, gắn với việc "
            "thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị.",
        ],
    },
    {
        "title": "NỘI DUNG, HÌNH THỨC VÀ THỜI GIAN TỔNG KẾT",
        "paragraphs": ["1. Nội dung tổng kết"],
        "block": PlanBlock.OUTLINE,
    },
    {
        "paragraphs": [
            "2. Hình thức, thời gian",
            "Các đảng ủy, chi bộ cơ sở tổng kết bằng văn bản; Đảng ủy Khối tổ chức hội nghị "
            "tổng kết trước ngày 10 tháng 12 năm 2025.",
        ],
        "block": PlanBlock.DEADLINES,
    },
    {
        "title": "TỔ CHỨC THỰC HIỆN",
        "paragraphs": [
            "1. Các đảng ủy, chi bộ cơ sở xây dựng báo cáo theo đề cương, bảo đảm thời gian quy "
            "định tại điểm 2, Mục II của Kế hoạch này.",
            "2. Văn phòng Đảng ủy Khối giúp Ban Chỉ đạo theo dõi, đôn đốc, tổng hợp báo cáo.",
        ],
    },
]

# The grassroots' deadline: the month of November 2025, the report sent by 05/12.
DEADLINE = {
    "kind": DeadlineKind.MONTH,
    "due_on": datetime.date(2025, 11, 30),
    "report_by": datetime.date(2025, 12, 5),
}
DEADLINE_LINE = (
    "- Cấp cơ sở: Hoàn thành trong tháng 11 năm 2025; gửi báo cáo về cấp trên trước ngày "
    "05 tháng 12 năm 2025."
)


def body_html(paragraphs: list[str]) -> str:
    return "".join(f"<div>{text}</div>" for text in paragraphs)


def units(levels: dict[str, Level]) -> dict[str, OrgUnit]:
    """The province, its bloc committee (district level) and three grassroots units."""
    province = add_unit(None, PROVINCE["code"], levels["tinh"], **_unit(PROVINCE))
    bloc = add_unit(
        province, BLOC["code"], levels["huyen"], kind=OrgUnitKind.BLOC_COMMITTEE, **_unit(BLOC)
    )
    made = {"province": province, "bloc": bloc}
    for code, name, kind in GRASSROOTS:
        made[code] = add_unit(bloc, code, levels["co-so"], name=name, symbol="ĐU", kind=kind)
    for unit in made.values():
        unit.refresh_from_db()
    return made


def _unit(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "code"}


def body(bloc: OrgUnit) -> IssuingBody:
    return IssuingBody.objects.create(unit=bloc, position=1, **BODY)


def build(levels: dict[str, Level]) -> Plan:
    """The made-up plan entered through the services, as the composer saves it."""
    bloc = units(levels)["bloc"]
    plan = services.new_plan(body=body(bloc), issued_on=PLAN["issued_on"])
    for field, value in PLAN.items():
        setattr(plan, field, value)
    plan.recipients = RECIPIENTS
    plan.section_style = SectionStyle.DOT
    plan.outline_placement = OutlinePlacement.BOTH
    plan.save()
    SubjectDocument.objects.create(plan=plan, position=0, **SUBJECT)
    result = outline.import_text(plan=plan, text=OUTLINE, replace=True)
    assert not result.errors, result.errors
    plan.participating_levels.set([levels["co-so"]])
    services.set_deadlines(
        plan=plan, deadlines=[services.DeadlineCheck(levels["co-so"], **DEADLINE)]
    )
    for position, part in enumerate(PARTS):
        PlanSection.objects.create(
            plan=plan,
            position=position,
            title=part.get("title", ""),
            body=body_html(part["paragraphs"]),
            block=part.get("block", ""),
        )
    return Plan.objects.get(pk=plan.pk)
