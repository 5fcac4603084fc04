"""Bearer tokens per integrating system, and its rate limit.

``Authorization: Bearer tk_<key>_<secret>``. The client's service user is
``request.user``, given the client's scopes as its memberships
(``orgunits.access.assume_memberships``): every permission the API asks is
the pages' own. No session and no cookie is read: a signed-in person's
browser gets 401 here.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from orgunits.access import assume_memberships

from .models import IntegrationClient
from .services import memberships, parse_token

LAST_USED_EVERY = 60  # seconds: ``last_used_at`` is written at most once a minute


class ClientTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("The access token is malformed."))
        try:
            parsed = parse_token(header[1].decode("ascii"))
        except UnicodeDecodeError:
            parsed = None
        if parsed is None:
            raise exceptions.AuthenticationFailed(_("The access token is malformed."))
        key, secret = parsed
        client = IntegrationClient.objects.select_related("user").filter(key=key).first()
        if client is None or not client.matches(secret):
            raise exceptions.AuthenticationFailed(_("The access token is not valid."))
        if not client.usable:
            raise exceptions.AuthenticationFailed(_("This access token was revoked."))
        now = timezone.now()
        if (
            client.last_used_at is None
            or (now - client.last_used_at).total_seconds() > LAST_USED_EVERY
        ):
            IntegrationClient.objects.filter(pk=client.pk).update(last_used_at=now)
        user = client.user
        assume_memberships(user, memberships(client))
        request.integration_client = client
        return user, client

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


class ClientRateThrottle(SimpleRateThrottle):
    """``rate_per_minute`` requests per client, counted in the cache."""

    scope = "client"

    def get_rate(self):
        return None  # set per client in allow_request

    def allow_request(self, request, view):
        client = getattr(request, "integration_client", None)
        if client is None:
            return True
        self.rate = f"{client.rate_per_minute}/min"
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        client = request.integration_client
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
