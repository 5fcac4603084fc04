"""Project wiring: migrations, settings modes, translations, system checks."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_it_has_no_missing_migrations():
    output = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=output)
    assert "No changes detected" in output.getvalue()


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", DJANGO_SETTINGS_MODULE="config.settings.production")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_passes_the_deploy_check_without_warnings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-for-the-deploy-check-" + "z" * 20,
        DJANGO_ALLOWED_HOSTS="tongket.example.vn",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_keeps_its_postgresql_connections_and_checks_them():
    """A connection per gunicorn thread, kept between requests (a new one per
    request is PostgreSQL's CPU on deadline day), replaced once dropped."""
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-for-the-connections-" + "z" * 20,
        DATABASE_URL="postgres://tongket@db.example.vn:5432/tongket",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["django.db.backends.postgresql", "60", "True"]


def test_a_malformed_setting_stops_start_up():
    result = _manage("check", DJANGO_DEBUG="perhaps-yes", DATABASE_URL="nonsense://")
    assert result.returncode != 0


def test_the_vietnamese_catalogue_is_complete():
    catalogue = polib.pofile(str(ROOT / "locale/vi/LC_MESSAGES/django.po"))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_it_speaks_vietnamese_by_default_even_to_an_english_browser(client, db):
    response = client.get("/tai-khoan/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_it_switches_to_english_on_request(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/tai-khoan/login/"})
    response = client.get("/tai-khoan/login/")
    assert "Log in to Tổng kết" in response.content.decode()


def test_it_uses_the_time_zone_and_language_of_vietnam():
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.LANGUAGE_CODE == "vi"


def test_it_vendors_every_front_end_asset(client, db):
    html = client.get("/tai-khoan/login/").content.decode()
    assert "//cdn" not in html
    assert "https://" not in html
    for asset in (
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/htmx/htmx.min.js",
        "vendor/bootstrap/bootstrap.bundle.min.js",
    ):
        assert (ROOT / "static" / asset).exists()
        assert f"/static/{asset}" in html


def test_the_celery_app_is_configured_from_django_settings():
    from config.celery_app import app

    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
