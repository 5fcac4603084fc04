"""The golden documents, each built from the app's own code on data of its own.

Every builder takes nothing, writes what it needs into the (test) database
and returns the :class:`~documents.content.OfficialDocument` the app would
render. The harness runs each builder in a transaction it rolls back, so the
builders never see each other's rows and may reuse unit codes.

The seed 003 plan and the made-up plan are isolated functions on purpose:
when ``tests/campaigns/seeds.py`` gets a seed 003 builder, or plans get
sections as data and deadlines as month/period, the lead swaps the body of
:func:`seed003_plan` / :func:`made_up_plan` and regenerates the goldens
(``make golden``).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from pathlib import Path

from campaigns import documents as plan_documents
from campaigns import outline, services
from campaigns.models import AnswerType, Plan, PlanKind, ReviewForm, SubjectDocument
from consolidation import documents as consolidation_documents
from consolidation import rollup
from documents.content import OfficialDocument
from orgunits import demo
from orgunits.models import Level, OrgUnit, OrgUnitKind, Role
from reports import documents as report_documents
from reports.demo import POINTS, SENTENCES
from reports.models import Report, ReportStatus
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import AnswerFactory, MembershipFactory, add_unit

SEEDS_DATA = Path(__file__).resolve().parent.parent / "campaigns" / "data"


# ------------------------------------------------------------ shared data


def _levels() -> dict[str, Level]:
    levels = {}
    for code, name, rank in demo.LEVELS:
        levels[code], _created = Level.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank}
        )
    return levels


def _gia_lai(levels: dict[str, Level]) -> dict[str, OrgUnit]:
    """Province P (Tỉnh ủy Gia Lai); districts D1, D2 with two communes each."""
    units = {"P": add_unit(None, "P", levels["tinh"], name="Tỉnh ủy Gia Lai", symbol="TU")}
    for number, district in ((1, "Huyện ủy Chư Sê"), (2, "Thị ủy An Khê")):
        code = f"D{number}"
        units[code] = add_unit(
            units["P"], code, levels["huyen"], name=district, symbol="HU" if number == 1 else "TU"
        )
        for commune in (1, 2):
            ccode = f"{code}C{commune}"
            units[ccode] = add_unit(
                units[code],
                ccode,
                levels["co-so"],
                name=f"Đảng ủy xã Ia {'Blang' if commune == 1 else 'Pal'} {number}",
                symbol="ĐU",
                kind=OrgUnitKind.GRASSROOTS_COMMITTEE,
            )
    for unit in units.values():
        unit.refresh_from_db()
    return units


def _published_seed000(units: dict[str, OrgUnit], levels: dict[str, Level]) -> Plan:
    plan = seed000_plan(units["P"])
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    coordinator = MembershipFactory(unit=units["P"], role=Role.COORDINATOR).user
    services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    return plan


def _answer_types(plan: Plan) -> None:
    """Some items of seed 000's outline ask for figures, a choice, points."""
    kinds = {
        "1.2.": (AnswerType.INTEGER, []),
        "2.1.": (AnswerType.INTEGER_PER_YEAR, []),
        "2.3.": (AnswerType.POINTS, []),
        "3.1.": (AnswerType.CHOICE, ["Tốt", "Khá", "Trung bình"]),
    }
    for item in plan.outline_items.filter(numbering__in=kinds):
        item.answer_type, item.choices = kinds[item.numbering]
        item.is_heading = False
        item.save()


def _fill(report: Report, seed: int) -> None:
    """Answers to every answerable item, the same on every run."""
    rng = random.Random(seed)
    years = [str(y) for y in range(report.plan.period_start, report.plan.period_end + 1)]
    for item in report.plan.outline_items.filter(is_heading=False).order_by("position"):
        kind = item.answer_type
        if kind == AnswerType.INTEGER_PER_YEAR:
            values = {"per_year": {y: rng.randint(1, 6) for y in years}}
        elif kind in (AnswerType.INTEGER, AnswerType.DECIMAL):
            values = {"number": rng.randint(0, 12)}
        elif kind == AnswerType.POINTS:
            values = {"points": rng.sample(POINTS, 3)}
        elif kind == AnswerType.CHOICE:
            values = {"choice": rng.choice(item.choices)}
        elif kind == AnswerType.BOOLEAN:
            values = {"boolean": rng.random() < 0.5}
        else:
            values = {"text": "".join(f"<div>{s}</div>" for s in rng.sample(SENTENCES, 3))}
        AnswerFactory(report=report, item=item, **values)


def _sign(report: Report, number: int, day: datetime.date, signer: str, **fields) -> Report:
    report.number, report.issued_on, report.signer_name = number, day, signer
    for name, value in fields.items():
        setattr(report, name, value)
    report.save()
    return report


# ------------------------------------------------------------ the documents


def seed000_plan_document() -> OfficialDocument:
    """Kế hoạch 279-KH/TU of the Gia Lai Provincial Committee (seed 000)."""
    levels = _levels()
    units = _gia_lai(levels)
    return plan_documents.build(_published_seed000(units, levels))


def commune_report() -> OfficialDocument:
    """Báo cáo of a grassroots committee on seed 000, every item answered."""
    levels = _levels()
    units = _gia_lai(levels)
    plan = _published_seed000(units, levels)
    _answer_types(plan)
    report = Report.objects.get(campaign=plan, unit=units["D1C1"])
    _fill(report, seed=1)
    report.status = ReportStatus.ACCEPTED
    _sign(
        report,
        15,
        datetime.date(2020, 3, 9),
        "Nguyễn Văn Hùng",
        issuer_symbol="ĐU",
        sign_on_behalf="T/M ĐẢNG ỦY",
        signer_position="BÍ THƯ",
    )
    return report_documents.build(Report.objects.get(pk=report.pk))


def consolidated_report() -> OfficialDocument:
    """The province's consolidated Báo cáo on seed 000 with PHỤ LỤC 1 and 2:
    D1 accepted over its communes (one late), D2 only through one commune,
    one commune without a report. Built synchronously, as the Celery job does."""
    levels = _levels()
    units = _gia_lai(levels)
    plan = _published_seed000(units, levels)
    _answer_types(plan)
    states = {
        "D1C1": (ReportStatus.ACCEPTED, False),
        "D1C2": (ReportStatus.ACCEPTED, True),
        "D1": (ReportStatus.ACCEPTED, False),
        "D2C1": (ReportStatus.ACCEPTED, False),
        "D2C2": (ReportStatus.PENDING, False),
        "P": (ReportStatus.DRAFT, False),
    }
    for seed, (code, (status, late)) in enumerate(states.items(), start=10):
        report = Report.objects.get(campaign=plan, unit=units[code])
        report.status, report.is_late = status, late
        report.save()
        if status != ReportStatus.PENDING:
            _fill(report, seed=seed)
    report = Report.objects.select_related(
        "unit__level", "plan__issuing_unit", "campaign", "term"
    ).get(campaign=plan, unit=units["P"])
    _sign(
        report,
        312,
        datetime.date(2020, 3, 30),
        "Dương Văn Trang",
        issuer_symbol="TU",
        sign_on_behalf="T/M BAN THƯỜNG VỤ",
        signer_position="BÍ THƯ",
    )
    result = rollup.build(plan=report.plan, unit=report.unit)
    return consolidation_documents.consolidated_document(report, result)


# What the province's office typed into plan 174-KH/TU (seed 003), abridged
# only where the model has no field for it.
SEED003_SUMMARY = (
    "tổng kết 10 năm thực hiện Quyết định số 221-QĐ/TW, ngày 27 tháng 4 năm 2009 của Ban Bí "
    "thư (khóa X) về ban hành Quy chế phối hợp giữa ban tuyên giáo các cấp với cơ quan quản lý "
    "nhà nước cùng cấp trong việc triển khai kế hoạch phát triển kinh tế - xã hội, giải quyết "
    "các vấn đề bức xúc của nhân dân"
)
SEED003_INTRODUCTION = (
    "Thực hiện Quyết định số 221-QĐ/TW, ngày 27 tháng 4 năm 2009 của Ban Bí thư về Quy chế phối "
    "hợp giữa ban tuyên giáo các cấp với cơ quan quản lý nhà nước cùng cấp trong việc triển khai "
    "kế hoạch phát triển kinh tế - xã hội, giải quyết các vấn đề bức xúc của nhân dân (viết tắt "
    "là Quyết định 221-QĐ/TW), Ban Thường vụ Tỉnh ủy (khóa XIII) đã ban hành Quyết định số "
    "1141-QĐ/TU, ngày 20 tháng 10 năm 2009 về Quy chế phối hợp giữa Ban Tuyên giáo Tỉnh ủy với "
    "Ủy ban nhân dân tỉnh và các cơ quan quản lý nhà nước trực thuộc Ủy ban nhân dân tỉnh trong "
    "việc triển khai kế hoạch phát triển kinh tế - xã hội, giải quyết các vấn đề bức xúc của "
    "nhân dân (viết tắt là Quyết định 1141-QĐ/TU). Nhằm đánh giá một cách sâu sắc, toàn diện "
    "kết quả 10 năm triển khai thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU, trên cơ "
    "sở đó, đề ra nhiệm vụ, giải pháp để tiếp tục thực hiện công tác phối hợp giữa Ban Tuyên "
    "giáo Tỉnh ủy với Ủy ban nhân dân tỉnh và các cơ quan quản lý nhà nước trực thuộc Ủy ban "
    "nhân dân tỉnh trong việc triển khai kế hoạch phát triển kinh tế - xã hội, giải quyết các "
    "vấn đề bức xúc của nhân dân trong thời gian tới, Ban Thường vụ Tỉnh ủy xây dựng Kế hoạch "
    "tổng kết, cụ thể như sau:"
)
SEED003_PURPOSE = (
    "<div>1. Việc tổng kết 10 năm thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU cần "
    "bám sát nội dung phối hợp, trách nhiệm, phương thức lãnh đạo, chỉ đạo được nêu trong các "
    "quyết định để kiểm điểm những việc đã làm được, chưa làm được, hạn chế, yếu kém tìm ra "
    "nguyên nhân và rút ra bài học kinh nghiệm.</div>"
    "<div>2. Thông qua việc tổng kết nhằm nâng cao nhận thức, trách nhiệm của các cấp ủy, chính "
    "quyền trong công tác phối hợp giữa ban tuyên giáo các cấp với cơ quan quản lý nhà nước cùng "
    "cấp để triển khai kế hoạch phát triển kinh tế - xã hội, giải quyết những vấn đề bức xúc của "
    "nhân dân.</div>"
    "<div>3. Cấp ủy các cấp tập trung lãnh đạo, chỉ đạo tổ chức tổng kết thực hiện Quyết định "
    "221-QĐ/TW và Quyết định 1141-QĐ/TU nghiêm túc, thiết thực, hiệu quả, đảm bảo tiến độ thời "
    "gian.</div>"
)
SEED003_CONTENT_INTRO = (
    "<div>Báo cáo kết quả 10 năm thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU tập "
    "trung đánh giá toàn diện quá trình lãnh đạo, chỉ đạo, quản lý và tổ chức triển khai thực "
    "hiện ở các cấp. Nội dung báo cáo nêu rõ những ưu điểm, khuyết điểm, đặc biệt là nguyên nhân "
    "chủ quan hạn chế, yếu kém; đồng thời, đề xuất nhiệm vụ, giải pháp thực hiện hiệu quả trong "
    "thời gian tới (<em>gửi kèm Đề cương tổng kết</em>).</div>"
)
SEED003_IMPLEMENTATION = (
    "<div>1. Các huyện ủy, thị ủy, thành ủy; Ban cán sự đảng Ủy ban nhân dân tỉnh bám sát nội "
    "dung Kế hoạch, chỉ đạo các cơ quan, đơn vị trực thuộc tổng kết 10 năm thực hiện Quyết định "
    "221-QĐ/TW và Quyết định 1141-QĐ/TU đảm bảo đúng thực chất, hiệu quả; tổ chức tổng kết việc "
    "triển khai thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU bằng văn bản, đảm bảo "
    "đúng thời gian quy định tại điểm 2, Mục 2, Phần II của Kế hoạch này.</div>"
    "<div>2. Ban Tuyên giáo Tỉnh ủy chủ trì, phối hợp với các cơ quan, đơn vị liên quan giúp Ban "
    "Thường vụ Tỉnh ủy đôn đốc, kiểm tra việc thực hiện Kế hoạch và tổng hợp dự thảo Báo cáo "
    "tổng kết việc thực hiện Quyết định 221-QĐ/TW và Quyết định 1141-QĐ/TU đảm bảo chất lượng, "
    "đúng thời gian quy định; đồng thời, chủ động chuẩn bị nội dung, chương trình, các điều kiện "
    "cần thiết tham mưu Ban Thường vụ Tỉnh ủy tổ chức Hội nghị tổng kết cấp tỉnh đảm bảo tiết "
    "kiệm, thiết thực, phù hợp và hiệu quả.</div>"
)
SEED003_RECIPIENTS = [
    "Ban Bí thư Trung ương Đảng (để báo cáo)",
    "Ban Tuyên giáo Trung ương (Vụ Tuyên truyền)",
    "Cơ quan Thường trực Ban Tuyên giáo Trung ương tại Đà Nẵng",
    "Ban cán sự đảng Ủy ban nhân dân tỉnh",
    "Các huyện ủy, thị ủy, thành ủy",
    "Lưu Văn phòng Tỉnh ủy",
]


def seed003_plan() -> OfficialDocument:
    """Kế hoạch 174-KH/TU (seed 003): a final review, its outline annexed as
    ĐỀ CƯƠNG, a conference date, the districts' deadline on 31 December.

    Swap for ``tests/campaigns/seeds.py``'s builder once it exists."""
    levels = _levels()
    units = _gia_lai(levels)
    plan = services.new_plan(issuing_unit=units["P"], issued_on=datetime.date(2018, 12, 3))
    plan.number = 174
    fields = {
        "issuer_symbol": "TU",
        "place_name": "Gia Lai",
        "kind": PlanKind.FINAL,
        "period_start": 2009,
        "period_end": 2018,
        "summary": SEED003_SUMMARY,
        "introduction": SEED003_INTRODUCTION,
        "purpose": SEED003_PURPOSE,
        "content_intro": SEED003_CONTENT_INTRO,
        "outline_annexed": True,
        "review_form": ReviewForm.WRITTEN,
        "conference_date": datetime.date(2019, 1, 15),
        "lead_commission": "Ban Tuyên giáo Tỉnh ủy",
        "implementation": SEED003_IMPLEMENTATION,
        "recipients": SEED003_RECIPIENTS,
        "sign_on_behalf": "T/M BAN THƯỜNG VỤ",
        "signer_position": "PHÓ BÍ THƯ",
        "signer_name": "Hồ Văn Niên",
    }
    for field, value in fields.items():
        setattr(plan, field, value)
    plan.save()
    subjects = [
        ("221-QĐ/TW", datetime.date(2009, 4, 27), "Ban Bí thư", "về ban hành Quy chế phối hợp"),
        ("1141-QĐ/TU", datetime.date(2009, 10, 20), "Ban Thường vụ Tỉnh ủy", "về Quy chế phối hợp"),
    ]
    for position, (symbol, day, issuer, title) in enumerate(subjects):
        SubjectDocument.objects.create(
            plan=plan,
            position=position,
            doc_type="Quyết định",
            number_symbol=symbol,
            issued_on=day,
            issuer=issuer,
            title=title,
            short_form=f"Quyết định {symbol}",
        )
    text = (SEEDS_DATA / "seed003_outline.txt").read_text(encoding="utf-8")
    result = outline.import_text(plan=plan, text=text, replace=True)
    assert not result.errors, result.errors
    plan.participating_levels.set([levels["huyen"]])
    services.set_deadlines(
        plan=plan, deadlines=[services.DeadlineCheck(levels["huyen"], datetime.date(2018, 12, 31))]
    )
    return plan_documents.build(Plan.objects.get(pk=plan.pk))


MADE_UP_OUTLINE = """\
1. Kết quả lãnh đạo, chỉ đạo việc học tập, quán triệt
1.1. Việc ban hành kế hoạch, hướng dẫn của đảng ủy khối và các tổ chức cơ sở đảng.
1.2. Số lượt cán bộ, đảng viên được quán triệt qua từng năm.
- Hình thức quán triệt: hội nghị trực tiếp, trực tuyến, sinh hoạt chi bộ.
- Những cách làm hay, sáng tạo ở chi bộ.
2. Kết quả thực hiện các nhiệm vụ trọng tâm
2.1. Công tác xây dựng tổ chức cơ sở đảng trong sạch, vững mạnh.
2.2. Công tác kiểm tra, giám sát và thi hành kỷ luật đảng.
+ Số cuộc kiểm tra, giám sát chuyên đề.
+ Số đảng viên bị xử lý kỷ luật.
2.3. Công tác dân vận, xây dựng cơ quan văn hóa.
3. Đánh giá chung, phương hướng và kiến nghị
3.1. Ưu điểm, hạn chế và nguyên nhân.
3.2. Bài học kinh nghiệm.
3.3. Phương hướng, nhiệm vụ, giải pháp thời gian tới; kiến nghị, đề xuất.
"""


def made_up_plan() -> OfficialDocument:
    """A plan shaped like none of the seeds: a bloc party committee of another
    province ("-KH/ĐUK"), its standing committee's deputy signing, a final
    review over ten years, three outline sections, the grassroots' deadline at
    the end of a month (30 November), a conference date.

    When plans get sections as data and month/period deadlines, give this
    plan three body sections and a "trong tháng 11 năm 2025" deadline."""
    levels = _levels()
    bloc = add_unit(
        None,
        "KT",
        levels["tinh"],
        name="Đảng ủy Khối các cơ quan tỉnh Kon Tum",
        symbol="ĐUK",
        kind=OrgUnitKind.BLOC_COMMITTEE,
    )
    cells = [
        add_unit(
            bloc,
            f"KT{n}",
            levels["co-so"],
            name=name,
            symbol="ĐU",
            kind=OrgUnitKind.GRASSROOTS_COMMITTEE,
        )
        for n, name in enumerate(["Đảng ủy Sở Tài chính", "Đảng ủy Sở Y tế"], start=1)
    ]
    assert cells
    plan = services.new_plan(issuing_unit=bloc, issued_on=datetime.date(2025, 9, 5))
    plan.number = 48
    fields = {
        "issuer_symbol": "ĐUK",
        "superior_body": "ĐẢNG BỘ TỈNH KON TUM",
        "place_name": "Kon Tum",
        "kind": PlanKind.FINAL,
        "period_start": 2015,
        "period_end": 2025,
        "summary": (
            "tổng kết 10 năm thực hiện Chỉ thị số 05-CT/TW, ngày 15 tháng 5 năm 2016 của Bộ Chính "
            "trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh trong "
            "Đảng bộ Khối"
        ),
        "introduction": (
            "Thực hiện Kế hoạch số 112-KH/TU, ngày 12 tháng 8 năm 2025 của Ban Thường vụ Tỉnh ủy, "
            "Ban Thường vụ Đảng ủy Khối xây dựng Kế hoạch tổng kết như sau:"
        ),
        "purpose": (
            "<div>1. Đánh giá đúng thực chất kết quả 10 năm thực hiện Chỉ thị 05-CT/TW trong "
            "Đảng bộ Khối; chỉ rõ ưu điểm, hạn chế và nguyên nhân.</div>"
            "<div>2. Việc tổng kết tiến hành nghiêm túc, thiết thực, tránh hình thức.</div>"
        ),
        "review_form": ReviewForm.CONFERENCE,
        "conference_date": datetime.date(2025, 12, 10),
        "lead_commission": "Ban Tuyên giáo Đảng ủy Khối",
        "implementation": (
            "<div>1. Các đảng ủy cơ sở tổ chức tổng kết, gửi báo cáo về Ban Thường vụ Đảng ủy "
            "Khối (qua Ban Tuyên giáo) trước ngày 30 tháng 11 năm 2025.</div>"
            "<div>2. Văn phòng Đảng ủy Khối bảo đảm kinh phí, điều kiện tổ chức hội nghị.</div>"
        ),
        "recipients": [
            "Ban Thường vụ Tỉnh ủy (để báo cáo)",
            "Ban Tuyên giáo Tỉnh ủy",
            "Các đảng ủy cơ sở trực thuộc",
            "Lưu Văn phòng Đảng ủy Khối",
        ],
        "sign_on_behalf": "T/M BAN THƯỜNG VỤ",
        "signer_position": "PHÓ BÍ THƯ",
        "signer_name": "Y Ngọc",
    }
    for field, value in fields.items():
        setattr(plan, field, value)
    plan.save()
    SubjectDocument.objects.create(
        plan=plan,
        position=0,
        doc_type="Chỉ thị",
        number_symbol="05-CT/TW",
        issued_on=datetime.date(2016, 5, 15),
        issuer="Bộ Chính trị",
        title="về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        short_form="Chỉ thị 05-CT/TW",
    )
    result = outline.import_text(plan=plan, text=MADE_UP_OUTLINE, replace=True)
    assert not result.errors, result.errors
    plan.participating_levels.set([levels["co-so"]])
    services.set_deadlines(
        plan=plan, deadlines=[services.DeadlineCheck(levels["co-so"], datetime.date(2025, 11, 30))]
    )
    return plan_documents.build(Plan.objects.get(pk=plan.pk))


# The golden documents by name, in the order of the table.
DOCUMENTS: dict[str, Callable[[], OfficialDocument]] = {
    "seed000-plan": seed000_plan_document,
    "seed003-plan": seed003_plan,
    "commune-report": commune_report,
    "consolidated-report": consolidated_report,
    "made-up-plan": made_up_plan,
}
