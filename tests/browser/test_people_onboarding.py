"""A province coordinator onboards 30 people from a workbook; one of them
opens the invitation, chooses a password and finds their report. The same
onboarding through the Django admin (three forms a person) is timed too:
the figures go to test-artifacts/onboarding.json."""

import io
import json
import os
import re
import time

import pytest
from django.core import mail
from openpyxl import Workbook
from playwright.sync_api import expect

from orgunits.models import Membership, Role
from tests.browser import axe
from tests.browser.conftest import log_in
from tests.factories import MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = os.environ.get("TEST_ARTIFACTS", "test-artifacts")
PASSWORD = "secret-pass-123"
UNITS = ["D1", "D2", "D1C1", "D1C2", "D2C1", "D2C2"]
ROLES = ["Người soạn báo cáo", "approver", "Lãnh đạo (xem)"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Rơ Mah", "Ksor", "Siu", "Đinh", "Y", "Hoàng"]


def _workbook(count: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ ĐƯỢC CẤP TÀI KHOẢN"])
    sheet.append(["Họ và tên", "Chức vụ", "Email", "Mã đơn vị", "Vai trò"])
    sheet.append(["Hoàng Văn Chính", "Chuyên viên", "hoang.chinh@d1c1.vn", "D1C1", "reporter"])
    for n in range(1, count):
        sheet.append(
            [
                f"{SURNAMES[n % 10]} Thị Cán Bộ {n}",
                "Chuyên viên",
                f"canbo{n}@gialai.vn",
                UNITS[n % len(UNITS)],
                ROLES[n % len(ROLES)],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _no_blocking_violation(page, where: str) -> None:
    blocking = axe.blocking(axe.check(page))
    assert blocking == [], f"{where}: {blocking}"


def _save(name: str, figures: dict) -> None:
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, "onboarding.json")
    known = json.load(open(path)) if os.path.exists(path) else {}
    known[name] = figures
    with open(path, "w") as out:
        json.dump(known, out, indent=2, ensure_ascii=False)


def test_a_coordinator_imports_30_people_and_one_of_them_finds_their_report(
    page, browser, live_server, published_plan, small_tree, tmp_path
):
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    upload = tmp_path / "can-bo.xlsx"
    upload.write_bytes(_workbook(30))
    log_in(page, live_server, coordinator.username, PASSWORD)
    mail.outbox.clear()

    started = time.monotonic()
    page.get_by_test_id("people-link").click()  # 1
    page.get_by_test_id("people-import-link").click()  # 2
    page.set_input_files("#id_file", str(upload))  # 3
    page.get_by_role("button", name="Kiểm tra tệp").click()  # 4
    expect(page.get_by_test_id("preview-row")).to_have_count(30)
    expect(page.get_by_test_id("import-preview")).to_contain_text(
        "30 người mới sẽ được thêm và nhận thư mời"
    )
    _no_blocking_violation(page, "import preview")
    page.get_by_test_id("import-confirm").click()  # 5
    expect(page.locator("body")).to_contain_text("thêm và gửi thư mời cho 30 người")
    elapsed = time.monotonic() - started
    _save("import", {"people": 30, "seconds": round(elapsed, 1), "clicks": 5})

    assert Membership.objects.filter(user__email__endswith="@gialai.vn").count() == 29
    _no_blocking_violation(page, "people list")
    page.fill("input[name=q]", "hoang van chinh")
    page.get_by_role("button", name="Tìm").click()
    expect(page.get_by_test_id("person-row")).to_have_count(1)
    expect(page.get_by_test_id("person-row")).to_contain_text(
        "Người soạn báo cáo · Đảng ủy xã D1C1"
    )

    # The invitation of Hoàng Văn Chính, sent once the import committed.
    assert len(mail.outbox) == 30
    (message,) = [m for m in mail.outbox if m.to == ["hoang.chinh@d1c1.vn"]]
    assert "Kính gửi đồng chí Hoàng Văn Chính" in message.body
    path = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    phone = context.new_page()
    phone.goto(f"{live_server.url}{path}")
    expect(phone.locator("h1")).to_contain_text("mời đặt mật khẩu")
    phone.fill("#id_new_password1", "Mat-khau-cua-Chinh-2026")
    phone.fill("#id_new_password2", "Mat-khau-cua-Chinh-2026")
    phone.get_by_role("button", name="Lưu mật khẩu và đăng nhập").click()
    expect(phone.get_by_test_id("user-menu")).to_contain_text("Hoàng Văn Chính")
    expect(phone.get_by_test_id("home-tasks")).to_contain_text("Báo cáo cần viết")
    phone.get_by_test_id("home-tasks").get_by_role("link").first.click()
    rows = phone.get_by_test_id("inbox-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Đảng ủy xã D1C1")
    expect(rows).to_contain_text(published_plan.number_symbol)
    context.close()


def test_measure_one_person_through_the_django_admin(page, live_server, small_tree):
    """The old way: add the user, fill in the name and e-mail, add the membership."""
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("quantri", "qt@x.vn", PASSWORD)
    log_in(page, live_server, admin.username, PASSWORD)
    clicks = 0
    started = time.monotonic()
    # Form 1: the new user.
    page.goto(f"{live_server.url}/admin/auth/user/add/")
    clicks += 1
    page.fill("#id_username", "hoang.chinh")
    page.fill("#id_first_name", "Hoàng Văn Chính")
    page.fill("#id_email", "hoang.chinh@d1c1.vn")
    if page.locator("#id_usable_password_0").count():
        page.check("#id_usable_password_0")
        clicks += 1
    page.fill("#id_password1", "Tam-thoi-2026-xyz")
    page.fill("#id_password2", "Tam-thoi-2026-xyz")
    page.click("input[name=_save]")
    clicks += 1
    # Form 2: the user's change page (profile: position).
    page.fill("#id_profile-0-position", "Chuyên viên")
    page.click("input[name=_save]")
    clicks += 1
    # Form 3: the membership.
    page.goto(f"{live_server.url}/admin/orgunits/membership/add/")
    clicks += 1
    user_pk = get_user_model().objects.get(username="hoang.chinh").pk
    unit_code = small_tree["D1C1"].code
    # A person types and picks twice (the user's autocomplete, the unit picker);
    # the fields are set as the picks would set them.
    page.evaluate(
        """([user, unit]) => {
          const select = document.getElementById('id_user');
          select.add(new Option(String(user), String(user), true, true));
          document.getElementById('id_unit').value = unit;
        }""",
        [user_pk, unit_code],
    )
    clicks += 4  # open the user picker, pick; open the unit picker, pick
    page.select_option("#id_role", "reporter")
    clicks += 1
    page.click("input[name=_save]")
    clicks += 1
    expect(page.locator(".messagelist")).to_be_visible()
    elapsed = time.monotonic() - started
    assert Membership.objects.filter(user__pk=user_pk, unit=small_tree["D1C1"]).exists()
    _save(
        "admin",
        {
            "people": 1,
            "seconds": round(elapsed, 1),
            "clicks": clicks,
            "seconds_for_30": round(elapsed * 30, 1),
            "clicks_for_30": clicks * 30,
            "note": "scripted: no typing time; a person also types 5 fields and searches twice",
        },
    )
