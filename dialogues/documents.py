"""A dialogue plan (KẾ HOẠCH, seed 001) and a meeting's radio notice (THÔNG
BÁO) as official documents, handed to the documents layer to render; and the
petitions register as a spreadsheet.

The head signs both documents himself, so there is no "T/M" line above his
position.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from documents import richtext
from documents.content import BULLET, HEADING_1, PARA, Block, OfficialDocument
from documents.formatting import (
    place_date,
    recipient_lines,
    short_date,
    short_month,
    undated_place_date,
)
from documents.numbering import DOC_TITLES, DOC_TYPE_NOTICE, DOC_TYPE_PLAN, number_symbol
from orgunits.bodies import default_body
from orgunits.models import IssuingBody
from orgunits.tables import write_xlsx

from .models import NOTICE_DAYS_BEFORE, DialoguePlan, Meeting, Petition


def _body(plan: DialoguePlan) -> IssuingBody:
    """The body whose register numbers the plan: the unit's default body unless chosen."""
    if plan.issuing_body_id is not None:
        return plan.issuing_body
    return default_body(plan.unit)


def _issuer_symbol(plan: DialoguePlan) -> str:
    return plan.issuer_symbol or _body(plan).symbol


def _header(plan: DialoguePlan) -> dict:
    """The header lines, the symbol's body's, and the signer (the head signs in person)."""
    body = _body(plan)
    superior, issuer = body.header_lines()
    return {
        "superior_body": superior,
        "issuer_name": issuer,
        "sign_on_behalf": "",
        "signer_position": plan.signer_position.upper(),
        "signer_name": plan.signer_name or body.signer_name,
    }


def _plan_number_symbol(plan: DialoguePlan) -> str:
    """ "05-KH/HU", or a blank number for the office to write in by hand."""
    return number_symbol(plan.number, DOC_TYPE_PLAN, _issuer_symbol(plan))


def _place(plan: DialoguePlan) -> str:
    return plan.place_name or plan.unit.name


def _place_date(plan: DialoguePlan) -> str:
    if plan.issued_on:
        return place_date(_place(plan), plan.issued_on)
    return undated_place_date(_place(plan), plan.year)


def _blocks(value: str) -> list[Block]:
    """Rich text, or plain text with one paragraph a line."""
    if value and "<" not in value:
        value = richtext.from_plain_text(value)
    return richtext.to_blocks(value)


def plan_end(plan: DialoguePlan) -> datetime.date:
    return datetime.date(plan.year, 12, 31)


def meeting_line(meeting) -> str:
    """ "- Tháng 3/2018: Cán bộ, … tại Hội trường UBND xã Cao Xá." """
    year = meeting.plan.year
    when = f"Tháng {short_month(meeting.month, year)}"
    if meeting.date:
        when = f"Ngày {short_date(meeting.date)}"
        if meeting.time:
            when = f"{meeting.time:%H}h{meeting.time:%M}, {when.lower()}"
    text = f"- {when}: {meeting.target_group.strip().rstrip('.')}"
    if meeting.venue:
        text += f" tại {meeting.venue.strip().rstrip('.')}"
    return text + "."


def build(plan: DialoguePlan) -> OfficialDocument:
    meetings = sorted(plan.meetings.all(), key=lambda m: (m.month, m.date or plan_end(plan), m.pk))

    blocks: list[Block] = []
    blocks += _blocks(plan.introduction)
    blocks.append(Block(style=HEADING_1, text="I- MỤC ĐÍCH, YÊU CẦU"))
    blocks += _blocks(plan.purpose)
    blocks.append(Block(style=HEADING_1, text="II- NỘI DUNG"))
    blocks += _blocks(plan.content)
    if meetings:
        blocks.append(Block(style=PARA, text="Lịch tiếp xúc, đối thoại:"))
        blocks += [Block(style=BULLET, text=meeting_line(m)) for m in meetings]
    blocks.append(Block(style=HEADING_1, text="III- TỔ CHỨC THỰC HIỆN"))
    blocks += _blocks(plan.implementation)

    return OfficialDocument(
        **_header(plan),
        number_symbol=_plan_number_symbol(plan),
        place_date=_place_date(plan),
        doc_type=DOC_TITLES[DOC_TYPE_PLAN],
        summary=plan.summary,
        blocks=blocks,
        recipients=recipient_lines(plan.recipients or []),
    )


# --- The radio notice of a meeting (THÔNG BÁO) -------------------------------

RADIO_STATION = "Đài truyền thanh huyện"
PUBLIC = "cán bộ, đảng viên, đoàn viên, hội viên và nhân dân"


def _lower_first(text: str) -> str:
    """Sentence case inside a line; an acronym ("MTTQ …") keeps its capitals."""
    text = text.strip().rstrip(".")
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _when(meeting: Meeting) -> str:
    """ "08h00, ngày 15/3/2018", or the month while the day is not fixed yet."""
    if not meeting.date:
        month = short_month(meeting.month, meeting.plan.year)
        return f"Trong tháng {month} (thời gian cụ thể thông báo sau)"
    day = f"ngày {short_date(meeting.date)}"
    if meeting.time:
        return f"{meeting.time:%H}h{meeting.time:%M}, {day}"
    return day[:1].upper() + day[1:]


_TYPED_MARKER = re.compile(r"^([-+–•]|\d+[.)]\s|[a-zđ]\)\s)")


def _programme(meeting: Meeting) -> list[Block]:
    """The order of business, one "- " item a line; a marker typed ("1.", "+") is kept."""
    lines = [line.strip() for line in meeting.order_of_business.splitlines() if line.strip()]
    return [
        Block(style=BULLET, text=line if _TYPED_MARKER.match(line) else f"- {line}")
        for line in lines
    ]


def _notice_blocks(meeting: Meeting, hosts: list) -> list[Block]:
    plan = meeting.plan
    cited = "Kế hoạch"
    if plan.number:
        cited += f" số {_plan_number_symbol(plan)}"
        if plan.issued_on:
            cited += f", ngày {short_date(plan.issued_on)}"
    blocks = [
        Block(
            style=PARA,
            text=f"Thực hiện {cited} về tiếp xúc, đối thoại trực tiếp với nhân dân năm "
            f"{plan.year}, nhằm lắng nghe tâm tư, nguyện vọng, tiếp thu ý kiến và kịp thời "
            f"giải quyết những kiến nghị của {PUBLIC}, {plan.unit.name} thông báo tổ chức "
            "hội nghị tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư như sau:",
        )
    ]

    participants = f"Thành phần: {meeting.target_group.strip().rstrip('.')}."
    if hosts:
        participants += f" Đơn vị phối hợp tổ chức: {', '.join(u.name for u in hosts)}."
    items = [
        f"Thời gian: {_when(meeting)}.",
        f"Địa điểm: {meeting.venue.strip().rstrip('.') or '(thông báo sau)'}.",
        participants,
    ]
    if meeting.chair:
        items.append(f"Chủ trì hội nghị: Đồng chí {meeting.chair.strip().rstrip('.')}.")
    programme = _programme(meeting)
    if programme:
        items.append("Chương trình hội nghị:")
    blocks += [Block(style=PARA, text=f"{n}. {item}") for n, item in enumerate(items, start=1)]
    blocks += programme

    with_hosts = f" phối hợp với {', '.join(u.name for u in hosts)}" if hosts else ""
    days = f"{NOTICE_DAYS_BEFORE:02d} ngày"  # seed 001: "ít nhất 07 ngày"
    if meeting.notice_due:
        by = f"chậm nhất ngày {short_date(meeting.notice_due)} (trước hội nghị {days})"
    else:
        by = f"trước ngày tổ chức hội nghị ít nhất {days}"
    blocks.append(
        Block(
            style=PARA,
            text=f"Đề nghị {RADIO_STATION}{with_hosts} thông báo rộng rãi trên hệ thống "
            "truyền thanh cơ sở về chương trình, thời gian và địa điểm tổ chức hội nghị "
            f"{by} để {PUBLIC} được biết và tham gia./.",
        )
    )
    return blocks


def notice(meeting: Meeting) -> OfficialDocument:
    """The THÔNG BÁO read on local radio at least 7 days before the meeting (seed 001)."""
    plan = meeting.plan
    hosts = list(meeting.host_units.order_by("path"))
    year = meeting.notice_due.year if meeting.notice_due else plan.year
    return OfficialDocument(
        **_header(plan),
        number_symbol=number_symbol(None, DOC_TYPE_NOTICE, _issuer_symbol(plan)),
        place_date=undated_place_date(_place(plan), year),
        doc_type=DOC_TITLES[DOC_TYPE_NOTICE],
        summary="về việc tổ chức hội nghị tiếp xúc, đối thoại trực tiếp của đồng chí Bí thư "
        f"với {_lower_first(meeting.target_group)}",
        blocks=_notice_blocks(meeting, hosts),
        recipients=recipient_lines([RADIO_STATION, *(u.name for u in hosts), "Lưu VT"]),
    )


# --- The petitions register (XLSX) -------------------------------------------


def _date(value) -> str:
    return short_date(value) if value else ""


def register_xlsx(petitions: Iterable[Petition]) -> bytes:
    """The register's rows as a spreadsheet, headers in the user's language."""
    header = [
        _("Meeting date"),
        _("Unit"),
        _("Raised by"),
        _("Subject"),
        _("Field"),
        _("Answered on the spot"),
        _("Responsible agency"),
        _("Due on"),
        _("Status"),
        _("Answered on"),
        _("Answer"),
    ]
    rows = (
        [
            _date(p.meeting.held_on or p.meeting.date),
            p.unit.name,
            p.petitioner,
            p.subject,
            p.get_field_display(),
            _("Yes") if p.answered_on_spot else "",
            p.agency.name if p.agency else "",
            _date(p.due_on),
            p.get_status_display(),
            _date(p.answered_on),
            p.answer,
        ]
        for p in petitions
    )
    return write_xlsx(header, rows, title=_("Petitions"))
