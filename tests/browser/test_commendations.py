"""Issue #18's commendation list in the browser: a plan with a table item (the
default columns of a commendation list, a district quota of 2 Bằng khen); two
communes propose rows — one typed and an Excel range pasted, one a Word table
pasted as HTML —; the district accepts them, takes their rows into its own
list (each keeping its commune), cuts one and submits; the province accepts
the district, and its consolidated PDF prints "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
with the remaining rows and their units, never the cut one.
"""

import io
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from campaigns import services
from campaigns.models import AnswerType
from campaigns.tables import Quota, TableSpec
from consolidation import tasks
from orgunits.models import Role
from reports.models import Answer, Report
from tests.browser import axe
from tests.browser.conftest import log_in
from tests.campaigns.seeds import seed000_deadlines, seed000_plan
from tests.factories import MembershipFactory, UserFactory, set_answer_type

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"  # UserFactory's
EXCEL = (
    "STT\tTên tập thể / họ tên cá nhân\tChức vụ / đơn vị\tThành tích chủ yếu\tHình thức đề nghị\n"
    "1\tChi bộ thôn Plei Ơi\tĐảng ủy xã D1C1\tLãnh đạo thôn đạt chuẩn nông thôn mới\tGiấy khen\n"
)
WORD = (
    "<table class=MsoTableGrid><tr><td><p class=MsoNormal>1<o:p></o:p></p></td>"
    "<td><p class=MsoNormal>Ông Rơ Mah Tuấn</p></td>"
    "<td><p class=MsoNormal>Trưởng thôn Đê Klăh</p></td>"
    "<td><p class=MsoNormal>Vận động nhân dân hiến đất làm đường</p></td>"
    "<td><p class=MsoNormal>Bằng khen</p></td></tr>"
    "<tr><td><p class=MsoNormal>2</p></td><td><p class=MsoNormal>Hội Cựu chiến binh xã</p></td>"
    "<td><p class=MsoNormal>Đảng ủy xã D1C2</p></td>"
    "<td><p class=MsoNormal>Giữ vững an ninh</p></td>"
    "<td><p class=MsoNormal>Giấy khen</p></td></tr></table>"
)


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
    plan = seed000_plan(small_tree["P"], number=279)
    plan.participating_levels.set([levels["huyen"], levels["co-so"]])
    seed000_deadlines(plan, levels)
    plan.outline_items.update(required=False)
    spec = TableSpec(quotas=[Quota("huyen", "Bằng khen", 2)])
    item = set_answer_type(plan, "2.3.", AnswerType.TABLE, spec.as_data())
    services.publish(plan=plan, by=people["province"])
    plan.refresh_from_db()
    return plan, item


def as_user(page, live_server, user):
    page.context.clear_cookies()
    log_in(page, live_server, user.username, PASSWORD)


def open_report(page, live_server, report):
    page.goto(f"{live_server.url}/bao-cao/{report.pk}/")
    page.wait_for_load_state("networkidle")


def submit(page):
    page.get_by_test_id("submit-report").click()
    page.wait_for_load_state("networkidle")


def test_communes_propose_the_district_takes_and_cuts_the_province_prints(
    page, live_server, campaign, small_tree, people, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    shots = Path(__file__).parents[2] / "var" / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    queued = []
    monkeypatch.setattr(tasks.build_document, "delay", lambda pk: queued.append(pk))
    page.on("dialog", lambda dialog: dialog.accept())
    plan, item = campaign
    reports = {r.unit.code: r for r in Report.objects.filter(campaign=plan)}
    editor = f'section#item-{item.pk} [data-testid="table-answer"]'

    # Commune 1 types a row (autosaved), then pastes a range copied from Excel.
    as_user(page, live_server, people["commune1"])
    open_report(page, live_server, reports["D1C1"])
    row = page.locator(f"{editor} [data-testid=table-row]").first
    row.get_by_label("Tên tập thể / họ tên cá nhân").fill("Bà Siu H'Lan")
    row.get_by_label("Chức vụ / đơn vị").fill("Bí thư Chi bộ thôn 2")
    row.get_by_label("Thành tích chủ yếu").fill("Hoàn thành xuất sắc nhiệm vụ 5 năm liền")
    row.get_by_label("Hình thức đề nghị").select_option("Bằng khen")
    expect(page.locator(f"#status-{item.pk} [data-state=saved]")).to_be_visible()
    section = page.locator(f"section#item-{item.pk}")
    section.get_by_text("Dán bảng từ Word hoặc Excel").click()
    section.locator("[data-paste]").fill(EXCEL)
    section.get_by_test_id("paste-rows").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"{editor} [data-testid=table-row]")).to_have_count(3)  # 2 + the blank
    page.set_viewport_size({"width": 1280, "height": 900})
    section.screenshot(path=str(shots / "commendation-form-desktop.png"))
    assert axe.blocking(axe.check(page)) == []
    page.set_viewport_size({"width": 390, "height": 844})
    section.screenshot(path=str(shots / "commendation-form-phone.png"))
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone
    page.set_viewport_size({"width": 1280, "height": 900})
    submit(page)

    # Commune 2 pastes a table from Word: the clipboard's HTML is what is read.
    as_user(page, live_server, people["commune2"])
    open_report(page, live_server, reports["D1C2"])
    section = page.locator(f"section#item-{item.pk}")
    section.get_by_text("Dán bảng từ Word hoặc Excel").click()
    box = section.locator("[data-paste]")
    box.evaluate(
        """(box, html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "(Word)");
            box.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true}));
            box.value = "(Word)";
        }""",
        WORD,
    )
    section.get_by_test_id("paste-rows").click()
    page.wait_for_load_state("networkidle")
    names = page.locator(f"{editor} [data-testid=table-row] input[aria-label^='Tên']")
    expect(names.nth(0)).to_have_value("Ông Rơ Mah Tuấn")
    expect(names.nth(1)).to_have_value("Hội Cựu chiến binh xã")
    submit(page)

    # The district accepts both, takes every row into its list, cuts one.
    as_user(page, live_server, people["district"])
    for code in ("D1C1", "D1C2"):
        open_report(page, live_server, reports[code])
        page.get_by_test_id("accept-report").click()
        page.wait_for_load_state("networkidle")
    as_user(page, live_server, people["district_approver"])
    open_report(page, live_server, reports["D1"])
    panel = page.locator(f"section#item-{item.pk}").get_by_test_id("take-panel")
    expect(panel.get_by_test_id("below-row")).to_have_count(4)
    for box in panel.locator("input[type=checkbox]").all():
        box.check()
    panel.get_by_test_id("take-rows").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator(f"{editor} [data-testid=table-row]")
    expect(rows).to_have_count(5)  # 4 taken + the blank
    expect(rows.nth(0).get_by_test_id("row-unit")).to_have_text("Đảng ủy xã D1C1")
    expect(rows.nth(2).get_by_test_id("row-unit")).to_have_text("Đảng ủy xã D1C2")
    quota = page.locator(f"section#item-{item.pk} [data-testid=quota]")
    expect(quota).to_have_attribute("data-remaining", "0")  # 2 Bằng khen of 2
    # Cut "Hội Cựu chiến binh xã" (the 4th row).
    rows.nth(3).locator("[data-remove-row]").click()
    expect(panel.get_by_test_id("cut-note").nth(3)).to_be_visible()  # its proposal says so
    expect(page.locator(f"#status-{item.pk} [data-state=saved]")).to_be_visible()
    listed = Answer.objects.get(report=reports["D1"], item=item).rows
    assert [(r["cells"][0], r["unit"]) for r in listed] == [
        ("Bà Siu H'Lan", "Đảng ủy xã D1C1"),
        ("Chi bộ thôn Plei Ơi", "Đảng ủy xã D1C1"),
        ("Ông Rơ Mah Tuấn", "Đảng ủy xã D1C2"),
    ]
    page.locator(f"section#item-{item.pk}").screenshot(path=str(shots / "commendation-take.png"))
    assert axe.blocking(axe.check(page)) == []
    submit(page)

    # The province accepts the district and builds its consolidated report.
    as_user(page, live_server, people["province"])
    open_report(page, live_server, reports["D1"])
    page.get_by_test_id("accept-report").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/bao-cao/{reports['P'].pk}/tong-hop/")
    page.get_by_test_id("consolidated-builds").get_by_role("button", name="Tạo văn bản").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    tasks.build_document(queued[-1])
    with page.expect_download() as download:
        page.get_by_test_id("build-download").first.click()
    data = Path(download.value.path()).read_bytes()
    (shots / "commendation-consolidated.pdf").write_bytes(data)
    pdf = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    annex = text[text.index("DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG") :]
    for name, unit in (
        ("Bà Siu H'Lan", "Đảng ủy xã D1C1"),
        ("Chi bộ thôn Plei Ơi", "Đảng ủy xã D1C1"),
        ("Ông Rơ Mah Tuấn", "Đảng ủy xã D1C2"),
    ):
        assert name in annex
        assert unit in annex[annex.index(name) :]
    assert "Hội Cựu chiến binh xã" not in annex  # cut by the district
    assert "Tổng cộng" in annex
