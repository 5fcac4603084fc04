"""The report form as it fills: every autosave answers with the report's
status, its completeness and the item's mark; the history keeps one entry per
editing session."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns import outline
from campaigns.models import AnswerType
from reports import services
from reports.models import Answer
from reports.selectors import items_for_unit
from tests.factories import MembershipFactory, item_of_type
from tests.reports.test_workflow import fill_required

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def post_text(client, report, item, text, version):
    url = reverse("reports:item", args=[report.pk, item.pk])
    prefix = f"item{item.pk}"
    return client.post(
        url, {f"{prefix}-version": str(version), f"{prefix}-text": text}, **HTMX
    ).content.decode()


def required_items(report):
    return [
        row.item for row in items_for_unit(report) if row.item.required and not row.item.is_heading
    ]


def test_a_save_answers_with_the_status_the_count_and_the_mark(
    client, commune_report, people, text_item
):
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    required = len(required_items(commune_report))
    assert f"0/{required} mục" in page
    assert f"Còn {required} mục bắt buộc chưa có nội dung." in page
    assert page.count(f'toc-mark-{text_item.pk}"') == 2  # the phone's list and the sidebar's

    html = post_text(client, commune_report, text_item, "<div>Đã làm</div>", 0)
    assert '<span id="report-status" hx-swap-oob="true">' in html
    assert "Đang soạn" in html
    assert "Chưa bắt đầu" not in html
    assert f"1/{required} mục" in html
    assert f"Còn {required - 1} mục bắt buộc chưa có nội dung." in html
    assert f'href="#item-{text_item.pk}"' not in html.split('data-testid="missing-items"')[1]
    assert f'hx-swap-oob="outerHTML:.toc-mark-{text_item.pk}"' in html
    assert 'data-mark="saved"' in html

    # Emptied again: the item is missing again and its mark says so.
    html = post_text(client, commune_report, text_item, "", 1)
    assert f"Còn {required} mục bắt buộc chưa có nội dung." in html
    assert 'data-mark="empty"' in html


def test_the_last_required_item_says_the_report_is_complete(client, commune_report, people):
    fill_required(commune_report, people["reporter"])
    item = next(i for i in required_items(commune_report) if i.answer_type == AnswerType.TEXT)
    answer = Answer.objects.get(report=commune_report, item=item)
    services.save_answer(
        report=commune_report,
        item=item,
        values={"text": ""},
        base_version=answer.version,
        by=people["reporter"],
    )
    client.force_login(people["reporter"])
    html = post_text(client, commune_report, item, "<div>Xong</div>", answer.version + 1)
    total = len(required_items(commune_report))
    assert f"{total}/{total} mục" in html
    assert "Tất cả các mục bắt buộc đã có nội dung." in html
    assert 'style="width: 100%"' in html


def test_a_returned_item_is_marked_in_the_contents(client, commune_report, people, text_item):
    fill_required(commune_report, people["reporter"])
    services.submit(
        report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
    )
    services.send_back(
        report=commune_report,
        by=people["district_coordinator"],
        overall="Bổ sung",
        per_item={text_item.pk: "Nói rõ hơn"},
    )
    client.force_login(people["reporter"])
    page = client.get(reverse("reports:detail", args=[commune_report.pk])).content.decode()
    mark = page.split(f'toc-mark-{text_item.pk}"')[1][:40]
    assert 'data-mark="returned"' in mark
    answer = Answer.objects.get(report=commune_report, item=text_item)
    html = post_text(client, commune_report, text_item, "<div>Rõ hơn</div>", answer.version)
    assert 'data-mark="returned"' in html  # the comment stands until the level above reads it


def test_a_conflict_changes_nothing_else_on_the_page(client, commune_report, people, text_item):
    client.force_login(people["reporter"])
    post_text(client, commune_report, text_item, "Bản một", 0)
    html = post_text(client, commune_report, text_item, "Bản của tôi", 0)
    assert 'data-testid="save-conflict"' in html
    assert "hx-swap-oob" not in html


def test_a_refused_save_offers_to_try_again(client, commune_report, people):
    item = item_of_type(commune_report.plan, AnswerType.INTEGER)
    client.force_login(people["reporter"])
    url = reverse("reports:item", args=[commune_report.pk, item.pk])
    html = client.post(
        url, {f"item{item.pk}-version": "0", f"item{item.pk}-number": "mười"}, **HTMX
    ).content.decode()
    assert "Lưu lỗi:" in html
    assert "data-retry-save" in html


def test_the_save_runs_a_constant_number_of_queries(
    client, published_plan, small_tree, django_assert_num_queries
):
    """A district (another level than the commune of the other tests) saves
    as the outline grows: the completeness costs no query per item."""
    from reports.models import Report

    report = Report.objects.get(campaign=published_plan, unit=small_tree["D1"])
    writer = MembershipFactory(unit=small_tree["D1"], role="reporter").user
    client.force_login(writer)
    item = item_of_type(published_plan, AnswerType.TEXT)
    post_text(client, report, item, "Một", 0)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        post_text(client, report, item, "Hai", 1)
    expected = len(few)  # before the next request clears the log
    for i in range(15):
        outline.add_item(plan=published_plan, title=f"Mục thêm {i}", answer_type="text")
    post_text(client, report, item, "Ba", 2)  # the changed outline is read once
    with django_assert_num_queries(expected):
        html = post_text(client, report, item, "Bốn", 3)
    assert "Đã lưu lúc" in html


# --- One history entry per editing session -------------------------------------


def history_of(report, item):
    return list(
        Answer.history.filter(report_id=report.pk, item_id=item.pk).order_by("history_date")
    )


def idle(report, minutes):
    """As if ``minutes`` passed since the last saves."""
    Answer.history.filter(report_id=report.pk).update(
        history_date=F("history_date") - datetime.timedelta(minutes=minutes)
    )


def save(report, item, text, user):
    answer = Answer.objects.filter(report=report, item=item).first()
    return services.save_answer(
        report=report,
        item=item,
        values={"text": text},
        base_version=answer.version if answer else 0,
        by=user,
    )


def test_saves_within_ten_minutes_are_one_entry_with_the_last_text(
    commune_report, people, text_item
):
    for text in ("Đã", "Đã quán", "Đã quán triệt"):
        save(commune_report, text_item, text, people["reporter"])
        idle(commune_report, 9)
    entries = history_of(commune_report, text_item)
    assert [e.text for e in entries] == ["Đã quán triệt"]
    assert entries[0].version == 3
    save(commune_report, text_item, "Đã quán triệt sâu", people["reporter"])
    assert len(history_of(commune_report, text_item)) == 1
    idle(commune_report, 10)
    save(commune_report, text_item, "Đã quán triệt sâu rộng", people["reporter"])
    assert [e.text for e in history_of(commune_report, text_item)] == [
        "Đã quán triệt sâu",
        "Đã quán triệt sâu rộng",
    ]


def test_another_person_or_a_submission_starts_a_new_entry(commune_report, people, text_item):
    approver = people["approver"]
    save(commune_report, text_item, "Bản xã", people["reporter"])
    save(commune_report, text_item, "Bản duyệt", approver)
    assert [e.history_user for e in history_of(commune_report, text_item)] == [
        people["reporter"],
        approver,
    ]
    fill_required(commune_report, approver)
    before = len(history_of(commune_report, text_item))
    services.submit(report=commune_report, rows=items_for_unit(commune_report), by=approver)
    services.send_back(
        report=commune_report, by=people["district_coordinator"], overall="Sửa", per_item={}
    )
    commune_report.refresh_from_db()
    save(commune_report, text_item, "Bản sửa sau khi trả lại", approver)
    entries = history_of(commune_report, text_item)
    assert len(entries) == before + 1  # what was submitted is still in the history
    assert entries[-1].text == "Bản sửa sau khi trả lại"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    saves=st.lists(
        st.tuples(st.sampled_from(["reporter", "approver"]), st.integers(0, 25)),
        min_size=1,
        max_size=8,
    )
)
def test_history_has_one_entry_per_session_and_the_last_is_the_answer(
    commune_report, people, text_item, saves
):
    """Whatever the people and the pauses: one entry per run of saves by one
    person without a pause of ten minutes, each holding its run's last text."""
    Answer.objects.filter(report=commune_report).delete()
    Answer.history.filter(report_id=commune_report.pk).delete()
    sessions = []
    for index, (who, pause) in enumerate(saves):
        if index:
            idle(commune_report, pause)
        text = f"Bản {index}"
        save(commune_report, text_item, text, people[who])
        if sessions and sessions[-1][0] == who and pause < 10 and index:
            sessions[-1] = (who, text)
        else:
            sessions.append((who, text))
    entries = history_of(commune_report, text_item)
    assert [(e.history_user, e.text) for e in entries] == [
        (people[who], text) for who, text in sessions
    ]
    assert entries[-1].version == Answer.objects.get(report=commune_report, item=text_item).version
