"""Per-token rate limits (per person for session use), counted in the shared cache so every web process
counts together. DRF answers 429 with `Retry-After`; api.problems keeps that header on the problem body."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.cache import caches
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken

if TYPE_CHECKING:
    from rest_framework.views import APIView


class ApiClientThrottle(SimpleRateThrottle):
    scope = "api_client"
    cache = caches["ratelimit"]

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
