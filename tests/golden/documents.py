"""The golden documents, each built from the app's own code on data of its own.

Every builder takes nothing, writes what it needs into the (test) database
and returns the :class:`~documents.content.OfficialDocument` the app would
render. The harness runs each builder in a transaction it rolls back, so the
builders never see each other's rows and may reuse unit codes.

Reports take their header and signature block from their unit's default
issuing body (defaults by level); only the number, date and signer are typed.
After a change of layout, ``make golden`` regenerates the data and the page
images: look at every changed page before committing.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from pathlib import Path

from campaigns import documents as plan_documents
from campaigns import services
from campaigns.models import AnswerType, Plan
from consolidation import documents as consolidation_documents
from consolidation import rollup
from documents.content import OfficialDocument
from orgunits import demo
from orgunits.models import Level, OrgUnit, OrgUnitKind, Role
from reports import documents as report_documents
from reports.demo import POINTS, SENTENCES
from reports.models import Report, ReportStatus
from tests.campaigns import made_up, seeds
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
    )
    result = rollup.build(plan=report.plan, unit=report.unit)
    return consolidation_documents.consolidated_document(report, result)


def seed003_plan() -> OfficialDocument:
    """Kế hoạch 174-KH/TU (seed 003) as its office enters it: three sections, II
    merging content and timing with the deadlines in the plan's own words, the
    cross-reference "điểm 2, Mục 2, Phần II", the outline as ĐỀ CƯƠNG annex."""
    levels = _levels()
    units = _gia_lai(levels)
    return plan_documents.build(seeds.seed003_plan(units["P"], levels))


def made_up_plan() -> OfficialDocument:
    """A plan shaped like none of the seeds (``tests/campaigns/made_up.py``): a
    bloc's steering committee issues it, three sections numbered "I.", the
    outline both in II and annexed, a month deadline with a day to send."""
    return plan_documents.build(made_up.build(_levels()))


# The golden documents by name, in the order of the table.
DOCUMENTS: dict[str, Callable[[], OfficialDocument]] = {
    "seed000-plan": seed000_plan_document,
    "seed003-plan": seed003_plan,
    "commune-report": commune_report,
    "consolidated-report": consolidated_report,
    "made-up-plan": made_up_plan,
}
