"""The figures of the roll-up against the rule written out by hand (issue #17:
the sums moved from Figure objects to plain values): a random three-level
tree (districts with and without communes, a commune right under the
province), random statuses, random figures and figures per year; DIRECT,
LEAVES, the differences, the parts pending and every unit's own figure are
those of a straightforward reading of ``consolidation.tree``'s rule."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import services as plan_services
from campaigns.models import AnswerType
from consolidation import rollup
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import MembershipFactory, PlanFactory, add_unit, set_answer_type

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PROVINCES = itertools.count()
STATUSES = [ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.PENDING]


def campaign(levels, shape: list[int]):
    """A province with a district per entry of ``shape`` (that many communes
    below it; -1: a commune right under the province instead), published."""
    n = next(PROVINCES)
    province = add_unit(None, f"R{n}", levels["tinh"], name=f"Tỉnh ủy {n}", symbol="TU")
    for d, communes in enumerate(shape):
        if communes < 0:
            add_unit(province, f"R{n}L{d}", levels["co-so"], name=f"Đảng ủy xã lẻ {d}")
            continue
        district = add_unit(province, f"R{n}H{d}", levels["huyen"], name=f"Huyện ủy {d}")
        for c in range(communes):
            add_unit(district, f"R{n}H{d}X{c}", levels["co-so"], name=f"Đảng ủy xã {d}-{c}")
    today = timezone.localdate()
    coordinator = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan = PlanFactory(
        issuing_unit=province,
        seed000=True,
        issued_on=today - 10 * DAY,
        levels=["huyen", "co-so"],
        deadlines={"co-so": today + 5 * DAY, "huyen": today + 10 * DAY},
    )
    count = set_answer_type(plan, "1.1.", AnswerType.INTEGER)
    yearly = set_answer_type(plan, "1.2.", AnswerType.INTEGER_PER_YEAR)
    plan_services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    return province, plan, count, yearly


def reference(province, plan, item, include_submitted: bool) -> dict:
    """The rule, read off the reports and answers one by one."""
    counted = {ReportStatus.ACCEPTED} | ({ReportStatus.SUBMITTED} if include_submitted else set())
    reports = list(
        Report.objects.filter(campaign=plan, unit__depth__gt=province.depth)
        .select_related("unit")
        .order_by("unit__path")
    )
    answers = {a.report_id: a for a in Answer.objects.filter(item=item, report__in=reports)}

    def above(report):  # participating units above, below the province, nearest last
        path = report.unit.path
        return [r for r in reports if r.unit.path != path and path.startswith(r.unit.path)]

    def below(report):
        path = report.unit.path
        return [r for r in reports if r.unit.path != path and r.unit.path.startswith(path)]

    def figure(chosen):
        given = [answers[r.pk] for r in chosen if r.pk in answers]
        given = [a for a in given if a.number is not None or a.per_year]
        if not given:
            return None
        if item.answer_type == AnswerType.INTEGER_PER_YEAR:
            years = {}
            for a in given:
                for year, value in a.per_year.items():
                    years[year] = years.get(year, 0) + value
            return (Decimal(sum(years.values())), len(given), sorted(years.items()))
        return (sum(a.number for a in given), len(given), [])

    used = [
        r for r in reports if r.status in counted and not any(a.status in counted for a in above(r))
    ]
    leaves = [r for r in reports if r.status in counted and not below(r)]
    differences = []
    for r in used:
        if below(r):
            own, under = figure([r]), figure([x for x in leaves if x in below(r)])
            if (own or (None, 0, []))[::2] != (under or (None, 0, []))[::2]:
                differences.append((r.unit_label, own, under))
    pending = []
    for r in reports:
        if above(r) or r.status in counted or not below(r):
            continue  # not a direct subordinate with units below that is not counted
        parts = [x for x in used if x in below(r) and figure([x]) is not None]
        if parts:
            pending.append((r.unit_label, figure(parts), len(parts)))
    return {
        "direct": figure(used),
        "leaves": figure(leaves),
        "differences": differences,
        "pending": pending,
        "own": {r.unit.path: figure([r]) for r in used if figure([r]) is not None},
    }


def shown(figure) -> tuple | None:
    if figure is None or not figure.answered:
        return None
    return (figure.total, figure.answered, sorted(figure.per_year.items()))


shapes = st.lists(st.integers(min_value=-1, max_value=3), min_size=1, max_size=4)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shape=shapes, include_submitted=st.booleans(), data=st.data())
def test_the_figures_are_those_of_the_rule_written_out(levels, shape, include_submitted, data):
    province, plan, count, yearly = campaign(levels, shape)
    reports = list(Report.objects.filter(campaign=plan, unit__depth__gt=province.depth))
    years = [str(y) for y in range(plan.period_start, plan.period_end + 1)]
    for report in reports:
        report.status = data.draw(st.sampled_from(STATUSES))
        number = data.draw(st.none() | st.integers(min_value=0, max_value=500))
        if number is not None:
            Answer.objects.create(report=report, item=count, number=number, version=1)
        per_year = data.draw(
            st.dictionaries(st.sampled_from(years), st.integers(min_value=0, max_value=60))
        )
        if per_year or data.draw(st.booleans()):  # an empty answer counts for nothing
            Answer.objects.create(report=report, item=yearly, per_year=per_year, version=1)
    Report.objects.bulk_update(reports, ["status"])

    result = rollup.build(plan=plan, unit=province, include_submitted=include_submitted)
    first_paint = rollup.build(
        plan=plan,
        unit=province,
        include_submitted=include_submitted,
        texts=False,
        text_counts=True,
    )
    totals = rollup.totals(plan=plan, unit=province, include_submitted=include_submitted)
    for item in (count, yearly):
        expected = reference(province, plan, item, include_submitted)
        for built in (result, first_paint):
            entry = built.item(item.pk)
            assert shown(entry.direct) == expected["direct"]
            assert shown(entry.leaves) == expected["leaves"]
            assert [(d.unit, shown(d.own), shown(d.leaves)) for d in entry.differences] == expected[
                "differences"
            ]
            assert [(p.unit, shown(p.figure), p.reports) for p in entry.pending] == expected[
                "pending"
            ]
        own = {
            path: shown(figure.own)
            for (pk, path), figure in result.unit_figures.items()
            if pk == item.pk and shown(figure.own) is not None
        }
        assert own == expected["own"]
        both = totals.get(item.pk)
        assert (shown(both.direct) if both else None) == expected["direct"]
        assert (shown(both.leaves) if both else None) == expected["leaves"]
