"""The OAuth 2.0 server behind the OB 3.0 API: django-oauth-toolkit's, narrowed to what the OB 3.0
security profile asks.

- PKCE with S256 only: a request with `code_challenge_method=plain`, or with none (which RFC 7636 reads as
  plain), is refused before the learner sees a consent page.
- A client gets no scope it did not register (obapi.registration keeps them).
- An authorization code used a second time is refused, and the tokens issued for it are revoked (RFC 6749
  §4.1.2, the OB 3.0 security profile): whoever replays it may have stolen it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.db import transaction
from oauth2_provider.models import AccessToken, RefreshToken
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauthlib.oauth2 import Server
from oauthlib.oauth2.rfc6749.grant_types.authorization_code import code_challenge_method_s256

from obapi.models import ClientRegistration
from obapi.scopes import KNOWN_SCOPES


class S256OnlyServer(Server):
    def __init__(self, request_validator: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(request_validator, *args, **kwargs)
        grant = self.grant_types["authorization_code"]
        grant._code_challenge_methods = {"S256": code_challenge_method_s256}


USED_CODE_SECONDS = 24 * 3600


def _used_code_key(client_id: str, code: str) -> str:
    return "obapi:used-code:" + hashlib.sha256(f"{client_id} {code}".encode()).hexdigest()


def _tokens_revoke(user_id: int, application_id: int) -> None:
    with transaction.atomic():
        for refresh in RefreshToken.objects.filter(user_id=user_id, application_id=application_id,
                                                   revoked__isnull=True):
            refresh.revoke()
        for access in AccessToken.objects.filter(user_id=user_id, application_id=application_id):
            access.revoke()


class ObOAuth2Validator(OAuth2Validator):
    def invalidate_authorization_code(self, client_id: str, code: str, request: Any, *args: Any, **kwargs: Any) -> None:
        super().invalidate_authorization_code(client_id, code, request, *args, **kwargs)
        user, client = getattr(request, "user", None), getattr(request, "client", None)
        if user is not None and client is not None:
            cache.set(_used_code_key(client_id, code), (user.pk, client.pk), USED_CODE_SECONDS)

    def validate_code(self, client_id: str, code: str, client: Any, request: Any, *args: Any, **kwargs: Any) -> bool:
        if super().validate_code(client_id, code, client, request, *args, **kwargs):
            return True
        used = cache.get(_used_code_key(client_id, code))
        if used is not None:
            _tokens_revoke(*used)
        return False

    def validate_scopes(self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any,
                        **kwargs: Any) -> bool:
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        registration = ClientRegistration.objects.filter(application__client_id=client_id).first()
        allowed = set(registration.scopes if registration else ())
        return all(scope in KNOWN_SCOPES and (scope in allowed or scope == "offline_access") for scope in scopes)
