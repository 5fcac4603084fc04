"""A demo dialogue plan for the demo district (seed 001's, set in Chư Sê), so
that ``make run`` shows a held meeting with petitions, one overdue, and a
meeting coming up whose opinions and radio notice are being chased."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from orgunits import demo as orgunit_demo
from orgunits.bodies import default_body
from orgunits.models import OrgUnit

from . import services
from .models import DialoguePlan, Meeting, MeetingStatus, PetitionStatus

DISTRICT = "GL.CS"
DAY = datetime.timedelta(days=1)

PURPOSE = """1- Mục đích
Lắng nghe tâm tư, nguyện vọng và tiếp thu ý kiến góp ý của cán bộ, đảng viên, đoàn viên, hội viên và nhân dân; bảo đảm quyền làm chủ và phát huy vai trò giám sát của nhân dân; kịp thời phát hiện những vấn đề còn vướng mắc, phát sinh để giải quyết hoặc đề xuất cấp có thẩm quyền bổ sung, điều chỉnh những chủ trương, chính sách, quy định chưa phù hợp.
2- Yêu cầu
Việc tổ chức tiếp xúc, đối thoại đảm bảo thiết thực, hiệu quả, sát với thực tế tại địa phương; tuân thủ các quy định của Đảng, pháp luật Nhà nước.
Chương trình, nội dung, thời gian và địa điểm tiếp xúc, đối thoại phải được thông báo rộng rãi trên hệ thống truyền thanh để cán bộ, đảng viên, đoàn viên, hội viên và nhân dân được biết và tham gia."""  # noqa: E501

CONTENT = """1- Đối tượng tiếp xúc, đối thoại
Căn cứ tình hình thực tế hoạt động của Đảng bộ và những nhiệm vụ trọng tâm năm {year}, Bí thư Huyện ủy tổ chức tiếp xúc, đối thoại với cán bộ, đoàn viên, hội viên của MTTQ và các tổ chức chính trị - xã hội và với cán bộ, đảng viên thuộc đảng bộ các xã, thị trấn.
2- Hình thức và chế độ tiếp xúc, đối thoại
Tổ chức hội nghị tiếp xúc, đối thoại trực tiếp; đồng chí Bí thư Huyện ủy chủ trì và trực tiếp tiếp xúc, đối thoại."""  # noqa: E501

IMPLEMENTATION = """1- Các cơ quan, đơn vị có liên quan chuẩn bị nội dung; bố trí lãnh đạo cơ quan, đơn vị tham dự hội nghị tiếp xúc, đối thoại và trả lời, giải quyết những vấn đề có liên quan đến chức năng, nhiệm vụ của đơn vị mình. Tổng hợp các ý kiến, kiến nghị; báo cáo Thường trực Huyện ủy (qua Ban Dân vận Huyện ủy) trước khi tổ chức Hội nghị tiếp xúc, đối thoại ít nhất 10 ngày.
2- Ban Dân vận Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy tổng hợp các ý kiến, kiến nghị báo cáo Thường trực Huyện ủy; phối hợp với Đài truyền thanh huyện thông báo rộng rãi trên hệ thống truyền thanh cơ sở về nội dung, thời gian và địa điểm tổ chức hội nghị trước 07 ngày./."""  # noqa: E501

ORDER = """Đại diện Văn phòng Huyện ủy tuyên bố lý do, giới thiệu đại biểu, chủ tọa, thư ký.
Đồng chí Bí thư Huyện ủy thông báo nội dung, phương pháp tiếp xúc đối thoại.
Các đại biểu phát biểu ý kiến theo thứ tự đã đăng ký.
Chủ trì trả lời hoặc phân công lãnh đạo cơ quan, đơn vị trả lời; kết luận hội nghị."""


def _plan(unit: OrgUnit, year: int) -> DialoguePlan:
    plan, _created = DialoguePlan.objects.get_or_create(
        unit=unit,
        year=year,
        defaults={
            "number": 5,
            "issuing_body": default_body(unit),
            "issuer_symbol": unit.symbol,
            "place_name": "Chư Sê",
            "issued_on": datetime.date(year, 1, 15),
            "summary": "tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư Huyện ủy "
            f"với nhân dân năm {year}",
            "introduction": "Thực hiện Quyết định số 1158-QĐ/TU ngày 09/7/2015 của Ban Thường vụ "
            "Tỉnh ủy ban hành Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu cấp ủy "
            "Đảng, chính quyền các cấp với nhân dân; Bí thư Huyện ủy xây dựng Kế hoạch thực "
            f"hiện tiếp xúc, đối thoại với nhân dân năm {year}, cụ thể như sau:",
            "purpose": PURPOSE,
            "content": CONTENT.format(year=year),
            "implementation": IMPLEMENTATION,
            "recipients": [
                "Thường trực Tỉnh ủy (b/c)",
                "Ban Dân vận Tỉnh ủy (b/c)",
                "Thường trực Huyện ủy, HĐND, UBND huyện",
                "Đảng ủy các xã, thị trấn",
                "Lưu VTHU",
            ],
            "signer_name": "Nguyễn Văn Hòa",
        },
    )
    return plan


# The held meeting's petitions: who raised it, about what, its field, and the
# answer given on the spot ("": handled after the meeting).
PETITIONS = [
    (
        "Bà Siu H'Mai, Chi hội Phụ nữ thôn Tung Breng",
        "Đề nghị tăng nguồn vốn vay ưu đãi cho hộ nghèo, hộ cận nghèo.",
        "social",
        "Ngân hàng Chính sách xã hội huyện trả lời tại hội nghị: bổ sung nguồn vốn trong quý tới.",
    ),
    (
        "Ông Rơ Châm H'Lim, thôn Tung Breng",
        "Đường liên thôn Tung Breng bị sạt lở sau mùa mưa, đề nghị sửa chữa.",
        "economy",
        "",
    ),
    (
        "Ông Nguyễn Văn Sơn, Hội Cựu chiến binh xã",
        "Cấp giấy chứng nhận quyền sử dụng đất còn chậm.",
        "land",
        "",
    ),
]


@transaction.atomic
def load_dialogues() -> DialoguePlan | None:
    """Create the demo dialogues once; None if they exist already."""
    district = OrgUnit.objects.get(code=DISTRICT)
    if DialoguePlan.objects.filter(unit=district).exists():
        return None
    office = get_user_model().objects.get(username="huyen.dieuphoi")
    commune = OrgUnit.objects.get(code=orgunit_demo.DEMO_COMMUNE)
    others = list(OrgUnit.objects.get_children(district).exclude(pk=commune.pk)[:3])
    today = timezone.localdate()

    held_on = max(today - 60 * DAY, datetime.date(today.year, 1, 2))
    plan = _plan(district, held_on.year)
    held = Meeting.objects.create(
        plan=plan,
        target_group="Cán bộ, đoàn viên, hội viên của MTTQ và các tổ chức chính trị - xã hội "
        f"{commune.name.removeprefix('Đảng ủy ')}",
        month=held_on.month,
        date=held_on,
        time=datetime.time(8, 0),
        venue=f"Hội trường UBND {commune.name.removeprefix('Đảng ủy ')}",
        chair="Bí thư Huyện ủy",
        secretary="Chánh Văn phòng Huyện ủy",
        order_of_business=ORDER,
        status=MeetingStatus.HELD,
        held_on=held_on,
        notice_done_on=held_on - 8 * DAY,
        attendance={"Cán bộ MTTQ và đoàn thể": 32, "Đoàn viên, hội viên": 86},
        minutes="Đồng chí Bí thư Huyện ủy thông báo tình hình kinh tế - xã hội của huyện; "
        "09 ý kiến phát biểu về đất đai, giao thông nông thôn và chính sách xã hội.",
        conclusions="Giao UBND xã và các phòng chuyên môn giải quyết, trả lời các kiến nghị "
        "chưa trả lời tại hội nghị.",
    )
    held.host_units.set([commune])
    _on_the_spot, overdue, answered = (
        services.record_petition(
            meeting=held,
            petitioner=petitioner,
            subject=subject,
            field=field,
            answered_on_spot=bool(answer),
            answer=answer,
            by=office,
        )
        for petitioner, subject, field, answer in PETITIONS
    )
    overdue.agency, overdue.due_on = commune, today - 4 * DAY
    overdue.status = PetitionStatus.IN_PROGRESS
    overdue.save()
    services.assign(petition=answered, agency=commune, due_on=today + 20 * DAY, by=office)
    answered.refresh_from_db()
    answered.status, answered.answer = (
        PetitionStatus.ANSWERED,
        ("UBND xã đã hoàn thiện hồ sơ, chuyển Văn phòng đăng ký đất đai cấp giấy chứng nhận."),
    )
    answered.answered_on = today - 10 * DAY
    answered.save()

    coming_on = today + 12 * DAY
    coming = Meeting.objects.create(
        plan=_plan(district, coming_on.year),
        target_group="Cán bộ, đảng viên thuộc đảng bộ các xã, thị trấn",
        month=coming_on.month,
        date=coming_on,
        time=datetime.time(14, 0),
        venue="Hội trường Huyện ủy Chư Sê",
        chair="Bí thư Huyện ủy",
        order_of_business=ORDER,
    )
    coming.host_units.set([commune, *others])
    services.send_opinions(
        meeting=coming,
        unit=others[0],
        text="Đảng viên chi bộ thôn 2: đề nghị hướng dẫn sinh hoạt chi bộ chuyên đề.",
        by=office,
    )
    later = coming_on + 35 * DAY
    Meeting.objects.create(
        plan=_plan(district, later.year),
        target_group="Cán bộ, đoàn viên Đoàn Thanh niên các xã",
        month=later.month,
        venue="Hội trường UBND xã (thông báo sau)",
    )
    return plan
