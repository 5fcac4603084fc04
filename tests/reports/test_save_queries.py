"""An autosave runs at most 8 queries, with the same safety (issue #17).

Counted through the real view, logged in, everything the request runs:
the session, the user with their memberships (``people.backends``), the
report read once with its row locked, its answers, the conditional UPDATE of
the answer, the history entry of the editing session, and the request's
savepoint. The outline is the copy kept per plan (``Plan.modified``), which
follows every change of it.
"""

import re

import pytest
from django.urls import reverse

from campaigns import outline
from orgunits.models import Role
from reports.models import Answer
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
AUTOSAVE_QUERIES = 8
# An item's first save creates its answer under a savepoint of its own (a
# writer that does not lock the report may have created it first).
FIRST_SAVE_QUERIES = 10


def post(client, report, item, text: str, version: int) -> str:
    prefix = f"item{item.pk}"
    response = client.post(
        reverse("reports:item", args=[report.pk, item.pk]),
        {f"{prefix}-version": str(version), f"{prefix}-text": text},
        **HTMX,
    )
    assert response.status_code == 200
    return response.content.decode()


def progress(html: str) -> tuple[int, int]:
    done, total = re.search(r'data-testid="toc-progress"[^>]*>(\d+)/(\d+)', html).groups()
    return int(done), int(total)


def history_of(report, item) -> list:
    return list(Answer.history.filter(report_id=report.pk, item_id=item.pk))


def test_it_saves_again_and_again_in_8_queries(
    client, commune_report, people, text_item, django_assert_max_num_queries
):
    client.force_login(people["reporter"])
    post(client, commune_report, text_item, "<div>Một</div>", 0)
    for version, text in enumerate(["<div>Hai</div>", "<div>Ba</div>"], start=1):
        with django_assert_max_num_queries(AUTOSAVE_QUERIES):
            html = post(client, commune_report, text_item, text, version)
        assert "Đã lưu lúc" in html
        assert f'value="{version + 1}"' in html
    answer = Answer.objects.get(report=commune_report, item=text_item)
    assert (answer.text, answer.text_plain, answer.version) == ("<div>Ba</div>", "Ba", 3)
    # One editing session: one entry in the history, with the last words.
    [entry] = history_of(commune_report, text_item)
    assert (entry.text, entry.version) == ("<div>Ba</div>", 3)


def test_a_second_writer_and_a_stale_tab_cost_8_queries_and_lose_nothing(
    client, commune_report, people, text_item, django_assert_max_num_queries
):
    """Two people on one item: the second one's save is a new history entry;
    the first one's tab, still at the old version, is refused with the answer
    now saved, and what it sent is not written."""
    client.force_login(people["reporter"])
    post(client, commune_report, text_item, "<div>Bản một</div>", 0)
    client.force_login(MembershipFactory(unit=commune_report.unit, role=Role.APPROVER).user)
    with django_assert_max_num_queries(AUTOSAVE_QUERIES):
        post(client, commune_report, text_item, "<div>Bản của lãnh đạo</div>", 1)
    client.force_login(people["reporter"])
    with django_assert_max_num_queries(AUTOSAVE_QUERIES):
        html = post(client, commune_report, text_item, "<div>Bản cũ</div>", 1)
    assert 'data-testid="save-conflict"' in html
    assert "Bản của lãnh đạo" in html
    assert "hx-swap-oob" not in html
    answer = Answer.objects.get(report=commune_report, item=text_item)
    assert (answer.text, answer.version) == ("<div>Bản của lãnh đạo</div>", 2)
    assert [e.version for e in history_of(commune_report, text_item)] == [2, 1]


def test_the_first_save_of_an_item_costs_a_few_queries_more(
    client, commune_report, people, text_item, django_assert_max_num_queries
):
    client.force_login(people["reporter"])
    post(client, commune_report, text_item, "<div>Mục đầu</div>", 0)  # the report started
    item = (
        commune_report.plan.outline_items.filter(is_heading=False, answer_type="text")
        .exclude(pk=text_item.pk)
        .order_by("position")
        .first()
    )
    with django_assert_max_num_queries(FIRST_SAVE_QUERIES):
        html = post(client, commune_report, item, "<div>Mục thứ hai</div>", 0)
    assert "Đã lưu lúc" in html
    assert Answer.objects.get(report=commune_report, item=item).version == 1


def test_the_outline_kept_per_plan_follows_its_changes(client, commune_report, people, text_item):
    """The copy of the outline an autosave uses is that of the plan as it is:
    an item added (or no longer required) since the last save counts at once."""
    client.force_login(people["reporter"])
    done, total = progress(post(client, commune_report, text_item, "<div>Một</div>", 0))
    added = outline.add_item(plan=commune_report.plan, title="Mục mới", answer_type="text")
    assert progress(post(client, commune_report, text_item, "<div>Hai</div>", 1)) == (
        done,
        total + 1,
    )
    added.required = False
    added.save()
    assert progress(post(client, commune_report, text_item, "<div>Ba</div>", 2)) == (done, total)
    added.levels.set([commune_report.unit.level])
    added.required = True
    added.save()
    assert progress(post(client, commune_report, text_item, "<div>Bốn</div>", 3)) == (
        done,
        total + 1,
    )
