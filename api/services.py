"""Making, scoping and revoking integrating systems."""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from orgunits.models import OrgUnit

from .models import TOKEN_PREFIX, ClientScope, IntegrationClient, hash_token


def _new_token() -> tuple[str, str, str]:
    """(key, secret, the token as given to the client)."""
    key = secrets.token_hex(8)
    secret = secrets.token_urlsafe(32)
    return key, secret, f"{TOKEN_PREFIX}_{key}_{secret}"


def parse_token(token: str) -> tuple[str, str] | None:
    """(key, secret) of a well-formed token, else None."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 16 or not parts[2]:
        return None
    return parts[1], parts[2]


def _service_user(name: str):
    User = get_user_model()
    username = f"api-{secrets.token_hex(6)}"
    user = User(username=username, first_name=name[:150], is_active=True)
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def create_client(
    *, name: str, scopes: Iterable[tuple[OrgUnit, str]] = (), **fields
) -> tuple[IntegrationClient, str]:
    """A client and its token, which is returned once and never kept."""
    key, secret, token = _new_token()
    client = IntegrationClient.objects.create(
        name=name, user=_service_user(name), key=key, token_hash=hash_token(secret), **fields
    )
    ClientScope.objects.bulk_create(
        [ClientScope(client=client, unit=unit, role=role) for unit, role in scopes]
    )
    return client, token


def prepare(client: IntegrationClient) -> IntegrationClient:
    """Fill the unsaved fields of a client made in the admin; its token, once."""
    key, secret, token = _new_token()
    client.key, client.token_hash = key, hash_token(secret)
    if not client.user_id:
        client.user = _service_user(client.name)
    return token


@transaction.atomic
def rotate_token(client: IntegrationClient) -> str:
    """A new token; the old one stops working at once."""
    key, secret, token = _new_token()
    client.key, client.token_hash = key, hash_token(secret)
    client.save(update_fields=["key", "token_hash"])
    return token


def revoke(client: IntegrationClient) -> None:
    client.is_active = False
    client.revoked_at = timezone.now()
    client.save(update_fields=["is_active", "revoked_at"])


def memberships(client: IntegrationClient) -> list[tuple[str, str]]:
    """The client's scopes as (unit path, role): its service user's memberships."""
    return list(client.scopes.values_list("unit__path", "role"))
