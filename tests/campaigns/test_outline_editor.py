"""The browser outline editor: paste, add, edit, move, renumber, delete over htmx."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from campaigns import outline
from campaigns.models import AnswerType, OutlineItem, Plan
from campaigns.selectors import outline_rows
from orgunits.models import Role
from tests.factories import MembershipFactory, PlanFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
HTMX = {"HTTP_HX_REQUEST": "true"}
SHORT_OUTLINE = "1. Một\n1.1. Một một\n1.2. Một hai\n2. Hai\n3. Ba\n"


def _plan(unit, number: int = 279) -> Plan:
    return PlanFactory(issuing_unit=unit, number=number)


def _user(unit, role: str = Role.COORDINATOR):
    return MembershipFactory(unit=unit, role=role).user


def _client_for(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _url(name: str, plan: Plan, item: OutlineItem | None = None) -> str:
    args = [plan.pk] if item is None else [plan.pk, item.pk]
    return reverse(f"campaigns:{name}", args=args)


def _tree(plan: Plan) -> list[tuple[int, str, str]]:
    return [(row.depth, row.item.numbering, row.item.title) for row in outline_rows(plan)]


def _item(plan: Plan, title: str) -> OutlineItem:
    return plan.outline_items.get(title=title)


@pytest.fixture(autouse=True)
def _keep_the_language():
    """The clients ask for English; the middleware must not leave it active for other tests."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def plan(small_tree) -> Plan:
    return _plan(small_tree["P"])


@pytest.fixture
def coordinator_client(client, small_tree):
    return _client_for(client, _user(small_tree["P"]))


@pytest.fixture
def short_outline(plan) -> Plan:
    outline.import_text(plan=plan, text=SHORT_OUTLINE, replace=False)
    return plan


def test_it_pastes_seed_000s_outline_as_a_tree(coordinator_client, plan):
    text = (DATA / "seed000_outline.txt").read_text(encoding="utf-8")
    response = coordinator_client.post(
        _url("outline_paste", plan), {"text": text, "replace": "on"}, **HTMX
    )

    assert response.status_code == 200
    assert b'id="outline-editor"' in response.content
    assert b"outline-paste-form" not in response.content
    rows = outline_rows(plan)
    assert [r.item.numbering for r in rows if r.depth == 0] == ["1.", "2.", "3.", "4.", "5.", "6."]
    item_2_2 = next(r.item for r in rows if r.item.numbering == "2.2.")
    children = list(item_2_2.children.order_by("position"))
    assert [c.numbering for c in children] == ["-", "-"]
    assert [c.numbering for c in children[1].children.all()] == ["+", "+"]
    assert item_2_2.is_heading
    assert "2.2." in response.content.decode()


def test_it_shows_paste_errors_with_their_line_numbers_and_saves_nothing(coordinator_client, plan):
    text = "1. Một\n1.1. Một một\n2.1. Hai một\n"
    response = coordinator_client.post(_url("outline_paste", plan), {"text": text}, **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "outline-paste-form" in content
    assert "Line 3" in content
    assert 'data-line="3"' in content
    assert "2.1. Hai một" in content  # the text is kept for correcting
    assert not plan.outline_items.exists()


def test_it_shows_the_paste_form(coordinator_client, plan):
    response = coordinator_client.get(_url("outline_paste", plan), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="outline-editor"' in content
    assert 'name="text"' in content
    assert 'name="replace"' in content


def test_it_adds_an_item_at_the_end_and_opens_its_form(coordinator_client, short_outline):
    plan = short_outline
    response = coordinator_client.post(_url("outline_add", plan), **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#outline-editor"
    assert _tree(plan)[-1] == (0, "", "New item")
    new = _item(plan, "New item")
    assert _url("outline_edit", plan, new) in response.content.decode()
    assert 'name="title"' in response.content.decode()


def test_it_adds_an_item_below_another_after_its_children(coordinator_client, short_outline):
    plan = short_outline
    after = _item(plan, "Một")
    coordinator_client.post(_url("outline_add", plan), {"after": after.pk, "title": "Mới"}, **HTMX)

    assert [title for _depth, _numbering, title in _tree(plan)] == [
        "Một", "Một một", "Một hai", "Mới", "Hai", "Ba",
    ]  # fmt: skip
    assert _item(plan, "Mới").parent_id is None


def test_it_adds_an_item_at_the_end_after_a_deletion(coordinator_client, short_outline):
    plan = short_outline
    coordinator_client.post(_url("outline_delete", plan, _item(plan, "Một")), **HTMX)
    coordinator_client.post(_url("outline_add", plan), {"title": "Bốn"}, **HTMX)

    assert [title for _depth, _numbering, title in _tree(plan)] == ["Hai", "Ba", "Bốn"]


def test_it_shows_an_items_form(coordinator_client, short_outline):
    plan = short_outline
    item = _item(plan, "Hai")
    response = coordinator_client.get(_url("outline_edit", plan, item), **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert f'hx-post="{_url("outline_edit", plan, item)}"' in content
    assert 'name="levels"' in content
    assert "Hai" in content


def test_it_edits_an_item(coordinator_client, short_outline, levels):
    plan = short_outline
    item = _item(plan, "Hai")
    data = {
        "numbering": "2.",
        "title": "Hai, sửa",
        "guidance": "Nêu rõ.",
        "answer_type": AnswerType.CHOICE,
        "choices": "Tốt\n\n  Khá \nTrung bình\n",
        "required": "on",
        "levels": [levels["huyen"].pk, levels["co-so"].pk],
    }
    response = coordinator_client.post(_url("outline_edit", plan, item), data, **HTMX)

    assert response.status_code == 200
    assert b'id="outline-editor"' in response.content
    item.refresh_from_db()
    assert item.title == "Hai, sửa"
    assert item.guidance == "Nêu rõ."
    assert item.choices == ["Tốt", "Khá", "Trung bình"]
    assert not item.is_heading
    assert set(item.levels.all()) == {levels["huyen"], levels["co-so"]}
    assert "Hai, sửa" in response.content.decode()


def test_it_keeps_the_form_open_when_the_data_is_wrong(coordinator_client, short_outline):
    plan = short_outline
    item = _item(plan, "Hai")
    data = {"numbering": "2.", "title": "Hai", "answer_type": AnswerType.CHOICE, "choices": ""}
    response = coordinator_client.post(_url("outline_edit", plan, item), data, **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Give the choices, one per line." in content
    assert f'hx-post="{_url("outline_edit", plan, item)}"' in content
    item.refresh_from_db()
    assert item.answer_type == AnswerType.TEXT


def test_it_deletes_an_item_with_its_children(coordinator_client, short_outline):
    plan = short_outline
    response = coordinator_client.post(_url("outline_delete", plan, _item(plan, "Một")), **HTMX)

    assert response.status_code == 200
    assert [title for _depth, _numbering, title in _tree(plan)] == ["Hai", "Ba"]


def test_it_moves_an_item_up_and_down_with_its_children(coordinator_client, short_outline):
    plan = short_outline
    move_url = _url("outline_move", plan, _item(plan, "Một"))

    coordinator_client.post(move_url, {"direction": "down"}, **HTMX)
    assert [title for _d, _n, title in _tree(plan)] == [
        "Hai", "Một", "Một một", "Một hai", "Ba",
    ]  # fmt: skip

    coordinator_client.post(move_url, {"direction": "up"}, **HTMX)
    assert [title for _d, _n, title in _tree(plan)] == [
        "Một", "Một một", "Một hai", "Hai", "Ba",
    ]  # fmt: skip

    coordinator_client.post(
        _url("outline_move", plan, _item(plan, "Một hai")), {"direction": "up"}, **HTMX
    )
    assert [title for _d, _n, title in _tree(plan)] == [
        "Một", "Một hai", "Một một", "Hai", "Ba",
    ]  # fmt: skip


def test_it_indents_and_outdents_an_item(coordinator_client, short_outline):
    plan = short_outline
    move_url = _url("outline_move", plan, _item(plan, "Hai"))

    coordinator_client.post(move_url, {"direction": "indent"}, **HTMX)
    assert _item(plan, "Hai").parent == _item(plan, "Một")
    assert [(depth, title) for depth, _n, title in _tree(plan)] == [
        (0, "Một"), (1, "Một một"), (1, "Một hai"), (1, "Hai"), (0, "Ba"),
    ]  # fmt: skip

    coordinator_client.post(move_url, {"direction": "outdent"}, **HTMX)
    assert _item(plan, "Hai").parent is None
    assert [(depth, title) for depth, _n, title in _tree(plan)] == [
        (0, "Một"), (1, "Một một"), (1, "Một hai"), (0, "Hai"), (0, "Ba"),
    ]  # fmt: skip


def test_it_shows_why_a_move_is_refused(coordinator_client, short_outline):
    plan = short_outline
    before = _tree(plan)
    response = coordinator_client.post(
        _url("outline_move", plan, _item(plan, "Một")), {"direction": "indent"}, **HTMX
    )

    assert response.status_code == 200
    assert "There is no item above at the same level to indent under." in response.content.decode()
    assert _tree(plan) == before


def test_it_renumbers_the_outline(coordinator_client, plan):
    outline.import_text(plan=plan, text="1. A\n1.1. B\n- C\n+ D\n2. E\n3. F\n", replace=False)
    coordinator_client.post(
        _url("outline_move", plan, _item(plan, "F")), {"direction": "indent"}, **HTMX
    )
    response = coordinator_client.post(_url("outline_renumber", plan), **HTMX)

    assert response.status_code == 200
    assert [(depth, numbering) for depth, numbering, _title in _tree(plan)] == [
        (0, "1."), (1, "1.1."), (2, "-"), (3, "+"), (0, "2."), (1, "2.1."),
    ]  # fmt: skip


def test_it_forbids_reporters_to_change_the_outline(client, small_tree, short_outline):
    plan = short_outline
    _client_for(client, _user(small_tree["P"], Role.REPORTER))

    assert client.post(_url("outline_add", plan), **HTMX).status_code == 403
    assert client.post(_url("outline_renumber", plan), **HTMX).status_code == 403
    item = _item(plan, "Hai")
    assert client.post(_url("outline_delete", plan, item), **HTMX).status_code == 403
    assert client.get(_url("outline_paste", plan), **HTMX).status_code == 403
    assert plan.outline_items.count() == 5

    response = client.get(_url("outline_editor", plan), **HTMX)
    assert response.status_code == 200
    assert "Hai" in response.content.decode()
    assert _url("outline_add", plan) not in response.content.decode()


def test_it_hides_the_plans_of_another_district(client, small_tree):
    plan = _plan(small_tree["D1"], number=12)
    outline.import_text(plan=plan, text=SHORT_OUTLINE, replace=False)
    _client_for(client, _user(small_tree["D2"]))

    assert client.get(_url("outline_editor", plan), **HTMX).status_code == 404
    assert client.post(_url("outline_add", plan), **HTMX).status_code == 404
    item = _item(plan, "Hai")
    assert client.post(_url("outline_delete", plan, item), **HTMX).status_code == 404
    assert plan.outline_items.count() == 5


def test_it_refuses_items_of_another_plan(coordinator_client, small_tree, short_outline):
    other = _plan(small_tree["P"], number=280)
    outline.import_text(plan=other, text=SHORT_OUTLINE, replace=False)
    response = coordinator_client.post(
        _url("outline_delete", short_outline, _item(other, "Hai")), **HTMX
    )

    assert response.status_code == 404
    assert other.outline_items.count() == 5


def test_it_refuses_to_delete_an_inherited_required_item(client, small_tree, short_outline):
    implementing = _plan(small_tree["D1"], number=12)
    implementing.parent = short_outline
    implementing.save()
    outline.copy_items(source=short_outline, target=implementing, inherit=True)
    _client_for(client, _user(small_tree["D1"]))
    item = _item(implementing, "Hai")

    editor = client.get(_url("outline_editor", implementing), **HTMX).content.decode()
    assert "inherited from the parent plan" in editor
    response = client.post(_url("outline_delete", implementing, item), **HTMX)

    assert response.status_code == 200
    assert "is required by the parent plan and cannot be removed." in response.content.decode()
    assert implementing.outline_items.filter(pk=item.pk).exists()


def test_it_keeps_inherited_items_required(client, small_tree, short_outline):
    implementing = _plan(small_tree["D1"], number=12)
    outline.copy_items(source=short_outline, target=implementing, inherit=True)
    _client_for(client, _user(small_tree["D1"]))
    item = _item(implementing, "Hai")
    # The browser sends no "required" when its box is unticked.
    data = {"numbering": "2.", "title": "Hai", "answer_type": AnswerType.TEXT}
    client.post(_url("outline_edit", implementing, item), data, **HTMX)

    item.refresh_from_db()
    assert item.required


def test_it_refuses_to_change_a_closed_plan(coordinator_client, short_outline):
    plan = short_outline
    plan.close()
    item = _item(plan, "Hai")
    data = {"numbering": "9.", "title": "Đổi", "answer_type": AnswerType.TEXT, "required": "on"}
    response = coordinator_client.post(_url("outline_edit", plan, item), data, **HTMX)

    assert response.status_code == 200
    content = response.content.decode()
    assert "This plan is closed: its outline can no longer be changed." in content
    assert _url("outline_add", plan) not in content  # read-only now
    item.refresh_from_db()
    assert item.title == "Hai"
    coordinator_client.post(_url("outline_delete", plan, item), **HTMX)
    assert plan.outline_items.count() == 5


def test_it_redirects_a_plain_post_to_a_safe_next_page(coordinator_client, short_outline):
    plan = short_outline
    url = _url("outline_renumber", plan)
    here = reverse("campaigns:compose", args=[plan.pk, "outline"])

    assert coordinator_client.post(url, {"next": here}).url == here
    detail = reverse("campaigns:detail", args=[plan.pk])
    assert coordinator_client.post(url, {"next": "https://evil.example/"}).url == detail
    assert coordinator_client.post(url).url == detail


def test_it_tells_a_plain_post_why_a_change_was_refused(coordinator_client, short_outline):
    plan = short_outline
    response = coordinator_client.post(
        _url("outline_move", plan, _item(plan, "Một")), {"direction": "outdent"}, follow=False
    )

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["The item is already at the top level."]


def test_it_loads_the_editor_in_a_constant_number_of_queries(
    coordinator_client, plan, levels, django_assert_max_num_queries, django_assert_num_queries
):
    def outline_of(count: int) -> None:
        plan.outline_items.all().delete()
        text = "\n".join(
            f"{i // 2 + 1}.{' Mục' if i % 2 == 0 else '1. Mục con'} {i}" for i in range(count)
        )
        outline.import_text(plan=plan, text=text, replace=True)
        for item in plan.outline_items.all()[::3]:
            item.levels.set([levels["huyen"], levels["co-so"]])
        assert plan.outline_items.count() == count

    outline_of(10)
    with django_assert_max_num_queries(14) as captured:
        response = coordinator_client.get(_url("outline_editor", plan), **HTMX)
    assert response.status_code == 200
    few = len(captured)
    outline_of(60)
    with django_assert_num_queries(few):
        response = coordinator_client.get(_url("outline_editor", plan), **HTMX)
    assert response.status_code == 200
