"""The answered seed 000 plans of the consolidation tests.

``answered`` (roll-up, workspace, overview):

Province P; districts D1 (communes D1C1, D1C2) and D2 (D2C1, D2C2): accepted
D1C1 (count 3) and D1C2 (count 4, late), submitted D1 (count 5), returned D2C1,
pending D2C2.
"""

import pytest

from campaigns.models import AnswerType
from reports.models import Answer, Report, ReportStatus
from tests.factories import AnswerFactory, set_answer_type


@pytest.fixture
def items(published_plan):
    return {
        "count": set_answer_type(published_plan, "1.1.", AnswerType.INTEGER),
        "per_year": set_answer_type(published_plan, "1.2.", AnswerType.INTEGER_PER_YEAR),
        "yes": set_answer_type(published_plan, "1.3.", AnswerType.BOOLEAN),
        "choice": set_answer_type(published_plan, "2.1.", AnswerType.CHOICE, ["Tốt", "Khá"]),
        "points": set_answer_type(published_plan, "2.3.", AnswerType.POINTS),
        "text": set_answer_type(published_plan, "3.1.", AnswerType.TEXT),
    }


def _report(plan, tree, code, status=ReportStatus.ACCEPTED, late=False):
    found = Report.objects.get(campaign=plan, unit=tree[code])
    found.status = status
    found.is_late = late
    found.save()
    return found


@pytest.fixture
def answered(published_plan, small_tree, items):
    plan, tree, answer = published_plan, small_tree, AnswerFactory
    c11 = _report(plan, tree, "D1C1")
    c12 = _report(plan, tree, "D1C2", late=True)
    c21 = _report(plan, tree, "D2C1", status=ReportStatus.RETURNED)  # not counted
    _report(plan, tree, "D2C2", status=ReportStatus.PENDING)  # did not report
    d1 = _report(plan, tree, "D1", status=ReportStatus.SUBMITTED)
    answer(report=c11, item=items["count"], number=3)
    answer(report=c12, item=items["count"], number=4)
    answer(report=c21, item=items["count"], number=100)
    answer(report=d1, item=items["count"], number=5)
    answer(report=c11, item=items["per_year"], per_year={"2017": 1, "2018": 2})
    answer(report=c12, item=items["per_year"], per_year={"2018": 5, "2020": 1})
    answer(report=c11, item=items["yes"], boolean=True)
    answer(report=c12, item=items["yes"], boolean=False)
    answer(report=d1, item=items["yes"], boolean=True)
    answer(report=c11, item=items["choice"], choice="Tốt")
    answer(report=c12, item=items["choice"], choice="Tốt")
    answer(report=c11, item=items["points"], points=["Cấp ủy quan tâm chỉ đạo.", "Thiếu kinh phí"])
    answer(report=c12, item=items["points"], points=["Cấp ủy quan tâm chỉ đạo", "Thiếu kinh phí."])
    answer(report=d1, item=items["points"], points=["Cấp uỷ quan tâm, chỉ đạo sát sao."])
    answer(report=c11, item=items["text"], text="<div>Xã đã <b>quán triệt</b>.</div>")
    return plan


@pytest.fixture
def consolidated(published_plan, small_tree, items):
    """The rule's case (a) (test_rule): communes 3 and 2; D1 accepted with 5; D2
    and its communes nothing."""
    for code, number in (("D1C1", 3), ("D1C2", 2), ("D1", 5)):
        report = _report(published_plan, small_tree, code)
        AnswerFactory(report=report, item=items["count"], number=number)
    return published_plan


@pytest.fixture
def waiting(consolidated, small_tree):
    """The rule's case (c): as (a), but D1's report (figure 6) is only submitted."""
    _report(consolidated, small_tree, "D1", status=ReportStatus.SUBMITTED)
    Answer.objects.filter(report__unit=small_tree["D1"]).update(number=6)
    return consolidated
