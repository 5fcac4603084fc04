"""The roll-up's one rule, on three- and four-level trees computed by hand.

Province P; districts D1 (communes D1C1 and D1C2; D1C1 has a party cell)
and D2 (D2C1, D2C2). Each unit is counted once: a level consolidates its
direct subordinates, a district through its own consolidated report; while
that report is not counted, its communes are counted in its place, marked
as not yet consolidated by it, and included. "Tính từ cơ sở" (LEAVES) sums
the grassroots reports only; where a district's figure differs from it,
the roll-up flags the district.
"""

from decimal import Decimal

import pytest
from django.utils import translation

from consolidation import documents, rollup
from consolidation.rollup import DIRECT, LEAVES
from reports.models import Answer, Report, ReportStatus
from tests.factories import add_unit

pytestmark = pytest.mark.django_db

ACCEPTED, SUBMITTED, PENDING = ReportStatus.ACCEPTED, ReportStatus.SUBMITTED, ReportStatus.PENDING


def set_status(plan, tree, code, status):
    report = Report.objects.get(campaign=plan, unit=tree[code])
    report.status = status
    report.save()
    return report


def give(plan, tree, code, it, status=ACCEPTED, **values):
    report = set_status(plan, tree, code, status)
    return Answer.objects.create(report=report, item=it, version=1, **values)


def count_of(result, items):
    return result.item(items["count"].pk)


def names(nodes):
    return [node.name for node in nodes]


# --- (a) the district's report equals its communes' -------------------------
# (the fixture `consolidated`, shared with the workspace and the below panel,
# is in tests/consolidation/conftest.py, as is (c)'s `waiting`)


def test_a_province_counts_a_district_once_through_its_own_report(consolidated, small_tree, items):
    result = rollup.build(plan=consolidated, unit=small_tree["P"])
    count = count_of(result, items)
    assert (count.figure.total, count.figure.answered) == (Decimal(5), 1)  # not 10 from 3
    assert count.leaves.total == Decimal(5)
    assert count.differences == []
    assert count.pending == []
    assert names(result.tree.used) == ["Huyện ủy D1"]
    assert result.counted_reports == 1


def test_the_annex_lists_the_district_once_and_totals_it_once(consolidated, small_tree, items):
    report = Report.objects.get(campaign=consolidated, unit=small_tree["P"])
    result = rollup.build(plan=consolidated, unit=small_tree["P"])
    table = documents.figures_annex(report, result).tables[0]
    assert [row[:3] for row in table.rows] == [
        [1, "Huyện ủy D1", 5],
        [2, "Huyện ủy D2 (chưa có báo cáo được tính)", None],
        ["", "Tổng cộng", 5],
    ]
    table = documents.units_annex(report, result).tables[0]
    assert [row[:3] for row in table.rows] == [[1, "Huyện ủy D1", 5], ["", "Tổng cộng", 5]]


def test_the_leaves_view_sums_the_communes(consolidated, small_tree, items):
    result = rollup.build(plan=consolidated, unit=small_tree["P"], basis=LEAVES)
    assert count_of(result, items).figure.total == Decimal(5)
    assert count_of(result, items).figure.answered == 2
    assert names(result.tree.counted_for(LEAVES)) == ["Đảng ủy xã D1C1", "Đảng ủy xã D1C2"]


def test_the_totals_api_gives_both_views(consolidated, small_tree, items):
    totals = rollup.totals(plan=consolidated, unit=small_tree["P"])
    count = totals[items["count"].pk]
    assert (count.direct.total, count.leaves.total) == (Decimal(5), Decimal(5))
    assert (count.direct.answered, count.leaves.answered) == (1, 2)


def test_the_district_consolidates_its_communes_by_the_same_rule(consolidated, small_tree, items):
    result = rollup.build(plan=consolidated, unit=small_tree["D1"])
    assert count_of(result, items).figure.total == Decimal(5)
    assert names(result.tree.direct) == ["Đảng ủy xã D1C1", "Đảng ủy xã D1C2"]


# --- (b) the district's own figure is not the sum of its communes -----------


def test_a_district_figure_other_than_its_communes_counts_and_is_flagged(
    consolidated, small_tree, items
):
    Answer.objects.filter(report__unit=small_tree["D1"]).update(number=6)
    result = rollup.build(plan=consolidated, unit=small_tree["P"])
    count = count_of(result, items)
    assert (count.direct.total, count.leaves.total) == (Decimal(6), Decimal(5))
    [difference] = count.differences
    assert (difference.unit, difference.own_total, difference.leaves_total) == (
        "Huyện ủy D1",
        Decimal(6),
        Decimal(5),
    )
    report = Report.objects.get(campaign=consolidated, unit=small_tree["P"])
    annex = documents.figures_annex(report, result)
    assert [row[:3] for row in annex.tables[0].rows] == [
        [1, "Huyện ủy D1", 6],
        [2, "Huyện ủy D2 (chưa có báo cáo được tính)", None],
        ["", "Tổng cộng", 6],
        ["", "Đối chiếu: tổng các đơn vị cơ sở", 5],
    ]
    assert any("số của Huyện ủy D1 ở mục (1): 6 / 5" in note for note in annex.notes)


# --- (c) the district's report is not accepted yet --------------------------


def test_communes_count_in_place_of_a_district_not_accepted_marked_and_included(
    waiting, small_tree, items
):
    result = rollup.build(plan=waiting, unit=small_tree["P"])
    count = count_of(result, items)
    assert (count.figure.total, count.figure.answered) == (Decimal(5), 2)
    [part] = count.pending
    assert (part.unit, part.figure.total, part.reports) == ("Huyện ủy D1", Decimal(5), 2)
    assert count.differences == []
    assert [n.waiting_for.name for n in result.tree.used] == ["Huyện ủy D1", "Huyện ủy D1"]
    [pending] = result.pending_included
    assert pending.node.name == "Huyện ủy D1"
    assert names(pending.used) == ["Đảng ủy xã D1C1", "Đảng ủy xã D1C2"]


def test_the_annex_says_the_communes_are_not_yet_consolidated_and_included(
    waiting, small_tree, items
):
    report = Report.objects.get(campaign=waiting, unit=small_tree["P"])
    result = rollup.build(plan=waiting, unit=small_tree["P"])
    annex = documents.figures_annex(report, result)
    # The district's row sums what is counted in its place.
    assert [row[:3] for row in annex.tables[0].rows] == [
        [1, "Huyện ủy D1 (chưa tổng hợp: tính bằng số liệu của 2 đơn vị trực thuộc)", 5],
        [2, "Huyện ủy D2 (chưa có báo cáo được tính)", None],
        ["", "Tổng cộng", 5],
    ]
    every = documents.units_annex(report, result)
    assert [row[:3] for row in every.tables[0].rows] == [
        [1, "Đảng ủy xã D1C1 (chưa được Huyện ủy D1 tổng hợp)", 3],
        [2, "Đảng ủy xã D1C2 (chưa được Huyện ủy D1 tổng hợp)", 2],
        ["", "Tổng cộng", 5],
    ]
    for notes in (annex.notes, every.notes):
        assert any(
            "Báo cáo của Huyện ủy D1 chưa được tính" in note and "đã được cộng vào tổng" in note
            for note in notes
        )


def test_counting_submitted_reports_the_district_stands_for_its_communes(
    waiting, small_tree, items
):
    result = rollup.build(plan=waiting, unit=small_tree["P"], include_submitted=True)
    count = count_of(result, items)
    assert (count.figure.total, count.leaves.total) == (Decimal(6), Decimal(5))
    assert count.pending == []
    assert len(count.differences) == 1


def test_a_district_with_no_counted_commune_is_pending_with_nothing_included(
    consolidated, small_tree, items
):
    result = rollup.build(plan=consolidated, unit=small_tree["P"])
    [pending] = result.pending  # D2: nothing counted below it
    assert pending.node.name == "Huyện ủy D2"
    assert pending.used == []
    assert names(pending.missing) == ["Đảng ủy xã D2C1", "Đảng ủy xã D2C2"]
    assert result.pending_included == []


# --- (d) four levels: province → district → commune → party cells ---------


@pytest.fixture
def four_levels(published_plan, small_tree, levels, items):
    """D1C1 has two party cells K1 (2) and K2 (1) taking part; D1C1 says 3,
    D1C2 (no cells) 4, D1 7. Everything accepted."""
    plan, tree = published_plan, small_tree
    tree["K2"] = add_unit(tree["D1C1"], "K2", levels["chi-bo"], name="Chi bộ thôn 2")
    due = plan.deadlines.first().due_on
    for code in ("D1C1CELL", "K2"):
        Report.objects.create(campaign=plan, plan=plan, unit=tree[code], due_on=due)
    give(plan, tree, "D1C1CELL", items["count"], number=2)
    give(plan, tree, "K2", items["count"], number=1)
    give(plan, tree, "D1C1", items["count"], number=3)
    give(plan, tree, "D1C2", items["count"], number=4)
    give(plan, tree, "D1", items["count"], number=7)
    return plan


def test_four_levels_count_the_district_once(four_levels, small_tree, items):
    result = rollup.build(plan=four_levels, unit=small_tree["P"])
    count = count_of(result, items)
    assert (count.direct.total, count.direct.answered) == (Decimal(7), 1)
    assert count.leaves.total == Decimal(7)  # cells 2 + 1 and D1C2 4
    assert count.differences == []
    leaves = ["Chi bộ thôn 1", "Chi bộ thôn 2", "Đảng ủy xã D1C2"]
    assert names(result.tree.counted_leaves) == leaves


def test_four_levels_a_district_not_accepted_counts_through_its_communes(
    four_levels, small_tree, items
):
    set_status(four_levels, small_tree, "D1", SUBMITTED)
    result = rollup.build(plan=four_levels, unit=small_tree["P"])
    count = count_of(result, items)
    assert names(result.tree.used) == ["Đảng ủy xã D1C1", "Đảng ủy xã D1C2"]
    assert (count.direct.total, count.direct.answered) == (Decimal(7), 2)  # 3 + 4
    assert [(p.unit, p.figure.total) for p in count.pending] == [("Huyện ủy D1", Decimal(7))]


def test_four_levels_neither_district_nor_commune_accepted_counts_the_cells(
    four_levels, small_tree, items
):
    set_status(four_levels, small_tree, "D1", SUBMITTED)
    set_status(four_levels, small_tree, "D1C1", SUBMITTED)
    result = rollup.build(plan=four_levels, unit=small_tree["P"])
    assert names(result.tree.used) == ["Chi bộ thôn 1", "Chi bộ thôn 2", "Đảng ủy xã D1C2"]
    assert [n.waiting_for.name for n in result.tree.used] == ["Huyện ủy D1"] * 3
    assert count_of(result, items).direct.total == Decimal(7)


def test_four_levels_a_commune_figure_other_than_its_cells_is_flagged(
    four_levels, small_tree, items
):
    set_status(four_levels, small_tree, "D1", SUBMITTED)
    Answer.objects.filter(report__unit=small_tree["D1C1"]).update(number=5)
    count = count_of(rollup.build(plan=four_levels, unit=small_tree["P"]), items)
    assert (count.direct.total, count.leaves.total) == (Decimal(9), Decimal(7))
    assert [(d.unit, d.own_total, d.leaves_total) for d in count.differences] == [
        ("Đảng ủy xã D1C1", Decimal(5), Decimal(3))
    ]


def test_four_levels_the_commune_consolidates_its_cells(four_levels, small_tree, items):
    result = rollup.build(plan=four_levels, unit=small_tree["D1C1"])
    assert count_of(result, items).figure.total == Decimal(3)
    assert names(result.tree.direct) == ["Chi bộ thôn 1", "Chi bộ thôn 2"]


def test_a_unit_that_does_not_take_part_is_skipped_to_its_units(published_plan, small_tree, items):
    """D2 has no report in the campaign: its communes are P's direct subordinates."""
    plan, tree = published_plan, small_tree
    Report.objects.filter(campaign=plan, unit=tree["D2"]).delete()
    give(plan, tree, "D2C1", items["count"], number=8)
    result = rollup.build(plan=plan, unit=tree["P"])
    assert names(result.tree.direct) == ["Huyện ủy D1", "Đảng ủy xã D2C1", "Đảng ủy xã D2C2"]
    count = count_of(result, items)
    assert (count.figure.total, count.pending) == (Decimal(8), [])


# --- (e) the same rule for every kind of answer ------------------------------


@pytest.fixture
def every_kind(consolidated, small_tree, items):
    """D1 accepted; its communes accepted too, with other answers than D1's."""
    plan, tree = consolidated, small_tree
    give(plan, tree, "D1", items["per_year"], per_year={"2018": 5})
    give(plan, tree, "D1C1", items["per_year"], per_year={"2018": 2})
    give(plan, tree, "D1C2", items["per_year"], per_year={"2018": 3, "2019": 1})
    for code, yes, choice, point in (
        ("D1", True, "Tốt", "Cấp ủy quan tâm."),
        ("D1C1", False, "Khá", "Thiếu kinh phí."),
        ("D1C2", False, "Khá", "Cần sửa quy chế."),
    ):
        give(plan, tree, code, items["yes"], boolean=yes)
        give(plan, tree, code, items["choice"], choice=choice)
        give(plan, tree, code, items["points"], points=[point])
        give(plan, tree, code, items["text"], text=f"<div>Bài của {code}.</div>")
    return plan


def test_every_kind_of_answer_counts_the_district_once(every_kind, small_tree, items):
    result = rollup.build(plan=every_kind, unit=small_tree["P"])
    per_year = result.item(items["per_year"].pk)
    assert (per_year.figure.per_year, per_year.figure.answered) == ({"2018": 5}, 1)
    assert per_year.leaves.per_year == {"2018": 5, "2019": 1}
    [difference] = per_year.differences  # same total per 2018, not per 2019
    assert (difference.own_total, difference.leaves_total) == (Decimal(5), Decimal(6))
    assert result.item(items["yes"].pk).counts == {"yes": 1}
    assert result.item(items["choice"].pk).counts == {"Tốt": 1}
    assert [g.units for g in result.item(items["points"].pk).groups] == [["Huyện ủy D1"]]
    assert [(n.unit, n.text) for n in result.item(items["text"].pk).narratives] == [
        ("Huyện ủy D1", "Bài của D1.")
    ]
    assert (result.direct.expected, result.direct.on_time, result.direct.missing) == (2, 1, 1)
    assert {e.level.code: e.expected for e in result.levels} == {"huyen": 2, "co-so": 4}


def test_every_kind_of_answer_from_the_grassroots(every_kind, small_tree, items):
    result = rollup.build(plan=every_kind, unit=small_tree["P"], basis=LEAVES)
    assert result.item(items["yes"].pk).counts == {"no": 2}
    assert result.item(items["choice"].pk).counts == {"Khá": 2}
    assert [g.text for g in result.item(items["points"].pk).groups] == [
        "Thiếu kinh phí.",
        "Cần sửa quy chế.",
    ]
    assert [n.unit for n in result.item(items["text"].pk).narratives] == [
        "Đảng ủy xã D1C1",
        "Đảng ủy xã D1C2",
    ]


def test_every_kind_of_answer_marks_what_the_district_has_not_consolidated(
    every_kind, small_tree, items
):
    set_status(every_kind, small_tree, "D1", SUBMITTED)
    result = rollup.build(plan=every_kind, unit=small_tree["P"])
    assert result.item(items["yes"].pk).counts == {"no": 2}
    assert result.item(items["yes"].pk).pending_counts == {"no": 2}
    sources = [s for g in result.item(items["points"].pk).groups for s in g.sources]
    assert {(s.name, s.pending_by) for s in sources} == {
        ("Đảng ủy xã D1C1", "Huyện ủy D1"),
        ("Đảng ủy xã D1C2", "Huyện ủy D1"),
    }
    narratives = result.item(items["text"].pk).narratives
    assert [(n.unit, n.pending_by) for n in narratives] == [
        ("Đảng ủy xã D1C1", "Huyện ủy D1"),
        ("Đảng ủy xã D1C2", "Huyện ủy D1"),
    ]
    per_year = result.item(items["per_year"].pk)
    assert per_year.figure.per_year == {"2018": 5, "2019": 1}
    assert per_year.pending[0].figure.per_year == {"2018": 5, "2019": 1}


# --- (f) a unit directly under the province with no units of its own --------


def test_a_leaf_beside_the_districts_counts_itself(consolidated, small_tree, levels, items):
    plan = consolidated
    leaf = add_unit(small_tree["P"], "BCS", levels["huyen"], name="Ban cán sự đảng UBND tỉnh")
    report = Report.objects.create(
        campaign=plan, plan=plan, unit=leaf, due_on=plan.deadlines.first().due_on, status=ACCEPTED
    )
    Answer.objects.create(report=report, item=items["count"], number=4, version=1)
    result = rollup.build(plan=plan, unit=small_tree["P"])
    count = count_of(result, items)
    assert (count.direct.total, count.direct.answered) == (Decimal(9), 2)  # D1 5 + 4
    assert count.leaves.total == Decimal(9)  # 3 + 2 + 4
    assert count.differences == []
    assert names(result.tree.used) == ["Huyện ủy D1", "Ban cán sự đảng UBND tỉnh"]


# --- The property a later test can check at random ---------------------------


def test_direct_equals_leaves_when_every_district_equals_its_communes(
    four_levels, small_tree, items
):
    for status in (ACCEPTED, SUBMITTED):
        set_status(four_levels, small_tree, "D1", status)
        for include_submitted in (False, True):
            totals = rollup.totals(
                plan=four_levels, unit=small_tree["P"], include_submitted=include_submitted
            )
            count = totals[items["count"].pk]
            assert count.direct.total == count.leaves.total == Decimal(7)


# --- Queries ------------------------------------------------------------------


def test_the_rollup_queries_do_not_grow_with_the_tree(
    four_levels, small_tree, levels, items, django_assert_max_num_queries, django_assert_num_queries
):
    def queries_of_every_use() -> None:
        for basis in (DIRECT, LEAVES):
            rollup.build(plan=four_levels, unit=small_tree["P"], basis=basis)
        rollup.figures(plan=four_levels, unit=small_tree["P"])

    with django_assert_max_num_queries(26) as captured:
        queries_of_every_use()
    small = len(captured)
    due = four_levels.deadlines.first().due_on
    for d in range(3):  # three more districts, each with communes and cells
        district = add_unit(small_tree["P"], f"X{d}", levels["huyen"])
        units = [district]
        for c in range(3):
            commune = add_unit(district, f"X{d}{c}", levels["co-so"])
            units += [commune, add_unit(commune, f"X{d}{c}K", levels["chi-bo"])]
        for i, unit in enumerate(units):
            status = SUBMITTED if i % 2 else ACCEPTED
            report = Report.objects.create(
                campaign=four_levels, plan=four_levels, unit=unit, due_on=due, status=status
            )
            for it in items.values():
                Answer.objects.create(report=report, item=it, number=1, points=["Ý"], version=1)
    with django_assert_num_queries(small):
        queries_of_every_use()


def test_a_district_spreading_the_same_total_over_other_years_is_flagged_by_year(
    consolidated, small_tree, items
):
    plan, tree = consolidated, small_tree
    give(plan, tree, "D1", items["per_year"], per_year={"2018": 5})
    give(plan, tree, "D1C1", items["per_year"], per_year={"2018": 2})
    give(plan, tree, "D1C2", items["per_year"], per_year={"2019": 3})
    result = rollup.build(plan=plan, unit=tree["P"])
    [difference] = result.item(items["per_year"].pk).differences
    assert difference.years == [("2018", 5, 2), ("2019", None, 3)]
    report = Report.objects.get(campaign=plan, unit=tree["P"])
    notes = documents.figures_annex(report, result).notes
    assert any("số của Huyện ủy D1 ở mục (2): năm 2018: 5 / 2; năm 2019: — / 3" in n for n in notes)


def test_the_annex_is_written_in_vietnamese_whatever_the_readers_language(
    waiting, small_tree, items
):
    """A signed document's words are Vietnamese even when an English user builds it."""
    report = Report.objects.get(campaign=waiting, unit=small_tree["P"])
    with translation.override("en"):
        annex = documents.figures_annex(report, rollup.build(plan=waiting, unit=small_tree["P"]))
    [note] = [note for note in annex.notes if "chưa được tính" in note]
    status = ReportStatus(Report.objects.get(campaign=waiting, unit__code="D1").status)
    with translation.override("vi"):
        assert f"({str(status.label).lower()})" in note
