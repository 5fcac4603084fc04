"""A plan as an official document (KẾ HOẠCH), handed to the documents layer to render.

The document's own words are Vietnamese whatever the interface language: they
are what the standing committee signs.
"""

from __future__ import annotations

from dataclasses import dataclass

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

from .models import (
    Deadline,
    OutlinePlacement,
    Plan,
    PlanBlock,
    PlanSection,
    ReviewForm,
    SectionStyle,
)
from .selectors import OutlineRow, outline_rows

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


def outline_blocks(plan: Plan, rows: list[OutlineRow] | None = None) -> list[Block]:
    """Outline items as paragraphs, each with its source numbering."""
    blocks = []
    for row in outline_rows(plan) if rows is None else rows:
        blocks.append(item_block(row))
        blocks += [
            Block(style=PARA, text=line) for line in row.item.guidance.splitlines() if line.strip()
        ]
    return blocks


def roman(number: int) -> str:
    """1 → "I", 4 → "IV", 12 → "XII"."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out += numeral
            number -= value
    return out


def section_heading(number: int, title: str, style: str = SectionStyle.DASH) -> Block:
    """ "II- NỘI DUNG SƠ KẾT" or "II. NỘI DUNG SƠ KẾT": counted from 1."""
    return Block(style=HEADING_1, text=f"{roman(number)}{style} {title}")


# --- The blocks the application writes -----------------------------------------


def deadline_line(deadline: Deadline) -> str:
    """A level's line under "Thời gian": "- Cấp cơ sở: Hoàn thành trong tháng 9 năm 2024."."""
    return f"- {deadline.level.name}: {deadline.phrase}."


def form_line(plan: Plan) -> str:
    form_text = FORM_TEXT[plan.review_form]
    if plan.conference_date:
        form_text = form_text.rstrip(".") + f", trước {date_words(plan.conference_date)}."
    return f"1. Hình thức {plan.kind_word}: {form_text}"


@dataclass
class BodyData:
    """What the generated blocks are written from, read once per document."""

    plan: Plan
    deadlines: list[Deadline]
    pilot_names: list[str]
    _rows: list[OutlineRow] | None = None

    @classmethod
    def of(cls, plan: Plan) -> BodyData:
        return cls(
            plan=plan,
            deadlines=list(plan.deadlines.select_related("level").order_by("-level__rank")),
            pilot_names=list(plan.pilot_units.order_by("path").values_list("name", flat=True))
            if plan.pilot_due_on
            else [],
        )

    @property
    def rows(self) -> list[OutlineRow]:
        if self._rows is None:
            self._rows = outline_rows(self.plan)
        return self._rows


def _annex_note(plan: Plan) -> Block:
    return Block(style=PARA, text=f"(Có Đề cương báo cáo {plan.kind_word} kèm theo).")


def generated_blocks(kind: str, data: BodyData) -> list[Block]:
    """A block as the application writes it from the plan as it is now."""
    plan = data.plan
    if kind == PlanBlock.OUTLINE:
        if plan.outline_placement == OutlinePlacement.ANNEX:
            return [_annex_note(plan)]
        if plan.outline_placement == OutlinePlacement.BOTH:
            return [item_block(row) for row in data.rows if row.depth == 0] + [_annex_note(plan)]
        return outline_blocks(plan, data.rows)
    if kind == PlanBlock.FORM:
        return [Block(style=HEADING_2, text=form_line(plan))]
    if kind == PlanBlock.PILOTS:
        if not plan.pilot_due_on:
            return []
        named = f" ({', '.join(data.pilot_names)})" if data.pilot_names else ""
        return [
            Block(
                style=BULLET,
                text=f"- Các đơn vị chọn điểm{named}: Hoàn thành trước "
                f"{date_words(plan.pilot_due_on)}.",
            )
        ]
    if kind == PlanBlock.DEADLINES:
        return [Block(style=BULLET, text=deadline_line(d)) for d in data.deadlines]
    return []


def generated_text(kind: str, data: BodyData) -> str:
    """The generated block as the text an author edits: one paragraph a line."""
    return "\n".join(block.text for block in generated_blocks(kind, data))


def wording_blocks(wording: str) -> list[Block]:
    """An author's wording of a block, styled from its typed numbering."""
    return [
        Block(style=richtext.style_for(line), text=line.strip())
        for line in wording.splitlines()
        if line.strip()
    ]


def is_stale(part: PlanSection, data: BodyData) -> bool:
    """The author's wording was edited from a generated text that has changed since."""
    return part.is_edited and part.wording_source.strip() != generated_text(part.block, data)


def stale_parts(plan: Plan) -> list[tuple[PlanSection, str]]:
    """Parts whose edited wording no longer matches what the plan generates now,
    with the new text."""
    edited = [part for part in plan.sections.all() if part.is_edited]
    if not edited:
        return []
    data = BodyData.of(plan)
    return [(part, generated_text(part.block, data)) for part in edited if is_stale(part, data)]


def body_blocks(plan: Plan) -> tuple[list[Block], list[Annex]]:
    """The plan's body, part by part, and the ĐỀ CƯƠNG annex if it has one."""
    data = BodyData.of(plan)
    blocks: list[Block] = []
    if plan.introduction:
        blocks.append(Block(style=PARA, text=plan.introduction))
    number = 0
    for part in plan.sections.all():
        if part.title.strip():
            number += 1
            blocks.append(section_heading(number, part.title.strip(), plan.section_style))
        blocks += richtext.to_blocks(part.body)
        if part.block:
            blocks += (
                wording_blocks(part.wording)
                if part.is_edited
                else generated_blocks(part.block, data)
            )
    annexes = []
    if plan.outline_placement in (OutlinePlacement.ANNEX, OutlinePlacement.BOTH):
        annexes.append(
            Annex(
                title=f"ĐỀ CƯƠNG\nbáo cáo {plan.summary}",
                subtitle=(
                    f"(kèm theo Kế hoạch số {plan.number_symbol}, "
                    f"ngày {short_date(plan.issued_on)} của {plan.issuer_phrase})"
                ),
                blocks=outline_blocks(plan, data.rows),
            )
        )
    return blocks, annexes


def build(plan: Plan) -> OfficialDocument:
    subjects = list(plan.subjects.all())
    blocks, annexes = body_blocks(plan)

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
