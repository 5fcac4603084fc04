"""A unit's report as an official document (BÁO CÁO), handed to the documents layer to render.

The document follows its plan's outline: each item the unit answers, with its
own numbering, then the answer. Like the plan, its words are Vietnamese
whatever the interface language: they are what the unit's leader signs.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal, InvalidOperation

from django.utils.html import escape
from openpyxl import Workbook
from openpyxl.styles import Font

from campaigns.documents import item_block
from campaigns.models import NUMBER_TYPES, AnswerType, OutlineItem
from campaigns.selectors import OutlineRow
from campaigns.tables import TableSpec
from documents import richtext
from documents.content import BULLET, HEADINGS, PARA, Annex, Block, OfficialDocument, Table
from documents.formatting import place_date, recipient_lines, short_date, vietnamese_number
from documents.numbering import DOC_TITLES, DOC_TYPE_REPORT, number_symbol
from orgunits.tables import append_row

from . import tables
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
    if kind == AnswerType.TABLE:
        return table_summary(item.table_spec, tables.clean_stored(answer.rows))
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


# ------------------------------------------------------------ table answers

COMMENDATION_TITLE = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
UNIT_COLUMN = "Đơn vị đề nghị"


def table_summary(spec: TableSpec, rows: list[dict]) -> list[Block]:
    """The line of the body for a table answer; the rows are in the annex:
    "Đề nghị khen thưởng 3 trường hợp (Bằng khen: 1; Giấy khen: 2), có danh
    sách kèm theo." """
    if not rows:
        return []
    if not spec.forms:
        return [Block(style=PARA, text=f"Có {len(rows)} dòng, chi tiết tại phụ lục kèm theo.")]
    counts = "; ".join(f"{form}: {n}" for form, n in tables.form_counts(rows, spec).items())
    return [
        Block(
            style=PARA,
            text=f"Đề nghị khen thưởng {len(rows)} trường hợp ({counts}), có danh sách kèm theo.",
        )
    ]


def table_title(item: OutlineItem) -> str:
    spec = item.table_spec
    return COMMENDATION_TITLE if spec.forms else " ".join(item.title.split()).upper()


def table_header(spec: TableSpec) -> list[str]:
    return ["STT", *spec.header, UNIT_COLUMN]


def table_widths(spec: TableSpec) -> list[float]:
    """Print widths (%): STT, the columns (the first and the achievements wider), form, unit."""
    fixed = 6 + (12 if spec.forms else 0) + 14
    weights = [1.4 if i == 0 else 2.0 if i == 2 else 1.0 for i in range(len(spec.columns))]
    share = (100 - fixed) / sum(weights)
    return [6, *(round(w * share, 1) for w in weights), *([12] if spec.forms else []), 14]


def table_cells(spec: TableSpec, row: dict, number: int, unit: str) -> list[str]:
    cells = list(row.get("cells", []))[: len(spec.columns)]
    cells += [""] * (len(spec.columns) - len(cells))
    return [str(number), *cells, *([row.get("form", "")] if spec.forms else []), unit]


def table_annexes(report: Report, rows: list[OutlineRow], subtitle: str) -> list[Annex]:
    """One annex a table item the unit answered: its rows, numbered, each with
    the unit that proposed it (the report's unit for its own rows)."""
    answers = {answer.item_id: answer for answer in report.answers.all()}
    annexes = []
    for row in rows:
        item = row.item
        if item.answer_type != AnswerType.TABLE or item.pk not in answers:
            continue
        stored = tables.clean_stored(answers[item.pk].rows)
        if not stored:
            continue
        spec = item.table_spec
        annexes.append(
            Annex(
                title=f"PHỤ LỤC\n{table_title(item)}",
                subtitle=subtitle,
                tables=[
                    Table(
                        header=table_header(spec),
                        rows=[
                            table_cells(spec, r, n, r.get("unit") or report.unit_label)
                            for n, r in enumerate(stored, start=1)
                        ],
                        numeric_columns={0},
                        widths=table_widths(spec),
                    )
                ],
                landscape=True,
            )
        )
    return annexes


def tables_workbook(report: Report) -> bytes:
    """The table answers of the report as an XLSX workbook: a sheet a table
    item ("Danh sách đề nghị khen thưởng"), STT as numbers, the unit that
    proposed each row in the last column."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    answers = {answer.item_id: answer for answer in report.answers.all()}
    items = [row.item for row in items_for_unit(report) if row.item.answer_type == AnswerType.TABLE]
    for number, item in enumerate(items, start=1):
        spec = item.table_spec
        title = table_title(item).capitalize()[:28]
        sheet = workbook.create_sheet(f"{number}. {title}"[:31])
        append_row(sheet, table_header(spec))
        for cell in sheet[1]:
            cell.font = bold
        answer = answers.get(item.pk)
        stored = tables.clean_stored(answer.rows) if answer else []
        for n, row in enumerate(stored, start=1):
            append_row(
                sheet, [n, *table_cells(spec, row, n, row.get("unit") or report.unit_label)[1:]]
            )
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 6), 60)
    if not items:
        append_row(workbook.create_sheet("Danh sách"), ["Báo cáo không có bảng nào."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attached_to(report: Report, number_symbol_text: str) -> str:
    """ "(kèm theo Báo cáo số 05-BC/ĐU, ngày 20/3/2026 của Ban Thường vụ Đảng ủy xã …)"."""
    day = f", ngày {short_date(report.issued_on)}" if report.issued_on else ""
    return f"(kèm theo Báo cáo số {number_symbol_text}{day} của {report.body.phrase})"


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


def build(report: Report, *, with_tables: bool = True) -> OfficialDocument:
    """The BÁO CÁO; with ``with_tables`` each table answer in an annex of its
    own (the consolidated report adds its own, read through the roll-up)."""
    plan, unit, body = report.plan, report.unit, report.body
    symbol = report.issuer_symbol or body.symbol
    superior, issuer = body.header_lines()
    opening = (
        f"Thực hiện Kế hoạch số {plan.number_symbol}, ngày {short_date(plan.issued_on)} "
        f"của {plan.issuer_phrase} về {' '.join(plan.summary.split())}, "
        f"{report.unit_label} báo cáo kết quả như sau:"
    )
    rows = items_for_unit(report)
    doc = OfficialDocument(
        superior_body=superior,
        issuer_name=issuer,
        # An unnumbered draft leaves the blank for the number: "Số      -BC/HU".
        number_symbol=number_symbol(report.number, DOC_TYPE_REPORT, symbol),
        place_date=place_date(unit.place_name or plan.place_name, report.document_date),
        doc_type=DOC_TITLES[DOC_TYPE_REPORT],
        summary=_summary(report),
        blocks=[Block(style=PARA, text=opening), *body_blocks(report, rows)],
        recipients=recipient_lines(report.recipients or _default_recipients(report)),
        sign_on_behalf=report.sign_on_behalf,
        signer_position=report.signer_position,
        signer_name=report.signer_name or body.signer_name,
    )
    if with_tables:
        doc.annexes += table_annexes(report, rows, attached_to(report, doc.number_symbol))
    return doc
