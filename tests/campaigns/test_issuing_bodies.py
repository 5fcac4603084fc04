"""Plans issued by a body: its header, symbol, register, phrase and signature."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from campaigns import documents, services
from campaigns.forms import PlanGeneralForm
from campaigns.models import OutlinePlacement, Plan
from campaigns.selectors import plan_numbers_taken
from dialogues.models import DialoguePlan
from orgunits.bodies import default_body
from orgunits.models import IssuingBody, IssuingBodyKind, OrgUnitKind, Role
from tests.factories import MembershipFactory, PlanFactory, add_unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def commission(small_tree):
    """The province's Ban Dân vận: a deputy signs for the head."""
    return IssuingBody.objects.create(
        unit=small_tree["P"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận Tỉnh ủy Gia Lai",
        symbol="BDVTU",
        authority="K/T",
        sign_for="TRƯỞNG BAN",
        signer_position="PHÓ TRƯỞNG BAN",
        signer_name="Nguyễn Thị Thanh Lịch",
    )


def test_a_commission_plan_prints_its_header_symbol_phrase_and_signature(commission):
    plan = services.new_plan(body=commission, issued_on=D(2020, 2, 25))
    plan.summary = "sơ kết công tác dân vận"
    plan.kind, plan.outline_placement = "interim", OutlinePlacement.ANNEX
    plan.save()

    doc = documents.build(plan)

    assert (doc.superior_body, doc.issuer_name) == ("TỈNH ỦY GIA LAI", "BAN DÂN VẬN")
    assert doc.number_symbol == "01-KH/BDVTU"
    assert (doc.sign_on_behalf, doc.signer_position, doc.signer_name) == (
        "K/T TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
        "Nguyễn Thị Thanh Lịch",
    )
    assert doc.annexes[0].subtitle.endswith("ngày 25/02/2020 của Ban Dân vận Tỉnh ủy Gia Lai)")


def test_a_district_plan_prints_its_party_organisation_above_its_name(small_tree):
    plan = PlanFactory(issuing_unit=small_tree["D1"])
    doc = documents.build(plan)
    assert (doc.superior_body, doc.issuer_name) == ("ĐẢNG BỘ TỈNH GIA LAI", "HUYỆN ỦY D1")


def test_each_body_keeps_its_own_register(small_tree, commission):
    """The standing committee's 279-KH/TU and the commission's 01-KH/BDVTU: the
    commission's numbers start from 01 in the same term, and do not move the
    standing committee's."""
    province = small_tree["P"]
    standing = default_body(province)
    PlanFactory(issuing_unit=province, number=279)
    term = Plan.objects.get().term
    assert services.next_number(body=commission, term=term) == 1
    commission_plan = PlanFactory(issuing_unit=province, issuing_body=commission, number=1)
    assert commission_plan.number_symbol == "01-KH/TU"  # the factory's symbol; the form's below
    assert services.next_number(body=standing, term=term) == 280
    assert plan_numbers_taken(commission, term) == {1}
    # The same number in two registers of one unit is allowed by the database.
    PlanFactory(issuing_unit=province, issuing_body=standing, number=1)


def test_a_dialogue_plan_counts_in_its_bodys_register_only(small_tree, levels):
    district = small_tree["D1"]
    commission = IssuingBody.objects.create(
        unit=district,
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận",
        symbol="BDVHU",
    )
    DialoguePlan.objects.create(
        unit=district, year=2018, number=4, issued_on=D(2018, 1, 5), summary="đối thoại"
    )
    term = PlanFactory(issuing_unit=district, issued_on=D(2018, 3, 1)).term
    assert 4 in plan_numbers_taken(default_body(district), term)
    assert plan_numbers_taken(commission, term) == set()


def test_the_general_step_searches_the_bodies_of_the_coordinated_units(
    client, small_tree, commission
):
    """The bodies are searched (orgunits:pick, pick=body), never listed: the page
    holds the chosen one only; the search offers each unit's bodies, labelled
    with the unit and the code to type without JavaScript."""
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    MembershipFactory(user=coordinator, unit=small_tree["P"], role=Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(reverse("campaigns:create"))
    html = page.content.decode()
    assert 'name="issuing_body"' in html
    assert "Huyện ủy D2 — Ban Thường vụ" not in html
    assert 'value="P"' in html  # the highest unit's own committee, proposed
    url = reverse("orgunits:pick")
    found = client.get(url, {"q": "gia lai", "scope": "issuer", "pick": "body"}).json()
    labels = [item["label"] for item in found]
    assert labels[0].startswith("Ban Thường vụ Tỉnh ủy Gia Lai — Tỉnh ủy Gia Lai · P")
    assert f"Ban Dân vận Tỉnh ủy Gia Lai — Tỉnh ủy Gia Lai · P/{commission.pk}" in labels
    found = client.get(url, {"q": "d1", "scope": "issuer", "pick": "body"}).json()
    assert [item["code"] for item in found][0] == "D1"
    assert found[0]["parent_name"] == "Huyện ủy D1 (Tỉnh ủy Gia Lai)"


def test_a_body_is_typed_as_its_units_code_or_the_code_shown(client, small_tree, commission):
    instance = services.new_plan(issuing_unit=small_tree["P"])
    data = {
        "number": "3",
        "place_name": "Gia Lai",
        "issued_on": "2020-05-02",
        "kind": "interim",
        "period_start": "2017",
        "period_end": "2020",
        "summary": "sơ kết",
    }
    bodies = IssuingBody.objects.filter(unit__in=[small_tree["P"], small_tree["D1"]])
    for typed, expected in (
        ("P", default_body(small_tree["P"])),
        (f"P/{commission.pk}", commission),
        (str(commission.pk), commission),
        ("D1", default_body(small_tree["D1"])),
    ):
        form = PlanGeneralForm({**data, "issuing_body": typed}, instance=instance, bodies=bodies)
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["issuing_body"] == expected
    for typed in ("D2", f"D1/{commission.pk}", "P, D1", "nope"):
        form = PlanGeneralForm({**data, "issuing_body": typed}, instance=instance, bodies=bodies)
        assert not form.is_valid()
        assert "issuing_body" in form.errors
    # Without JavaScript the other bodies of the chosen unit are named with their code.
    instance = services.new_plan(issuing_unit=small_tree["P"])
    form = PlanGeneralForm(instance=instance, bodies=bodies)
    html = str(form["issuing_body"])
    assert f"Ban Dân vận Tỉnh ủy Gia Lai — Tỉnh ủy Gia Lai · P/{commission.pk}" in html


def test_choosing_a_body_issues_the_plan_from_its_unit_with_its_symbol_and_signature(
    small_tree, commission
):
    form = PlanGeneralForm(
        {
            "issuing_body": commission.pk,
            "lead_body": commission.pk,
            "number": "3",
            "place_name": "Gia Lai",
            "issued_on": "2020-05-02",
            "kind": "interim",
            "period_start": "2017",
            "period_end": "2020",
            "summary": "sơ kết",
        },
        instance=services.new_plan(issuing_unit=small_tree["D1"]),
        bodies=IssuingBody.objects.filter(unit__in=[small_tree["P"], small_tree["D1"]]),
    )
    assert form.is_valid(), form.errors
    plan = form.save()
    assert plan.issuing_unit == small_tree["P"]
    assert plan.number_symbol == "03-KH/BDVTU"
    assert plan.sign_on_behalf == "K/T TRƯỞNG BAN"
    assert plan.via_lead_commission == "qua Ban Dân vận Tỉnh ủy Gia Lai"


def test_the_receiving_body_must_be_of_the_issuing_unit(small_tree, commission):
    form = PlanGeneralForm(
        {
            "issuing_body": default_body(small_tree["D1"]).pk,
            "lead_body": commission.pk,
            "number": "3",
            "place_name": "Chư Sê",
            "issued_on": "2020-05-02",
            "kind": "interim",
            "period_start": "2017",
            "period_end": "2020",
            "summary": "sơ kết",
        },
        instance=services.new_plan(issuing_unit=small_tree["D1"]),
        bodies=IssuingBody.objects.all(),
    )
    assert not form.is_valid()
    assert "lead_body" in form.errors


def test_the_signature_stays_editable_per_plan(small_tree, commission):
    plan = services.new_plan(body=commission)
    plan.summary = "sơ kết"
    plan.kind = "interim"
    plan.signer_position, plan.sign_on_behalf = "TRƯỞNG BAN", ""
    plan.save()
    assert (documents.build(plan).sign_on_behalf, documents.build(plan).signer_position) == (
        "",
        "TRƯỞNG BAN",
    )
    commission.refresh_from_db()
    assert commission.sign_on_behalf == "K/T TRƯỞNG BAN"


fill = importlib.import_module("campaigns.migrations.0012_fill_plan_issuing_body").fill


def test_old_plans_keep_what_they_printed_when_they_get_a_body(small_tree, levels):
    """Before bodies: a steering committee's plan was told by its signature block."""
    bloc = add_unit(
        small_tree["P"],
        "K",
        levels["huyen"],
        name="Đảng ủy Khối cơ quan",
        kind=OrgUnitKind.BLOC_COMMITTEE,
    )
    old = PlanFactory(issuing_unit=bloc, number=7, issuer_symbol="BCĐ")
    Plan.objects.filter(pk=old.pk).update(
        sign_on_behalf="T/M BAN CHỈ ĐẠO",
        signer_position="TRƯỞNG BAN",
        superior_body="ĐẢNG BỘ TỈNH GIA LAI",
        issuer_line="",
    )
    plain = PlanFactory(issuing_unit=small_tree["P"], number=279)
    Plan.objects.filter(pk=plain.pk).update(superior_body="", issuer_line="")
    before = {p.pk: documents.build(p) for p in (Plan.objects.get(pk=old.pk), plain)}

    fill(apps, None)

    old.refresh_from_db()
    assert old.issuing_body.phrase == "Ban Chỉ đạo Đảng ủy Khối cơ quan"
    assert old.issuing_body.kind == IssuingBodyKind.STEERING_COMMITTEE
    assert not old.issuing_body.is_default
    plain.refresh_from_db()
    assert plain.issuing_body == default_body(small_tree["P"])
    for plan in (old, plain):
        doc, was = documents.build(plan), before[plan.pk]
        assert (doc.superior_body, doc.issuer_name, doc.number_symbol) == (
            was.superior_body,
            was.issuer_name,
            was.number_symbol,
        )
        assert (doc.sign_on_behalf, doc.signer_position) == (
            was.sign_on_behalf,
            was.signer_position,
        )


def test_picking_another_body_for_a_new_plan_proposes_that_bodys_next_number(
    small_tree, commission
):
    PlanFactory(issuing_unit=small_tree["P"], number=279, issued_on=D(2020, 2, 25))
    instance = services.new_plan(issuing_unit=small_tree["P"], issued_on=D(2020, 5, 2))
    assert instance.number == 280
    data = {
        "issuing_body": commission.pk,
        "number": "280",
        "place_name": "Gia Lai",
        "issued_on": "2020-05-02",
        "kind": "interim",
        "period_start": "2017",
        "period_end": "2020",
        "summary": "sơ kết",
    }
    form = PlanGeneralForm(
        data, instance=instance, bodies=IssuingBody.objects.all(), initial={"number": 280}
    )
    assert form.is_valid(), form.errors
    assert form.save().number_symbol == "01-KH/BDVTU"
