"""A unit's report as an official document (BÁO CÁO), handed to the documents layer to render.

The document follows its plan's outline: each item the unit answers, with its
own numbering, then the answer. Like the plan, its words are Vietnamese
whatever the interface language: they are what the unit's leader signs.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.html import escape

from campaigns.documents import item_block
from campaigns.models import NUMBER_TYPES, AnswerType, OutlineItem
from campaigns.selectors import OutlineRow
from documents import richtext
from documents.content import BULLET, HEADINGS, PARA, Block, OfficialDocument
from documents.formatting import place_date, recipient_lines, short_date, vietnamese_number
from documents.numbering import DOC_TITLES, DOC_TYPE_REPORT, number_symbol

from .models import Answer, Report
from .selectors import items_for_unit

NOT_ANSWERED = "(Chưa có nội dung.)"
_KIND_WORD = re.compile(r"^\s*(sơ kết|tổng kết)\s+", re.IGNORECASE)


# ------------------------------------------------------------ answers


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":", ";")) else f"{text}."


def _figures_per_year(per_year: dict) -> str:
    """ "Năm 2017: 3; năm 2018: 5. Tổng cộng: 8." in year order."""
    figures = []
    for year, value in per_year.items():
        if value in (None, ""):
            continue
        try:
            figures.append((int(year), Decimal(str(value))))
        except (ValueError, InvalidOperation):
            continue
    if not figures:
        return ""
    figures.sort()
    listed = "; ".join(f"năm {year}: {vietnamese_number(value)}" for year, value in figures)
    total = vietnamese_number(sum(value for _year, value in figures))
    return f"{listed[0].upper()}{listed[1:]}. Tổng cộng: {total}."


def answer_blocks(item: OutlineItem, answer: Answer | None) -> list[Block]:
    """The paragraphs that say what the unit answered to ``item``; none if nothing."""
    if answer is None:
        return []
    kind = item.answer_type
    if kind == AnswerType.TEXT:
        return richtext.to_blocks(answer.text)
    if kind == AnswerType.POINTS:
        points = [str(point).strip() for point in answer.points]
        return [Block(style=BULLET, text=f"- {point}") for point in points if point]
    text = ""
    if kind in NUMBER_TYPES and answer.number is not None:
        number = int(answer.number) if kind == AnswerType.INTEGER else answer.number
        text = f"Kết quả: {vietnamese_number(number)}."
    elif kind == AnswerType.INTEGER_PER_YEAR:
        text = _figures_per_year(answer.per_year)
    elif kind == AnswerType.BOOLEAN and answer.boolean is not None:
        text = "Có." if answer.boolean else "Không."
    elif kind == AnswerType.CHOICE and answer.choice.strip():
        text = _sentence(answer.choice)
    return [Block(style=PARA, text=text)] if text else []


def _item_block(row: OutlineRow) -> Block:
    """The item's own line, numbered as in the outline. Numbered sections are
    bold and "-"/"+" items italic, so that the answers under them, which often
    are "-" points too, stand apart."""
    block = item_block(row)
    block.keep_with_next = True  # a question never ends a page without its answer
    if block.style in HEADINGS:
        block.bold = True
    else:
        block.html = f"<em>{escape(block.text)}</em>"
    return block


def body_blocks(report: Report, rows: list[OutlineRow]) -> list[Block]:
    answers = {answer.item_id: answer for answer in report.answers.all()}
    placeholder = report.is_editable_status  # a draft shows what is still missing
    blocks: list[Block] = []
    for row in rows:
        blocks.append(_item_block(row))
        if row.item.is_heading:
            continue
        answered = answer_blocks(row.item, answers.get(row.item.pk))
        if answered:
            blocks += answered
        elif placeholder:
            blocks.append(Block(style=PARA, text=NOT_ANSWERED))
    return blocks


# ------------------------------------------------------------ the document


def _summary(report: Report) -> str:
    """ "sơ kết 03 năm triển khai thực hiện …": the plan's subject after its kind word."""
    plan = report.plan
    return f"{plan.kind_word} {_KIND_WORD.sub('', plan.summary, count=1)}"


def _default_recipients(report: Report) -> list[str]:
    """The unit that reviews the report, the issuer of the plan that governs it:
    "Ban Thường vụ Huyện ủy Chư Sê (qua Ban Dân vận Huyện ủy) (để báo cáo)"."""
    plan = report.plan
    committee = plan.issuer_phrase
    if plan.via_lead_commission:
        committee += f" ({plan.via_lead_commission})"
    return [f"{committee} (để báo cáo)", "Lưu Văn phòng"]


def build(report: Report) -> OfficialDocument:
    plan, unit, body = report.plan, report.unit, report.body
    symbol = report.issuer_symbol or body.symbol
    superior, issuer = body.header_lines()
    opening = (
        f"Thực hiện Kế hoạch số {plan.number_symbol}, ngày {short_date(plan.issued_on)} "
        f"của {plan.issuer_phrase} về {' '.join(plan.summary.split())}, "
        f"{report.unit_label} báo cáo kết quả như sau:"
    )
    return OfficialDocument(
        superior_body=superior,
        issuer_name=issuer,
        # An unnumbered draft leaves the blank for the number: "Số      -BC/HU".
        number_symbol=number_symbol(report.number, DOC_TYPE_REPORT, symbol),
        place_date=place_date(unit.place_name or plan.place_name, report.document_date),
        doc_type=DOC_TITLES[DOC_TYPE_REPORT],
        summary=_summary(report),
        blocks=[Block(style=PARA, text=opening), *body_blocks(report, items_for_unit(report))],
        recipients=recipient_lines(report.recipients or _default_recipients(report)),
        sign_on_behalf=report.sign_on_behalf,
        signer_position=report.signer_position,
        signer_name=report.signer_name or body.signer_name,
    )
