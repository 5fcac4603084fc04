"""The data migration turns the old fixed fields into parts that print exactly
what the old builder printed, for plans of several shapes."""

import datetime
import importlib.util
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campaigns import documents
from campaigns.models import OutlinePlacement, Plan, PlanSection
from documents import richtext
from documents.content import BULLET, HEADING_1, HEADING_2, PARA, Block
from documents.formatting import date_words
from orgunits.models import Term
from tests.factories import PlanFactory

pytestmark = pytest.mark.django_db

MIGRATIONS = Path(documents.__file__).parent / "migrations"
# Found by its name, not its number: the number changes when branches merge.
[MIGRATION_FILE] = MIGRATIONS.glob("*_plan_parts_from_fields.py")
_spec = importlib.util.spec_from_file_location("parts_migration", MIGRATION_FILE)
migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(migration)

ROMAN = ["I", "II", "III", "IV", "V", "VI"]


def old_body(plan, old: dict) -> tuple[list[Block], list[str]]:
    """The body blocks of the builder before parts (commit eea2b05), from the
    old fields in ``old``; and the annexes' titles."""
    word = plan.kind_word
    deadlines = list(plan.deadlines.select_related("level").order_by("-level__rank"))
    blocks: list[Block] = []

    def section(number: int, title: str) -> Block:
        return Block(style=HEADING_1, text=f"{ROMAN[number]}- {title}")

    if plan.introduction:
        blocks.append(Block(style=PARA, text=plan.introduction))
    blocks.append(section(0, "MỤC ĐÍCH, YÊU CẦU"))
    blocks += richtext.to_blocks(old["purpose"])
    blocks.append(section(1, f"NỘI DUNG {word.upper()}"))
    blocks += richtext.to_blocks(old["content_intro"])
    annexes = []
    if old["outline_annexed"]:
        if not old["content_intro"]:
            blocks.append(Block(style=PARA, text=f"(Có Đề cương báo cáo {word} kèm theo)."))
        annexes.append("ĐỀ CƯƠNG")
    else:
        blocks += documents.outline_blocks(plan)
    blocks.append(section(2, f"HÌNH THỨC, THỜI GIAN {word.upper()}"))
    form_text = documents.FORM_TEXT[plan.review_form]
    if plan.conference_date:
        form_text = form_text.rstrip(".") + f", trước {date_words(plan.conference_date)}."
    blocks.append(Block(style=HEADING_2, text=f"1. Hình thức {word}: {form_text}"))
    blocks.append(Block(style=HEADING_2, text=f"2. Thời gian {word}:"))
    if plan.pilot_due_on:
        pilots = ", ".join(plan.pilot_units.order_by("path").values_list("name", flat=True))
        named = f" ({pilots})" if pilots else ""
        blocks.append(
            Block(
                style=BULLET,
                text=f"- Các đơn vị chọn điểm{named}: Hoàn thành trước "
                f"{date_words(plan.pilot_due_on)}.",
            )
        )
    for deadline in deadlines:
        blocks.append(
            Block(
                style=BULLET,
                text=f"- {deadline.level.name}: Hoàn thành trước {date_words(deadline.due_on)}.",
            )
        )
    blocks.append(section(3, "TỔ CHỨC THỰC HIỆN"))
    blocks += richtext.to_blocks(old["implementation"])
    blocks += richtext.to_blocks(old["closing"])
    return blocks, annexes


RICH = "<div>1. Một đoạn <strong>đậm</strong>.</div><ul><li>gạch đầu dòng</li></ul>"
SHAPES = {
    "empty texts, outline in the body": {},
    "every text, outline annexed": {
        "purpose": RICH,
        "content_intro": "<div>Nội dung gồm:</div>",
        "outline_annexed": True,
        "implementation": "<div>1. Các huyện ủy.</div><div>2. Ban Dân vận.</div>",
        "closing": "<div>Ban Thường vụ Tỉnh ủy yêu cầu …</div>",
    },
    "annexed without an introduction": {"outline_annexed": True, "purpose": RICH},
    "a final review by conference, pilots, three levels": {
        "kind": "final",
        "review_form": "conference",
        "conference_date": datetime.date(2020, 4, 2),
        "pilot_due_on": datetime.date(2020, 3, 5),
        "implementation": RICH,
    },
    "only a closing paragraph": {"closing": "<div>Đề nghị các đơn vị thực hiện.</div>"},
}


@pytest.mark.parametrize("shape", SHAPES)
def test_migrated_parts_print_what_the_fixed_sections_printed(shape, small_tree, levels):
    old = {
        "purpose": "",
        "content_intro": "",
        "outline_annexed": False,
        "implementation": "",
        "closing": "",
    }
    fields = dict(SHAPES[shape])
    for name in old:
        if name in fields:
            old[name] = fields.pop(name)
    plan = PlanFactory(
        issuing_unit=small_tree["P"],
        sections=False,
        outline="1. Một\n1.1. Một một\n- gạch\n2. Hai",
        introduction="Thực hiện Chương trình làm việc, cụ thể như sau:",
        deadlines={
            "co-so": datetime.date(2020, 3, 12),
            "huyen": datetime.date(2020, 3, 24),
            "tinh": datetime.date(2020, 3, 31),
        },
        **fields,
    )
    if plan.pilot_due_on:
        plan.pilot_units.set([small_tree["D1C1"], small_tree["D2C2"]])
    # What the migration does to a plan.
    plan.outline_placement = (
        OutlinePlacement.ANNEX if old["outline_annexed"] else OutlinePlacement.BODY
    )
    plan.save()
    PlanSection.objects.bulk_create(
        PlanSection(plan=plan, position=position, **part)
        for position, part in enumerate(
            migration.parts_from_fields(kind_word=plan.kind_word, **old)
        )
    )
    expected, annexes = old_body(plan, old)
    doc = documents.build(plan)
    assert doc.blocks == expected
    assert [annex.title.split("\n")[0] for annex in doc.annexes] == annexes
    if annexes:
        assert doc.annexes[0].blocks == documents.outline_blocks(plan)


def test_the_skeleton_of_a_new_plan_is_the_migrated_shape(small_tree):
    """A plan made today and a plan migrated with the same texts are alike."""
    plan = PlanFactory(issuing_unit=small_tree["P"], purpose=RICH, implementation=RICH)
    migrated = migration.parts_from_fields(
        kind_word=plan.kind_word,
        purpose=RICH,
        content_intro="",
        outline_annexed=False,
        implementation=RICH,
        closing="",
    )
    made = [
        {name: getattr(p, name) for name in ("title", "body", "block")} for p in plan.sections.all()
    ]
    assert made == [{"title": "", "body": "", "block": ""} | part for part in migrated]


# --- The migration itself, on a database ------------------------------------------


def _node(loader, suffix: str) -> tuple[str, str]:
    [key] = [k for k in loader.graph.nodes if k[0] == "campaigns" and k[1].endswith(suffix)]
    return key


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_each_plans_texts_into_parts_and_back(small_tree):
    term = Term.for_date(datetime.date(2020, 2, 25))
    executor = MigrationExecutor(connection)
    first = _node(executor.loader, "_plan_sections")
    [before] = executor.loader.graph.node_map[first].parents
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([before.key])
    old_apps = executor.loader.project_state([before.key]).apps
    OldPlan = old_apps.get_model("campaigns", "Plan")
    unit = small_tree["P"]
    common = {
        "issuing_unit_id": unit.pk,
        "term_id": term.pk,
        "issuer_symbol": "TU",
        "place_name": "Gia Lai",
        "issued_on": datetime.date(2020, 2, 25),
        "period_start": 2017,
        "period_end": 2020,
        "summary": "sơ kết",
        "recipients": [],
    }
    annexed = OldPlan.objects.create(
        number=1,
        kind="interim",
        purpose="<div>1. Mục đích.</div>",
        content_intro="<div>Nội dung.</div>",
        outline_annexed=True,
        implementation="<div>1. Tổ chức.</div>",
        closing="<div>Kết.</div>",
        **common,
    )
    plain = OldPlan.objects.create(number=2, kind="final", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
    parts = {
        plan.number: list(PlanSection.objects.filter(plan_id=plan.pk).order_by("position"))
        for plan in (annexed, plain)
    }
    assert [(p.title, p.body, p.block) for p in parts[1]] == [
        ("MỤC ĐÍCH, YÊU CẦU", "<div>1. Mục đích.</div>", ""),
        ("NỘI DUNG SƠ KẾT", "<div>Nội dung.</div>", ""),
        ("HÌNH THỨC, THỜI GIAN SƠ KẾT", "", "form"),
        ("", "<div>2. Thời gian sơ kết:</div>", "pilots"),
        ("", "", "deadlines"),
        ("TỔ CHỨC THỰC HIỆN", "<div>1. Tổ chức.</div>", ""),
        ("", "<div>Kết.</div>", ""),
    ]
    assert [p.title for p in parts[2] if p.title][1] == "NỘI DUNG TỔNG KẾT"
    assert parts[2][1].block == "outline"
    assert Plan.objects.get(pk=annexed.pk).outline_placement == OutlinePlacement.ANNEX
    assert Plan.objects.get(pk=plain.pk).outline_placement == OutlinePlacement.BODY

    # And back: the texts return to their fields.
    executor = MigrationExecutor(connection)
    executor.migrate([before.key])
    OldPlan = executor.loader.project_state([before.key]).apps.get_model("campaigns", "Plan")
    back = OldPlan.objects.get(pk=annexed.pk)
    assert (back.purpose, back.content_intro, back.outline_annexed) == (
        "<div>1. Mục đích.</div>",
        "<div>Nội dung.</div>",
        True,
    )
    assert back.implementation == "<div>1. Tổ chức.</div><div>Kết.</div>"
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)
