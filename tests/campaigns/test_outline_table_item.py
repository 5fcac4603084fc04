"""A table item in the outline editor: its columns, forms of commendation and
quotas per level typed in three boxes, kept in the item's ``choices`` (so a
cascade and a revision carry them), and refused with the line to correct."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from campaigns import outline
from campaigns.models import AnswerType
from campaigns.tables import Quota, TableSpec
from orgunits.models import Role
from tests.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _keep_the_language():
    """The client asks for English; the middleware must not leave it active for other tests."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def plan(small_tree):
    plan = PlanFactory(issuing_unit=small_tree["P"], number=12)
    outline.import_text(plan=plan, text="1. Khen thưởng\n", replace=False)
    return plan


@pytest.fixture
def coordinator(client, small_tree):
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def edit(client, plan, **fields):
    item = plan.outline_items.get()
    data = {
        "numbering": "1.",
        "title": "Đề nghị khen thưởng",
        "answer_type": AnswerType.TABLE,
        "required": "on",
        **fields,
    }
    url = reverse("campaigns:outline_edit", args=[plan.pk, item.pk])
    response = client.post(url, data, **HTMX)
    item.refresh_from_db()
    return response, item


def test_a_table_item_keeps_its_columns_forms_and_quotas(coordinator, plan, levels):
    response, item = edit(
        coordinator,
        plan,
        table_columns="STT\nHọ và tên\nThành tích\n",
        table_forms="Bằng khen của Tỉnh ủy\nGiấy khen\n",
        table_quotas="Cấp huyện: bằng khen của tỉnh ủy: 2\nco-so: Giấy khen: 5",
    )
    assert response.status_code == 200
    assert item.answer_type == AnswerType.TABLE
    assert item.table_spec == TableSpec(
        columns=["Họ và tên", "Thành tích"],  # STT is numbered when printed
        forms=["Bằng khen của Tỉnh ủy", "Giấy khen"],
        quotas=[Quota("huyen", "Bằng khen của Tỉnh ủy", 2), Quota("co-so", "Giấy khen", 5)],
    )
    assert outline.snapshot(plan)[0]["choices"] == item.table_spec.as_data()
    form = coordinator.get(reverse("campaigns:outline_edit", args=[plan.pk, item.pk]), **HTMX)
    assert "Cấp huyện: Bằng khen của Tỉnh ủy: 2" in form.content.decode()


def test_a_quota_for_an_unknown_level_or_form_is_refused_with_its_line(coordinator, plan, levels):
    response, item = edit(
        coordinator,
        plan,
        table_columns="Họ và tên",
        table_forms="Bằng khen",
        table_quotas="Cấp huyện: Bằng khen: 2\nCấp xã: Bằng khen: 1\nCấp huyện: Huân chương: 1",
    )
    body = response.content.decode()
    assert item.answer_type == AnswerType.TEXT  # nothing saved
    assert "Line 1: write" not in body
    assert "Line 2: write “level: form: number”" in body
    assert "Line 3: write “level: form: number”" in body


def test_a_table_without_columns_is_refused(coordinator, plan, levels):
    response, item = edit(coordinator, plan, table_columns="STT\n", table_forms="Bằng khen")
    assert item.answer_type == AnswerType.TEXT
    assert "Give the table&#x27;s columns, one per line." in response.content.decode()
