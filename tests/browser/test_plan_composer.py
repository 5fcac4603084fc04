"""A coordinator composes seed 000's plan in the browser, publishes it, downloads
the PDF; the district then cascades its implementing plan."""

import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from orgunits import demo
from orgunits.models import Level
from tests.browser.conftest import fill_date, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DATA = Path(__file__).resolve().parent.parent / "campaigns" / "data"
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts"))
SUMMARY = (
    "sơ kết 03 năm triển khai thực hiện Quyết định số 553-QĐ/TU, ngày 14 tháng 3 năm 2017 "
    "của Ban Thường vụ Tỉnh ủy về Quy chế tiếp xúc, đối thoại trực tiếp của người đứng đầu "
    "cấp ủy, chính quyền các cấp với nhân dân trên địa bàn tỉnh"
)


def save_and_continue(page):
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_load_state("networkidle")


def test_a_coordinator_composes_publishes_and_a_district_cascades(page, live_server, demo_province):
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(f"{live_server.url}/ke-hoach/moi/")
    page.fill("#id_number", "279")
    fill_date(page, "#id_issued_on", "2020-02-25")
    page.fill("#id_period_start", "2017")
    page.fill("#id_period_end", "2020")
    page.fill("#id_summary", SUMMARY)
    page.fill(
        "#id_introduction",
        "Thực hiện Chương trình làm việc năm 2020, Ban Thường vụ "
        "Tỉnh ủy xây dựng Kế hoạch sơ kết, cụ thể như sau:",
    )
    page.get_by_role("button", name="Tạo dự thảo").click()
    page.wait_for_load_state("networkidle")

    # Step 2: the document under review.
    page.fill("#id_subjects-0-number_symbol", "553-QĐ/TU")
    fill_date(page, "#id_subjects-0-issued_on", "2017-03-14")
    page.fill("#id_subjects-0-issuer", "Ban Thường vụ Tỉnh ủy")
    page.fill("#id_subjects-0-title", "về Quy chế tiếp xúc, đối thoại trực tiếp")
    page.fill("#id_subjects-0-short_form", "Quyết định 553-QĐ/TU")
    save_and_continue(page)

    # Step 3: the skeleton's parts, their texts in the rich-text editor: I, then IV.
    parts = page.locator("[data-part]")
    parts.nth(0).locator(".ql-editor").click()
    page.keyboard.type("1. Đánh giá những kết quả đạt được.")
    parts.filter(has=page.locator("input[value='TỔ CHỨC THỰC HIỆN']")).locator(".ql-editor").click()
    page.keyboard.type("1. Các huyện ủy, thị ủy, thành ủy tiến hành sơ kết.")
    page.fill("#id_lead_commission", "Ban Dân vận Tỉnh ủy")
    save_and_continue(page)

    # Step 4: paste the outline as text.
    page.get_by_role("link", name="Dán đề cương dạng văn bản").click()
    page.fill("textarea[name=text]", (DATA / "seed000_outline.txt").read_text(encoding="utf-8"))
    page.get_by_role("button", name="Nhập đề cương").click()
    expect(page.locator("#outline-editor")).to_contain_text("2.2.")
    expect(page.locator("#outline-editor")).to_contain_text("Kiến nghị, đề xuất")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state("networkidle")

    # Step 5: two levels below the province take part (the province dates its
    # own report); a wrong deadline first, then seed 000's tiers.
    levels = {level.code: level.pk for level in Level.objects.all()}
    expect(page.locator("#div_id_participating_levels")).not_to_contain_text("Cấp tỉnh")
    for label in ("Cấp huyện", "Cấp cơ sở"):
        page.locator("#div_id_participating_levels").get_by_label(label, exact=True).check()
    fill_date(page, f"#id_level_{levels['co-so']}", "2020-03-30")
    fill_date(page, f"#id_level_{levels['huyen']}", "2020-03-24")
    fill_date(page, f"#id_level_{levels['tinh']}", "2020-03-31")
    save_and_continue(page)
    expect(page.get_by_test_id("deadline-errors")).to_contain_text("phải báo cáo trước")
    fill_date(page, f"#id_level_{levels['co-so']}", "2020-03-12")
    save_and_continue(page)

    # Step 6: recipients and signer.
    page.fill("#id_recipients", "Các huyện ủy, thị ủy, thành ủy,\nLưu Văn phòng Tỉnh ủy.")
    page.fill("#id_signer_name", "Dương Văn Trang")
    save_and_continue(page)

    # Step 7: publish.
    preview = page.frame_locator('[data-testid="document-preview"]').locator("body")
    expect(preview).to_contain_text("Số 279-KH/TU")
    page.get_by_test_id("publish").click()
    # Seed 000's deadlines (2020) are past: the step asks; a running campaign.
    page.get_by_test_id("publish-live").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("Đã ban hành kế hoạch")
    plan_url = page.url

    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    pdf = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    flat = " ".join(text.split())
    for fragment in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 279-KH/TU",
        "KẾ HOẠCH",
        "Gia Lai, ngày 25 tháng 02 năm 2020",
        "Dương Văn Trang",
    ):
        assert fragment in flat, fragment
    items = [
        "1. Đánh giá công tác lãnh đạo",
        "2.2. Đánh giá kết quả các cuộc tiếp xúc",
        "3.2. Đánh giá trách nhiệm",
        "6. Kiến nghị, đề xuất",
        "- Cấp cơ sở: Hoàn thành trước ngày 12 tháng 3 năm 2020.",
    ]
    positions = [flat.find(item) for item in items]
    assert -1 not in positions, list(zip(items, positions, strict=True))
    assert positions == sorted(positions)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "plan-279.pdf").write_bytes(Path(download.value.path()).read_bytes())

    # The district coordinator cascades the plan to its communes.
    page.context.clear_cookies()
    log_in(page, live_server, "huyen.dieuphoi", demo.PASSWORD)
    page.goto(plan_url)
    page.get_by_test_id("cascade").click()
    page.wait_for_load_state("networkidle")
    fill_date(page, "#id_issued_on", "2020-03-02")
    save_and_continue(page)
    page.goto(re.sub(r"/soan/.*", "/soan/deadlines/", page.url))
    fill_date(page, f"#id_level_{levels['co-so']}", "2020-03-09")
    fill_date(page, f"#id_level_{levels['chi-bo']}", "2020-03-06")
    save_and_continue(page)
    page.fill("#id_signer_name", "Nguyễn Văn Hùng")
    save_and_continue(page)
    preview = page.frame_locator('[data-testid="document-preview"]').locator("body")
    expect(preview).to_contain_text("Thực hiện Kế hoạch số 279-KH/TU")
    page.get_by_test_id("publish").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("01-KH/HU")

    # The province sees which districts have issued theirs.
    page.context.clear_cookies()
    log_in(page, live_server, "tinh.dieuphoi", demo.PASSWORD)
    page.goto(plan_url)
    expect(page.get_by_test_id("children-status")).to_contain_text("Huyện ủy Chư Sê: 01-KH/HU")
    page.screenshot(path=str(ARTIFACTS / "plan-detail.png"), full_page=True)
