import datetime

import pytest
from django.utils import timezone

from campaigns import services as plan_services
from orgunits.models import OrgUnit, Role
from orgunits.services import COLUMNS, import_orgunits
from orgunits.tables import write_csv
from tests.campaigns.seeds import seed000_plan
from tests.factories import MembershipFactory, UserFactory


def build_province(levels, communes: int, prefix: str = "") -> OrgUnit:
    """A province with 10 districts and ``communes`` grassroots units, imported in bulk."""
    p = prefix
    rows = [[f"{p}P", "Tỉnh ủy", "", "", "tinh", "", "TU", "", "Gia Lai"]]
    for d in range(10):
        rows.append([f"{p}D{d}", f"Huyện ủy {d}", "", f"{p}P", "huyen", "", "HU", "", ""])
    for c in range(communes):
        rows.append([f"{p}C{c}", f"Đảng ủy xã {c}", "", f"{p}D{c % 10}", "co-so", "", "ĐU", "", ""])
    result = import_orgunits(data=write_csv([k for k, _l in COLUMNS], rows))
    assert result.ok, result.errors
    return OrgUnit.objects.get(code=f"{p}P")


def publish_plan(province, levels, *, grassroots_due: datetime.date):
    plan = seed000_plan(province)
    plan.participating_levels.set([levels["tinh"], levels["huyen"], levels["co-so"]])
    plan.issued_on = grassroots_due - datetime.timedelta(days=30)
    plan.save()
    plan_services.set_deadlines(
        plan=plan,
        deadlines=[
            plan_services.DeadlineCheck(levels["co-so"], grassroots_due),
            plan_services.DeadlineCheck(
                levels["huyen"], grassroots_due + datetime.timedelta(days=10)
            ),
            plan_services.DeadlineCheck(
                levels["tinh"], grassroots_due + datetime.timedelta(days=20)
            ),
        ],
    )
    coordinator = MembershipFactory(unit=province, role=Role.COORDINATOR).user
    plan_services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def nine_am(today):
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))


@pytest.fixture
def province(levels):
    return build_province(levels, communes=10)


@pytest.fixture
def commune_people(province):
    commune = OrgUnit.objects.get(code="C0")
    return {
        "reporter": MembershipFactory(
            unit=commune, role=Role.REPORTER, user=UserFactory(email="c0.bc@example.vn")
        ).user,
        "approver": MembershipFactory(
            unit=commune, role=Role.APPROVER, user=UserFactory(email="c0.duyet@example.vn")
        ).user,
        "district_coordinator": MembershipFactory(
            unit=OrgUnit.objects.get(code="D0"),
            role=Role.COORDINATOR,
            user=UserFactory(email="d0.dp@example.vn"),
        ).user,
    }
