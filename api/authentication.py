"""DRF authentication by API token (`Authorization: Bearer mkm_…`). Browsers use the session with CSRF."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from api.models import ApiToken
from api.tokens import api_token_for_secret


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _space, secret = header.partition(" ")
        if scheme.lower() != self.keyword.lower():
            return None
        token = api_token_for_secret(secret.strip())
        if token is None:
            raise exceptions.AuthenticationFailed(_("The API token is unknown, expired or revoked."))
        return token.created_by, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) to a request without credentials.
        return 'Bearer realm="api"'
