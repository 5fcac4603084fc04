import pytest

from campaigns.models import Plan, PlanStatus
from chasing import services as chasing
from reports.demo import load_campaign
from reports.models import Report, ReportStatus

pytestmark = pytest.mark.django_db


def test_the_demo_campaign_is_published_once_with_late_units(demo_province):
    plan = load_campaign()
    assert load_campaign() is None
    assert Plan.objects.filter(number=285).count() == 1
    assert plan.status == PlanStatus.PUBLISHED
    reports = Report.objects.filter(campaign=plan)
    assert reports.filter(status=ReportStatus.SUBMITTED).exists()
    assert reports.filter(status=ReportStatus.PENDING, unit__level__code="co-so").exists()
    result = chasing.sweep()
    assert result.escalations
    assert len(result.reminders) >= len(result.escalations)


def test_the_demo_reports_are_signed_and_go_through_the_commission(demo_province):
    from reports import documents as output

    plan = load_campaign()
    assert plan.via_lead_commission == "qua Ban Dân vận Tỉnh ủy Gia Lai"
    signed = {
        code: output.build(Report.objects.get(campaign=plan, unit__code=code))
        for code in ("GL", "GL.CS", "GL.CS.IABLANG")
    }
    assert {code: doc.signer_name for code, doc in signed.items()} == {
        "GL": "Dương Văn Trang",
        "GL.CS": "Võ Thành Công",
        "GL.CS.IABLANG": "Rahlan Minh",
    }
    assert signed["GL.CS.IABLANG"].sign_on_behalf == "T/M ĐẢNG ỦY"
