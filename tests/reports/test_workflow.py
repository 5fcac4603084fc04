import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone

from campaigns import services as plan_services
from campaigns.models import AnswerType
from orgunits.models import Role
from reports import services
from reports.models import Answer, ReportStatus, WorkflowError
from reports.selectors import items_for_unit
from tests.factories import MembershipFactory, item_of_type

pytestmark = pytest.mark.django_db


def fill_required(report, user):
    for row in items_for_unit(report):
        item = row.item
        if item.is_heading or not item.required:
            continue
        values = {
            AnswerType.TEXT: {"text": "<div>Đã thực hiện.</div>"},
            AnswerType.INTEGER: {"number": 3},
            AnswerType.INTEGER_PER_YEAR: {"per_year": {"2018": 1}},
            AnswerType.POINTS: {"points": ["Ý kiến"]},
        }.get(item.answer_type, {"text": "x"})
        answer = Answer.objects.filter(report=report, item=item).first()
        services.save_answer(
            report=report,
            item=item,
            values=values,
            base_version=answer.version if answer else 0,
            by=user,
        )


def test_a_first_save_starts_the_draft(commune_report, people, text_item):
    result = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "<div>Nội dung</div>"},
        base_version=0,
        by=people["reporter"],
    )
    commune_report.refresh_from_db()
    assert not result.conflict
    assert result.answer.version == 1
    assert commune_report.status == ReportStatus.DRAFT


def test_two_stale_saves_one_is_refused_and_no_text_is_lost(commune_report, people, text_item):
    first = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "<div>Bản đầu</div>"},
        base_version=0,
        by=people["reporter"],
    )
    a = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "<div>Sửa của A</div>"},
        base_version=first.answer.version,
        by=people["reporter"],
    )
    b = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "<div>Sửa của B</div>"},
        base_version=first.answer.version,
        by=people["approver"],
    )
    assert not a.conflict
    assert b.conflict
    # B gets A's text back to merge with; A's text is what is stored.
    assert "Sửa của A" in b.answer.text
    assert Answer.objects.get(report=commune_report, item=text_item).text == "<div>Sửa của A</div>"
    # B merges and saves on top of the newer version.
    merged = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "<div>Sửa của A và B</div>"},
        base_version=b.answer.version,
        by=people["approver"],
    )
    assert not merged.conflict
    assert merged.answer.version == 3


def test_two_first_saves_one_is_refused(commune_report, people, text_item):
    services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "A"},
        base_version=0,
        by=people["reporter"],
    )
    second = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "B"},
        base_version=0,
        by=people["approver"],
    )
    assert second.conflict
    assert Answer.objects.get(report=commune_report, item=text_item).text == "A"


def test_an_unchanged_save_writes_nothing(commune_report, people, text_item):
    first = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "A"},
        base_version=0,
        by=people["reporter"],
    )
    again = services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "A"},
        base_version=1,
        by=people["reporter"],
    )
    assert again.answer.version == first.answer.version == 1
    assert first.answer.history.count() == 1


def test_every_editing_session_is_kept_in_the_history(commune_report, people, text_item):
    version = 0
    for text in ("Một", "Hai", "Ba"):
        # Eleven idle minutes since the last save: a new editing session.
        Answer.history.filter(report_id=commune_report.pk).update(
            history_date=F("history_date") - datetime.timedelta(minutes=11)
        )
        version = services.save_answer(
            report=commune_report,
            item=text_item,
            values={"text": text},
            base_version=version,
            by=people["reporter"],
        ).answer.version
    answer = Answer.objects.get(report=commune_report, item=text_item)
    assert [h.text for h in answer.history.order_by("history_date")] == ["Một", "Hai", "Ba"]
    assert {h.history_user for h in answer.history.all()} == {people["reporter"]}


@pytest.mark.parametrize("role", ["viewer", "other_commune", "district_coordinator"])
def test_only_the_units_own_cadres_may_write(commune_report, people, text_item, role):
    with pytest.raises(PermissionDenied):
        services.save_answer(
            report=commune_report,
            item=text_item,
            values={"text": "x"},
            base_version=0,
            by=people[role],
        )


def test_required_items_are_enforced_on_submit_not_on_save(commune_report, people, text_item):
    services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": ""},
        base_version=0,
        by=people["reporter"],
    )
    with pytest.raises(WorkflowError) as error:
        services.submit(
            report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
        )
    assert "bắt buộc" in str(error.value)
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.DRAFT


def test_only_the_approver_submits(commune_report, people):
    fill_required(commune_report, people["reporter"])
    with pytest.raises(PermissionDenied):
        services.submit(
            report=commune_report, rows=items_for_unit(commune_report), by=people["reporter"]
        )


def test_submission_records_who_when_and_lateness_and_numbers_the_report(commune_report, people):
    commune_report.unit.symbol = "ĐU"
    commune_report.unit.save()
    fill_required(commune_report, people["reporter"])
    services.submit(
        report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
    )
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.SUBMITTED
    assert commune_report.submitted_by == people["approver"]
    assert commune_report.submitted_at is not None
    # The seed's deadline (12/3/2020) is long past.
    assert commune_report.is_late
    assert commune_report.number_symbol == "01-BC/ĐU"


def test_a_submission_before_the_deadline_is_on_time(commune_report, people):
    commune_report.due_on = timezone.localdate() + datetime.timedelta(days=3)
    commune_report.save()
    fill_required(commune_report, people["reporter"])
    services.submit(
        report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
    )
    commune_report.refresh_from_db()
    assert not commune_report.is_late


def test_the_level_above_returns_with_comments_then_accepts(commune_report, people, text_item):
    fill_required(commune_report, people["reporter"])
    rows = items_for_unit(commune_report)
    services.submit(report=commune_report, rows=rows, by=people["approver"])
    with pytest.raises(WorkflowError):
        services.send_back(
            report=commune_report, by=people["district_coordinator"], overall="", per_item={}
        )
    services.send_back(
        report=commune_report,
        by=people["district_coordinator"],
        overall="Bổ sung số liệu",
        per_item={text_item.pk: "Nêu rõ hơn"},
    )
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.RETURNED
    assert commune_report.comments.count() == 2
    # Back to the unit: it edits and submits again; the district accepts.
    answer = Answer.objects.get(report=commune_report, item=text_item)
    services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "Rõ hơn"},
        base_version=answer.version,
        by=people["reporter"],
    )
    services.submit(report=commune_report, rows=rows, by=people["approver"])
    services.accept(report=commune_report, by=people["district_coordinator"])
    commune_report.refresh_from_db()
    assert commune_report.status == ReportStatus.ACCEPTED
    statuses = [h.status for h in commune_report.history.order_by("history_date")]
    assert statuses[-4:] == ["submitted", "returned", "submitted", "accepted"]


@pytest.mark.parametrize("role", ["approver", "other_district", "reporter"])
def test_only_a_coordinator_above_reviews(commune_report, people, role):
    fill_required(commune_report, people["reporter"])
    services.submit(
        report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
    )
    with pytest.raises(PermissionDenied):
        services.accept(report=commune_report, by=people[role])


def test_a_submitted_report_cannot_be_edited(commune_report, people, text_item):
    fill_required(commune_report, people["reporter"])
    services.submit(
        report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
    )
    with pytest.raises(WorkflowError):
        services.save_answer(
            report=commune_report,
            item=text_item,
            values={"text": "x"},
            base_version=5,
            by=people["reporter"],
        )


def test_a_locked_plan_stops_changes_except_for_reopened_units(
    commune_report, people, text_item, published_plan, small_tree
):
    issuer = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    plan_services.lock_plan(plan=published_plan, by=issuer)
    commune_report.refresh_from_db()
    with pytest.raises(WorkflowError) as error:
        services.save_answer(
            report=commune_report,
            item=text_item,
            values={"text": "x"},
            base_version=0,
            by=people["reporter"],
        )
    assert "khóa" in str(error.value)
    services.reopen(report=commune_report, by=people["district_coordinator"])
    commune_report.refresh_from_db()
    services.save_answer(
        report=commune_report,
        item=text_item,
        values={"text": "x"},
        base_version=0,
        by=people["reporter"],
    )


def test_unlocking_the_plan_ends_every_reopening(
    commune_report, people, published_plan, small_tree
):
    issuer = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    plan_services.lock_plan(plan=published_plan, by=issuer)
    services.reopen(report=commune_report, by=people["district_coordinator"])
    plan_services.unlock_plan(plan=published_plan, by=issuer)
    commune_report.refresh_from_db()
    assert not commune_report.reopened
    plan_services.lock_plan(plan=published_plan, by=issuer)
    commune_report.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.save_answer(
            report=commune_report,
            item=item_of_type(published_plan, AnswerType.TEXT),
            values={"text": "x"},
            base_version=0,
            by=people["reporter"],
        )


def test_a_closed_plan_refuses_submission(commune_report, people, published_plan):
    fill_required(commune_report, people["reporter"])
    published_plan.close()
    commune_report.refresh_from_db()
    with pytest.raises(WorkflowError):
        services.submit(
            report=commune_report, rows=items_for_unit(commune_report), by=people["approver"]
        )


def test_numbers_per_year_are_saved(commune_report, people, published_plan):
    item = item_of_type(published_plan, AnswerType.INTEGER_PER_YEAR)
    result = services.save_answer(
        report=commune_report,
        item=item,
        values={"per_year": {"2017": 2, "2018": 4}},
        base_version=0,
        by=people["reporter"],
    )
    assert result.answer.per_year == {"2017": 2, "2018": 4}
