"""Consolidation: roll-up and PDF of a 1,000-unit province; figures of a 50,000-unit tree."""

import datetime
import gc
import random
import resource
import time
import tracemalloc

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import trees
from campaigns import services as plan_services
from campaigns.models import AnswerType, Plan
from consolidation import rollup
from orgunits.models import Level, OrgUnit
from reports.models import Answer, Report, ReportStatus
from tests.campaigns.seeds import seed000_plan

POINTS = [
    "Cấp ủy quan tâm lãnh đạo, chỉ đạo.",
    "Thiếu kinh phí tổ chức.",
    "Một số nơi còn hình thức.",
    "Nhân dân đồng tình ủng hộ.",
    "Cần sửa đổi quy chế.",
]


def make_campaign(
    code: str,
    districts: int,
    communes: int,
    *,
    districts_waiting: bool = False,
    province: OrgUnit | None = None,
    number: int = 279,
) -> tuple[Plan, OrgUnit]:
    """A province's campaign, 90 % of the reports accepted; with
    ``districts_waiting`` no district has consolidated yet (their reports are
    submitted, not accepted): every commune's report then counts in its place,
    the province's annexes list each of them (the case of issue #17).
    ``province`` is a tree built already (``code`` and the sizes are then not used)."""
    if province is None:
        province = trees.province(code, districts, communes)
    plan = seed000_plan(province, number=number)
    levels = {level.code: level for level in Level.objects.all()}
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    today = timezone.localdate()
    plan.issued_on = today - datetime.timedelta(days=30)
    plan.save()
    types = {
        "1.1.": AnswerType.INTEGER,
        "1.2.": AnswerType.INTEGER_PER_YEAR,
        "1.3.": AnswerType.INTEGER,
        "2.3.": AnswerType.POINTS,
    }
    for numbering, answer_type in types.items():
        plan.outline_items.filter(numbering=numbering).update(answer_type=answer_type)
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], today - datetime.timedelta(days=5)),
            plan_services.DeadlineCheck(levels["huyen"], today + datetime.timedelta(days=5)),
            plan_services.DeadlineCheck(levels["tinh"], today + datetime.timedelta(days=10)),
        ],
    )
    plan_services.publish(plan=plan, by=None)
    plan.refresh_from_db()
    rng = random.Random(1)
    reports = list(
        Report.objects.filter(campaign=plan, unit__depth__gt=province.depth).select_related("unit")
    )
    for report in reports:
        report.status = ReportStatus.ACCEPTED if rng.random() < 0.9 else ReportStatus.PENDING
        report.is_late = report.status == ReportStatus.ACCEPTED and rng.random() < 0.1
        if districts_waiting and report.unit.depth == province.depth + 1:
            report.status = ReportStatus.SUBMITTED
    Report.objects.bulk_update(reports, ["status", "is_late"], batch_size=2000)
    items = {
        i.numbering: i for i in plan.outline_items.filter(numbering__in=list(types) + ["2.1."])
    }
    answers = []
    for report in reports:
        answers.append(
            Answer(report=report, item=items["1.1."], number=rng.randint(0, 20), version=1)
        )
        answers.append(
            Answer(report=report, item=items["1.3."], number=rng.randint(0, 5), version=1)
        )
        answers.append(
            Answer(
                report=report,
                item=items["1.2."],
                version=1,
                per_year={
                    str(y): rng.randint(0, 6) for y in range(plan.period_start, plan.period_end + 1)
                },
            )
        )
        answers.append(
            Answer(report=report, item=items["2.3."], version=1, points=rng.sample(POINTS, 2))
        )
        answers.append(
            Answer(
                report=report,
                item=items["2.1."],
                version=1,
                text="<div>Đơn vị đã triển khai thực hiện nghiêm túc, đúng quy "
                "trình; các cuộc đối thoại được chuẩn bị chu đáo.</div>",
            )
        )
    Answer.objects.bulk_create([a.fill_plain() for a in answers], batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a bulk load
    return plan, province


def timed(func):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        value = func()
        elapsed = time.perf_counter() - start
    return value, elapsed, len(queries.captured_queries)


def _pdf_job(own: Report, plan: Plan, province: OrgUnit, every_unit: bool) -> tuple[str, bytes]:
    from consolidation import documents
    from documents.html import render_html
    from documents.pdf import html_to_pdf

    result = rollup.build(plan=plan, unit=province)
    kwargs = {"every_unit": True} if every_unit else {}
    html = render_html(documents.consolidated_document(own, result, **kwargs))
    return html, html_to_pdf(html)


def _rss_mib() -> float:
    """The process's resident set now (what a worker keeps), in MiB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def province_pdf(districts: int = 25, communes: int = 2500) -> None:
    """The consolidated PDF of a province of ``districts`` + ``communes`` units
    (2,526 reports with the province's own: the size of issue #17), no
    district consolidated yet, so that every commune is counted: the default
    document (annexes of the direct subordinates) and the one with the annex
    of every unit."""
    from documents.pdf import html_to_pdf

    plan, province = make_campaign(
        "BP", districts=districts, communes=communes, districts_waiting=True
    )
    own = Report.objects.get(campaign=plan, unit=province)
    units = Report.objects.filter(campaign=plan).count()
    result, elapsed, queries = timed(lambda: rollup.build(plan=plan, unit=province))
    print(
        f"roll-up of a {units:,}-unit province ({len(result.tree.used):,} reports counted): "
        f"{elapsed:.2f} s, {queries} queries"
    )
    print(f"process RSS before any PDF: {_rss_mib():.0f} MiB")
    for every_unit in (False, True):
        _pdf_job(own, plan, province, every_unit)  # fonts and caches load once, as in a worker
        (html, pdf), app_total, _q = timed(
            lambda every_unit=every_unit: _pdf_job(own, plan, province, every_unit)
        )
        start = time.perf_counter()
        html_to_pdf(html)
        weasy = time.perf_counter() - start
        what = "with the annex of every unit" if every_unit else "default (direct subordinates)"
        print(
            f"consolidated PDF, {what}: {len(pdf) / 1024:,.0f} KiB, "
            f"{html.count('<tr>'):,} table rows, {app_total:.2f} s in all, WeasyPrint alone "
            f"{weasy:.2f} s; process RSS after {_rss_mib():.0f} MiB"
        )
    # Memory on a separate run: tracemalloc slows Python code several times.
    gc.collect()
    tracemalloc.start()
    _pdf_job(own, plan, province, True)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"PDF job memory (every unit): Python peak {peak / 2**20:.0f} MiB (tracemalloc), "
        f"process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


# The roll-up's rule written by hand for this three-level tree: a commune's
# answer counts unless its district's own report is accepted (the district
# then stands for it). Only the figure answers (numbers, numbers per year) are
# read: what rollup.figures sums, not the narrative answers beside them.
HAND_SQL = """
    SELECT COALESCE(i2.inherited_from_id, i1.inherited_from_id, a.item_id) AS root,
           SUM(a.number), {years}
    FROM reports_answer a
    JOIN campaigns_outlineitem i1 ON i1.id = a.item_id
    LEFT JOIN campaigns_outlineitem i2 ON i2.id = i1.inherited_from_id
    JOIN reports_report r ON r.id = a.report_id
    JOIN orgunits_orgunit u ON u.id = r.unit_id
    WHERE r.campaign_id = %s AND r.status = 'accepted'
      AND i1.answer_type IN ({types})
      AND u.path LIKE %s AND u.depth > %s
      AND NOT (u.depth > %s AND SUBSTR(u.path, 1, %s) IN (
          SELECT ud.path FROM reports_report rd JOIN orgunits_orgunit ud ON ud.id = rd.unit_id
          WHERE rd.campaign_id = %s AND rd.status = 'accepted' AND ud.depth = %s))
    GROUP BY 1"""


def hand_figures(plan: Plan, root: OrgUnit) -> dict[int, object]:
    """The total of each figure item (by root item id) under ``root``, by the
    rule, in one hand-written query: the floor of rollup.figures."""
    from campaigns.models import FIGURE_TYPES

    years = range(plan.period_start, plan.period_end + 1)
    if connection.vendor == "postgresql":
        year_sql = ", ".join(f"SUM((a.per_year ->> '{y}')::integer)" for y in years)
    else:
        year_sql = ", ".join(
            f"SUM(CAST(json_extract(a.per_year, '$.\"{y}\"') AS INTEGER))" for y in years
        )
    sql = HAND_SQL.format(years=year_sql, types=", ".join(["%s"] * len(FIGURE_TYPES)))
    district = root.depth + 1
    params = [plan.pk, *[str(t) for t in FIGURE_TYPES], root.path + "%", root.depth]
    params += [district, OrgUnit.steplen * district, plan.pk, district]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    totals = {}
    for root, number, *per_year in rows:
        years = [v for v in per_year if v is not None]
        if number is not None:
            totals[root] = number
        elif years:
            totals[root] = sum(years)  # a figure per year: its total over the years
    return totals


def country_figures() -> None:
    plan, root = make_campaign("CN", districts=400, communes=49_600)
    units = Report.objects.filter(campaign=plan).count()
    best = min(
        (timed(lambda: rollup.figures(plan=plan, unit=root)) for _ in range(3)), key=lambda t: t[1]
    )
    figures, elapsed, queries = best

    def hand():
        return hand_figures(plan, root)

    totals, hand_time, _q = min((timed(hand) for _ in range(3)), key=lambda t: t[1])
    compared = [e for e in figures if e.item.pk in totals]
    assert compared, "nothing to compare"
    assert all(totals[e.item.pk] == e.figure.total for e in compared)
    print(
        f"figures of a {units:,}-unit tree for the root ({connection.vendor}), each unit once: "
        f"{elapsed:.2f} s in {queries} queries; the rule in one hand-written SQL "
        f"{hand_time:.2f} s; ratio {elapsed / hand_time:.2f}×"
    )
    both, both_time, both_queries = min(
        (timed(lambda: rollup.figures(plan=plan, unit=root, leaves=True)) for _ in range(3)),
        key=lambda t: t[1],
    )
    differing = sum(e.leaves.total != e.figure.total for e in both if e.leaves)
    print(
        f"the same with the count from the grassroots beside (Tổng quan): {both_time:.2f} s "
        f"in {both_queries} queries ({differing} of {len(both)} figures differ from it)"
    )


def run() -> None:
    province_pdf()
    country_figures()
