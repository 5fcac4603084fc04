"""A dialogue plan as an official document (KẾ HOẠCH, seed 001): PDF and DOCX.

The head signs the plan himself, so there is no "T/M" line above his position.
"""

from __future__ import annotations

import datetime

from campaigns import richtext
from reports.documents import (
    BULLET,
    HEADING_1,
    PARA,
    Block,
    OfficialDocument,
    format_document_date,
    recipient_lines,
    render_pdf,
)
from reports.documents import (
    render_html as render_official_html,
)
from reports.docx import render_docx

from .models import DialoguePlan

DOC_TYPE_PLAN = "KH"


def number_symbol(plan: DialoguePlan) -> str:
    """ "05-KH/HU", or a blank number for the office to write in by hand."""
    symbol = plan.issuer_symbol or plan.unit.symbol
    number = f"{plan.number:02d}" if plan.number else "   "
    return f"{number}-{DOC_TYPE_PLAN}/{symbol}"


def _place_date(plan: DialoguePlan) -> str:
    place = plan.place_name or plan.unit.name
    if plan.issued_on:
        return format_document_date(place, plan.issued_on)
    return f"{place}, ngày    tháng    năm {plan.year}"


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
    when = f"Tháng {meeting.month}/{year}"
    if meeting.date:
        when = f"Ngày {meeting.date:%d/%m/%Y}"
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
        issuer_name=plan.unit.name.upper(),
        number_symbol=number_symbol(plan),
        place_date=_place_date(plan),
        doc_type="KẾ HOẠCH",
        summary=plan.summary,
        blocks=blocks,
        recipients=recipient_lines(plan.recipients or []),
        sign_on_behalf="",
        signer_position=plan.signer_position.upper(),
        signer_name=plan.signer_name,
    )


def render_html(plan: DialoguePlan, *, for_browser: bool = False) -> str:
    return render_official_html(build(plan), for_browser=for_browser)


def pdf(plan: DialoguePlan) -> bytes:
    return render_pdf(render_html(plan))


def docx(plan: DialoguePlan) -> bytes:
    return render_docx(build(plan))
