"""Names as one Vietnamese full name, invitations, the first-login password
change, logging in with the e-mail, the users' admin."""

import importlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from notifications import emails
from orgunits.models import Membership, Role
from people.models import Profile
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
migration = importlib.import_module("people.migrations.0002_full_name_in_first_name")


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


def test_the_migration_joins_ho_and_ten_in_vietnamese_order(django_user_model):
    from django.apps import apps

    typed = UserFactory(first_name="Văn Chính", last_name="Hoàng")  # Tên, Họ in the admin
    whole = UserFactory(first_name="Rơ Mah Thị Hạnh", last_name="")
    migration.forwards(apps, None)
    typed.refresh_from_db()
    whole.refresh_from_db()
    assert (typed.first_name, typed.last_name) == ("Hoàng Văn Chính", "")
    assert whole.get_full_name() == "Rơ Mah Thị Hạnh"
    emails.send("invitation", typed.email, {"person": typed, "link": "x", "valid_days": 3})
    assert "Kính gửi đồng chí Hoàng Văn Chính," in mail.outbox[0].body
    assert "Kính gửi đồng chí Hoàng Văn Chính," in mail.outbox[0].alternatives[0].content


def test_it_adds_a_person_and_the_invitation_sets_the_password_and_logs_in(
    client, small_tree, django_capture_on_commit_callbacks
):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    client.force_login(coordinator)
    form = {
        "full_name": "  Hoàng   Văn Chính ",
        "position": "Chuyên viên Ban Tổ chức",
        "email": "Hoang.Chinh@D1.vn",
        "phone": "0912 345 678",
        "unit": small_tree["D1C1"].pk,
        "role": Role.REPORTER,
        "language": "vi",
        "access_mode": "invite",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("people:add"), form, follow=True)
    assert "Đã thêm Hoàng Văn Chính (tên đăng nhập hoang.chinh)" in response.content.decode()
    person = User.objects.get(username="hoang.chinh")
    assert person.first_name == "Hoàng Văn Chính"
    assert person.profile.home_unit == small_tree["D1C1"]
    assert Membership.objects.get(user=person).role == Role.REPORTER
    # The same e-mail in another case is refused, the form shown again with the data.
    response = client.post(reverse("people:add"), {**form, "email": "hoang.chinh@d1.VN"})
    assert "Đã có người dùng với email này" in response.content.decode()
    assert "Chuyên viên Ban Tổ chức" in response.content.decode()

    (message,) = mail.outbox
    assert message.to == ["Hoang.Chinh@D1.vn"]
    assert "Kính gửi đồng chí Hoàng Văn Chính" in message.body
    assert "Người soạn báo cáo, Đảng ủy xã D1C1" in message.body
    client.logout()
    page = client.get(link_in(message), follow=True)
    assert "Chào mừng đến với Tổng kết" in page.content.decode()
    form_url = page.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Đảng ủy xã D1C1" in response.content.decode()
    # Logged in; the link is used up.
    assert client.get(reverse("home")).status_code == 200
    client.logout()
    again = client.get(link_in(message), follow=True)
    assert "không hợp lệ hoặc đã được dùng" in again.content.decode()
    # Username or e-mail, any case.
    assert client.login(username="hoang.chinh", password="Mat-khau-moi-2026")
    client.logout()
    response = client.post(
        reverse("login"), {"username": "HOANG.chinh@d1.vn", "password": "Mat-khau-moi-2026"}
    )
    assert response.status_code == 302


def test_the_invitation_speaks_the_recipients_language(
    client, small_tree, django_capture_on_commit_callbacks
):
    coordinator = MembershipFactory(unit=small_tree["P"], role=Role.COORDINATOR).user
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("people:add"),
            {
                "full_name": "John Smith",
                "email": "john@example.org",
                "unit": small_tree["P"].pk,
                "role": Role.VIEWER,
                "language": "en",
                "access_mode": "invite",
            },
        )
    (message,) = mail.outbox
    assert message.subject == "[Tổng kết] Your account is ready: choose your password"
    assert "Dear John Smith," in message.body


def test_the_login_page_says_e_mail_works(client, db):
    assert "Tên đăng nhập hoặc email" in client.get(reverse("login")).content.decode()


def test_two_accounts_with_one_email_do_not_log_in_by_it(client, db):
    UserFactory(username="a1", email="same@x.vn")
    UserFactory(username="a2", email="SAME@x.vn")
    assert not client.login(username="same@x.vn", password="secret-pass-123")
    assert client.login(username="a1", password="secret-pass-123")


def test_a_temporary_password_must_be_changed_at_first_login(client, small_tree):
    coordinator = MembershipFactory(unit=small_tree["D1"], role=Role.COORDINATOR).user
    client.force_login(coordinator)
    client.post(
        reverse("people:add"),
        {
            "full_name": "Lò Văn Tạm",
            "email": "tam@d1.vn",
            "unit": small_tree["D1C2"].pk,
            "role": Role.APPROVER,
            "language": "vi",
            "access_mode": "temporary",
            "temporary_password": "Tam-thoi-2026",
        },
    )
    assert mail.outbox == []
    client.logout()
    assert client.login(username="tam@d1.vn", password="Tam-thoi-2026")
    for url in (reverse("home"), reverse("people:list"), reverse("reports:inbox")):
        assert client.get(url)["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Tam-thoi-2026",
            "new_password1": "Mat-khau-rieng-2026",
            "new_password2": "Mat-khau-rieng-2026",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not Profile.objects.get(user__email="tam@d1.vn").must_change_password
    client.logout()
    client.login(username="tam@d1.vn", password="Mat-khau-rieng-2026")
    assert client.get(reverse("home")).status_code == 200


def test_without_the_middleware_the_flag_would_not_hold(client, settings, small_tree):
    """The guard's own check: remove the middleware and the person walks in."""
    person = UserFactory(username="tam2")
    Profile.objects.create(user=person, must_change_password=True)
    client.login(username="tam2", password="secret-pass-123")
    assert client.get(reverse("home")).status_code == 302
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "MustChangePassword" not in m]
    unguarded = Client()
    unguarded.login(username="tam2", password="secret-pass-123")
    assert unguarded.get(reverse("home")).status_code == 200


def test_forgot_password_also_reaches_someone_invited(
    client, small_tree, django_capture_on_commit_callbacks
):
    person = UserFactory(username="moi", email="moi@x.vn", first_name="Đinh Văn Mới", last_name="")
    person.set_unusable_password()
    person.save()
    with django_capture_on_commit_callbacks(execute=True):  # the worker sends it
        client.post(reverse("password_reset"), {"email": "MOI@x.vn"})
    (message,) = mail.outbox
    assert "Đinh Văn Mới" in message.body  # the full name, no longer the username


def test_the_admin_shows_one_full_name_field(client, small_tree):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    person = UserFactory(first_name="Hoàng Văn Chính", last_name="")
    client.force_login(admin)
    html = client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()
    assert 'name="first_name"' in html
    assert 'name="last_name"' not in html
    assert "Họ và tên" in html
    assert "Chức vụ" in html  # the profile inline
    # Its home unit is the searched unit picker (parent and code), not a list of units.
    assert "data-unit-picker" in html or "unit-picker" in html
    assert "<option" not in html.split('name="profile-0-home_unit"')[1][:400]


def test_password_resets_to_one_address_are_throttled(
    client, small_tree, django_capture_on_commit_callbacks
):
    """Three reset e-mails an hour to one address; the fourth ask shows the same
    page and sends nothing (the page never tells who has an account)."""
    from people.account_views import RESETS_PER_ADDRESS

    UserFactory(username="nhieu", email="nhieu@x.vn", first_name="Lê Nhiều", last_name="")
    for _ in range(RESETS_PER_ADDRESS + 2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": "Nhieu@x.vn"})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == RESETS_PER_ADDRESS
