"""Roll-up on a small tree computed by hand (the answers: tests/consolidation/conftest.py).

Province P; districts D1 (communes D1C1, D1C2) and D2 (D2C1, D2C2). D1 is
only submitted: by default its communes are counted in its place (not yet
consolidated by D1); counting submitted reports too, D1's own report stands
for its subtree. The three-level cases of the rule are in test_rule.
"""

from decimal import Decimal

import pytest

from campaigns import outline
from campaigns import services as plan_services
from consolidation import rollup
from reports.models import Report, ReportStatus
from tests.factories import AnswerFactory, ReportFactory, add_unit

pytestmark = pytest.mark.django_db


def test_it_sums_accepted_reports_of_the_subtree(answered, small_tree, items):
    result = rollup.build(plan=answered, unit=small_tree["P"])
    figure = result.item(items["count"].pk).figure
    # D1C1 3 + D1C2 4 in place of D1 (only submitted); D2C1 returned is left out.
    assert figure.total == Decimal(7)
    assert figure.answered == 2
    [pending] = result.item(items["count"].pk).pending
    assert (pending.unit, pending.figure.total, pending.reports) == ("Huyện ủy D1", 7, 2)
    per_year = result.item(items["per_year"].pk).figure
    assert per_year.per_year == {"2017": 1, "2018": 7, "2020": 1}
    assert per_year.total == Decimal(9)
    assert result.counted_reports == 2


def test_counting_submitted_reports_a_districts_own_report_stands_for_its_communes(
    answered, small_tree, items
):
    result = rollup.build(plan=answered, unit=small_tree["P"], include_submitted=True)
    count = result.item(items["count"].pk)
    assert (count.figure.total, count.figure.answered) == (Decimal(5), 1)  # not 3 + 4 + 5
    assert count.pending == []
    [difference] = count.differences  # D1 says 5, its communes 3 + 4
    assert (difference.unit, difference.own_total, difference.leaves_total) == ("Huyện ủy D1", 5, 7)
    assert result.item(items["yes"].pk).counts == {"yes": 1}
    assert [node.name for node in result.tree.used] == ["Huyện ủy D1"]


def test_it_counts_choices_and_yes_no(answered, small_tree, items):
    result = rollup.build(plan=answered, unit=small_tree["P"])
    assert result.item(items["yes"].pk).counts == {"yes": 1, "no": 1}
    assert result.item(items["choice"].pk).counts == {"Tốt": 2}


def test_it_groups_identical_and_near_identical_points(answered, small_tree, items):
    result = rollup.build(plan=answered, unit=small_tree["P"])
    groups = {g.text: g.units for g in result.item(items["points"].pk).groups}
    assert groups == {
        "Cấp ủy quan tâm chỉ đạo.": ["Đảng ủy xã D1C1", "Đảng ủy xã D1C2"],
        "Thiếu kinh phí": ["Đảng ủy xã D1C1", "Đảng ủy xã D1C2"],
    }
    # Counting submitted reports, D1's own points stand for its communes'.
    result = rollup.build(plan=answered, unit=small_tree["P"], include_submitted=True)
    groups = {g.text: g.units for g in result.item(items["points"].pk).groups}
    assert groups == {"Cấp uỷ quan tâm, chỉ đạo sát sao.": ["Huyện ủy D1"]}


def test_it_gathers_narratives_with_their_unit(answered, small_tree, items):
    result = rollup.build(plan=answered, unit=small_tree["P"])
    narratives = result.item(items["text"].pk).narratives
    assert [(n.unit, n.text) for n in narratives] == [("Đảng ủy xã D1C1", "Xã đã quán triệt.")]


def test_it_reports_completeness_by_level(answered, small_tree):
    result = rollup.build(plan=answered, unit=small_tree["P"])
    assert (result.direct.expected, result.direct.submitted) == (2, 0)  # D1 and D2 first
    assert result.direct.missing_units == ["Huyện ủy D1", "Huyện ủy D2"]
    by_level = {entry.level.code: entry for entry in result.levels}
    communes = by_level["co-so"]
    assert (communes.expected, communes.on_time, communes.late, communes.missing) == (4, 1, 1, 2)
    assert communes.late_units == ["Đảng ủy xã D1C2"]
    assert communes.missing_units == ["Đảng ủy xã D2C1", "Đảng ủy xã D2C2"]
    assert by_level["huyen"].missing == 2  # D1 submitted but not accepted, D2 nothing
    assert "tinh" not in by_level  # the province's own report is not below itself


def test_a_district_rolls_up_its_own_subtree(answered, small_tree, items):
    result = rollup.build(plan=answered, unit=small_tree["D1"])
    assert result.item(items["count"].pk).figure.total == Decimal(7)
    result = rollup.build(plan=answered, unit=small_tree["D2"])
    assert result.item(items["count"].pk).figure is None


def test_answers_to_an_implementing_plan_count_for_the_original_items(
    answered, small_tree, items, people, levels
):
    child = plan_services.cascade(parent=answered, unit=small_tree["D2"], by=people["reporter"])
    copy = child.outline_items.get(inherited_from=items["count"])
    report_d2c2 = Report.objects.get(campaign=answered, unit=small_tree["D2C2"])
    Report.objects.filter(pk=report_d2c2.pk).update(plan=child, status=ReportStatus.ACCEPTED)
    AnswerFactory(report=report_d2c2, item=copy, number=10)
    result = rollup.build(plan=answered, unit=small_tree["P"])
    assert result.item(items["count"].pk).figure.total == Decimal(17)


def test_the_rollup_runs_a_fixed_number_of_queries(
    answered, small_tree, levels, items, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(12) as few:
        rollup.build(plan=answered, unit=small_tree["P"], include_submitted=True)
    for i in range(20):
        unit = add_unit(small_tree["D2"], f"X{i}", levels["co-so"])
        rep = ReportFactory(campaign=answered, unit=unit, status=ReportStatus.ACCEPTED)
        AnswerFactory(report=rep, item=items["count"], number=1)
        AnswerFactory(report=rep, item=items["points"], points=[f"Ý kiến {i}"])
    for i in range(10):
        outline.add_item(plan=answered, title=f"Số liệu {i}", answer_type="integer")
    with django_assert_num_queries(len(few)):
        rollup.build(plan=answered, unit=small_tree["P"], include_submitted=True)


def test_a_units_table_is_kept_as_a_table_beside_its_text(answered, small_tree, items):
    from reports.models import Answer

    answer = Answer.objects.get(report__unit=small_tree["D1C1"], item=items["text"])
    answer.text = (
        "<p>Xã đã quán triệt.</p><table><tr><td>Năm</td><td>Số cuộc</td></tr>"
        "<tr><td>2019</td><td>7</td></tr></table>"
    )
    answer.save()
    # The item's texts (the page of them a workspace item opens) show the table.
    texts = rollup.item_texts(plan=answered, unit=small_tree["P"], item=items["text"])
    [narrative] = [n for n in texts.narratives(texts.rows) if n.unit == "Đảng ủy xã D1C1"]
    assert narrative.prose == "Xã đã quán triệt."
    assert [table.rows for table in narrative.tables] == [[["Năm", "Số cuộc"], ["2019", "7"]]]
    # The plain text (what "Draft the narrative" copies) keeps the cells, a row a line,
    # read from the answer's stored plain text by the whole roll-up too.
    assert narrative.text == "Xã đã quán triệt.\nNăm | Số cuộc\n2019 | 7"
    [drafted] = [
        n
        for n in rollup.build(plan=answered, unit=small_tree["P"]).item(items["text"].pk).narratives
        if n.unit == "Đảng ủy xã D1C1"
    ]
    assert drafted.text == narrative.text
