"""Who made a change, for the historical records (django-simple-history).

In a request the history middleware names the user; services also run from
Celery tasks, commands and tests, where nothing does, so whoever changes a
tracked object says who acts. This is the one place that knows how.
"""

from __future__ import annotations

from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser
from django.db import models

M = TypeVar("M", bound=models.Model)


def attribute(obj: M, by: AbstractBaseUser | None) -> M:
    """Name ``by`` as the author of ``obj``'s next historical record; ``obj`` back."""
    obj._history_user = by
    return obj
