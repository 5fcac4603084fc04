"""A figure is 0..10^12 (campaigns.models.FIGURE_MAX), and the roll-up
survives rows saved out of that range before (issue #16, item 2)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.models import FIGURE_MAX, AnswerType
from consolidation import rollup
from consolidation import services as consolidation_services
from orgunits.models import Role
from reports import services
from reports.forms import AnswerForm
from reports.models import Answer, Report, ReportStatus
from tests.factories import AnswerFactory, MembershipFactory, set_answer_type

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"
TOO_LARGE = "Số liệu quá lớn (tối đa 1.000.000.000.000)."
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def figure_items(published_plan):
    return {
        AnswerType.INTEGER: set_answer_type(published_plan, "1.1.", AnswerType.INTEGER),
        AnswerType.DECIMAL: set_answer_type(published_plan, "1.2.", AnswerType.DECIMAL),
        AnswerType.INTEGER_PER_YEAR: set_answer_type(
            published_plan, "1.3.", AnswerType.INTEGER_PER_YEAR
        ),
    }


def form_for(item, value, years=(2017, 2018)):
    prefix = f"item{item.pk}"
    data = {f"{prefix}-version": "0"}
    if item.answer_type == AnswerType.INTEGER_PER_YEAR:
        data[f"{prefix}-year_{years[0]}"] = value
    else:
        data[f"{prefix}-number"] = value
    return AnswerForm(data, item=item, years=list(years), answer=None)


@pytest.mark.parametrize(
    "kind", [AnswerType.INTEGER, AnswerType.DECIMAL, AnswerType.INTEGER_PER_YEAR]
)
@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (HUGE, False),
        (str(FIGURE_MAX + 1), False),
        (str(FIGURE_MAX), True),
        ("0", True),
        ("327", True),
    ],
)
def test_the_form_takes_figures_up_to_the_maximum(figure_items, kind, value, valid):
    form = form_for(figure_items[kind], value)
    assert form.is_valid() is valid, form.errors
    if not valid:
        messages = [m for errors in form.errors.values() for m in errors]
        assert messages == [TOO_LARGE]


def test_a_decimal_figure_keeps_its_decimals_below_the_maximum(figure_items):
    form = form_for(figure_items[AnswerType.DECIMAL], "999999999999,5")
    assert form.is_valid(), form.errors
    assert form.values() == {"number": Decimal("999999999999.5")}


@pytest.mark.parametrize(
    "values",
    [
        {"number": Decimal(HUGE)},
        {"number": Decimal(FIGURE_MAX) + Decimal("0.5")},
        {"number": Decimal(-1)},
        {"per_year": {"2017": int(HUGE)}},
        {"per_year": {"2017": 1, "2018": FIGURE_MAX + 1}},
        {"per_year": {"2017": "abc"}},
    ],
)
def test_the_service_refuses_a_figure_out_of_range(commune_report, people, figure_items, values):
    kind = AnswerType.INTEGER_PER_YEAR if "per_year" in values else AnswerType.INTEGER
    with pytest.raises(ValidationError):
        services.save_answer(
            report=commune_report,
            item=figure_items[kind],
            values=values,
            base_version=0,
            by=people["reporter"],
        )
    assert not Answer.objects.exists()


def test_the_service_saves_the_maximum(commune_report, people, figure_items):
    result = services.save_answer(
        report=commune_report,
        item=figure_items[AnswerType.INTEGER_PER_YEAR],
        values={"per_year": {"2017": FIGURE_MAX, "2018": 0}},
        base_version=0,
        by=people["reporter"],
    )
    assert result.answer.per_year == {"2017": FIGURE_MAX, "2018": 0}


def test_the_page_says_so_and_saves_nothing(client, commune_report, people, figure_items):
    item = figure_items[AnswerType.INTEGER_PER_YEAR]
    client.force_login(people["reporter"])
    response = client.post(
        reverse("reports:item", args=[commune_report.pk, item.pk]),
        {f"item{item.pk}-version": "0", f"item{item.pk}-year_2017": HUGE},
        **HTMX,
    )
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert not Answer.objects.exists()


def accept(plan, unit):
    report = Report.objects.get(campaign=plan, unit=unit)
    report.status = ReportStatus.ACCEPTED
    report.save()
    return report


def test_rows_saved_out_of_range_before_do_not_break_the_rollup(
    published_plan, small_tree, figure_items
):
    per_year, count = figure_items[AnswerType.INTEGER_PER_YEAR], figure_items[AnswerType.INTEGER]
    c1, c2 = accept(published_plan, small_tree["D2C1"]), accept(published_plan, small_tree["D2C2"])
    # As the audit saved them: two huge figures of the same year, past any integer.
    AnswerFactory(report=c1, item=per_year, per_year={"2017": int(HUGE), "2018": 2})
    AnswerFactory(report=c2, item=per_year, per_year={"2017": int(HUGE), "2018": 3})
    AnswerFactory(report=c1, item=count, number=Decimal(FIGURE_MAX))
    AnswerFactory(report=c2, item=count, number=Decimal(FIGURE_MAX))
    result = rollup.build(plan=published_plan, unit=small_tree["D2"])
    figure = result.item(per_year.pk).figure
    assert figure.per_year["2018"] == 5
    assert figure.per_year["2017"] > 10**23
    assert result.item(count.pk).figure.total == 2 * FIGURE_MAX


def test_the_fill_leaves_a_rollup_out_of_range_and_says_why(
    client, published_plan, small_tree, figure_items
):
    count = figure_items[AnswerType.INTEGER]
    c1, c2 = accept(published_plan, small_tree["D2C1"]), accept(published_plan, small_tree["D2C2"])
    AnswerFactory(report=c1, item=count, number=Decimal(FIGURE_MAX))
    AnswerFactory(report=c2, item=count, number=Decimal(FIGURE_MAX))
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D2"])
    writer = MembershipFactory(unit=small_tree["D2"], role=Role.REPORTER).user
    changes = consolidation_services.fill_figures(
        report=district, by=writer, include_submitted=False
    )
    [change] = [c for c in changes if c.item == count]
    assert change.too_large == TOO_LARGE
    assert not Answer.objects.filter(report=district, item=count).exists()
    client.force_login(writer)
    response = client.post(reverse("consolidation:fill_figures", args=[district.pk]))
    assert 'data-too-large="1"' in response.content.decode()
