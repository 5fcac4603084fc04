"""Issue #12's scenario in the browser: a three-level campaign counts every unit
once, and a parent's amendment after a cascade leaves the district in charge.

Province plan (integer item 1.3.) → the district cascades with an earlier
grassroots deadline → communes answer 3 and 2 and submit → the district
accepts both, fills its figures (5) and submits → the province accepts. The
province sees 5 from one unit (the district), in the workspace, the overview
and PHỤ LỤC 1 of its consolidated PDF. Then the province adds an item and
publishes a revision: the district keeps its communes, its deadline and its
board, adopts the change and publishes its own revision; the new item is in
a commune's form, and the commune's next submission goes to the district.
"""

import datetime
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from campaigns import outline, services
from campaigns.models import AnswerType
from consolidation import tasks
from orgunits.models import Role
from reports import services as report_services
from reports.models import Report, ReportStatus
from tests.browser.conftest import log_in
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory, UserFactory, set_answer_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's
D = datetime.date
NEW_ITEM = "Số đảng viên tham gia đối thoại"


def person(username, unit, role):
    user = UserFactory(username=username)
    MembershipFactory(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(small_tree):
    return {
        "province": person("tinh", small_tree["P"], Role.COORDINATOR),
        "district": person("huyen", small_tree["D1"], Role.COORDINATOR),
        "district_approver": person("huyen.duyet", small_tree["D1"], Role.APPROVER),
        "commune1": person("xa1", small_tree["D1C1"], Role.APPROVER),
        "commune2": person("xa2", small_tree["D1C2"], Role.APPROVER),
    }


@pytest.fixture
def campaign(small_tree, levels, people):
    """The province's plan and the district's implementing plan, both published."""
    province = seed000_plan(small_tree["P"], number=279)
    province.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(province, levels)
    province.outline_items.update(required=False)
    set_answer_type(province, "1.3.", AnswerType.INTEGER)
    services.publish(plan=province, by=people["province"])
    province.refresh_from_db()
    district = services.cascade(parent=province, unit=small_tree["D1"], by=people["district"])
    district.issued_on = D(2020, 3, 2)
    district.signer_name = "Nguyễn Văn A"
    district.save()
    district.participating_levels.set([levels["co-so"]])
    services.set_deadlines(
        plan=district, deadlines=[services.DeadlineCheck(levels["co-so"], D(2020, 3, 8))]
    )
    services.publish(plan=district, by=people["district"])
    district.refresh_from_db()
    return province, district


def as_user(page, live_server, user):
    page.context.clear_cookies()
    log_in(page, live_server, user.username, PASSWORD)


def open_report(page, live_server, report):
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    page.wait_for_load_state("networkidle")


def answer(report, item, number, by):
    report_services.save_answer(
        report=report, item=item, values={"number": number}, base_version=0, by=by
    )


def test_three_levels_count_each_unit_once_and_an_amendment_keeps_the_cascade(
    page, live_server, campaign, small_tree, people, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    queued = []
    monkeypatch.setattr(tasks.build_document, "delay", lambda pk: queued.append(pk))
    page.on("dialog", lambda dialog: dialog.accept())
    province, district = campaign
    reports = {r.unit.code: r for r in Report.objects.filter(campaign=province)}
    for code in ("D1C1", "D1C2"):
        assert reports[code].plan == district
    district_item = district.outline_items.get(numbering="1.3.")
    province_item = province.outline_items.get(numbering="1.3.")

    # The communes answer 3 and 2 and submit.
    for code, figure, who in (("D1C1", 3, "commune1"), ("D1C2", 2, "commune2")):
        answer(reports[code], district_item, figure, people[who])
        as_user(page, live_server, people[who])
        open_report(page, live_server, reports[code])
        page.get_by_test_id("submit-report").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(".alert").first).to_contain_text("Đã nộp báo cáo về Huyện ủy D1")

    # The district accepts both, fills its figures from them, and submits.
    as_user(page, live_server, people["district"])
    for code in ("D1C1", "D1C2"):
        open_report(page, live_server, reports[code])
        page.get_by_test_id("accept-report").click()
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/bao-cao/{reports['D1'].pk}/tong-hop/")
    page.get_by_test_id("fill-figures").click()
    page.wait_for_load_state("networkidle")
    own = reports["D1"].answers.get(item=province_item)
    assert own.number == 5
    as_user(page, live_server, people["district_approver"])
    open_report(page, live_server, reports["D1"])
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")

    # The province accepts the district: 5 from 1 unit, in every view.
    as_user(page, live_server, people["province"])
    open_report(page, live_server, reports["D1"])
    page.get_by_test_id("accept-report").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/bao-cao/{reports['P'].pk}/tong-hop/")
    page.wait_for_load_state("networkidle")
    figure = page.locator(f'[data-testid="ws-item"][data-item="{province_item.pk}"]')
    expect(figure.get_by_test_id("rollup-total")).to_have_attribute("data-value", "5")
    expect(figure.get_by_test_id("rollup-answered")).to_have_text("1")
    expect(figure.get_by_test_id("difference")).to_have_count(0)
    page.goto(f"{live_server.url}/bao-cao/{reports['P'].pk}/tong-hop/?basis=leaves")
    expect(figure.get_by_test_id("leaves-total").first).to_have_attribute("data-value", "5")

    page.goto(f"{live_server.url}/ke-hoach/{province.pk}/tong-quan/")
    expect(
        page.locator(f'[data-testid="key-figure"][data-item="{province_item.pk}"]')
    ).to_have_attribute("data-total", "5")

    page.goto(f"{live_server.url}/bao-cao/{reports['P'].pk}/tong-hop/")
    page.get_by_test_id("consolidated-builds").get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    tasks.build_document(queued[-1])
    with page.expect_download() as download:
        page.get_by_test_id("build-download").first.click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    annex = text[text.index("PHỤ LỤC 1") : text.index("PHỤ LỤC 2")]
    assert "Huyện ủy D1" in annex
    assert "Đảng ủy xã D1C1" not in annex
    assert "Đảng ủy xã D1C2" not in annex
    assert annex.count("Huyện ủy D1") == 1

    # The province adds an item and publishes a revision.
    outline.add_item(
        plan=province,
        after=province_item,
        numbering="1.4.",
        title=NEW_ITEM,
        answer_type=AnswerType.INTEGER,
    )
    services.publish_revision(plan=province, by=people["province"], note="Bổ sung mục 1.4.")
    for code in ("D1C1", "D1C2"):
        report = Report.objects.get(pk=reports[code].pk)
        assert (report.plan_id, report.due_on) == (district.pk, D(2020, 3, 8))
    assert [d.due_on for d in district.deadlines.all()] == [D(2020, 3, 8)]

    # The district keeps its board, sees the change, adopts it and publishes.
    as_user(page, live_server, people["district"])
    page.goto(f"{live_server.url}/ke-hoach/{district.pk}/tien-do/")
    page.wait_for_load_state("networkidle")
    for name in ("Đảng ủy xã D1C1", "Đảng ủy xã D1C2"):
        expect(page.locator("main")).to_contain_text(name)
    page.goto(f"{live_server.url}/ke-hoach/{district.pk}/")
    notice = page.get_by_test_id("upstream-change")
    expect(notice).to_contain_text(NEW_ITEM)
    page.screenshot(path=str(tmp_path / "district-plan.png"), full_page=True)
    notice.get_by_test_id("adopt").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_test_id("upstream-change")).to_have_count(0)
    services.publish_revision(plan=district, by=people["district"])
    adopted = district.outline_items.get(title=NEW_ITEM)

    # The new item reaches a commune's form; its next submission goes to the district.
    report_services.reopen(report=reports["D1C1"], by=people["district"])
    report = Report.objects.get(pk=reports["D1C1"].pk)
    assert report.status != ReportStatus.ACCEPTED
    answer(report, adopted, 12, people["commune1"])
    as_user(page, live_server, people["commune1"])
    open_report(page, live_server, report)
    expect(page.locator("main")).to_contain_text(NEW_ITEM)
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".alert").first).to_contain_text("Đã nộp báo cáo về Huyện ủy D1")
