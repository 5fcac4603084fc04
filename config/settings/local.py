"""Development: `make run` on a laptop or an intranet test box."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production")
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
