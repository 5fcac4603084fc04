"""Settings shared by every mode; each value comes from the environment.

The embedded defaults run on a fresh machine: SQLite in the project folder and
a Celery broker kept in files under ``var/`` (kombu's filesystem transport), so
no server is needed. ``DATABASE_URL`` and ``REDIS_URL`` switch to PostgreSQL
and Redis. A malformed value stops start-up with django-environ's error.
"""

import datetime
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Autosaves arrive in parallel: take the write lock when a transaction
    # starts (no lock-upgrade deadlocks), wait for it, and let readers read
    # while one request writes; GET requests begin deferred (config.sqlite).
    # A write waits up to ``timeout`` seconds for the lock, queued behind the
    # other writers of its process (config.sqlite.base): on deadline day a
    # burst of submissions queues for a while rather than failing with
    # "database is locked" (gunicorn's --timeout, 120 s, is above it).
    DATABASES["default"]["ENGINE"] = "config.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        timeout=env.int("SQLITE_TIMEOUT", default=60),
        init_command="PRAGMA journal_mode=WAL;",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "treebeard",
    "documents",
    "rules.apps.AutodiscoverRulesConfig",  # loads each app's rules.py (what a user may do)
    "orgunits",
    "campaigns",
    "reports",
    "notifications",
    "chasing",
    "consolidation",
    "dialogues",
    "conferences",
    "people",
    "signatures",
    "registers",
    "api",  # the API for e-office systems (REST, OpenAPI): the top layer
    "rest_framework",
    "drf_spectacular",
    "axes",  # login throttling (config/auth.py); its admin unlocks
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.sqlite.ReadOnlyRequestMiddleware",
    "config.middleware.DefaultLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "people.middleware.MustChangePasswordMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: turns a login refused for lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from our own static files,
# never inline (no <script> without src, no on…= attributes: a test reads every
# template; confirmations are data-confirm, static/js/confirm.js). Styles may
# be inline (style="" attributes, the document preview's print stylesheet).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
# Widgets may use the project's templates (the rich-text editor does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "orgunits.context_processors.memberships",
                "notifications.context_processors.unread",
                "reports.context_processors.inbox",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Backends, in order: the login throttle first (it must see every attempt;
# config.auth.ThrottlingBackend); object rules (each app's rules.py, asked
# through orgunits.access.can); then whoever checks passwords and gives the
# admin's model permissions (a backend that logs in by e-mail goes in this
# group, before ModelBackend).
AUTHENTICATION_THROTTLE = ["config.auth.ThrottlingBackend"]
# Django's ModelBackend, also taking the e-mail as the username (people).
AUTHENTICATION_LOGIN_BACKENDS = ["people.backends.UsernameOrEmailBackend"]
AUTHENTICATION_PERMISSION_BACKENDS = ["rules.permissions.ObjectPermissionBackend"]
AUTHENTICATION_BACKENDS = [
    *AUTHENTICATION_THROTTLE,
    *AUTHENTICATION_PERMISSION_BACKENDS,
    *AUTHENTICATION_LOGIN_BACKENDS,
]

# django-axes: 5 failures per user name, or per address, lock it for 15
# minutes; a success starts the count again. See config/auth.py.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.auth.lockout_response"
AXES_CLIENT_IP_CALLABLE = "config.auth.client_ip"
# Reverse proxies in front of gunicorn (nginx: 1), whose X-Forwarded-For is trusted.
LOGIN_PROXY_COUNT = env.int("LOGIN_PROXY_COUNT", default=0)
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English for visiting staff and for developers.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Stored files (attachments, consolidated builds) are never served at a URL of
# their own: no route serves MEDIA_URL, each file has a view that checks access
# (documents.responses.stored_file_response). FILE_SENDFILE hands the sending
# to the web server after the check: "none" (Django streams the file),
# "nginx" (X-Accel-Redirect to FILE_SENDFILE_PREFIX + the file's name, an
# `internal` location aliased to MEDIA_ROOT) or "apache" (X-Sendfile, mod_xsendfile).
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
FILE_SENDFILE = env.str("FILE_SENDFILE", default="none")
FILE_SENDFILE_PREFIX = env.str("FILE_SENDFILE_PREFIX", default="/protected/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# The key that seals the passphrases of the bodies' signing certificates
# (signatures.keys, HKDF-derived). Empty: derived from SECRET_KEY, so rotating
# SECRET_KEY would lose them; set it in production.
SIGNING_KEY_SECRET = env.str("SIGNING_KEY_SECRET", default="")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="Tổng kết <no-reply@tongket.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in e-mails point here.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Celery: Redis in production; without REDIS_URL, a broker kept in files so
# that `make run` has a real worker and scheduler and no server to install.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Counters shared by every web process (the password reset's throttle).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    _broker_dir = Path(env("CELERY_BROKER_DIR", default=str(VAR_DIR / "celery-broker")))
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "messages"),
        "data_folder_out": str(_broker_dir / "messages"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # The folder is polled: a short interval keeps reminders flowing.
        "polling_interval": 0.2,
    }
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Consolidated documents (a 2,500-unit PDF takes seconds and hundreds of MiB)
# go to a queue of their own, served by a worker of their own that replaces
# its child process once it holds too much memory (Procfile, README):
# e-mails and reminders never wait behind a PDF. A worker started without -Q
# consumes the default queue only.
CELERY_DOCUMENTS_QUEUE = env("CELERY_DOCUMENTS_QUEUE", default="documents")
CELERY_TASK_ROUTES = {
    **{
        f"consolidation.tasks.{name}": {"queue": CELERY_DOCUMENTS_QUEUE}
        for name in ("build_document", "render_chunk", "merge_pieces")
    },
    "signatures.tasks.sign": {"queue": CELERY_DOCUMENTS_QUEUE},
    "chasing.tasks.build_board_export": {"queue": CELERY_DOCUMENTS_QUEUE},
}
# A progress board's XLSX export of at most this many reports is made at
# once; a larger one is a background job (chasing.BoardExport).
BOARD_EXPORT_INLINE_MAX = env.int("BOARD_EXPORT_INLINE_MAX", default=500)
# A PDF whose annex of every unit has this many rows or more is rendered in
# pieces of about DOCUMENT_PIECE_PAGES pages by the documents workers in
# parallel (documents.chunked_pdf), after the first DOCUMENT_PIECE_HEAD_ROWS.
DOCUMENT_PIECES_FROM_ROWS = env.int("DOCUMENT_PIECES_FROM_ROWS", default=1000)
DOCUMENT_PIECE_PAGES = env.int("DOCUMENT_PIECE_PAGES", default=30)
DOCUMENT_PIECE_HEAD_ROWS = env.int("DOCUMENT_PIECE_HEAD_ROWS", default=60)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 10 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 9 * 60
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Installed into django-celery-beat's tables at start; editable in the admin.
CELERY_BEAT_SCHEDULE = {
    "reminder-sweep": {
        "task": "chasing.tasks.sweep",
        "schedule": crontab(minute=env.int("REMINDER_SWEEP_MINUTE", default=5)),
    },
    # Interrupted sends finished or retried, lost tasks queued again
    # (notifications.delivery): a broker restart delays an e-mail by minutes.
    "delivery-sweep": {
        "task": "notifications.tasks.sweep_deliveries",
        "schedule": crontab(),  # every minute
    },
    # Submissions told to the coordinators above in one e-mail an hour each.
    "notification-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute=env.int("DIGEST_MINUTE", default=0)),
    },
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# The API for e-office systems (api): bearer tokens per integrating system,
# no session; each client's own rate per minute (api.auth), counted in the
# cache (Redis in production: shared by every web process).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.ClientTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.ClientRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pages",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handle",
    "UNAUTHENTICATED_USER": None,
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tổng kết API",
    "DESCRIPTION": (
        "For e-office systems: plans, their outline and deadlines; units' reports, "
        "their answers and submission; the board's counts; documents. Each request "
        "carries `Authorization: Bearer tk_<key>_<secret>` (one token per system, "
        "made in the admin). Webhooks (plan published, report submitted, returned, "
        "accepted) are POSTed with `X-TongKet-Timestamp` and `X-TongKet-Signature: "
        'sha256=<hex HMAC-SHA256(secret, "<timestamp>." + body)>`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
}

# Upper bound of an uploaded tree file (import of org units).
ORGUNIT_IMPORT_MAX_BYTES = env.int("ORGUNIT_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
# Upper bound of the rows read from one imported sheet (orgunits.tables): a
# few kilobytes of XLSX can claim millions of rows.
ORGUNIT_IMPORT_MAX_ROWS = env.int("ORGUNIT_IMPORT_MAX_ROWS", default=60_000)
# Upper bound of one file attached to a report (signed scan, annex). Django spools
# uploads over FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) to a temporary file, not memory.
REPORT_ATTACHMENT_MAX_BYTES = env.int("REPORT_ATTACHMENT_MAX_BYTES", default=20 * 1024 * 1024)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint reports every rendering step at INFO.
    # axes reports every login at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
