import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from campaigns import outline
from campaigns.models import AnswerType
from orgunits.models import Membership
from reports.models import Answer, Report, ReportStatus
from tests.factories import (
    AnswerFactory,
    MembershipFactory,
    ReportFactory,
    add_unit,
    item_of_type,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_reporter_sees_the_form_built_from_the_outline(client, commune_report, people):
    client.force_login(people["reporter"])
    html = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert "2.2. Đánh giá kết quả các cuộc tiếp xúc" in html
    assert html.count('data-testid="report-item"') == 16
    assert "data-richtext" in html


def test_items_for_another_level_are_not_shown(client, commune_report, people, levels):
    item = commune_report.plan.outline_items.get(numbering="2.3.")
    item.levels.set([levels["huyen"]])
    client.force_login(people["reporter"])
    html = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert "2.3. Đánh giá ý nghĩa" not in html
    url = reverse("reports:item", args=[commune_report.pk, item.pk])
    assert client.post(url, {f"item{item.pk}-version": "0"}, **HTMX).status_code == 404


def test_autosave_saves_and_shows_the_time(client, commune_report, people, text_item):
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, text_item.pk])
    response = client.post(
        url,
        {f"item{text_item.pk}-version": "0", f"item{text_item.pk}-text": "<div>Đã làm</div>"},
        **HTMX,
    )
    html = response.content.decode()
    assert "Đã lưu lúc" in html
    assert 'hx-swap-oob="true"' in html
    assert 'value="1"' in html
    assert Answer.objects.get(report=commune_report, item=text_item).text == "<div>Đã làm</div>"


def test_a_stale_autosave_shows_both_versions(client, commune_report, people, text_item):
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, text_item.pk])
    prefix = f"item{text_item.pk}"
    client.post(url, {f"{prefix}-version": "0", f"{prefix}-text": "Bản một"}, **HTMX)
    client.post(url, {f"{prefix}-version": "1", f"{prefix}-text": "Bản hai"}, **HTMX)
    stale = client.post(url, {f"{prefix}-version": "1", f"{prefix}-text": "Bản ba"}, **HTMX)
    html = stale.content.decode()
    assert 'data-testid="save-conflict"' in html
    assert "Bản hai" in html
    assert Answer.objects.get(report=commune_report, item=text_item).text == "Bản hai"


@pytest.mark.parametrize(
    ("answer_type", "field", "value", "message"),
    [
        (AnswerType.INTEGER, "number", "mười", "số nguyên"),
        (AnswerType.INTEGER, "number", "-3", "không thể là số âm"),
        (AnswerType.INTEGER_PER_YEAR, "year_2018", "abc", "số nguyên"),
        (AnswerType.DECIMAL, "number", "1,5,6", "nhập một số"),
        (AnswerType.DECIMAL, "number", "-0,5", "không thể là số âm"),
    ],
)
def test_bad_figures_are_refused_with_a_vietnamese_message(
    client, commune_report, people, answer_type, field, value, message
):
    item = item_of_type(commune_report.plan, answer_type)
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, item.pk])
    html = client.post(
        url, {f"item{item.pk}-version": "0", f"item{item.pk}-{field}": value}, **HTMX
    ).content.decode()
    assert 'data-testid="save-error"' in html
    assert message in html.lower()
    assert not Answer.objects.filter(report=commune_report, item=item).exists()


def test_script_tags_do_not_survive(client, commune_report, people, text_item):
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, text_item.pk])
    client.post(
        url,
        {
            f"item{text_item.pk}-version": "0",
            f"item{text_item.pk}-text": "<div>Có<script>alert(1)</script></div>",
        },
        **HTMX,
    )
    answer = Answer.objects.get(report=commune_report, item=text_item)
    assert "script" not in answer.text
    html = client.get(reverse("reports:print", args=[commune_report.pk])).content.decode()
    assert "<script" not in html


def test_points_are_saved_as_a_list(client, commune_report, people):
    item = item_of_type(commune_report.plan, AnswerType.POINTS)
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, item.pk])
    client.post(
        url, {f"item{item.pk}-version": "0", f"item{item.pk}-point": ["Một", " ", "Hai"]}, **HTMX
    )
    assert Answer.objects.get(report=commune_report, item=item).points == ["Một", "Hai"]


REPORT_URLS = [
    ("reports:detail", "get"),
    ("reports:history", "get"),
    ("reports:pdf", "get"),
    ("reports:docx", "get"),
    ("reports:print", "get"),
    ("reports:submit", "post"),
    ("reports:return", "post"),
    ("reports:accept", "post"),
    ("reports:reopen", "post"),
    ("reports:document_info", "post"),
]


@pytest.mark.parametrize(("name", "method"), REPORT_URLS)
def test_another_communes_user_gets_404_on_every_report_url(
    client, commune_report, people, name, method
):
    client.force_login(people["other_commune"])
    response = getattr(client, method)(reverse(name, args=[commune_report.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("reporter", 200),
        ("approver", 200),
        ("viewer", 200),
        ("district_coordinator", 200),
        ("other_district", 404),
    ],
)
def test_the_report_page_by_role(client, commune_report, people, role, expected):
    client.force_login(people[role])
    assert client.get(reverse("reports:detail", args=[commune_report.pk])).status_code == expected


def test_a_viewer_cannot_save(client, commune_report, people, text_item):
    client.force_login(people["viewer"])
    url = reverse("reports:item", args=[commune_report.pk, text_item.pk])
    response = client.post(
        url, {f"item{text_item.pk}-version": "0", f"item{text_item.pk}-text": "x"}, **HTMX
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()


def test_submitting_after_the_plan_is_closed_says_why(client, commune_report, people):
    commune_report.plan.close()
    client.force_login(people["approver"])
    response = client.post(reverse("reports:submit", args=[commune_report.pk]), follow=True)
    assert "Kế hoạch đã kết thúc" in response.content.decode()
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.PENDING


def test_a_district_sees_its_communes_answers_and_totals(
    client, published_plan, small_tree, people
):
    item = item_of_type(published_plan, AnswerType.INTEGER)
    for code, value in (("D1C1", 3), ("D1C2", 4)):
        report = Report.objects.get(campaign=published_plan, unit=small_tree[code])
        report.status = ReportStatus.ACCEPTED  # the total counts accepted reports
        report.save()
        AnswerFactory(report=report, item=item, number=value)
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    writer = MembershipFactory(unit=small_tree["D1"], role="reporter").user
    client.force_login(writer)
    html = client.get(reverse("reports:detail", args=[district.pk])).content.decode()
    assert "Đảng ủy xã D1C1" in html
    assert 'data-testid="use-totals"' in html
    assert f'"item{item.pk}-number": "7"' in html


def test_form_and_inbox_queries_do_not_grow_with_outline_or_tree(
    client,
    published_plan,
    small_tree,
    levels,
    people,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    district = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    writer = MembershipFactory(unit=small_tree["D1"], role="reporter").user
    client.force_login(writer)
    budgets = {reverse("reports:detail", args=[district.pk]): 30, reverse("reports:inbox"): 16}
    few = {}
    for url, budget in budgets.items():
        with django_assert_max_num_queries(budget, info=url) as captured:
            assert client.get(url).status_code == 200
        few[url] = len(captured)
    for i in range(20):
        outline.add_item(plan=published_plan, title=f"Mục thêm {i}", answer_type="integer")
    for i in range(10):
        unit = add_unit(small_tree["D1"], f"NEW{i}", levels["co-so"])
        ReportFactory(campaign=published_plan, unit=unit, due_on=district.due_on)
    for url, count in few.items():
        with django_assert_num_queries(count, info=url):
            assert client.get(url).status_code == 200


def test_a_decimal_takes_a_vietnamese_comma(client, commune_report, people):
    item = item_of_type(commune_report.plan, AnswerType.DECIMAL)
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, item.pk])
    client.post(url, {f"item{item.pk}-version": "0", f"item{item.pk}-number": "12,5"}, **HTMX)
    assert str(Answer.objects.get(report=commune_report, item=item).number.normalize()) == "12.5"


def test_the_history_shows_who_changed_what_with_a_diff(client, commune_report, people, text_item):
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, text_item.pk])
    prefix = f"item{text_item.pk}"
    client.post(
        url, {f"{prefix}-version": "0", f"{prefix}-text": "<div>Đã quán triệt</div>"}, **HTMX
    )
    # Eleven idle minutes: the next save starts another editing session.
    Answer.history.filter(report_id=commune_report.pk).update(
        history_date=F("history_date") - datetime.timedelta(minutes=11)
    )
    client.post(
        url,
        {f"{prefix}-version": "1", f"{prefix}-text": "<div>Đã quán triệt sâu rộng</div>"},
        **HTMX,
    )
    html = client.get(reverse("reports:history", args=[commune_report.pk])).content.decode()
    assert "<ins>sâu rộng</ins>" in html
    assert people["reporter"].get_full_name() in html


def test_the_issuer_locks_and_a_unit_is_reopened(client, commune_report, people, published_plan):
    client.force_login(people["district_coordinator"])
    # A district coordinator does not manage the province's plan.
    assert client.post(reverse("campaigns:lock", args=[published_plan.pk])).status_code == 403
    coordinator = (
        Membership.objects.filter(unit=published_plan.issuing_unit, role="coordinator").first().user
    )
    client.force_login(coordinator)
    client.post(reverse("campaigns:lock", args=[published_plan.pk]))
    published_plan.refresh_from_db()
    assert published_plan.locked_at is not None
    client.force_login(people["district_coordinator"])
    client.post(reverse("reports:reopen", args=[commune_report.pk]))
    commune_report.refresh_from_db()
    assert commune_report.reopened


def test_an_accepted_report_can_still_be_returned_from_its_page(client, commune_report, people):
    """After an amendment the level above asks an accepted unit for the new
    item: the page offers "Return for revision", not "Accept" again."""
    commune_report.status = ReportStatus.ACCEPTED
    commune_report.save()
    client.force_login(people["district_coordinator"])
    html = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    assert 'data-testid="return-report"' in html
    assert 'data-testid="accept-report"' not in html
    client.post(
        reverse("reports:return", args=[commune_report.pk]),
        {"overall": "Đề nghị bổ sung mục mới."},
    )
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.RETURNED


@pytest.mark.parametrize(
    ("answer_type", "field"),
    [(AnswerType.INTEGER_PER_YEAR, "year_"), (AnswerType.INTEGER, "number"), ("choice", "choice")],
)
def test_a_figure_input_is_named_by_its_item(
    client, commune_report, people, published_plan, answer_type, field
):
    item = item_of_type(published_plan, answer_type)
    if answer_type == "choice":
        item.choices = ["Tốt", "Khá"]
        item.save()
    client.force_login(people["reporter"])
    html = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    name = f"{item.numbering} {item.title}".strip()
    named = [line for line in html.splitlines() if f'name="item{item.pk}-{field}' in line]
    assert named
    assert all(f'aria-label="{name}: ' in line for line in named), named[0]
