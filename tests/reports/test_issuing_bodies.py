"""Reports issued by a body: header by level, signature and recipient from the bodies."""

import datetime

import pytest
from django.urls import reverse

from consolidation import rollup
from consolidation.documents import consolidated_document
from orgunits.bodies import default_body, save_body
from orgunits.models import IssuingBody, IssuingBodyKind, OrgUnitKind, Role
from reports import documents as output
from reports.models import Report
from tests.factories import SEED000_DEADLINES, MembershipFactory, PlanFactory, add_unit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def tree(levels):
    """Three levels below a province, with the kinds the real tree has."""
    province = add_unit(None, "GL", levels["tinh"], name="Tỉnh ủy Gia Lai", symbol="TU")
    district = add_unit(province, "CS", levels["huyen"], name="Huyện ủy Chư Sê", symbol="HU")
    commune = add_unit(
        district,
        "IB",
        levels["co-so"],
        name="Đảng ủy xã Ia Blang",
        symbol="ĐU",
        kind=OrgUnitKind.GRASSROOTS_COMMITTEE,
    )
    cell = add_unit(
        commune,
        "IB1",
        levels["chi-bo"],
        name="Chi bộ thôn Plei Ring Đáp",
        symbol="CB",
        kind=OrgUnitKind.PARTY_CELL,
    )
    for unit, signer in ((province, "Dương Văn Trang"), (commune, "Rahlan Minh")):
        body = default_body(unit)
        body.signer_name = signer
        save_body(body=body)
    return {"P": province, "D": district, "C": commune, "CELL": cell}


@pytest.fixture
def campaign(tree, levels):
    """The province's plan, and the district's implementing plan that governs the commune."""
    province_plan = PlanFactory(
        issuing_unit=tree["P"],
        seed000=True,
        levels=["huyen", "co-so", "chi-bo"],
        deadlines={**SEED000_DEADLINES, "chi-bo": D(2020, 3, 12)},
        published_by=MembershipFactory(unit=tree["P"], role=Role.COORDINATOR).user,
    )
    district_commission = IssuingBody.objects.create(
        unit=tree["D"],
        kind=IssuingBodyKind.COMMISSION,
        name="BAN DÂN VẬN",
        phrase="Ban Dân vận Huyện ủy Chư Sê",
        symbol="BDVHU",
    )
    district_plan = PlanFactory(
        issuing_unit=tree["D"],
        parent=province_plan,
        seed000=True,
        number=12,
        lead_body=district_commission,
        levels=["co-so", "chi-bo"],
        deadlines={"co-so": D(2020, 3, 10), "chi-bo": D(2020, 3, 8)},
        published_by=MembershipFactory(unit=tree["D"], role=Role.COORDINATOR).user,
    )
    return province_plan, district_plan


def _report(campaign, unit) -> Report:
    return Report.objects.get(campaign=campaign[0], unit=unit)


def test_a_commune_reports_to_the_district_whose_plan_governs_it(campaign, tree):
    report = _report(campaign, tree["C"])
    assert report.plan == campaign[1]
    doc = output.build(report)
    assert doc.recipients[0] == (
        "Ban Thường vụ Huyện ủy Chư Sê (qua Ban Dân vận Huyện ủy Chư Sê) (để báo cáo),"
    )
    assert "của Ban Thường vụ Huyện ủy Chư Sê về" in doc.blocks[0].text


def test_each_level_prints_its_own_header_and_signs_as_it_does(campaign, tree):
    docs = {code: output.build(_report(campaign, tree[code])) for code in ("D", "C", "CELL")}
    assert (docs["D"].superior_body, docs["D"].issuer_name) == (
        "ĐẢNG BỘ TỈNH GIA LAI",
        "HUYỆN ỦY CHƯ SÊ",
    )
    assert (docs["C"].superior_body, docs["C"].issuer_name) == (
        "ĐẢNG BỘ HUYỆN CHƯ SÊ",
        "ĐẢNG ỦY XÃ IA BLANG",
    )
    assert (docs["CELL"].superior_body, docs["CELL"].issuer_name) == (
        "ĐẢNG BỘ XÃ IA BLANG",
        "CHI BỘ THÔN PLEI RING ĐÁP",
    )
    signatures = {code: (doc.sign_on_behalf, doc.signer_position) for code, doc in docs.items()}
    assert signatures == {
        "D": ("T/M BAN THƯỜNG VỤ", "BÍ THƯ"),
        "C": ("T/M ĐẢNG ỦY", "BÍ THƯ"),
        "CELL": ("T/M CHI BỘ", "BÍ THƯ"),
    }
    assert docs["C"].signer_name == "Rahlan Minh"


def test_the_consolidated_report_is_signed_by_the_provinces_body(campaign, tree):
    report = _report(campaign, tree["P"])
    doc = output.build(report)
    assert (doc.superior_body, doc.issuer_name) == ("", "TỈNH ỦY GIA LAI")
    assert doc.signer_name == "Dương Văn Trang"


def test_a_commune_report_is_numbered_with_its_bodys_symbol(client, campaign, tree):
    report = _report(campaign, tree["C"])
    client.force_login(MembershipFactory(unit=tree["C"], role=Role.APPROVER).user)
    client.post(
        reverse("reports:document_info", args=[report.pk]),
        {"number": "3", "issued_on": "2020-03-09", "signer_position": "BÍ THƯ"},
    )
    report.refresh_from_db()
    assert output.build(report).number_symbol == "03-BC/ĐU"


def test_the_reporter_may_issue_from_another_body_of_the_unit(client, campaign, tree):
    office = IssuingBody.objects.create(
        unit=tree["D"],
        kind=IssuingBodyKind.OFFICE,
        name="VĂN PHÒNG",
        phrase="Văn phòng Huyện ủy Chư Sê",
        symbol="VPHU",
        authority="T/L",
        sign_for="BAN THƯỜNG VỤ",
        signer_position="CHÁNH VĂN PHÒNG",
        signer_name="Phạm Minh Tuấn",
    )
    report = _report(campaign, tree["D"])
    client.force_login(MembershipFactory(unit=tree["D"], role=Role.APPROVER).user)
    response = client.post(
        reverse("reports:document_info", args=[report.pk]),
        {
            "issuing_body": office.pk,
            "issued_on": "2020-03-20",
            # The form as shown: the former body's signature, which the new body replaces.
            "sign_on_behalf": report.sign_on_behalf,
            "signer_position": report.signer_position,
            "signer_name": report.signer_name,
        },
    )
    assert response.status_code in (200, 302)
    report.refresh_from_db()
    doc = output.build(report)
    assert (doc.superior_body, doc.issuer_name) == ("HUYỆN ỦY CHƯ SÊ", "VĂN PHÒNG")
    assert (doc.sign_on_behalf, doc.signer_position, doc.signer_name) == (
        "T/L BAN THƯỜNG VỤ",
        "CHÁNH VĂN PHÒNG",
        "Phạm Minh Tuấn",
    )


def test_the_consolidated_annexes_cite_the_reports_body(campaign, tree):
    report = _report(campaign, tree["P"])
    report.issued_on = D(2020, 3, 30)
    doc = consolidated_document(report, rollup.build(plan=campaign[0], unit=tree["P"]))
    assert doc.annexes[0].subtitle.endswith("của Ban Thường vụ Tỉnh ủy Gia Lai)")
