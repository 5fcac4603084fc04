"""The THÔNG BÁO KẾT LUẬN of a conference as an official document, handed to
the documents layer to render (PDF, DOCX, print)."""

from __future__ import annotations

from documents import richtext
from documents.content import PARA, Block, OfficialDocument
from documents.formatting import place_date, recipient_lines, short_date, undated_place_date
from documents.numbering import DOC_TITLES, DOC_TYPE_NOTICE, number_symbol

from .models import Conference, Reply


def _blocks(value: str) -> list[Block]:
    """Rich text, or plain text with one paragraph a line."""
    if value and "<" not in value:
        value = richtext.from_plain_text(value)
    return richtext.to_blocks(value)


def _place(conference: Conference) -> str:
    return conference.plan.place_name or conference.unit.place_name or conference.unit.name


def default_recipients(conference: Conference) -> list[str]:
    """The invited units, then the office's copy."""
    units = [i.unit.name for i in conference.invitations.select_related("unit")]
    return [*units, "Lưu Văn phòng"]


def _opening(conference: Conference, attending: list[str]) -> str:
    plan = conference.plan
    when = f"ngày {short_date(conference.date)}"
    if conference.time:
        when = f"{conference.time:%H}h{conference.time:%M}, {when}"
    text = (
        f"Thực hiện Kế hoạch số {plan.number_symbol}, ngày {short_date(plan.issued_on)} "
        f"của {plan.issuer_phrase}, {when}, tại {conference.venue.strip().rstrip('.')}, "
        f"{conference.issuing_body.phrase} đã tổ chức {conference.title.strip().rstrip('.')}. "
        f"Đồng chí {conference.chair.strip().rstrip('.')} chủ trì hội nghị."
    )
    if attending:
        text += f" Dự hội nghị có đại diện: {', '.join(attending)}."
    return text + (
        " Sau khi nghe báo cáo, các ý kiến tham luận và thảo luận tại hội nghị, "
        "đồng chí chủ trì hội nghị kết luận như sau:"
    )


def notice(conference: Conference) -> OfficialDocument:
    """The THÔNG BÁO kết luận: numbered "05-TB/HU" in the body's register once
    issued (a blank number and date before), signed as the body signs."""
    body = conference.issuing_body
    superior, issuer = body.header_lines()
    attending = [
        i.unit.name
        for i in conference.invitations.select_related("unit").order_by("unit__path")
        if i.reply in (Reply.ATTEND, Reply.DEPUTY)
    ]
    blocks = [Block(style=PARA, text=_opening(conference, attending))]
    blocks += _blocks(conference.conclusions)
    if conference.notice_issued_on:
        dated = place_date(_place(conference), conference.notice_issued_on)
    else:
        dated = undated_place_date(_place(conference), conference.date.year)
    recipients = conference.notice_recipients or default_recipients(conference)
    return OfficialDocument(
        superior_body=superior,
        issuer_name=issuer,
        number_symbol=number_symbol(conference.notice_number, DOC_TYPE_NOTICE, body.symbol),
        place_date=dated,
        doc_type=DOC_TITLES[DOC_TYPE_NOTICE],
        summary=f"kết luận của đồng chí chủ trì tại {conference.title.strip().rstrip('.')}",
        blocks=blocks,
        recipients=recipient_lines(recipients),
        sign_on_behalf=conference.sign_on_behalf,
        signer_position=conference.signer_position.upper(),
        signer_name=conference.signer_name,
    )
