"""The consolidation workspace of a report: roll-up beside the report, fill and draft.

The tree and the answers are those of tests/consolidation/conftest.py: accepted D1C1 (count 3) and
D1C2 (count 4, late), submitted D1 (count 5), returned D2C1, pending D2C2.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import AnswerType
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import (
    AnswerFactory,
    MembershipFactory,
    ReportFactory,
    add_unit,
    set_answer_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province_report(answered, small_tree):
    return Report.objects.get(campaign=answered, unit=small_tree["P"])


@pytest.fixture
def writer(small_tree):
    return MembershipFactory(unit=small_tree["P"], role=Role.REPORTER).user


@pytest.fixture
def narrative_items(answered, small_tree, items):
    """A second narrative item, 5., with what D1C1 and D1C2 wrote."""
    other = set_answer_type(answered, "5.", AnswerType.TEXT)
    for code, text in (
        ("D1C1", "Tiếp tục đối thoại."),
        ("D1C2", "<div>Nâng cao chất lượng.</div>"),
    ):
        rep = Report.objects.get(campaign=answered, unit=small_tree[code])
        AnswerFactory(report=rep, item=other, text=text)
    return {"text": items["text"], "other": other, "points": items["points"]}


def url(name, report):
    return reverse(f"consolidation:{name}", args=[report.pk])


def own(report, it):
    return Answer.objects.filter(report=report, item=it).first()


def test_it_shows_the_rollup_beside_the_report(client, writer, province_report, items):
    client.force_login(writer)
    response = client.get(url("workspace", province_report))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="rollup-total" data-value="7"' in body
    assert body.count('data-testid="changed"') == 2  # the count and the figures per year
    assert 'data-testid="completeness-level" data-level="co-so"' in body
    assert 'data-expected="4" data-on-time="1" data-late="1" data-missing="2"' in body
    assert reverse("reports:detail", args=[province_report.pk]) in body
    assert reverse("chasing:board", args=[province_report.plan_id]) in body


def test_it_fills_the_figures_in_and_says_what_changed(client, writer, province_report, items):
    Answer.objects.create(report=province_report, item=items["count"], number=2, version=1)
    client.force_login(writer)
    response = client.post(url("fill_figures", province_report))
    assert response.status_code == 200
    assert own(province_report, items["count"]).number == Decimal(7)
    assert own(province_report, items["count"]).version == 2
    per_year = own(province_report, items["per_year"])
    assert per_year.per_year == {"2017": 1, "2018": 7, "2020": 1}
    body = response.content.decode()
    assert 'data-testid="fill-result" data-count="2"' in body
    assert f'data-testid="fill-change" data-item="{items["count"].pk}"' in body
    assert f'data-testid="fill-change" data-item="{items["per_year"].pk}"' in body
    assert 'data-testid="changed"' not in body  # the report now matches the roll-up


def test_a_second_fill_changes_nothing(client, writer, province_report, items):
    client.force_login(writer)
    client.post(url("fill_figures", province_report))
    versions = list(province_report.answers.values_list("item_id", "version"))
    history = Answer.history.filter(report_id=province_report.pk).count()
    response = client.post(url("fill_figures", province_report))
    assert 'data-testid="fill-result" data-count="0"' in response.content.decode()
    assert list(province_report.answers.values_list("item_id", "version")) == versions
    assert Answer.history.filter(report_id=province_report.pk).count() == history


def test_it_never_wipes_a_figure_that_no_unit_gave(client, writer, province_report, items):
    Answer.objects.filter(item=items["count"]).exclude(report=province_report).delete()
    Answer.objects.create(report=province_report, item=items["count"], number=9, version=1)
    client.force_login(writer)
    client.post(url("fill_figures", province_report))
    assert own(province_report, items["count"]).number == Decimal(9)


def test_it_refuses_to_fill_a_submitted_report(client, writer, province_report, items):
    Report.objects.filter(pk=province_report.pk).update(status=ReportStatus.SUBMITTED)
    client.force_login(writer)
    response = client.post(url("fill_figures", province_report))
    assert response.status_code == 200
    assert 'data-testid="ws-error"' in response.content.decode()
    assert not province_report.answers.exists()
    response = client.post(url("draft_texts", province_report))
    assert 'data-testid="ws-error"' in response.content.decode()
    assert not province_report.answers.exists()


def test_it_refuses_to_fill_once_the_plan_is_closed(client, writer, province_report, items):
    province_report.plan.close()
    client.force_login(writer)
    response = client.post(url("fill_figures", province_report))
    assert 'data-testid="ws-error"' in response.content.decode()
    assert not province_report.answers.exists()


def test_it_drafts_only_empty_items_and_never_overwrites(
    client, writer, province_report, narrative_items
):
    mine = "<div>Ban Thường vụ đã tự viết.</div>"
    Answer.objects.create(
        report=province_report, item=narrative_items["other"], text=mine, version=3
    )
    client.force_login(writer)
    # Accepted reports: D1C1 and D1C2 in place of D1, which is only submitted.
    response = client.post(url("draft_texts", province_report))
    assert response.status_code == 200
    assert 'data-testid="draft-result" data-count="2"' in response.content.decode()
    text = own(province_report, narrative_items["text"]).text
    # One of the two communes counted said it: named.
    assert text == "<div>- Xã đã quán triệt (Đảng ủy xã D1C1).</div>"
    points = own(province_report, narrative_items["points"]).points
    # Both said both (not D1's again): no attribution, the province's wording, full stops.
    assert points == ["Các cấp ủy đều quan tâm chỉ đạo.", "Thiếu kinh phí."]
    untouched = own(province_report, narrative_items["other"])
    assert (untouched.text, untouched.version) == (mine, 3)
    # Drafting again finds nothing empty left to fill.
    response = client.post(url("draft_texts", province_report))
    assert 'data-testid="draft-result" data-count="0"' in response.content.decode()
    assert own(province_report, narrative_items["text"]).version == 1


def test_it_escapes_what_units_wrote_in_the_draft(
    client, writer, province_report, narrative_items, small_tree
):
    commune = Report.objects.get(campaign=province_report.campaign, unit=small_tree["D1C1"])
    answer = Answer.objects.get(report=commune, item=narrative_items["text"])
    answer.text = "<div>a &lt;script&gt;alert(1)&lt;/script&gt; b</div>"
    answer.save()
    client.force_login(writer)
    client.post(url("draft_texts", province_report))
    text = own(province_report, narrative_items["text"]).text
    assert "<script>" not in text
    assert "&lt;script&gt;" in text


def test_the_include_submitted_toggle_changes_the_totals(client, writer, province_report, items):
    client.force_login(writer)
    body = client.get(url("workspace", province_report)).content.decode()
    assert 'data-testid="rollup-total" data-value="7"' in body  # D1C1 3 + D1C2 4 for D1
    body = client.get(url("workspace", province_report), {"submitted": "1"}).content.decode()
    assert 'data-testid="rollup-total" data-value="5"' in body  # D1's own 5, once
    client.post(url("fill_figures", province_report), {"submitted": "1"})
    assert own(province_report, items["count"]).number == Decimal(5)


def test_a_district_consolidates_its_own_subtree(client, answered, small_tree, items):
    district = Report.objects.get(campaign=answered, unit=small_tree["D1"])
    Report.objects.filter(pk=district.pk).update(status=ReportStatus.DRAFT)
    writer = MembershipFactory(unit=small_tree["D1"], role=Role.REPORTER).user
    client.force_login(writer)
    client.post(url("fill_figures", district))
    assert own(district, items["count"]).number == Decimal(7)  # D1C1 3 + D1C2 4


def test_a_viewer_reads_without_buttons(client, small_tree, province_report, items):
    viewer = MembershipFactory(unit=small_tree["P"], role=Role.VIEWER).user
    client.force_login(viewer)
    response = client.get(url("workspace", province_report))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="read-only"' in body
    assert 'data-testid="fill-figures"' not in body
    assert 'data-testid="draft-texts"' not in body
    assert client.post(url("fill_figures", province_report)).status_code == 403
    assert client.post(url("draft_texts", province_report)).status_code == 403
    assert not province_report.answers.exists()


def test_a_coordinator_of_the_unit_works_on_it(client, small_tree, province_report):
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    client.force_login(coordinator)
    body = client.get(url("workspace", province_report)).content.decode()
    assert 'data-testid="fill-figures"' in body


def test_it_is_404_outside_the_users_units(client, people, province_report, small_tree):
    client.force_login(people["other_district"])
    assert client.get(url("workspace", province_report)).status_code == 404
    assert client.post(url("fill_figures", province_report)).status_code == 404
    district = Report.objects.get(campaign=province_report.campaign, unit=small_tree["D1"])
    assert client.get(url("workspace", district)).status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(
    client, writer, province_report, small_tree, levels, items, django_assert_max_num_queries
):
    """Computed (nothing kept) and kept (the same tree again): the same number
    of queries at either size; the kept roll-up skips its three sums."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(writer)
    page = url("workspace", province_report)
    client.get(page, {"submitted": "1"})  # warm the session and the content types

    def counts() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as computed:
            assert client.get(page, {"submitted": "1"}).status_code == 200
        with CaptureQueriesContext(connection) as kept:
            assert client.get(page, {"submitted": "1"}).status_code == 200
        return len(computed), len(kept)

    with django_assert_max_num_queries(24):  # 20 queries and two savepoints today
        client.get(page, {"submitted": "1"})
    small = counts()
    assert small[1] == small[0] - 3  # the figures, the counts, the writers
    for i in range(20):
        unit = add_unit(small_tree["D2"], f"X{i}", levels["co-so"], name=f"Đảng ủy xã X{i}")
        rep = ReportFactory(
            campaign=province_report.campaign,
            unit=unit,
            due_on=province_report.due_on,
            status=ReportStatus.ACCEPTED if i % 2 else ReportStatus.SUBMITTED,
            is_late=i % 3 == 0,
        )
        AnswerFactory(report=rep, item=items["count"], number=i)
        AnswerFactory(report=rep, item=items["per_year"], per_year={"2019": i})
        AnswerFactory(report=rep, item=items["points"], points=[f"Ý kiến {i}", "Thiếu kinh phí"])
        AnswerFactory(report=rep, item=items["text"], text=f"<div>Xã X{i} đã quán triệt.</div>")
    assert counts() == small


def test_it_groups_the_sentences_units_repeat():
    from consolidation.rollup import ItemRollup, Narrative
    from consolidation.services import draft_text

    entry = type("Entry", (), {})()
    entry.item = type("Item", (), {"answer_type": "text"})()
    entry.rollup = ItemRollup(row=None)
    entry.rollup.narratives = [
        Narrative(unit="Xã A", text="Đã quán triệt đầy đủ. Còn thiếu kinh phí."),
        Narrative(unit="Xã B", text="Đã quán triệt đầy đủ. Nhân dân đồng tình."),
    ]
    text = draft_text(entry)["text"]
    assert text.startswith("<div>- Đã quán triệt đầy đủ.</div>")  # both: no attribution
    assert "<div>- Còn thiếu kinh phí (Xã A).</div>" in text
