"""Login throttling (django-axes, config/auth.py; issue #16, item 5): five
failures per user name or per address, then 15 minutes locked, with a
Vietnamese message on the login page; the admin unlocks."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"  # tests/factories.py
LOCKED = "Đăng nhập sai quá nhiều lần: tài khoản hoặc máy tính này bị tạm khóa 15 phút."


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def user():
    return UserFactory(username="xa.baocao")


def test_the_sixth_attempt_is_refused_with_the_message_even_with_the_right_password(client, user):
    for _attempt in range(4):
        response = log_in(client, "xa.baocao", "wrong")
        assert response.status_code == 200
        assert "mật khẩu chính xác" in response.content.decode()
    fifth = log_in(client, "xa.baocao", "wrong")  # the fifth failure locks, and says so
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode()
    response = log_in(client, "xa.baocao", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED in page
    assert 'data-testid="locked-out"' in page
    assert 'value="xa.baocao"' in page  # the name typed stays in the form
    assert "_auth_user_id" not in client.session


def test_the_right_password_after_the_cool_off_logs_in(client, user):
    for _attempt in range(5):
        log_in(client, "xa.baocao", "wrong")
    assert log_in(client, "xa.baocao", PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
    )
    response = log_in(client, "xa.baocao", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert not AccessAttempt.objects.exists()  # a success starts the count again


def test_four_failures_then_the_right_password_log_in(client, user):
    for _attempt in range(4):
        log_in(client, "xa.baocao", "wrong")
    assert log_in(client, "xa.baocao", PASSWORD).status_code == 302


def test_one_address_trying_many_names_is_locked(client):
    """Guessing passwords of many accounts from one computer."""
    UserFactory(username="nguoi.khac")
    for index in range(5):
        log_in(client, f"doan.{index}", "wrong", address="10.0.0.7")
    response = log_in(client, "nguoi.khac", PASSWORD, address="10.0.0.7")
    assert response.status_code == 429
    assert log_in(client, "nguoi.khac", PASSWORD, address="10.0.0.8").status_code == 302


def test_one_name_tried_from_many_addresses_is_locked(client, user):
    for index in range(5):
        log_in(client, "xa.baocao", "wrong", address=f"10.1.0.{index}")
    assert log_in(client, "xa.baocao", PASSWORD, address="10.2.0.1").status_code == 429


def test_the_admin_lists_the_lockout_and_deleting_it_unlocks(client, user):
    for _attempt in range(5):
        log_in(client, "xa.baocao", "wrong")
    admin = UserFactory(username="quan.tri", is_staff=True, is_superuser=True)
    staff = client.__class__()
    staff.force_login(admin)
    listing = staff.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "xa.baocao" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="xa.baocao")
    staff.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert log_in(client, "xa.baocao", PASSWORD).status_code == 302


def test_the_test_clients_login_and_force_login_still_work(client, user):
    assert client.login(username="xa.baocao", password=PASSWORD)
    client.logout()
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_behind_a_proxy_the_address_is_the_one_it_saw(client, settings):
    settings.LOGIN_PROXY_COUNT = 1
    for index in range(5):
        client.post(
            reverse("login"),
            {"username": f"doan.{index}", "password": "wrong"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{index}, 10.9.9.9",  # the first part forged
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.9.9.9"}
