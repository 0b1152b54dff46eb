"""The OAuth 2.0 server behind the OB 3.0 API: django-oauth-toolkit's, narrowed to what the OB 3.0
security profile asks.

- PKCE with S256 only: a request with `code_challenge_method=plain`, or with none (which RFC 7636 reads as
  plain), is refused before the learner sees a consent page.
- A client gets no scope it did not register (obapi.registration keeps them).
"""

from __future__ import annotations

from typing import Any

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


class ObOAuth2Validator(OAuth2Validator):
    def validate_scopes(self, client_id: str, scopes: list[str], client: Any, request: Any, *args: Any,
                        **kwargs: Any) -> bool:
        if not super().validate_scopes(client_id, scopes, client, request, *args, **kwargs):
            return False
        registration = ClientRegistration.objects.filter(application__client_id=client_id).first()
        allowed = set(registration.scopes if registration else ())
        return all(scope in KNOWN_SCOPES and (scope in allowed or scope == "offline_access") for scope in scopes)
