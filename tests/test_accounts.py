import re

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import DeliveryStatus, EmailOutbox
from orgunits.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_logs_in_and_shows_the_users_name_and_units(client, small_tree):
    user = UserFactory(username="xa.baocao", first_name="Đinh", last_name="Văn Hùng")
    MembershipFactory(user=user, unit=small_tree["D1C1"], role=Role.REPORTER)
    response = client.post(
        reverse("login"), {"username": "xa.baocao", "password": "secret-pass-123"}, follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Đinh Văn Hùng" in html
    assert "Đảng ủy xã D1C1" in html
    assert "Người soạn báo cáo" in html


def test_it_refuses_a_wrong_password_in_vietnamese(client, small_tree):
    UserFactory(username="someone")
    response = client.post(reverse("login"), {"username": "someone", "password": "wrong"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_it_logs_out_with_a_post(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_it_resets_a_password_by_email(client, django_capture_on_commit_callbacks):
    UserFactory(username="quen", email="quen@example.vn")
    # The worker sends it, from the outbox, once the request has committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "quen@example.vn"})
    row = EmailOutbox.objects.get()
    assert row.status == DeliveryStatus.SENT
    assert row.text == ""  # the link is not kept once sent
    assert len(mail.outbox) == 1
    assert "Tổng kết: đặt lại mật khẩu" in mail.outbox[0].subject
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Mat-khau-moi-2026", "new_password2": "Mat-khau-moi-2026"},
        follow=True,
    )
    assert "Đã lưu mật khẩu" in response.content.decode()
    assert client.login(username="quen", password="Mat-khau-moi-2026")


def test_it_changes_a_password(client):
    user = UserFactory(username="doi")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "secret-pass-123",
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
        follow=True,
    )
    assert "Mật khẩu của bạn đã được thay đổi" in response.content.decode()
