"""A plan's body as an ordered list of parts: numbering, generated blocks,
the seed 003 shape, cascades."""

import datetime
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import documents, services
from campaigns.models import OutlinePlacement, PlanBlock, PlanSection, SectionStyle
from documents.content import BULLET, HEADING_1, HEADING_2
from orgunits.models import Role
from tests.campaigns.seeds import (
    SEED003_CROSS_REFERENCE,
    SEED003_TIMING,
    seed000_deadlines,
    seed003_plan,
)
from tests.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db


def texts(doc) -> list[str]:
    return [block.text for block in doc.blocks]


def headings(doc) -> list[str]:
    return [block.text for block in doc.blocks if block.style == HEADING_1]


# --- Seed 003: three sections, II merges content and timing ----------------------


def test_seed_003_prints_its_own_three_sections_and_its_cross_reference_holds(small_tree, levels):
    plan = seed003_plan(small_tree["P"], levels)
    doc = documents.build(plan)
    assert headings(doc) == [
        "I- MỤC ĐÍCH, YÊU CẦU",
        "II- NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN TỔNG KẾT",
        "III- TỔ CHỨC THỰC HIỆN",
    ]
    lines = texts(doc)
    section_ii = lines.index("II- NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN TỔNG KẾT")
    point_2 = lines.index("2. Cách thức, thời gian tổng kết")
    bullets = [lines.index(line) for line in SEED003_TIMING]
    section_iii = lines.index("III- TỔ CHỨC THỰC HIỆN")
    # "điểm 2, Mục 2, Phần II": point 2 of section II, with the timing under it.
    assert section_ii < lines.index("1. Nội dung") < point_2 < bullets[0] < bullets[1]
    assert bullets[1] < section_iii
    assert doc.blocks[point_2].style == HEADING_2
    assert all(doc.blocks[i].style == BULLET for i in bullets)
    assert SEED003_CROSS_REFERENCE in " ".join(lines[section_iii:])
    # Nothing generated the plan did not ask for: no form line, no "IV-".
    assert not any(line.startswith("1. Hình thức") for line in lines)
    assert [annex.title.split("\n")[0] for annex in doc.annexes] == ["ĐỀ CƯƠNG"]
    assert "(kèm theo Kế hoạch số 174-KH/TU, ngày 03/12/2018" in doc.annexes[0].subtitle
    annex = [block.text for block in doc.annexes[0].blocks]
    assert annex[0].startswith("1. Đánh giá thực trạng công tác lãnh đạo")
    assert annex[-1].startswith("- Đề xuất, kiến nghị với Trung ương")
    assert documents.stale_parts(plan) == []


def test_seed_003_with_the_generated_deadlines_prints_them_under_point_2(small_tree, levels):
    plan = seed003_plan(small_tree["P"], levels, own_wording=False)
    lines = texts(documents.build(plan))
    point_2 = lines.index("2. Cách thức, thời gian tổng kết")
    assert (
        lines[point_2 + 1 : point_2 + 3]
        == [
            "- Cấp tỉnh: Hoàn thành trước ngày 15 tháng 01 năm 2019.",
            "- Cấp huyện: Hoàn thành trước ngày 31 tháng 12 năm 2018.",
        ][::-1]
    )
    assert lines[point_2 + 3] == "III- TỔ CHỨC THỰC HIỆN"


def test_a_plan_that_numbers_its_sections_with_a_dot_prints_i_dot(small_tree, levels):
    plan = seed003_plan(small_tree["P"], levels)
    plan.section_style = SectionStyle.DOT
    plan.save()
    assert headings(documents.build(plan)) == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN TỔNG KẾT",
        "III. TỔ CHỨC THỰC HIỆN",
    ]


# --- Any parts print as numbered sections, in order --------------------------------

PART = st.fixed_dictionaries(
    {
        "title": st.one_of(st.just(""), st.sampled_from(["MỤC ĐÍCH", "NỘI DUNG", "KHÁC"])),
        "body": st.booleans(),
    }
)


@pytest.fixture
def bare_plan(small_tree):
    return PlanFactory(issuing_unit=small_tree["P"], sections=False)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(parts=st.lists(PART, max_size=14), style=st.sampled_from(SectionStyle.values))
def test_any_parts_print_numbered_sections_in_order_with_every_body(bare_plan, parts, style):
    plan = bare_plan
    plan.section_style = style
    plan.save()
    plan.sections.all().delete()
    # Stored out of order: the positions decide.
    rows = [
        PlanSection(
            plan=plan,
            position=index,
            title=part["title"],
            body=f"<div>Đoạn văn số {index}.</div>" if part["body"] else "",
        )
        for index, part in enumerate(parts)
    ]
    PlanSection.objects.bulk_create(reversed(rows))
    doc = documents.build(plan)
    titled = [part["title"] for part in parts if part["title"]]
    assert headings(doc) == [
        f"{documents.roman(n)}{style} {title}" for n, title in enumerate(titled, start=1)
    ]
    expected = []
    for index, part in enumerate(parts):
        if part["title"]:
            expected.append("heading")
        if part["body"]:
            expected.append(f"Đoạn văn số {index}.")
    printed = [
        "heading" if block.style == HEADING_1 else block.text
        for block in doc.blocks
        if block.style == HEADING_1 or block.text.startswith("Đoạn văn")
    ]
    assert printed == expected


def test_sections_count_past_ten(bare_plan):
    PlanSection.objects.bulk_create(
        [PlanSection(plan=bare_plan, position=i, title=f"PHẦN {i + 1}") for i in range(14)]
    )
    numbers = [re.match(r"^([IVX]+)-", h)[1] for h in headings(documents.build(bare_plan))]
    assert numbers[8:] == ["IX", "X", "XI", "XII", "XIII", "XIV"]


# --- Generated blocks ----------------------------------------------------------------


def test_a_new_plan_gets_the_usual_skeleton(small_tree):
    plan = PlanFactory(issuing_unit=small_tree["P"], kind="final")
    parts = list(plan.sections.all())
    assert [p.title for p in parts if p.title] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "NỘI DUNG TỔNG KẾT",
        "HÌNH THỨC, THỜI GIAN TỔNG KẾT",
        "TỔ CHỨC THỰC HIỆN",
    ]
    assert [p.block for p in parts if p.block] == [
        PlanBlock.OUTLINE,
        PlanBlock.FORM,
        PlanBlock.PILOTS,
        PlanBlock.DEADLINES,
    ]
    assert "1. Hình thức tổng kết: Bằng văn bản." in texts(documents.build(plan))


def test_the_outline_in_the_body_the_annex_or_both(small_tree):
    plan = PlanFactory(
        issuing_unit=small_tree["P"], outline="1. Một\n1.1. Một một\n2. Hai\n- Hai gạch"
    )
    body = texts(documents.build(plan))
    assert ["1. Một", "1.1. Một một", "2. Hai"] == [t for t in body if t[:2] in ("1.", "2.")][:3]
    assert not documents.build(plan).annexes

    plan.outline_placement = OutlinePlacement.ANNEX
    plan.save()
    doc = documents.build(plan)
    assert "1.1. Một một" not in texts(doc)
    assert "(Có Đề cương báo cáo sơ kết kèm theo)." in texts(doc)
    assert "1.1. Một một" in [b.text for b in doc.annexes[0].blocks]

    plan.outline_placement = OutlinePlacement.BOTH
    plan.save()
    doc = documents.build(plan)
    lines = texts(doc)
    start = lines.index("1. Một")
    assert lines[start : start + 3] == [
        "1. Một",
        "2. Hai",
        "(Có Đề cương báo cáo sơ kết kèm theo).",
    ]
    assert "1.1. Một một" not in lines
    assert [b.text for b in doc.annexes[0].blocks] == [
        "1. Một",
        "1.1. Một một",
        "2. Hai",
        "- Hai gạch",
    ]


def test_an_edited_wording_prints_instead_and_warns_when_the_deadlines_move(small_tree, levels):
    plan = PlanFactory(issuing_unit=small_tree["P"], seed000=True)
    seed000_deadlines(plan, levels)
    part = plan.sections.get(block=PlanBlock.DEADLINES)
    data = documents.BodyData.of(plan)
    part.wording_source = documents.generated_text(PlanBlock.DEADLINES, data)
    part.wording = "- Các đảng ủy cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020."
    part.save()
    lines = texts(documents.build(plan))
    assert "- Các đảng ủy cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020." in lines
    assert "- Cấp cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020." not in lines
    assert documents.stale_parts(plan) == []

    deadline = plan.deadlines.get(level=levels["co-so"])
    deadline.due_on = datetime.date(2020, 3, 10)
    deadline.save()
    [(stale, new_text)] = documents.stale_parts(plan)
    assert stale == part
    assert "- Cấp cơ sở: Hoàn thành trước ngày 10 tháng 3 năm 2020." in new_text
    # Still the author's words in the document until they take the new text.
    assert "- Các đảng ủy cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020." in texts(
        documents.build(plan)
    )


def test_deadline_line_is_todays_wording(small_tree, levels):
    plan = PlanFactory(issuing_unit=small_tree["P"], deadlines={"co-so": datetime.date(2020, 3, 5)})
    deadline = plan.deadlines.get()
    assert (
        documents.deadline_line(deadline)
        == "- Cấp cơ sở: Hoàn thành trước ngày 05 tháng 3 năm 2020."
    )


# --- Cascades and copies ------------------------------------------------------------


def test_an_implementing_plan_starts_from_its_parents_parts(small_tree, levels):
    parent = seed003_plan(small_tree["P"], levels)
    services.publish(
        plan=parent, by=MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    )
    parent.refresh_from_db()
    child = services.cascade(parent=parent, unit=small_tree["D1"], by=None)
    fields = ["title", "body", "block", "wording", "wording_source"]
    assert list(child.sections.values_list(*fields)) == list(parent.sections.values_list(*fields))
    assert child.outline_placement == OutlinePlacement.ANNEX
    assert headings(documents.build(child))[1] == "II- NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN TỔNG KẾT"
    # The child's own parts: editing them leaves the parent's alone.
    child.sections.filter(title="TỔ CHỨC THỰC HIỆN").update(title="TỔ CHỨC THỰC HIỆN Ở HUYỆN")
    assert parent.sections.filter(title="TỔ CHỨC THỰC HIỆN").exists()
