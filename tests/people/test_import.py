"""The people import: all or nothing, row errors in Vietnamese, existing
e-mails given the role, units outside the importer's scope refused, XLSX and
CSV, invitations sent once the import commits."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from openpyxl import Workbook

from orgunits.models import Membership, Role
from orgunits.tables import write_csv
from people import imports
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
HEADER = ["Họ và tên", "Chức vụ", "Email", "Mã đơn vị", "Vai trò"]


def xlsx(rows, header=HEADER, title=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_it_imports_a_workbook_with_a_title_row(
    district_coordinator, small_tree, django_capture_on_commit_callbacks
):
    data = xlsx(
        [
            ["Hoàng Văn Chính", "Chuyên viên", "chinh@d1.vn", "D1C1", "Người soạn báo cáo"],
            ["Lò Thị Mai", "", "mai@d1.vn", "D1C2", "approver"],
            ["Lò Thị Mai", "", "MAI@d1.vn", "D1", "Viewer"],  # one person, two roles
        ],
        title="DANH SÁCH CÁN BỘ",
    )
    with django_capture_on_commit_callbacks() as callbacks:
        result = imports.apply(data=data, by=district_coordinator)
    assert result.ok, result.errors
    assert (result.created, result.roles_added) == (2, 3)
    chinh = User.objects.get(email="chinh@d1.vn")
    assert chinh.get_full_name() == "Hoàng Văn Chính"
    assert chinh.last_name == ""
    assert chinh.username == "chinh"
    assert not chinh.has_usable_password()
    assert chinh.profile.position == "Chuyên viên"
    assert chinh.profile.home_unit == small_tree["D1C1"]
    assert set(
        Membership.objects.filter(user__email="mai@d1.vn").values_list("role", flat=True)
    ) == {Role.APPROVER, Role.VIEWER}
    assert mail.outbox == []  # only once committed
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == ["chinh@d1.vn", "mai@d1.vn"]


def test_it_imports_a_csv_with_semicolons_and_gives_an_existing_person_the_role(
    district_coordinator, small_tree
):
    known = UserFactory(first_name="Đinh Văn Hùng", last_name="", email="Hung@D1.vn")
    data = "Họ và tên;Chức vụ;Email;Mã đơn vị;Vai trò\nĐinh V. Hùng;;hung@d1.vn;D1C1;coordinator\n"
    result = imports.apply(data=data.encode("utf-8"), by=district_coordinator)
    assert result.ok, result.errors
    assert result.created == 0
    assert result.roles_added == 1
    assert Membership.objects.get(user=known).role == Role.COORDINATOR
    known.refresh_from_db()
    assert known.get_full_name() == "Đinh Văn Hùng"  # the registered name is kept


def test_all_or_nothing_with_every_error_in_vietnamese(district_coordinator, small_tree):
    rows = [
        ["Nguyễn Văn Một", "", "mot@d1.vn", "D1C1", "reporter"],
        ["", "", "hai@d1.vn", "D1C1", "reporter"],
        ["Trần Văn Ba", "", "khong-phai-email", "D1C1", "reporter"],
        ["Lê Thị Bốn", "", "bon@d1.vn", "D2C1", "reporter"],  # another district
        ["Phạm Văn Năm", "", "nam@d1.vn", "P", "viewer"],  # the province above
        ["Võ Văn Sáu", "", "sau@d1.vn", "D1C1", "thư ký"],
        ["Khác Tên", "", "MOT@d1.vn", "D1C2", "reporter"],
    ]
    before = User.objects.count()
    result = imports.apply(data=write_csv(HEADER, rows), by=district_coordinator)
    assert not result.ok
    messages = [str(e) for e in result.errors]
    assert messages[0].startswith("Dòng 3: chưa có họ và tên")
    assert "Dòng 4: “khong-phai-email”" in messages[1]
    assert "Dòng 5: không có đơn vị nào mang mã “D2C1” trong phạm vi" in messages[2]
    assert "Dòng 6: không có đơn vị nào mang mã “P”" in messages[3]
    assert messages[4].startswith("Dòng 7: vai trò “thư ký” không hợp lệ; các vai trò hợp lệ:")
    for label in ("Điều phối", "Người soạn báo cáo", "Người duyệt", "Lãnh đạo (xem)", "reporter"):
        assert label in messages[4]
    assert "Dòng 8: email “MOT@d1.vn” đã có ở dòng 2 với họ tên khác" in messages[5]
    assert User.objects.count() == before
    assert not Membership.objects.filter(user__email="mot@d1.vn")


def test_a_missing_column_is_named(district_coordinator):
    result = imports.check(
        data=write_csv(["Họ và tên", "Email"], [["A", "a@b.vn"]]), by=district_coordinator
    )
    assert [str(e) for e in result.errors] == ["Dòng 1: thiếu cột: Mã đơn vị."]


def test_the_pages_preview_then_confirm(
    client, district_coordinator, small_tree, django_capture_on_commit_callbacks
):
    client.force_login(district_coordinator)
    data = xlsx([["Hoàng Văn Chính", "", "chinh@d1.vn", "D1C1", "Người soạn báo cáo"]])
    upload = io.BytesIO(data)
    upload.name = "can-bo.xlsx"
    response = client.post(reverse("people:import"), {"file": upload})
    html = response.content.decode()
    assert "Kiểm tra can-bo.xlsx trước khi lưu" in html
    assert "mới: thêm và gửi thư mời" in html
    assert not User.objects.filter(email="chinh@d1.vn").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:import"), {"confirm": "1"}, follow=True)
    assert (
        "Đã nhập xong: thêm và gửi thư mời cho 1 người, giao 1 vai trò" in response.content.decode()
    )
    assert User.objects.filter(email="chinh@d1.vn").exists()
    assert [m.to for m in mail.outbox] == [["chinh@d1.vn"]]
    # Confirming twice does nothing more: the checked file is gone.
    client.post(reverse("people:import"), {"confirm": "1"})
    assert User.objects.filter(email="chinh@d1.vn").count() == 1


def test_the_template_reads_back(client, district_coordinator):
    client.force_login(district_coordinator)
    for fmt in ("xlsx", "csv"):
        response = client.get(reverse("people:import_template"), {"format": fmt})
        data = b"".join(response.streaming_content)
        result = imports.check(data=data, by=district_coordinator)
        # The example row has no unit code: the only error is that one.
        assert [e.message for e in result.errors] == ["mã đơn vị để trống."]


def test_a_formula_in_a_csv_is_read_as_text(district_coordinator, small_tree):
    rows = [['=HYPERLINK("x")', "", "f@d1.vn", "D1C1", ""]]
    result = imports.apply(data=write_csv(HEADER, rows), by=district_coordinator)
    assert result.ok
    assert User.objects.get(email="f@d1.vn").get_full_name() == '=HYPERLINK("x")'


def test_an_import_by_a_non_coordinator_is_refused(client, small_tree):
    reporter = MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user
    client.force_login(reporter)
    assert client.post(reverse("people:import"), {"confirm": "1"}).status_code == 404
