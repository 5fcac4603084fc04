"""Settings of the benches: the test settings (a throw-away database, e-mails
kept in memory), with what production has where it changes the figures.

The bench process, the gunicorn server and the Celery worker it starts
(bench.live) all use this module; the servers get the ``DATABASE_URL`` of the
bench's database and ``BENCH_SERVER=1``.
"""

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES, REDIS_URL, env

if REDIS_URL:
    # As in production: one cache shared by every web process (the test
    # settings keep a cache per process).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

if env.bool("BENCH_SERVER", default=False):
    if DATABASES["default"]["ENGINE"] != "config.sqlite":
        # Production keeps connections open (config.settings.production).
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
    # E-mails of the server are counted nowhere: do not keep them in memory.
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# WeasyPrint's warnings on the print stylesheet would interleave with the table.
LOGGING["loggers"]["weasyprint"] = {"level": "ERROR"}  # noqa: F405
