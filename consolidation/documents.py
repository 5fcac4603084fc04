"""The consolidated report as a document: the unit's own BÁO CÁO with its annexes.

The body is what the coordinators wrote in the unit's report
(``reports.documents.build``); this module adds the annexes that the roll-up
feeds: PHỤ LỤC 1, the figures by reporting unit, and PHỤ LỤC 2, who reported
on time, late or not at all. The annexes are built once as plain data
(:class:`AnnexData`, numbers kept as numbers) and then laid out as the annex
tables of the PDF and DOCX (rendered by the documents layer), or written as
the sheets of an XLSX workbook.

Unit names and other texts are data: they reach the print template as plain
strings, which it escapes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max
from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from campaigns.models import FIGURE_TYPES, AnswerType
from documents.content import PARA, Annex, Block, OfficialDocument, Table
from documents.formatting import recipient_lines, short_date, vietnamese_number
from orgunits.tables import append_row
from reports import documents as output
from reports import tables
from reports.models import ReceivedVia, Report

from . import commendations
from .rollup import Figure, Rollup

# Bump when the layout of the consolidated document changes, so that builds
# kept from before are made again.
# 4: the lists of table items (commendation proposals)
LAYOUT_VERSION = "4"  # 2: each unit once (consolidation.tree); 3: direct subordinates
# Figure columns per annex table: more would not fit across a landscape page;
# a longer outline gets several tables, each with the unit names again.
COLUMNS_PER_TABLE = 8
# Print widths (% of a landscape page's text) of the STT column and of a
# figure column ("1.234.567" in 12 pt fits in 10 %).
NUMBER_WIDTH = 5
FIGURE_WIDTH = 10

Number = int | Decimal


@dataclass
class RawTable:
    """An annex table before layout: numbers stay numbers (for XLSX)."""

    header: list[str]
    rows: list[list[str | Number | None]] = field(default_factory=list)
    numeric_columns: set[int] = field(default_factory=set)
    # Short labels ("Cấp huyện", "Gửi trễ hạn") kept on one line in print.
    nowrap_columns: set[int] = field(default_factory=set)
    # The header of the spreadsheet, when print abbreviates it.
    full_header: list[str] | None = None
    # Column widths in % for print (a fixed layout, fast for long tables).
    widths: list[float] = field(default_factory=list)


@dataclass
class AnnexData:
    title: str  # "PHỤ LỤC 1"
    name: str  # "Số liệu tổng hợp theo đơn vị"
    notes: list[str] = field(default_factory=list)
    tables: list[RawTable] = field(default_factory=list)
    landscape: bool = True


# ------------------------------------------------------------ fingerprint


def data_state(report: Report) -> tuple:
    """What the consolidated document depends on, in one query: the reports of
    the unit's subtree (its own included) and their answers."""
    stats = Report.objects.filter(
        campaign_id=report.campaign_id, unit__path__startswith=report.unit.path
    ).aggregate(
        report_count=Count("id", distinct=True),
        last_modified=Max("modified"),
        answer_count=Count("answers__id"),
        last_answer=Max("answers__updated_at"),
    )
    return (
        LAYOUT_VERSION,
        report.pk,
        stats["report_count"],
        stats["last_modified"],
        stats["answer_count"],
        stats["last_answer"],
        report.plan.modified,
    )


def fingerprint(report: Report, include_submitted: bool, *, state: tuple | None = None) -> str:
    """sha256 of the data a build of ``report`` is made from: it changes as soon
    as a report or an answer below changes, is added or is removed."""
    state = data_state(report) if state is None else state
    text = repr((*state, bool(include_submitted)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ------------------------------------------------------------ annex data


def _figure_label(row, years: str) -> str:
    """The item as the outline words it; per-year items say they are summed."""
    item = row.item
    title = " ".join(item.title.split())
    numbered = any(ch.isdigit() for ch in item.numbering)
    label = f"{item.numbering} {title}" if numbered else title
    if item.answer_type == AnswerType.INTEGER_PER_YEAR:
        label = f"{label.rstrip('.')} (tổng các năm {years})."
    return label


def _shown(value: Decimal | None, answer_type: str) -> Number | None:
    if value is None:
        return None
    return int(value) if answer_type != AnswerType.DECIMAL else value


def _total(figure) -> Decimal | None:
    """A unit's figure in the annex: its number, or the sum of its years."""
    if figure is None or not figure.answered:
        return None
    return figure.total


def _difference_text(difference, answer_type: str) -> str:
    def shown(value):
        return "—" if value is None else output.vietnamese_number(_shown(value, answer_type))

    if difference.years:  # the same total, spread differently over the years
        return "; ".join(
            f"năm {year}: {shown(own)} / {shown(leaves)}" for year, own, leaves in difference.years
        )
    return f"{shown(difference.own_total)} / {shown(difference.leaves_total)}"


def _columns(result: Rollup) -> list:
    return [entry for entry in result.items if entry.item.answer_type in FIGURE_TYPES]


def _basis(result: Rollup) -> str:
    return "đã gửi (kể cả chưa được tiếp nhận)" if result.include_submitted else "đã được tiếp nhận"


def _figure_notes(annex: AnnexData, result: Rollup, columns: list) -> list[str]:
    """The notes every figure annex carries (pending subordinates, the keys of
    the columns, the differences); the labels of the columns."""
    for part in result.pending_included:
        with translation.override("vi"):  # a signed document's words, whoever builds it
            status = str(part.node.status_label).lower()
        annex.notes.append(
            f"Báo cáo của {part.node.name} chưa được tính "
            f"({status}): số liệu của {len(part.used)} đơn vị "
            f"thuộc {part.node.name} được tính thay, ghi “chưa được {part.node.name} tổng hợp”, "
            "và đã được cộng vào tổng."
        )
    if not result.tree.used:
        return []
    # Outline items are long questions: the columns carry a key, "(1)", and
    # the notes above the table spell each one out, so the unit names keep
    # the width (the XLSX sheet has the full wording in its header).
    period = f"{result.plan.period_start}–{result.plan.period_end}"
    labels = [_figure_label(entry.row, period) for entry in columns]
    annex.notes += [f"({number}) {label}" for number, label in enumerate(labels, start=1)]
    differences = []
    for number, entry in enumerate(columns, start=1):
        for difference in entry.differences:
            text = _difference_text(difference, entry.item.answer_type)
            differences.append(f"số của {difference.unit} ở mục ({number}): {text}")
    if differences:
        annex.notes.append(
            "Đối chiếu với tổng các đơn vị cơ sở (số của đơn vị / tổng các đơn vị cơ sở "
            "trực thuộc): " + "; ".join(differences) + "."
        )
    return labels


def _figure_tables(
    annex: AnnexData, result: Rollup, columns: list, labels: list[str], rows: list
) -> None:
    """The tables of a figure annex, COLUMNS_PER_TABLE columns each: ``rows``
    are (name, {item pk: Figure or None}), then the totals."""
    for start in range(0, len(columns), COLUMNS_PER_TABLE):
        chunk = columns[start : start + COLUMNS_PER_TABLE]
        keys = [f"({number})" for number in range(start + 1, start + len(chunk) + 1)]
        figure_width = min(FIGURE_WIDTH, 64 / len(chunk))
        table = RawTable(
            header=["STT", "Đơn vị", *keys],
            full_header=["STT", "Đơn vị", *labels[start : start + len(chunk)]],
            numeric_columns={0, *range(2, 2 + len(chunk))},
            widths=[
                NUMBER_WIDTH,
                100 - NUMBER_WIDTH - figure_width * len(chunk),
                *[figure_width] * len(chunk),
            ],
        )
        for number, (name, figures) in enumerate(rows, start=1):
            values = [
                _shown(_total(figures.get(entry.item.pk)), entry.item.answer_type)
                for entry in chunk
            ]
            table.rows.append([number, name, *values])
        table.rows.append(
            ["", "Tổng cộng", *[_shown(_total(e.direct), e.item.answer_type) for e in chunk]]
        )
        if any(entry.differences for entry in chunk):
            table.rows.append(
                [
                    "",
                    "Đối chiếu: tổng các đơn vị cơ sở",
                    *[_shown(_total(e.leaves), e.item.answer_type) for e in chunk],
                ]
            )
        annex.tables.append(table)


def _own(result: Rollup, columns: list, node) -> dict:
    figures = {}
    for entry in columns:
        figure = result.unit_figures.get((entry.item.pk, node.path))
        figures[entry.item.pk] = figure.own if figure else None
    return figures


def figures_annex(report: Report, result: Rollup) -> AnnexData:
    """PHỤ LỤC 1: one row per direct subordinate (the roll-up's rule: a level
    sums its direct subordinates), one column per figure item, the totals.
    A subordinate that has not consolidated its units yet shows the sum of
    the reports counted in its place. No query: the roll-up has the figures
    of every unit it counts. Every unit's own row is in :func:`units_annex`."""
    annex = AnnexData(title="PHỤ LỤC 1", name="Số liệu tổng hợp theo đơn vị trực thuộc")
    columns = _columns(result)
    if not columns:
        annex.notes.append("Đề cương không có mục nào yêu cầu số liệu.")
        return annex
    used, direct = result.tree.used, result.tree.direct
    annex.notes.append(
        f"Mỗi dòng là một đơn vị trực thuộc ({len(direct)} đơn vị), tổng hợp từ {len(used)} "
        f"báo cáo {_basis(result)}; mỗi đơn vị được tính một lần: đơn vị có đơn vị trực thuộc "
        "được tính bằng báo cáo tổng hợp của chính đơn vị đó."
    )
    labels = _figure_notes(annex, result, columns)
    if not used:
        return annex
    below: dict[int, list] = {node.report_id: [] for node in direct}
    for node in used:  # each report used, under the direct subordinate it counts for
        top = node if node.parent is None else node.waiting_for
        below[top.report_id].append(node)
    rows = []
    for node in direct:
        counted = below[node.report_id]
        name = node.name
        if not counted:
            name = f"{name} (chưa có báo cáo được tính)"
        elif not node.used:
            name = f"{name} (chưa tổng hợp: tính bằng số liệu của {len(counted)} đơn vị trực thuộc)"
        figures: dict = {}
        for unit in counted:
            for pk, figure in _own(result, columns, unit).items():
                if figure is not None:
                    figures[pk] = figures.get(pk) or Figure()
                    figures[pk].add(figure)
        rows.append((name, figures))
    _figure_tables(annex, result, columns, labels, rows)
    return annex


def units_annex(report: Report, result: Rollup) -> AnnexData:
    """PHỤ LỤC 3 (asked for, and in every XLSX): one row per unit whose report
    the roll-up counts (each unit once), with the same columns and totals as
    PHỤ LỤC 1, and the units whose own figure differs from the sum of their
    grassroots units."""
    annex = AnnexData(title="PHỤ LỤC 3", name="Số liệu tổng hợp theo từng đơn vị")
    columns = _columns(result)
    if not columns:
        annex.notes.append("Đề cương không có mục nào yêu cầu số liệu.")
        return annex
    used = result.tree.used
    annex.notes.append(
        f"Tổng hợp từ {len(used)} báo cáo {_basis(result)}; mỗi đơn vị được tính một lần: "
        "đơn vị có đơn vị trực thuộc được tính bằng báo cáo tổng hợp của chính đơn vị đó."
    )
    labels = _figure_notes(annex, result, columns)
    if not used:
        return annex
    rows = []
    for node in used:
        name = node.name
        if node.waiting_for is not None:
            name = f"{name} (chưa được {node.waiting_for.name} tổng hợp)"
        rows.append((name, _own(result, columns, node)))
    _figure_tables(annex, result, columns, labels, rows)
    return annex


def timeliness_annex(result: Rollup, *, every_unit: bool = False) -> AnnexData:
    """PHỤ LỤC 2: per level, expected, on time, late, without a report and the
    share that reported; then the direct subordinates that were late or have no
    report (with ``every_unit``, every unit below that was late or has none),
    and the reports received outside the app."""
    annex = AnnexData(title="PHỤ LỤC 2", name="Tình hình gửi báo cáo", landscape=False)
    if result.include_submitted:
        annex.notes.append("Tính theo các báo cáo đã gửi, kể cả báo cáo chưa được tiếp nhận.")
    else:
        annex.notes.append(
            "Tính theo các báo cáo đã được tiếp nhận; báo cáo đã gửi nhưng chưa được tiếp nhận "
            "được tính là chưa có báo cáo."
        )
    if not result.levels:
        annex.notes.append("Không có đơn vị trực thuộc nào phải báo cáo.")
        return annex
    annex.notes.append(
        "Mỗi đơn vị được tính một lần; dòng đầu là các đơn vị trực thuộc, "
        "các dòng theo cấp tính mọi đơn vị cấp dưới."
    )
    summary = RawTable(
        header=[
            "Cấp",
            "Số đơn vị phải báo cáo",
            "Đúng hạn",
            "Trễ hạn",
            "Chưa có báo cáo",
            "Tỷ lệ (%)",
        ],
        numeric_columns={1, 2, 3, 4, 5},
        nowrap_columns={0},
    )
    rows = [("Đơn vị trực thuộc", result.direct)]
    rows += [(e.level.name, e) for e in result.levels]
    for name, e in rows:
        summary.rows.append([name, e.expected, e.on_time, e.late, e.missing, e.percent])
    if len(result.levels) > 1:
        expected = sum(e.expected for e in result.levels)
        on_time = sum(e.on_time for e in result.levels)
        late = sum(e.late for e in result.levels)
        missing = sum(e.missing for e in result.levels)
        percent = round(100 * (on_time + late) / expected) if expected else 0
        summary.rows.append(["Tổng cộng (mọi cấp)", expected, on_time, late, missing, percent])
    annex.tables.append(summary)

    # The direct subordinates first, then the other units below, each once.
    direct = {node.name for node in result.tree.direct}
    units = [
        (name, entry.level.name, state)
        for entry in result.levels
        for names, state in (
            (entry.late_units, "Gửi trễ hạn"),
            (entry.missing_units, "Chưa có báo cáo"),
        )
        for name in names
    ]
    units.sort(key=lambda unit: unit[0] not in direct)
    if not every_unit:
        others = sum(unit[0] not in direct for unit in units)
        units = [unit for unit in units if unit[0] in direct]
        if others:
            annex.notes.append(
                f"Danh sách dưới đây gồm các đơn vị trực thuộc; {others} đơn vị cấp dưới khác "
                "gửi trễ hạn hoặc chưa có báo cáo không được liệt kê ở đây."
            )
    if units:
        annex.tables.append(
            RawTable(
                header=["STT", "Đơn vị", "Cấp", "Tình trạng"],
                rows=[[number, *unit] for number, unit in enumerate(units, start=1)],
                numeric_columns={0},
                nowrap_columns={2, 3},
                # portrait: "Chưa có báo cáo" and "Cấp cơ sở" on one line
                widths=[8, 44, 20, 28],
            )
        )
    received = received_outside_table(result)
    if received is not None:
        annex.notes.append(
            "Các báo cáo gửi ngoài hệ thống (qua thư điện tử, bản giấy) do cấp trên ghi nhận; "
            "ngày nhận là ngày tính đúng hạn hay trễ hạn."
        )
        annex.tables.append(received)
    return annex


def received_outside_table(result: Rollup) -> RawTable | None:
    """The reports counted here that arrived by e-mail or on paper: how, and
    the day they arrived (None when every report came through the app)."""
    levels = {entry.level.pk: entry.level.name for entry in result.levels}
    nodes = [
        node
        for node in result.tree.nodes
        if node.counted and node.received_via != ReceivedVia.APP and node.submitted_at
    ]
    if not nodes:
        return None
    with translation.override("vi"):  # a signed document's words, whoever builds it
        labels = {via.value: str(via.label) for via in ReceivedVia}
    table = RawTable(
        header=["STT", "Đơn vị", "Cấp", "Hình thức gửi", "Ngày nhận", "Tình trạng"],
        numeric_columns={0},
        nowrap_columns={2, 3, 4, 5},
    )
    for number, node in enumerate(nodes, start=1):
        table.rows.append(
            [
                number,
                node.name,
                levels.get(node.level_id, ""),
                labels[node.received_via],
                short_date(timezone.localdate(node.submitted_at)),
                "Gửi trễ hạn" if node.is_late else "Đúng hạn",
            ]
        )
    return table


def table_annexes(report: Report, result: Rollup, first: int) -> list[AnnexData]:
    """One annex per table item (a commendation list: "DANH SÁCH ĐỀ NGHỊ KHEN
    THƯỞNG"), numbered from ``first``: the unit's own list when it made one
    (the rows it took from its units, cut or changed, and its own), else the
    rows its units propose read by the roll-up's rule; each row with the
    unit that proposed it, then the rows per form and level."""
    items = [e.item for e in result.items if e.item.answer_type == AnswerType.TABLE]
    if not items:
        return []
    below = commendations.proposals(
        plan=result.plan, unit=result.unit, tree=result.tree, items=items
    )
    answers = {
        a.item_id: a for a in report.answers.filter(item__in=items) if tables.clean_stored(a.rows)
    }
    annexes = []
    for number, item in enumerate(items, start=first):
        spec = item.table_spec
        own = answers.get(item.pk)
        entry = commendations.ItemProposals(item=item, spec=spec)
        if own is not None:
            entry.rows = commendations.own_rows(
                own, unit=report.unit_label, unit_id=report.unit_id, level=report.unit.level
            )
        else:
            entry.rows = below[item.pk].rows
        annex = AnnexData(title=f"PHỤ LỤC {number}", name=output.table_title(item))
        if own is not None:
            annex.notes.append(
                f"Danh sách của {report.unit_label}, gồm các trường hợp do đơn vị cấp dưới đề "
                "nghị đã được xem xét đưa vào (ghi rõ đơn vị đề nghị)."
            )
        else:
            annex.notes.append(
                "Tổng hợp đề nghị của các đơn vị cấp dưới; mỗi đơn vị được tính một lần: "
                "đơn vị có đơn vị trực thuộc được tính bằng danh sách trong báo cáo "
                "của chính đơn vị đó."
            )
        if not entry.rows:
            annex.notes.append("Không có trường hợp nào được đề nghị.")
            annexes.append(annex)
            continue
        listed = RawTable(
            header=output.table_header(spec),
            numeric_columns={0},
            widths=output.table_widths(spec),
        )
        for n, proposal in enumerate(entry.rows, start=1):
            unit = proposal.unit
            if proposal.pending_by:
                unit = f"{unit} (chưa được {proposal.pending_by} tổng hợp)"
            cells = output.table_cells(spec, proposal.row, n, unit)
            listed.rows.append([n, *cells[1:]])
        annex.tables.append(listed)
        forms = entry.forms
        if forms:
            counts = RawTable(
                header=["Cấp của đơn vị đề nghị", *forms, "Tổng số"],
                numeric_columns=set(range(1, len(forms) + 2)),
                nowrap_columns={0},
            )
            for level, per_form, total in entry.by_level:
                counts.rows.append([level, *(n for _form, n in per_form), total])
            per_form = entry.per_form
            counts.rows.append(["Tổng cộng", *(per_form.get(f, 0) for f in forms), len(entry.rows)])
            annex.tables.append(counts)
        annexes.append(annex)
    return annexes


def annex_data(report: Report, result: Rollup, *, every_unit: bool = False) -> list[AnnexData]:
    """PHỤ LỤC 1 and 2 of the direct subordinates; with ``every_unit`` (always
    in the XLSX), PHỤ LỤC 2 lists every unit below and PHỤ LỤC 3 has each
    unit's figures; then a list per table item (``table_annexes``)."""
    annexes = [figures_annex(report, result), timeliness_annex(result, every_unit=every_unit)]
    if every_unit:
        annexes.append(units_annex(report, result))
    return annexes + table_annexes(report, result, len(annexes) + 1)


# ------------------------------------------------------------ the document


NOWRAP_UP_TO = 20  # characters; a longer label may wrap after all


def _cell(value: str | Number | None, nowrap: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, int | Decimal):
        return vietnamese_number(value)
    text = str(value)
    # Non-breaking spaces: the table layout then gives the column its width.
    return text.replace(" ", "\u00a0") if nowrap and len(text) <= NOWRAP_UP_TO else text


def _attached_to(report: Report, doc: OfficialDocument) -> str:
    """ "(kèm theo Báo cáo số 312-BC/TU, ngày 20/3/2020 của Ban Thường vụ Tỉnh ủy Gia Lai)"."""
    issuer = report.body.phrase
    day = f", ngày {short_date(report.issued_on)}" if report.issued_on else ""
    return f"(kèm theo Báo cáo số {doc.number_symbol}{day} của {issuer})"


def as_annex(data: AnnexData, subtitle: str) -> Annex:
    return Annex(
        title=f"{data.title}\n{data.name}",
        subtitle=subtitle,
        blocks=[Block(style=PARA, text=note) for note in data.notes],
        tables=[
            Table(
                header=table.header,
                rows=[
                    [_cell(value, i in table.nowrap_columns) for i, value in enumerate(row)]
                    for row in table.rows
                ],
                numeric_columns=table.numeric_columns,
                widths=table.widths,
            )
            for table in data.tables
        ],
        landscape=data.landscape,
    )


def consolidated_document(
    report: Report, rollup: Rollup, *, every_unit: bool = False
) -> OfficialDocument:
    """The unit's BÁO CÁO as its coordinators wrote it, with PHỤ LỤC 1 and 2
    (and 3, each unit's figures, with ``every_unit``)."""
    doc = output.build(report, with_tables=False)
    if not report.recipients and report.unit_id == report.plan.issuing_unit_id:
        # The unit's report would go "to its own standing committee": the
        # issuing level's consolidated report goes where its plan went.
        doc.recipients = recipient_lines(report.plan.recipients) or doc.recipients
    subtitle = _attached_to(report, doc)
    doc.annexes += [
        as_annex(data, subtitle) for data in annex_data(report, rollup, every_unit=every_unit)
    ]
    return doc


def _spreadsheet_value(value: str | Number | None) -> str | int | float | None:
    if isinstance(value, Decimal):  # a whole Decimal may print as "1E+1" in a cell
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def xlsx(annexes: list[AnnexData]) -> bytes:
    """One sheet per annex; its tables one under the other, headers bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for data in annexes:
        sheet = workbook.create_sheet(data.title.capitalize())  # "Phụ lục 1"
        for table in data.tables:
            if sheet.max_row > 1:
                sheet.append([])
            append_row(sheet, table.full_header or table.header)
            for cell in sheet[sheet.max_row]:
                cell.font = bold
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            for row in table.rows:
                append_row(sheet, [_spreadsheet_value(value) for value in row])
        if not data.tables:
            for note in data.notes:
                append_row(sheet, [note])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
