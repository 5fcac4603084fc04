import html
import io
import re

import pytest
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from campaigns import documents, services
from campaigns.models import OutlinePlacement, Plan, PlanStatus
from documents.html import render_html
from orgunits.bodies import default_body
from orgunits.models import Role
from tests.campaigns.parts import content_data
from tests.factories import SEED000_DEADLINES, MembershipFactory, PlanFactory, UserFactory, add_unit

pytestmark = pytest.mark.django_db

STEPS = ["general", "subjects", "content", "outline", "deadlines", "signature", "preview"]


@pytest.fixture
def plan(small_tree):
    """Seed 000 with its deadlines, still a draft."""
    return PlanFactory(issuing_unit=small_tree["P"], seed000=True, deadlines=SEED000_DEADLINES)


def member(unit, role):
    return MembershipFactory(unit=unit, role=role).user


def test_a_coordinator_opens_every_step_of_the_composer(client, plan, coordinator):
    client.force_login(coordinator)
    for step in STEPS:
        response = client.get(reverse("campaigns:compose", args=[plan.pk, step]))
        assert response.status_code == 200, step


def test_a_draft_is_invisible_below_and_a_published_plan_is_readable(
    client, plan, small_tree, coordinator
):
    reporter = member(small_tree["D1C1"], Role.REPORTER)
    client.force_login(reporter)
    detail = reverse("campaigns:detail", args=[plan.pk])
    assert client.get(detail).status_code == 404
    assert client.get(reverse("campaigns:pdf", args=[plan.pk])).status_code == 404

    services.publish(plan=plan, by=coordinator)
    assert client.get(detail).status_code == 200
    assert client.get(reverse("campaigns:compose", args=[plan.pk, "general"])).status_code == 403
    assert client.post(reverse("campaigns:publish", args=[plan.pk])).status_code == 403
    assert client.post(reverse("campaigns:close", args=[plan.pk])).status_code == 403


def test_another_districts_plan_is_a_404(client, small_tree, plan, coordinator):
    services.publish(plan=plan, by=coordinator)
    plan.refresh_from_db()
    d1 = member(small_tree["D1"], Role.COORDINATOR)
    child = services.cascade(parent=plan, unit=small_tree["D1"], by=d1)
    client.force_login(member(small_tree["D2"], Role.COORDINATOR))
    for name in ("campaigns:detail", "campaigns:pdf", "campaigns:docx", "campaigns:print"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 404
    assert client.get(reverse("campaigns:compose", args=[child.pk, "outline"])).status_code == 404


def test_only_the_district_coordinator_is_offered_the_cascade(
    client, plan, small_tree, coordinator
):
    services.publish(plan=plan, by=coordinator)
    client.force_login(coordinator)
    assert 'data-testid="cascade"' not in client.get(plan.get_absolute_url()).content.decode()
    client.force_login(member(small_tree["D1"], Role.COORDINATOR))
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "Xây dựng kế hoạch thực hiện của Huyện ủy D1" in html


def test_it_refuses_a_number_already_in_the_register(client, plan, coordinator, small_tree):
    client.force_login(coordinator)
    response = client.post(
        reverse("campaigns:create"),
        {
            "issuing_body": default_body(small_tree["P"]).pk,
            "number": "279",
            "place_name": "Gia Lai",
            "issued_on": "2020-05-01",
            "kind": "interim",
            "period_start": "2017",
            "period_end": "2020",
            "summary": "sơ kết khác",
        },
    )
    assert response.status_code == 200
    assert "Số 279 đã được dùng" in response.content.decode()
    assert Plan.objects.count() == 1


def test_it_strips_scripts_from_rich_text(client, plan, coordinator):
    client.force_login(coordinator)
    client.post(
        reverse("campaigns:compose", args=[plan.pk, "content"]),
        content_data(
            plan,
            changes={
                0: {
                    "body": "<div>1. Mục đích<script>alert(1)</script>"
                    '<img src=x onerror="alert(2)"></div>'
                },
                5: {"body": "<div onclick='x()'>Tổ chức</div>"},
            },
        ),
    )
    purpose, implementation = (plan.sections.get(position=i).body for i in (0, 5))
    assert "script" not in purpose
    assert "onerror" not in purpose
    assert "onclick" not in implementation
    assert "1. Mục đích" in purpose
    html = client.get(reverse("campaigns:print", args=[plan.pk])).content.decode()
    assert "<script" not in html.lower()


def test_publishing_with_problems_explains_them_and_keeps_the_draft(client, plan, coordinator):
    plan.signer_name = ""
    plan.save()
    client.force_login(coordinator)
    response = client.post(reverse("campaigns:publish", args=[plan.pk]), follow=True)
    assert "Hãy nhập họ tên người ký" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_plan_downloads_as_pdf_and_docx(client, plan, coordinator):
    client.force_login(coordinator)
    pdf = client.get(reverse("campaigns:pdf", args=[plan.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.getvalue()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Số 279-KH/TU" in text
    # Numbered paragraphs flow: page 1 is not left half empty.
    first_page = reader.pages[0].extract_text()
    assert "II- NỘI DUNG SƠ KẾT" in first_page
    assert text.index("1.1. Công tác lãnh đạo") < text.index("6. Kiến nghị, đề xuất")
    docx = client.get(reverse("campaigns:docx", args=[plan.pk]))
    document = Document(io.BytesIO(docx.getvalue()))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "KẾ HOẠCH" in body
    assert "2.2. Đánh giá kết quả các cuộc tiếp xúc" in body


def test_an_annexed_outline_starts_its_own_page(client, plan, coordinator):
    plan.outline_placement = OutlinePlacement.ANNEX
    plan.save()
    client.force_login(coordinator)
    pdf = PdfReader(io.BytesIO(client.get(reverse("campaigns:pdf", args=[plan.pk])).getvalue()))
    annex_pages = [i for i, p in enumerate(pdf.pages) if "ĐỀ CƯƠNG" in p.extract_text()]
    assert annex_pages
    first = " ".join(pdf.pages[annex_pages[0]].extract_text().split())
    assert "(kèm theo Kế hoạch số 279-KH/TU, ngày 25/02/2020" in first


def test_list_and_detail_pages_run_a_constant_number_of_queries(
    client,
    plan,
    small_tree,
    levels,
    coordinator,
    django_assert_max_num_queries,
    django_assert_num_queries,
):
    services.publish(plan=plan, by=coordinator)
    client.force_login(coordinator)
    before = {}
    for url, budget in ((reverse("campaigns:list"), 16), (plan.get_absolute_url(), 36)):
        with django_assert_max_num_queries(budget, info=url) as captured:
            assert client.get(url).status_code == 200
        before[url] = len(captured)
    for i in range(15):
        district = add_unit(small_tree["P"], f"DX{i}", levels["huyen"])
        add_unit(district, f"DX{i}C", levels["co-so"])
        PlanFactory(issuing_unit=small_tree["P"], seed000=True, number=400 + i, levels=["tinh"])
    for url, count in before.items():
        with django_assert_num_queries(count, info=url):
            assert client.get(url).status_code == 200


def test_the_preview_shows_the_print_renderers_html(client, plan, coordinator):
    plan.summary = "sơ kết <script>alert(1)</script> Quyết định 553-QĐ/TU"
    plan.save()
    client.force_login(coordinator)
    page = client.get(reverse("campaigns:compose", args=[plan.pk, "preview"])).content.decode()

    frame = re.search(r'<iframe class="doc-preview" srcdoc="([^"]*)"', page)
    assert frame is not None
    shown = html.unescape(frame.group(1))
    assert shown == render_html(documents.build(plan), for_browser=True)
    assert '<main class="doc-body">' in shown
    assert "<script>alert" not in page  # escaped in the document, then in the frame
    assert "&lt;script&gt;alert" in shown


def test_the_participants_step_names_the_units_nobody_could_hear_from(
    client, plan, coordinator, small_tree, monkeypatch
):
    member(small_tree["D1"], Role.COORDINATOR)
    member(small_tree["D1C1"], Role.REPORTER)
    MembershipFactory(
        unit=small_tree["D2"], role=Role.COORDINATOR, user=UserFactory(is_active=False)
    )
    client.force_login(coordinator)
    url = reverse("campaigns:compose", args=[plan.pk, "deadlines"])
    warning = client.get(url).content.decode().split('data-testid="participants-without-member"')
    assert len(warning) == 2
    text = " ".join(warning[1].split("</div>")[0].split())
    assert "4 đơn vị tham gia chưa có người dùng đang hoạt động" in text
    assert "Đảng ủy xã D1C2, Huyện ủy D2, Đảng ủy xã D2C1, Đảng ủy xã D2C2." in text
    monkeypatch.setattr("campaigns.views.WITHOUT_MEMBER_NAMED", 2)
    assert "Đảng ủy xã D1C2, Huyện ủy D2 và 2 đơn vị khác." in client.get(url).content.decode()

    for code in ("D1C2", "D2", "D2C1", "D2C2"):
        member(small_tree[code], Role.APPROVER)
    assert 'data-testid="participants-without-member"' not in client.get(url).content.decode()
