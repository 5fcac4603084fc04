"""Vietnamese names: one "Họ và tên" field, kept whole in ``User.first_name``.

Django's admin asked for Họ (``last_name``) and Tên (``first_name``) apart and
``get_full_name()`` printed them the Western way round ("Văn Chính Hoàng").
"""

from __future__ import annotations

FULL_NAME_MAX_LENGTH = 150  # User.first_name


def joined_name(first_name: str, last_name: str) -> str:
    """The whole name from the admin's two fields: Họ (last_name) then Tên (first_name)."""
    return " ".join(f"{last_name or ''} {first_name or ''}".split())[:FULL_NAME_MAX_LENGTH]


def merge_names(users) -> list:
    """Give each user (with a non-empty ``last_name``) its whole name in
    ``first_name`` and an empty ``last_name``; the changed users, to be saved."""
    changed = []
    for user in users:
        if not user.last_name:
            continue
        user.first_name = joined_name(user.first_name, user.last_name)
        user.last_name = ""
        changed.append(user)
    return changed


def normalised(full_name: str) -> str:
    """A typed name with its spaces tidied: "  hoàng  Văn Chính " → "hoàng Văn Chính"."""
    return " ".join(full_name.split())
