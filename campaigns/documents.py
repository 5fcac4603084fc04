"""A plan as an official document (KẾ HOẠCH), handed to the documents layer to render.

The document's own words are Vietnamese whatever the interface language: they
are what the standing committee signs.
"""

from __future__ import annotations

from documents import richtext
from documents.content import (
    BULLET,
    BULLET_2,
    HEADING_1,
    HEADING_2,
    HEADING_3,
    PARA,
    Annex,
    Block,
    OfficialDocument,
)
from documents.formatting import date_words, place_date, recipient_lines, short_date
from documents.numbering import DOC_TITLES, DOC_TYPE_PLAN

from .models import Plan, ReviewForm
from .selectors import OutlineRow, outline_rows

ROMAN = ["I", "II", "III", "IV", "V", "VI"]
FORM_TEXT = {
    ReviewForm.WRITTEN: "Bằng văn bản.",
    ReviewForm.CONFERENCE: "Tổ chức hội nghị.",
    ReviewForm.UNIT_CHOICE: "Bằng văn bản hoặc tổ chức hội nghị, do các đơn vị lựa chọn.",
}


def item_block(row: OutlineRow) -> Block:
    """An outline item's own line, with its numbering: styled as the typed
    numbering asks, else by its depth in the outline."""
    item = row.item
    text = f"{item.numbering} {item.title}".strip()
    style = richtext.style_for(text) if item.numbering else PARA
    if style == PARA and row.depth:
        style = BULLET if row.depth == 2 else (BULLET_2 if row.depth > 2 else HEADING_3)
    return Block(style=style, text=text)


def outline_blocks(plan: Plan) -> list[Block]:
    """Outline items as paragraphs, each with its source numbering."""
    blocks = []
    for row in outline_rows(plan):
        blocks.append(item_block(row))
        blocks += [
            Block(style=PARA, text=line) for line in row.item.guidance.splitlines() if line.strip()
        ]
    return blocks


def _section(number: int, title: str) -> Block:
    return Block(style=HEADING_1, text=f"{ROMAN[number]}- {title}")


def build(plan: Plan) -> OfficialDocument:
    word = plan.kind_word
    subjects = list(plan.subjects.all())
    deadlines = list(plan.deadlines.select_related("level").order_by("-level__rank"))

    blocks: list[Block] = []
    if plan.introduction:
        blocks.append(Block(style=PARA, text=plan.introduction))
    blocks.append(_section(0, "MỤC ĐÍCH, YÊU CẦU"))
    blocks += richtext.to_blocks(plan.purpose)

    blocks.append(_section(1, f"NỘI DUNG {word.upper()}"))
    blocks += richtext.to_blocks(plan.content_intro)
    annexes = []
    if plan.outline_annexed:
        if not plan.content_intro:
            blocks.append(Block(style=PARA, text=f"(Có Đề cương báo cáo {word} kèm theo)."))
        annexes.append(
            Annex(
                title=f"ĐỀ CƯƠNG\nbáo cáo {plan.summary}",
                subtitle=(
                    f"(kèm theo Kế hoạch số {plan.number_symbol}, "
                    f"ngày {short_date(plan.issued_on)} của {plan.issuer_phrase})"
                ),
                blocks=outline_blocks(plan),
            )
        )
    else:
        blocks += outline_blocks(plan)

    blocks.append(_section(2, f"HÌNH THỨC, THỜI GIAN {word.upper()}"))
    form_text = FORM_TEXT[plan.review_form]
    if plan.conference_date:
        form_text = form_text.rstrip(".") + f", trước {date_words(plan.conference_date)}."
    blocks.append(Block(style=HEADING_2, text=f"1. Hình thức {word}: {form_text}"))
    blocks.append(Block(style=HEADING_2, text=f"2. Thời gian {word}:"))
    if plan.pilot_due_on:
        pilots = ", ".join(plan.pilot_units.order_by("path").values_list("name", flat=True))
        named = f" ({pilots})" if pilots else ""
        blocks.append(
            Block(
                style=BULLET,
                text=f"- Các đơn vị chọn điểm{named}: Hoàn thành trước "
                f"{date_words(plan.pilot_due_on)}.",
            )
        )
    for deadline in deadlines:
        blocks.append(
            Block(
                style=BULLET,
                text=f"- {deadline.level.name}: Hoàn thành trước {date_words(deadline.due_on)}.",
            )
        )

    blocks.append(_section(3, "TỔ CHỨC THỰC HIỆN"))
    blocks += richtext.to_blocks(plan.implementation)
    blocks += richtext.to_blocks(plan.closing)

    footnotes = []
    short_forms = [s.short for s in subjects if s.short_form]
    if short_forms:
        footnotes.append("Viết tắt là: " + ", ".join(short_forms) + ".")

    superior, issuer_line = plan.header_lines()
    return OfficialDocument(
        superior_body=superior,
        issuer_name=issuer_line,
        number_symbol=plan.number_symbol,
        place_date=place_date(plan.place_name, plan.issued_on),
        doc_type=DOC_TITLES[DOC_TYPE_PLAN],
        summary=plan.summary,
        blocks=blocks,
        recipients=recipient_lines(plan.recipients),
        sign_on_behalf=plan.sign_on_behalf,
        signer_position=plan.signer_position,
        signer_name=plan.signer_name,
        annexes=annexes,
        footnotes=footnotes,
    )
