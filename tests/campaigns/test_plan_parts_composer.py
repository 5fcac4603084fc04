"""The composer's content step edits the plan's parts, without JavaScript."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns import documents
from campaigns.models import Plan, PlanBlock, PlanSection
from documents.content import HEADING_1
from orgunits.bodies import default_body
from tests.campaigns.parts import content_data
from tests.campaigns.seeds import seed003_plan
from tests.factories import SEED000_DEADLINES, PlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(small_tree):
    return PlanFactory(issuing_unit=small_tree["P"], seed000=True, deadlines=SEED000_DEADLINES)


def url(plan, step="content"):
    return reverse("campaigns:compose", args=[plan.pk, step])


def titles(plan):
    return [p.title for p in plan.sections.all()]


def test_the_parts_are_edited_and_saved(client, plan, coordinator):
    client.force_login(coordinator)
    response = client.post(
        url(plan),
        content_data(
            plan,
            section_style=".",
            changes={
                1: {"title": "NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN SƠ KẾT"},
                2: {"title": ""},  # III now continues II
            },
        ),
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.section_style == "."
    lines = [b.text for b in documents.build(plan).blocks if b.style == HEADING_1]
    assert lines == [
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG, CÁCH THỨC VÀ THỜI GIAN SƠ KẾT",
        "III. TỔ CHỨC THỰC HIỆN",
    ]


def test_parts_move_up_and_down_and_are_deleted_by_buttons_that_post(client, plan, coordinator):
    client.force_login(coordinator)
    parts = list(plan.sections.all())
    last_titled = parts[5]  # TỔ CHỨC THỰC HIỆN
    response = client.post(
        url(plan),
        content_data(
            plan, changes={0: {"body": "<div>Đã sửa.</div>"}}, action=f"up:{last_titled.pk}"
        ),
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#part-{last_titled.pk}")
    assert titles(plan)[4] == "TỔ CHỨC THỰC HIỆN"
    # What was typed before the button was saved too.
    assert plan.sections.first().body == "<div>Đã sửa.</div>"

    client.post(url(plan), content_data(plan, action=f"down:{last_titled.pk}"))
    assert titles(plan)[5] == "TỔ CHỨC THỰC HIỆN"
    first = plan.sections.first()
    client.post(url(plan), content_data(plan, action=f"up:{first.pk}"))  # already first
    assert plan.sections.first() == first

    client.post(url(plan), content_data(plan, action=f"delete:{last_titled.pk}"))
    assert "TỔ CHỨC THỰC HIỆN" not in titles(plan)
    assert [p.position for p in plan.sections.all()] == list(range(6))


def test_a_part_is_added_below_another_or_at_the_end(client, plan, coordinator):
    client.force_login(coordinator)
    first = plan.sections.first()
    response = client.post(url(plan), content_data(plan, action=f"add:{first.pk}"))
    new = plan.sections.all()[1]
    assert (new.title, new.body, new.block) == ("", "", "")
    assert response["Location"].endswith(f"#part-{new.pk}")
    client.post(url(plan), content_data(plan, action="add"))
    assert plan.sections.count() == 9
    assert [p.position for p in plan.sections.all()] == list(range(9))
    page = client.get(url(plan)).content.decode()
    assert page.count('data-testid="part"') == 9


def test_nothing_typed_is_lost_on_a_validation_error(client, plan, coordinator):
    client.force_login(coordinator)
    before = list(plan.sections.values_list("title", "body"))
    response = client.post(
        url(plan),
        content_data(
            plan,
            review_form="conference",  # without its date
            changes={0: {"title": "MỤC ĐÍCH MỚI", "body": "<div>Đoạn mới gõ.</div>"}},
            action=f"delete:{plan.sections.last().pk}",
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa lưu gì" in page
    assert 'value="MỤC ĐÍCH MỚI"' in page
    assert "Đoạn mới gõ." in page
    assert list(plan.sections.values_list("title", "body")) == before


def test_edit_the_wording_prefills_it_and_a_moved_deadline_is_warned_and_taken(
    client, plan, coordinator, levels
):
    client.force_login(coordinator)
    part = plan.sections.get(block=PlanBlock.DEADLINES)
    client.post(url(plan), content_data(plan, action=f"edit:{part.pk}"))
    part.refresh_from_db()
    assert part.wording == "\n".join(
        [
            "- Cấp cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020.",
            "- Cấp huyện: Hoàn thành trước ngày 24 tháng 3 năm 2020.",
            "- Cấp tỉnh: Hoàn thành trước ngày 31 tháng 3 năm 2020.",
        ]
    )
    index = list(plan.sections.all()).index(part)
    own = part.wording.replace("- Cấp cơ sở", "- Các đảng ủy cơ sở")
    client.post(url(plan), content_data(plan, changes={index: {"wording": own}}))
    part.refresh_from_db()
    assert part.wording == own
    assert own.splitlines()[0] in [b.text for b in documents.build(plan).blocks]
    assert "Văn bản tự sinh đã thay đổi" not in client.get(url(plan)).content.decode()

    plan.deadlines.filter(level=levels["co-so"]).update(due_on=datetime.date(2020, 3, 10))
    for step in ("content", "preview"):
        page = client.get(url(plan, step)).content.decode()
        assert "Văn bản tự sinh đã thay đổi" in page, step
        assert "ngày 10 tháng 3 năm 2020" in page, step
    # Taken from the preview: the block follows the deadlines again.
    response = client.post(url(plan), {"action": f"take:{part.pk}"})
    assert response["Location"] == url(plan, "preview")
    part.refresh_from_db()
    assert part.wording == ""
    assert "- Cấp cơ sở: Hoàn thành trước ngày 10 tháng 3 năm 2020." in [
        b.text for b in documents.build(plan).blocks
    ]


def test_keep_my_wording_silences_the_warning(client, plan, coordinator, levels):
    client.force_login(coordinator)
    part = plan.sections.get(block=PlanBlock.DEADLINES)
    client.post(url(plan), content_data(plan, action=f"edit:{part.pk}"))
    plan.deadlines.filter(level=levels["co-so"]).update(due_on=datetime.date(2020, 3, 10))
    part.refresh_from_db()
    wording = part.wording
    client.post(url(plan), content_data(plan, action=f"keep:{part.pk}"))
    part.refresh_from_db()
    assert part.wording == wording
    assert documents.stale_parts(plan) == []


def test_choosing_another_block_drops_the_old_wording(client, plan, coordinator):
    client.force_login(coordinator)
    part = plan.sections.get(block=PlanBlock.PILOTS)
    client.post(url(plan), content_data(plan, action=f"edit:{part.pk}"))
    index = list(plan.sections.all()).index(part)
    client.post(url(plan), content_data(plan, changes={index: {"block": PlanBlock.FORM}}))
    part.refresh_from_db()
    assert (part.block, part.wording) == (PlanBlock.FORM, "")


def test_a_plan_created_in_the_composer_gets_the_skeleton(client, small_tree, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("campaigns:create"),
        {
            "issuing_body": default_body(small_tree["P"]).pk,
            "number": 40,
            "place_name": "Gia Lai",
            "issued_on": "2021-05-04",
            "kind": "final",
            "period_start": 2016,
            "period_end": 2021,
            "summary": "tổng kết 05 năm",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(number=40)
    assert [p.title for p in plan.sections.all() if p.title][1] == "NỘI DUNG TỔNG KẾT"


def test_the_content_step_runs_a_constant_number_of_queries(
    client, small_tree, levels, coordinator
):
    client.force_login(coordinator)
    plan = seed003_plan(small_tree["P"], levels)
    counts = []
    for _round in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url(plan)).status_code == 200
        counts.append(len(queries))
        PlanSection.objects.bulk_create(
            PlanSection(plan=plan, position=10 + i, title=f"PHẦN {i}", block=PlanBlock.FORM)
            for i in range(6)
        )
    assert counts[0] == counts[1]
