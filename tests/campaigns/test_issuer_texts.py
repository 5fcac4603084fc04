"""Generated texts name the body that actually issued the plan."""

import pytest

from campaigns import documents, services
from campaigns.models import OutlinePlacement
from orgunits.models import IssuingBody, IssuingBodyKind, Role
from reports import documents as output
from reports.models import Report
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(small_tree, levels):
    """Seed 000's plan, issued this time by the province's standing office."""
    office = IssuingBody.objects.create(
        unit=small_tree["P"],
        kind=IssuingBodyKind.OFFICE,
        phrase="Thường trực Tỉnh ủy Gia Lai",
        symbol="TU",
        authority="T/M",
        sign_for="THƯỜNG TRỰC",
    )
    plan = seed000_plan(small_tree["P"])
    plan.take_body(office)
    plan.signer_name = "Dương Văn Trang"
    plan.outline_placement = OutlinePlacement.ANNEX
    plan.save()
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    services.publish(
        plan=plan, by=MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    )
    plan.refresh_from_db()
    return plan


def test_the_cascade_opening_cites_the_parents_issuing_body(plan, small_tree):
    child = services.cascade(parent=plan, unit=small_tree["D1"], by=None)
    assert "ngày 25/02/2020 của Thường trực Tỉnh ủy Gia Lai về sơ kết" in child.introduction
    assert "Ban Thường vụ Huyện ủy D1 xây dựng Kế hoạch thực hiện" in child.introduction


def test_unit_and_consolidated_reports_cite_the_plans_issuing_body(plan, small_tree):
    for code in ("D2C1", "D1"):  # a unit report; the district's report, its consolidated one
        doc = output.build(Report.objects.get(campaign=plan, unit__code=code))
        opening = doc.blocks[0].text
        assert "Kế hoạch số 279-KH/TU, ngày 25/02/2020 của Thường trực Tỉnh ủy Gia Lai" in opening
        assert "Thường trực Tỉnh ủy Gia Lai (qua Ban Dân vận Tỉnh ủy)" in doc.recipients[0]


def test_the_annexed_outline_cites_the_plans_issuing_body(plan):
    annex = documents.build(plan).annexes[0]
    assert annex.subtitle.endswith("ngày 25/02/2020 của Thường trực Tỉnh ủy Gia Lai)")
