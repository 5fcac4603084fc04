import datetime
import pytest
from reports.models import Report, ReportStatus
from dialogues.models import PetitionStatus
from tests.factories import *  # noqa

pytestmark = pytest.mark.django_db

def test_scratch(small_tree, levels):
    u = MembershipFactory(unit=small_tree["P"], role="coordinator").user
    plan = PlanFactory(issuing_unit=small_tree["P"], seed000=True, deadlines=SEED000_DEADLINES, published_by=u)
    assert plan.number == 279 and plan.status == "published"
    assert plan.subjects.count() == 2 and plan.outline_items.count() > 10
    assert Report.objects.filter(campaign=plan).count() == 7
    bare = PlanFactory(issuing_unit=small_tree["D1"])
    assert bare.number == 1 and bare.outline_items.count() == 0
    x = OrgUnitFactory(parent=small_tree["D2"], level=levels["co-so"])
    r = ReportFactory(campaign=plan, unit=x, status=ReportStatus.ACCEPTED)
    assert r.due_on == datetime.date(2020, 3, 12) and r.submitted_at
    item = set_answer_type(plan, "1.1.", "integer")
    a = AnswerFactory(report=r, item=item, number=3)
    assert a.version == 1
    m = MeetingFactory(unit=small_tree["D1"], hosts=[small_tree["D1C1"]], held=True)
    assert m.plan.year == 2018 and m.held_on == m.date and list(m.host_units.all()) == [small_tree["D1C1"]]
    m2 = MeetingFactory(plan=m.plan, date=None, month=5)
    assert m2.plan == m.plan
    p = PetitionFactory(meeting=m)
    assert p.status == PetitionStatus.RECEIVED and p.unit == small_tree["D1"] and p.agency is None
    q = PetitionFactory(meeting=m, assigned_to=small_tree["D1C2"])
    assert q.status == PetitionStatus.ASSIGNED and q.due_on and q.agency == small_tree["D1C2"]
    t = publish_plan(small_tree["P"], grassroots_due=datetime.date.today() + datetime.timedelta(days=1))
    assert t.deadlines.count() == 3
