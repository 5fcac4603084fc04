"""Tests: the same embedded defaults; PostgreSQL and Redis when their URLs are set."""

import os

from .base import *  # noqa: F403
from .base import env

# pytest-xdist runs tests in several processes ("gw0", "gw1"…): each gets its own
# files (media, e-mails) and database (below; pytest-django also suffixes it).
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-key")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.locmem.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", default=str(BASE_DIR / "var" / f"mail-{_WORKER}"))  # noqa: F405
# Tasks run in the calling process, except in the worker a test starts itself.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "var" / f"test-media-{_WORKER}"  # noqa: F405
# Serve static files from the app folders; no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

if DATABASES["default"]["ENGINE"] == "config.sqlite":  # noqa: F405
    # A file, not memory: the live server of browser tests serves requests in
    # threads, and an in-memory database would share one connection between them.
    # One file per test process, so runs side by side do not share a database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }

if not REDIS_URL and not env("CELERY_BROKER_DIR", default=""):  # noqa: F405
    # The file broker as well: the Celery worker a test starts inherits the name.
    _broker_dir = VAR_DIR / f"celery-broker-{_WORKER}"  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {  # noqa: F405
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "data_folder_in": str(_broker_dir / "messages"),
        "data_folder_out": str(_broker_dir / "messages"),
        "control_folder": str(_broker_dir / "control"),
    }

# The cache of each test process is its own (the reset throttle's counters):
# never the Redis database the broker uses. tests/conftest.py clears it per test.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
