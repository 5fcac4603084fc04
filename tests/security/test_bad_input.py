"""Impossible dates, junk ids and NUL characters answer a Vietnamese error,
never a 500 (issue #16, item 3)."""

import datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from campaigns.models import Plan
from config.http import parse_id
from documents.dates import DATE_MAX, DATE_MIN
from documents.forms import DateField
from orgunits.bodies import default_body
from orgunits.models import Role, Term
from reports.models import ReportStatus, ReviewComment
from tests.factories import MembershipFactory, PlanFactory
from tests.reports.test_nojs_and_handoffs import submitted

pytestmark = pytest.mark.django_db

WINDOW = "Hãy nhập một ngày từ 01/01/1945 đến 31/12/2100."
OUTSIDE = ["0001-01-01", "0004-02-29", "1900-01-01", "1944-12-31", "2101-01-01", "9999-12-31"]
INSIDE = ["1945-01-01", "2020-05-01", "2100-12-31"]
PROJECT_APPS = {"orgunits", "campaigns", "reports", "dialogues", "consolidation", "documents"}
# Dates the app writes itself, never typed: a reminder's day.
INTERNAL_DATES = {("dialogues", "DialogueReminder", "due_on"), ("dialogues", "Reminder", "due_on")}


@pytest.mark.parametrize("typed", OUTSIDE)
def test_a_date_field_refuses_a_day_outside_the_window(typed):
    field = DateField()
    with pytest.raises(ValidationError) as error:
        field.clean(typed)
    assert error.value.messages == [WINDOW]


@pytest.mark.parametrize("typed", INSIDE)
def test_a_date_field_takes_a_day_inside_the_window(typed):
    assert DateField().clean(typed) == datetime.date.fromisoformat(typed)


def test_the_date_input_tells_the_picker_the_window():
    html = DateField().widget.render("d", None, attrs=DateField().widget_attrs(DateField().widget))
    assert f'min="{DATE_MIN.isoformat()}"' in html
    assert f'max="{DATE_MAX.isoformat()}"' in html


def test_every_date_a_user_types_is_a_window_date():
    """Model dates take the window along to every form and the admin."""
    plain = [
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model.__name__.startswith("Historical")
        for field in model._meta.concrete_fields
        if type(field) is models.DateField
    ]
    assert [f for f in plain if f not in INTERNAL_DATES] == []
    assert isinstance(Plan._meta.get_field("issued_on").formfield(), DateField)


# --- Plans --------------------------------------------------------------------


@pytest.fixture
def plan(small_tree, coordinator):
    return PlanFactory(issuing_unit=small_tree["P"], seed000=True, created_by=coordinator)


def plan_data(small_tree, **changes):
    data = {
        "issuing_body": default_body(small_tree["P"]).pk,
        "number": "",
        "place_name": "Gia Lai",
        "issued_on": "2020-05-01",
        "kind": "interim",
        "period_start": "2017",
        "period_end": "2020",
        "summary": "sơ kết khác",
    }
    return {**data, **changes}


@pytest.mark.parametrize("typed", OUTSIDE)
def test_a_plan_dated_outside_the_window_is_refused_and_makes_no_term(
    client, small_tree, coordinator, typed
):
    client.force_login(coordinator)
    response = client.post(reverse("campaigns:create"), plan_data(small_tree, issued_on=typed))
    assert response.status_code == 200
    assert WINDOW in response.content.decode()
    assert not Plan.objects.exists()
    # Only the term of today (the new draft's default), never one like "1895–1900".
    assert all(DATE_MIN <= term.starts_on <= DATE_MAX for term in Term.objects.all())


@pytest.mark.parametrize(("start", "end"), [("1", "4"), ("2017", "9999"), ("1900", "1944")])
def test_a_reviewed_period_outside_the_window_is_refused(
    client, small_tree, coordinator, start, end
):
    client.force_login(coordinator)
    response = client.post(
        reverse("campaigns:create"), plan_data(small_tree, period_start=start, period_end=end)
    )
    assert response.status_code == 200
    assert "Hãy nhập một năm từ 1945 đến 2100." in response.content.decode()
    assert not Plan.objects.exists()


@pytest.mark.parametrize("typed", OUTSIDE)
@pytest.mark.parametrize("part", ["", "start", "report_by"])
def test_a_deadline_outside_the_window_is_refused(client, plan, levels, coordinator, typed, part):
    client.force_login(coordinator)
    data = {"participating_levels": [levels["huyen"].pk, levels["co-so"].pk]}
    for code in ("tinh", "huyen", "co-so"):
        prefix = f"level_{levels[code].pk}"
        given = {"kind": "period" if part == "start" else "day", "": "2020-04-10"}
        given.update({"start": "2020-03-01", "month": "", "report_by": ""})
        given[part] = typed
        for name, value in given.items():
            data[f"{prefix}_{name}" if name else prefix] = value
    response = client.post(reverse("campaigns:compose", args=[plan.pk, "deadlines"]), data)
    assert response.status_code == 200
    assert WINDOW in response.content.decode()


@pytest.mark.parametrize("typed", ["1/9999", "12/9999", "9999-12"])
def test_a_month_outside_the_window_is_refused(client, plan, levels, coordinator, typed):
    client.force_login(coordinator)
    data = {"participating_levels": [levels["huyen"].pk, levels["co-so"].pk]}
    for code in ("tinh", "huyen", "co-so"):
        prefix = f"level_{levels[code].pk}"
        values = {"kind": "month", "": "", "start": "", "month": typed, "report_by": ""}
        for name, value in values.items():
            data[f"{prefix}_{name}" if name else prefix] = value
    response = client.post(reverse("campaigns:compose", args=[plan.pk, "deadlines"]), data)
    assert response.status_code == 200
    assert WINDOW in response.content.decode()


# --- Reports ------------------------------------------------------------------


@pytest.mark.parametrize("typed", OUTSIDE)
def test_a_report_dated_outside_the_window_is_refused(client, commune_report, people, typed):
    client.force_login(people["approver"])
    response = client.post(
        reverse("reports:document_info", args=[commune_report.pk]),
        {"number": "3", "issued_on": typed, "signer_position": "BÍ THƯ"},
        follow=True,
    )
    assert response.status_code == 200
    assert WINDOW in response.content.decode()
    commune_report.refresh_from_db()
    assert commune_report.issued_on != datetime.date.fromisoformat(typed)


@pytest.mark.parametrize("typed", ["9999-12-31", "2101-01-01"])
def test_a_new_deadline_outside_the_window_is_refused(client, commune_report, people, typed):
    submitted(commune_report, people["approver"])
    client.force_login(people["district_coordinator"])
    response = client.post(
        reverse("reports:return", args=[commune_report.pk]),
        {"overall": "Sửa", "new_due_on": typed},
        follow=True,
    )
    assert WINDOW in response.content.decode()
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("key", ["comment_999999", "comment_abc", "comment_-1", "comment_"])
def test_a_comment_on_an_unknown_item_returns_nothing_and_says_so(
    client, commune_report, people, text_item, key
):
    submitted(commune_report, people["approver"])
    client.force_login(people["district_coordinator"])
    response = client.post(
        reverse("reports:return", args=[commune_report.pk]),
        {"overall": "Sửa", f"comment_{text_item.pk}": "Bổ sung", key: "Không có mục này"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "không có trong báo cáo này" in page
    assert "đã được trả lại" not in page  # no success message
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.SUBMITTED
    assert not ReviewComment.objects.exists()


def test_a_comment_on_an_item_of_another_plan_is_refused(
    client, commune_report, people, small_tree
):
    other = PlanFactory(issuing_unit=small_tree["P"], seed000=True, number=280)
    foreign = other.outline_items.filter(is_heading=False).first()
    submitted(commune_report, people["approver"])
    client.force_login(people["district_coordinator"])
    client.post(
        reverse("reports:return", args=[commune_report.pk]),
        {"overall": "Sửa", f"comment_{foreign.pk}": "Không phải của kế hoạch này"},
    )
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.SUBMITTED


# --- Ids and NUL --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        (12, 12),
        ("abc", None),
        ("", None),
        (None, None),
        ("0", None),
        ("-3", None),
        ("1.5", None),
        ("١٢", None),  # Arabic-Indic digits: isdigit() but no id
        ("99999999999999999999999", None),
        (True, None),
    ],
)
def test_parse_id(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize("junk", ["abc", "1e3", "-1", "99999999999999999999999", "1;drop"])
def test_a_plan_to_copy_given_as_junk_is_not_found(client, plan, coordinator, junk):
    client.force_login(coordinator)
    assert client.get(reverse("campaigns:create"), {"from": junk}).status_code == 404
    response = client.post(reverse("campaigns:create"), {"copy_from": junk})
    assert response.status_code == 404
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("junk", ["abc", "", "-1", "99999999999999999999999", "Q"])
def test_an_issuing_unit_given_as_junk_is_a_form_error(client, plan, coordinator, junk):
    """The copy form's unit picker names the problem; nothing is copied."""
    client.force_login(coordinator)
    response = client.post(
        reverse("campaigns:create"), {"copy_from": str(plan.pk), "issuing_unit": junk}
    )
    assert response.status_code == 200
    assert response.context["copy_form"].errors["issuing_unit"]
    assert Plan.objects.count() == 1


@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999999"])
def test_a_cascade_to_a_junk_unit_is_refused(client, published_plan, small_tree, junk):
    client.force_login(MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user)
    url = reverse("campaigns:cascade", args=[published_plan.pk])
    response = client.post(url, {"unit": junk})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "campaigns:list", {"q": "\x00"}),
        ("get", "campaigns:list", {"year": "2020\x00"}),
        ("get", "orgunits:tree", {"q": "a\x00b"}),
        ("get", "campaigns:list", {"a\x00": "1"}),
        ("post", "campaigns:create", {"summary": "sơ kết\x00"}),
    ],
)
def test_a_nul_character_is_a_bad_request_in_vietnamese(client, coordinator, method, url, data):
    client.force_login(coordinator)
    response = getattr(client, method)(reverse(url), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page
    assert 'data-testid="error-page"' in page
    assert not Plan.objects.exists()


def test_a_nul_character_is_refused_before_login_too(client):
    assert client.get(reverse("login"), {"next": "/\x00"}).status_code == 400


# --- The dialogue calendar --------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"year": "-1"},
        {"year": "0"},
        {"year": "1944"},
        {"year": "2101"},
        {"year": ""},
        {"year": "2020", "month": "13"},
        {"month": "abc"},
        {"year": "1e9"},
    ],
)
def test_the_dialogue_calendar_shows_this_year_for_a_year_out_of_range(
    client, coordinator, today, query
):
    client.force_login(coordinator)
    response = client.get(reverse("dialogues:calendar"), query)
    assert response.status_code == 200
    expected = 2020 if query.get("year") == "2020" else today.year
    assert response.context["year"] == expected


def test_the_dialogue_calendar_shows_a_year_in_the_window(client, coordinator):
    client.force_login(coordinator)
    for year in (1945, 2024, 2100):
        assert client.get(reverse("dialogues:calendar"), {"year": year}).context["year"] == year
