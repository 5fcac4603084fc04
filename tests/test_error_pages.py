"""The 404, 403 and 500 pages: in Vietnamese (English when chosen), inside the
site's navigation, and the 500 page without a request context or a database."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from orgunits.models import Role
from tests.factories import MembershipFactory


@pytest.fixture
def reporter(small_tree):
    return MembershipFactory(unit=small_tree["D1C1"], role=Role.REPORTER).user


@pytest.mark.django_db
def test_a_missing_plan_is_a_vietnamese_404_page_with_the_navigation(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("campaigns:detail", args=[999_999]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert 'aria-label="Điều hướng chính"' in html  # the site's navbar
    assert f'href="{reverse("campaigns:list")}"' in html
    assert f'href="{reverse("reports:inbox")}"' in html
    assert '<html lang="vi">' in html


@pytest.mark.django_db
def test_an_unknown_address_is_a_404_page_for_an_anonymous_visitor(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Không tìm thấy trang" in html
    assert f'href="{reverse("login")}"' in html  # no link to pages a visitor cannot open
    assert f'href="{reverse("reports:inbox")}"' not in html


@pytest.mark.django_db
def test_the_404_page_speaks_english_when_english_is_chosen(client, reporter, settings):
    client.force_login(reporter)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("campaigns:detail", args=[999_999]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_page_the_role_may_not_open_is_a_vietnamese_403_page(client, published_plan, reporter):
    client.force_login(reporter)  # a commune's reporter may not compose the province's plan
    response = client.get(reverse("campaigns:compose", args=[published_plan.pk, "general"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Đồng chí không có quyền mở trang này" in html
    assert 'aria-label="Điều hướng chính"' in html
    assert "<title>Không có quyền truy cập · Tổng kết</title>" in html


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_a_failing_view_is_a_vietnamese_500_page(client, reporter):
    client.force_login(reporter)
    client.raise_request_exception = False
    response = client.get("/hong/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Máy chủ gặp sự cố" in html
    assert f'href="{reverse("campaigns:list")}"' in html
    assert 'aria-label="Điều hướng chính"' in html


def test_the_500_page_renders_without_a_database_or_a_request_context():
    # Not a django_db test: any query would fail it.
    with translation.override("en"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on the server" in html
    assert '<html lang="en">' in html
