"""Commendation proposals over three levels: the district takes its communes'
rows into its own list (each keeping its commune), cuts one; the province reads
the district's list once its report is accepted — never the communes' again —
and a district not accepted through its communes, marked as such; rows are
counted per form and per level of the unit that proposed them; the
consolidated report prints the list (PDF, DOCX, XLSX)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from campaigns.models import AnswerType
from campaigns.tables import TableSpec
from consolidation import commendations, rollup
from consolidation.documents import annex_data, consolidated_document, xlsx
from documents.docx import render_docx
from orgunits.models import Role
from reports.models import Answer, Report, ReportStatus
from tests.factories import MembershipFactory, add_unit, set_answer_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def table_item(published_plan):
    return set_answer_type(published_plan, "2.3.", AnswerType.TABLE, TableSpec().as_data())


def report_of(plan, tree, code, status=ReportStatus.ACCEPTED) -> Report:
    report = Report.objects.get(campaign=plan, unit=tree[code])
    report.status = status
    report.save()
    return report


def propose(report, item, *rows) -> Answer:
    return Answer.objects.create(
        report=report,
        item=item,
        version=1,
        rows=[
            {"uid": f"{report.pk:04x}{i:04x}", "cells": [name, "", "Tốt"], "form": form}
            for i, (name, form) in enumerate(rows)
        ],
    )


@pytest.fixture
def proposed(published_plan, small_tree, table_item):
    """D1C1: two rows, D1C2: one (accepted); D2C1: one (accepted), D2 not accepted."""
    plan = published_plan
    propose(
        report_of(plan, small_tree, "D1C1"),
        table_item,
        ("Bà Siu H'Lan", "Bằng khen"),
        ("Chi bộ thôn 1", "Giấy khen"),
    )
    propose(report_of(plan, small_tree, "D1C2"), table_item, ("Ông Rơ Mah Tuấn", "Giấy khen"))
    propose(report_of(plan, small_tree, "D2C1"), table_item, ("Đoàn xã D2C1", "Bằng khen"))
    report_of(plan, small_tree, "D2", status=ReportStatus.SUBMITTED)
    return plan


def district_page(client, plan, tree):
    report = Report.objects.get(campaign=plan, unit=tree["D1"])
    client.force_login(MembershipFactory(unit=tree["D1"], role=Role.REPORTER).user)
    return report, client.get(reverse("reports:detail", args=[report.pk])).content.decode()


def take(client, report, item, keys, answer=None, cut=()):
    prefix = f"item{item.pk}"
    rows = answer.rows if answer else []
    data = {
        f"{prefix}-version": str(answer.version if answer else 0),
        "action": "take",
        f"{prefix}-take": keys,
        f"{prefix}-uid": [r["uid"] for r in rows],
        f"{prefix}-form": [r["form"] for r in rows],
        f"{prefix}-delete": list(cut),
    }
    for i in range(3):
        data[f"{prefix}-c{i}"] = [r["cells"][i] for r in rows]
    return client.post(reverse("reports:item", args=[report.pk, item.pk]), data)


def test_the_district_takes_its_communes_rows_keeping_their_units_and_cuts_one(
    client, proposed, small_tree, table_item
):
    report, page = district_page(client, proposed, small_tree)
    assert page.count('data-testid="below-row"') == 3  # D1C1's two, D1C2's one
    below = commendations.proposals(plan=proposed, unit=small_tree["D1"])[table_item.pk]
    keys = [p.key for p in below.rows]
    assert take(client, report, table_item, keys).status_code == 302
    answer = Answer.objects.get(report=report, item=table_item)
    assert [(r["cells"][0], r["unit"]) for r in answer.rows] == [
        ("Bà Siu H'Lan", "Đảng ủy xã D1C1"),
        ("Chi bộ thôn 1", "Đảng ủy xã D1C1"),
        ("Ông Rơ Mah Tuấn", "Đảng ủy xã D1C2"),
    ]
    # Taking again adds nothing; cutting a row keeps the others and their units.
    take(client, report, table_item, keys, answer=answer, cut=[answer.rows[1]["uid"]])
    answer.refresh_from_db()
    assert [(r["cells"][0], r["unit"]) for r in answer.rows] == [
        ("Bà Siu H'Lan", "Đảng ủy xã D1C1"),
        ("Ông Rơ Mah Tuấn", "Đảng ủy xã D1C2"),
    ]
    _report, page = district_page(client, proposed, small_tree)
    assert page.count("in our list:") + page.count("đã có trong danh sách:") == 2


def test_the_province_counts_per_form_and_level_through_the_accepted_district(
    proposed, small_tree, table_item
):
    d1 = report_of(proposed, small_tree, "D1")
    d1_level = small_tree["D1"].level
    c1 = Report.objects.get(campaign=proposed, unit=small_tree["D1C1"])
    Answer.objects.create(
        report=d1,
        item=table_item,
        version=1,
        rows=[
            {
                "uid": "00000001",
                "cells": ["Bà Siu H'Lan", "", "Tốt"],
                "form": "Bằng khen",
                "unit": "Đảng ủy xã D1C1",
                "unit_id": small_tree["D1C1"].pk,
                "level_id": small_tree["D1C1"].level_id,
                "origin": f"{c1.pk}:x",
            },
            {"uid": "00000002", "cells": ["Ban Tuyên giáo D1", "", "Tốt"], "form": "Bằng khen"},
        ],
    )
    entry = commendations.proposals(plan=proposed, unit=small_tree["P"])[table_item.pk]
    # D1's list (its communes' own lists are not read again), then D2C1 in D2's place.
    assert [(p.cells[0], p.unit, p.pending_by) for p in entry.rows] == [
        ("Bà Siu H'Lan", "Đảng ủy xã D1C1", ""),
        ("Ban Tuyên giáo D1", "Huyện ủy D1", ""),
        ("Đoàn xã D2C1", "Đảng ủy xã D2C1", "Huyện ủy D2"),
    ]
    assert entry.counts == {
        ("Cấp cơ sở", "Bằng khen"): 2,
        (d1_level.name, "Bằng khen"): 1,
    }
    assert entry.by_level == [
        ("Cấp huyện", [("Bằng khen", 1)], 1),
        ("Cấp cơ sở", [("Bằng khen", 2)], 2),
    ]
    # Before D1 is accepted its communes count in its place: every commune row.
    d1.status = ReportStatus.SUBMITTED
    d1.save()
    entry = commendations.proposals(plan=proposed, unit=small_tree["P"])[table_item.pk]
    assert entry.per_form == {"Bằng khen": 2, "Giấy khen": 2}
    assert {p.pending_by for p in entry.rows} == {"Huyện ủy D1", "Huyện ủy D2"}


def test_the_consolidated_report_prints_the_list_with_units_and_counts(
    proposed, small_tree, table_item
):
    province = Report.objects.get(campaign=proposed, unit=small_tree["P"])
    result = rollup.build(plan=proposed, unit=small_tree["P"])
    doc = consolidated_document(province, result)
    annex = doc.annexes[-1]
    assert annex.title == "PHỤ LỤC 3\nDANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    listed, counts = annex.tables
    assert [row[1] for row in listed.rows] == [
        "Bà Siu H'Lan",
        "Chi bộ thôn 1",
        "Ông Rơ Mah Tuấn",
        "Đoàn xã D2C1",
    ]
    assert listed.rows[3][-1] == "Đảng ủy xã D2C1 (chưa được Huyện ủy D2 tổng hợp)"
    assert counts.header == ["Cấp của đơn vị đề nghị", "Bằng khen", "Giấy khen", "Tổng số"]
    assert counts.rows[-1] == ["Tổng\u00a0cộng", "2", "2", "4"]  # kept on one line
    assert render_docx(doc)[:2] == b"PK"
    book = load_workbook(io.BytesIO(xlsx(annex_data(province, result, every_unit=True))))
    sheet = book["Phụ lục 4"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:2] == ["STT", "Tên tập thể / họ tên cá nhân"]
    assert values[1][0] == 1  # a number in the spreadsheet
    assert values[4][-1] == "Đảng ủy xã D2C1 (chưa được Huyện ủy D2 tổng hợp)"


def test_the_list_of_an_empty_tree_says_so(published_plan, small_tree, table_item):
    province = Report.objects.get(campaign=published_plan, unit=small_tree["P"])
    result = rollup.build(plan=published_plan, unit=small_tree["P"])
    annex = annex_data(province, result)[-1]
    assert annex.tables == []
    assert annex.notes[-1] == "Không có trường hợp nào được đề nghị."


def test_reading_the_proposals_runs_the_same_queries_at_any_tree_size(
    proposed, small_tree, levels, table_item, django_assert_num_queries
):
    def read():
        return commendations.proposals(plan=proposed, unit=small_tree["P"])[table_item.pk]

    with django_assert_num_queries(5) as captured:
        before = len(read().rows)
    for d in range(3):
        district = add_unit(small_tree["P"], f"X{d}", levels["huyen"], name=f"Huyện ủy X{d}")
        for unit in [district, *(add_unit(district, f"X{d}{c}", levels["co-so"]) for c in "ab")]:
            report = Report.objects.create(
                campaign=proposed,
                plan=proposed,
                unit=unit,
                due_on=proposed.issued_on,
                status=ReportStatus.ACCEPTED if unit != district else ReportStatus.SUBMITTED,
            )
            propose(report, table_item, (f"Cá nhân {unit.code}", "Giấy khen"))
    with django_assert_num_queries(len(captured)):
        assert len(read().rows) == before + 6


def test_the_workspace_counts_the_proposals_per_level_and_form(
    client, proposed, small_tree, table_item
):
    province = Report.objects.get(campaign=proposed, unit=small_tree["P"])
    client.force_login(MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user)
    body = client.get(reverse("consolidation:workspace", args=[province.pk])).content.decode()
    counts = body[body.index('data-testid="ws-table-counts"') :]
    counts = counts[: counts.index("</table>")]
    assert '<tr data-level="Cấp cơ sở">' in counts
    assert counts.count('data-testid="ws-level-total">4<') == 1  # 2 + 1 + 1, D2C1 in D2's place
    assert f"#item-{table_item.pk}" in body  # where the list is made


def test_a_districts_implementing_plan_carries_the_table_and_its_rows_count_above(
    small_tree, levels
):
    import datetime

    from campaigns import services
    from tests.campaigns.seeds import seed000_deadlines, seed000_plan
    from tests.factories import UserFactory

    province_user, district_user = UserFactory(), UserFactory()
    MembershipFactory(user=province_user, unit=small_tree["P"], role=Role.COORDINATOR)
    MembershipFactory(user=district_user, unit=small_tree["D1"], role=Role.COORDINATOR)
    province = seed000_plan(small_tree["P"], number=280)
    province.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(province, levels)
    spec = TableSpec(forms=["Bằng khen của Tỉnh ủy", "Giấy khen của Huyện ủy"])
    item = set_answer_type(province, "2.3.", AnswerType.TABLE, spec.as_data())
    services.publish(plan=province, by=province_user)
    province.refresh_from_db()
    district = services.cascade(parent=province, unit=small_tree["D1"], by=district_user)
    district.issued_on = datetime.date(2020, 3, 2)
    district.signer_name = "Nguyễn Văn A"
    district.save()
    district.participating_levels.set([levels["co-so"]])
    services.set_deadlines(
        plan=district,
        deadlines=[services.DeadlineCheck(levels["co-so"], datetime.date(2020, 3, 8))],
    )
    services.publish(plan=district, by=district_user)
    district.refresh_from_db()
    copy = district.outline_items.get(inherited_from=item)
    assert copy.table_spec == spec  # the columns and forms travel with the cascade

    commune = report_of(province, small_tree, "D1C1")
    assert commune.plan == district
    propose(commune, copy, ("Chi bộ thôn Plei Ơi", "Giấy khen của Huyện ủy"))
    below = commendations.proposals(plan=district, unit=small_tree["D1"])[copy.pk]
    own = report_of(province, small_tree, "D1")
    Answer.objects.create(
        report=own,
        item=Report.objects.get(pk=own.pk).plan.outline_items.get(key=item.key),
        version=1,
        rows=[p.taken() for p in below.rows],
    )
    above = commendations.proposals(plan=province, unit=small_tree["P"])[item.pk]
    assert [(p.cells[0], p.unit, p.level) for p in above.rows] == [
        ("Chi bộ thôn Plei Ơi", "Đảng ủy xã D1C1", "Cấp cơ sở")
    ]
