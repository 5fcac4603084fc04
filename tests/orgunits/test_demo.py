import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from orgunits import demo
from orgunits.models import Membership, OrgUnit, Role

pytestmark = pytest.mark.django_db


def test_it_builds_a_realistic_province(demo_province):
    by_level = {
        code: OrgUnit.objects.filter(level__code=code).count()
        for code in ("tinh", "huyen", "co-so", "chi-bo")
    }
    assert by_level["tinh"] == 1
    assert 15 <= by_level["huyen"] <= 25
    assert 180 <= by_level["co-so"] <= 230
    kinds = set(OrgUnit.objects.filter(level__code="huyen").values_list("kind", flat=True))
    assert {"party_committee", "bloc_committee", "party_delegation"} <= kinds
    assert OrgUnit.objects.get(code="GL").name == "Tỉnh ủy Gia Lai"
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_it_gives_one_demo_user_per_role_at_three_levels(demo_province):
    for level_code in ("tinh", "huyen", "co-so"):
        roles = set(
            Membership.objects.filter(unit__level__code=level_code).values_list("role", flat=True)
        )
        assert roles == set(Role.values)
    user = get_user_model().objects.get(username="xa.baocao")
    assert user.check_password(demo.PASSWORD)


def test_it_is_idempotent(demo_province):
    counts = (OrgUnit.objects.count(), Membership.objects.count(), get_user_model().objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (
        OrgUnit.objects.count(),
        Membership.objects.count(),
        get_user_model().objects.count(),
    ) == counts


def test_the_demo_has_real_issuing_bodies(demo_province):
    from orgunits.models import IssuingBody

    assert IssuingBody.objects.filter(is_default=True).count() == OrgUnit.objects.count()
    commission = IssuingBody.objects.get(unit__code="GL", symbol="BDVTU")
    assert commission.header_lines() == ("TỈNH ỦY GIA LAI", "BAN DÂN VẬN")
    steering = IssuingBody.objects.get(unit__code="GL.KCQ", symbol="BCĐ")
    assert steering.header_lines() == (
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "BAN CHỈ ĐẠO THỰC HIỆN DÂN CHỦ",
    )
    assert steering.sign_on_behalf == "T/M BAN CHỈ ĐẠO"
    # Loading twice keeps one body per name.
    call_command("load_demo", stdout=io.StringIO())
    assert IssuingBody.objects.filter(unit__code="GL").count() == 2
