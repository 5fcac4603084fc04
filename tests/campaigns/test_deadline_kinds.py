"""A deadline is a day, a month or a period, with an optional day for sending
the report up: how each reads, the last day it allows, and the composer's step."""

import calendar
import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from campaigns import documents, services
from campaigns.models import Deadline, DeadlineKind, Level
from orgunits.models import Role
from tests.factories import SEED000_DEADLINES, MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def deadline(kind=DeadlineKind.DAY, due_on=None, starts_on=None, report_by=None) -> Deadline:
    return Deadline(
        level=Level(code="co-so", name="Cấp cơ sở"),
        kind=kind,
        due_on=due_on,
        starts_on=starts_on,
        report_by=report_by,
    ).normalize()


# --- Wording -------------------------------------------------------------------


def test_it_words_a_day_with_a_day_for_sending_the_report():
    d = deadline(due_on=D(2024, 9, 15), report_by=D(2024, 9, 20))
    assert d.phrase == (
        "Hoàn thành trước ngày 15 tháng 9 năm 2024; "
        "gửi báo cáo về cấp trên trước ngày 20 tháng 9 năm 2024"
    )
    assert d.short == "15/9 – gửi 20/9/2024"


def test_it_words_a_month_and_a_period():
    month = deadline(DeadlineKind.MONTH, due_on=D(2024, 9, 1))
    assert month.phrase == "Hoàn thành trong tháng 9 năm 2024"
    assert month.short == "tháng 9/2024"
    period = deadline(DeadlineKind.PERIOD, starts_on=D(2024, 8, 1), due_on=D(2024, 9, 15))
    assert period.phrase == "Từ ngày 01 tháng 8 năm 2024 đến ngày 15 tháng 9 năm 2024"
    assert period.short == "01/8 – 15/9/2024"


def test_january_and_february_are_padded_and_a_period_may_cross_the_year():
    assert (
        deadline(DeadlineKind.MONTH, due_on=D(2025, 1, 20)).phrase
        == "Hoàn thành trong tháng 01 năm 2025"
    )
    assert deadline(DeadlineKind.MONTH, due_on=D(2025, 2, 3)).short == "tháng 02/2025"
    period = deadline(
        DeadlineKind.PERIOD,
        starts_on=D(2024, 12, 5),
        due_on=D(2025, 2, 8),
        report_by=D(2025, 2, 10),
    )
    assert period.phrase == (
        "Từ ngày 05 tháng 12 năm 2024 đến ngày 08 tháng 02 năm 2025; "
        "gửi báo cáo về cấp trên trước ngày 10 tháng 02 năm 2025"
    )
    assert period.short == "05/12/2024 – 08/02 – gửi 10/02/2025"


def test_the_plan_prints_each_level_through_deadline_line(small_tree):
    plan = PlanFactory(
        issuing_unit=small_tree["P"],
        seed000=True,
        deadlines={
            "co-so": {"due_on": D(2020, 3, 1), "kind": DeadlineKind.MONTH},
            "huyen": {"due_on": D(2020, 4, 10), "report_by": D(2020, 4, 15)},
            "tinh": {"due_on": D(2020, 4, 30), "kind": "period", "starts_on": D(2020, 4, 16)},
        },
    )
    lines = [b.text for b in documents.build(plan).blocks if b.text.startswith("- Cấp")]
    assert lines == [
        "- Cấp cơ sở: Hoàn thành trong tháng 3 năm 2020.",
        "- Cấp huyện: Hoàn thành trước ngày 10 tháng 4 năm 2020; "
        "gửi báo cáo về cấp trên trước ngày 15 tháng 4 năm 2020.",
        "- Cấp tỉnh: Từ ngày 16 tháng 4 năm 2020 đến ngày 30 tháng 4 năm 2020.",
    ]
    assert lines == [documents.deadline_line(d) for d in plan.deadlines.order_by("-level__rank")]


# --- The last day ----------------------------------------------------------------

days = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@st.composite
def valid_deadlines(draw) -> Deadline:
    """Any deadline the rules accept."""
    kind = draw(st.sampled_from(DeadlineKind.values))
    due_on = draw(days)
    starts_on = draw(st.dates(max_value=due_on, min_value=D(1999, 1, 1)))
    finish = deadline(kind, due_on=due_on).due_on
    report_by = draw(st.none() | st.dates(min_value=finish, max_value=D(2041, 12, 31)))
    result = deadline(kind, due_on=due_on, starts_on=starts_on, report_by=report_by)
    result.clean()
    return result


@given(valid_deadlines())
def test_the_last_day_is_on_or_after_every_day_the_deadline_names(d):
    named = [d.due_on, d.report_by]
    if d.kind == DeadlineKind.PERIOD:
        named.append(d.starts_on)
    if d.kind == DeadlineKind.MONTH:  # every day of the month
        days_in_month = calendar.monthrange(d.due_on.year, d.due_on.month)[1]
        named += [d.due_on.replace(day=day) for day in range(1, days_in_month + 1)]
    assert all(d.last_day >= day for day in named if day)
    assert d.last_day == (d.report_by or d.due_on)


def test_a_month_allows_up_to_its_last_day_even_in_a_leap_february():
    assert deadline(DeadlineKind.MONTH, due_on=D(2024, 2, 10)).last_day == D(2024, 2, 29)
    assert deadline(DeadlineKind.MONTH, due_on=D(2023, 2, 1)).last_day == D(2023, 2, 28)


def test_a_send_date_before_the_finish_is_refused_in_vietnamese():
    with pytest.raises(ValidationError) as error:
        deadline(DeadlineKind.MONTH, due_on=D(2024, 9, 1), report_by=D(2024, 9, 25)).clean()
    assert "ngày hoàn thành (30/9/2024)" in str(error.value)


def test_reports_are_due_on_the_last_day_of_a_month_deadline(small_tree):
    plan = PlanFactory(
        issuing_unit=small_tree["P"],
        seed000=True,
        deadlines={
            **SEED000_DEADLINES,
            "co-so": {"due_on": D(2020, 3, 1), "kind": DeadlineKind.MONTH},
            "huyen": {"due_on": D(2020, 4, 10), "report_by": D(2020, 4, 15)},
            "tinh": D(2020, 4, 30),
        },
        published_by=MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user,
    )
    due = dict(plan.reports.values_list("unit__code", "due_on"))
    assert due["D1C1"] == D(2020, 3, 31)
    assert due["D1"] == D(2020, 4, 15)


# --- The composer's step, as posted without JavaScript ------------------------------


@pytest.fixture
def draft(small_tree):
    return PlanFactory(issuing_unit=small_tree["P"], seed000=True, deadlines=SEED000_DEADLINES)


@pytest.fixture
def step(client, draft, coordinator):
    client.force_login(coordinator)
    return reverse("campaigns:compose", args=[draft.pk, "deadlines"])


def post(levels, **by_level) -> dict:
    """Every field of every level, as a browser without JavaScript sends them:
    the fields a kind does not use are there too, filled or empty."""
    data = {"participating_levels": [levels["huyen"].pk, levels["co-so"].pk]}
    for code in ("tinh", "huyen", "co-so"):
        prefix = f"level_{levels[code].pk}"
        given = {"kind": "day", "": "", "start": "", "month": "", "report_by": ""}
        given.update(by_level.get(code, {}))
        for part, value in given.items():
            data[f"{prefix}_{part}" if part else prefix] = value
    return data


TIERS = {"huyen": {"": "2020-04-10"}, "tinh": {"": "2020-04-20"}}


def test_it_saves_a_month_typed_as_9_2020_and_ignores_the_day_left_in_the_date_box(
    client, step, draft, levels
):
    data = post(
        levels, **TIERS, **{"co-so": {"kind": "month", "month": "3/2020", "": "2020-03-02"}}
    )
    response = client.post(step, data)
    assert response.status_code == 302, response.context["deadline_form"].errors
    d = draft.deadlines.get(level=levels["co-so"])
    assert (d.kind, d.due_on, d.last_day, d.starts_on) == (
        "month",
        D(2020, 3, 31),
        D(2020, 3, 31),
        None,
    )


@pytest.mark.parametrize("typed", ["2020-03", "03/2020", "3/2020"])
def test_it_reads_a_month_as_the_picker_sends_it_or_typed(client, step, draft, levels, typed):
    data = post(levels, **TIERS, **{"co-so": {"kind": "month", "month": typed}})
    assert client.post(step, data).status_code == 302
    assert draft.deadlines.get(level=levels["co-so"]).due_on == D(2020, 3, 31)


def test_it_saves_a_period_and_a_day_with_a_send_date(client, step, draft, levels):
    data = post(
        levels,
        **{
            "co-so": {"kind": "period", "start": "2020-03-01", "": "2020-03-12", "month": "xx"},
            "huyen": {"": "2020-03-20", "report_by": "2020-03-24", "start": "2020-03-21"},
            "tinh": {"": "2020-03-31"},
        },
    )
    assert client.post(step, data).status_code == 302
    period = draft.deadlines.get(level=levels["co-so"])
    assert (period.kind, period.starts_on, period.last_day) == (
        "period",
        D(2020, 3, 1),
        D(2020, 3, 12),
    )
    district = draft.deadlines.get(level=levels["huyen"])
    assert (district.kind, district.starts_on, district.due_on, district.last_day) == (
        "day",
        None,  # the start left there (after the end) is ignored for a day
        D(2020, 3, 20),
        D(2020, 3, 24),
    )


@pytest.mark.parametrize(
    ("co_so", "field", "message"),
    [
        ({"kind": "month", "month": "13/2020"}, "month", "Hãy nhập tháng theo dạng 9/2024."),
        ({"kind": "month", "report_by": "2020-03-05"}, "month", "Hãy nhập tháng."),
        (
            {"kind": "month", "month": "3/2020", "report_by": "2020-03-20"},
            "report_by",
            "phải bằng hoặc sau ngày hoàn thành (31/3/2020)",
        ),
        ({"kind": "period", "": "2020-03-12"}, "start", "Hãy nhập ngày bắt đầu"),
        (
            {"kind": "period", "start": "2020-03-13", "": "2020-03-12"},
            "start",
            "Ngày bắt đầu phải trước ngày kết thúc.",
        ),
        ({"kind": "period", "start": "2020-03-01"}, "", "Hãy nhập ngày."),
    ],
)
def test_it_refuses_what_a_kind_needs_and_keeps_what_was_typed(
    client, step, draft, levels, co_so, field, message
):
    response = client.post(step, post(levels, **TIERS, **{"co-so": co_so}))
    assert response.status_code == 200
    prefix = f"level_{levels['co-so'].pk}"
    name = f"{prefix}_{field}" if field else prefix
    errors = response.context["deadline_form"].errors
    assert message in " ".join(errors[name]), errors
    page = response.content.decode()
    for part, value in co_so.items():
        if part != "kind" and part != "month":
            assert f'value="{value}"' in page
    assert draft.deadlines.get(level=levels["co-so"]).due_on == D(2020, 3, 12)  # unchanged


def test_a_month_typed_comes_back_to_the_picker_as_a_month(client, step, levels):
    # The district's day is wrong: the page comes back with the month kept.
    data = post(
        levels,
        **{"co-so": {"kind": "month", "month": "3/2020"}, "huyen": {"": "not a day"}},
        tinh=TIERS["tinh"],
    )
    page = client.post(step, data).content.decode()
    assert 'type="month"' in page
    assert 'value="2020-03"' in page
    assert 'value="not a day"' in page


def test_the_step_shows_a_saved_month_and_period_back(client, step, draft, levels):
    services.set_deadlines(
        plan=draft,
        deadlines=[
            services.DeadlineCheck(levels["co-so"], D(2020, 3, 1), DeadlineKind.MONTH),
            services.DeadlineCheck(
                levels["huyen"], D(2020, 4, 10), DeadlineKind.PERIOD, starts_on=D(2020, 4, 1)
            ),
        ],
    )
    page = client.get(step).content.decode()
    assert f'name="level_{levels["co-so"].pk}_month" value="2020-03"' in page
    assert f'name="level_{levels["huyen"].pk}_start" value="2020-04-01"' in page
    checked = re.findall(
        r'type="radio"[^>]*name="(level_\d+_kind)" value="(\w+)"[^>]*checked', page
    )
    assert (f"level_{levels['co-so'].pk}_kind", "month") in checked
    assert (f"level_{levels['huyen'].pk}_kind", "period") in checked
