"""The Service Description Document (OB 3.0 API, getServiceDescription): a profiled copy of 1EdTech's
OpenAPI file naming this site's OAuth endpoints, registration URL and scopes. Built here, never read
from elsewhere at run time."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from kernel.public_urls import public_url
from obapi.scopes import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE, SPEC_DESCRIPTIONS

ERRORS = {"description": "An Imsx_StatusInfo body.",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Imsx_StatusInfo"}}}}


def _operation(operation_id: str, scope: str | None, ok: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "responses": {**ok, "default": ERRORS}}
    if scope:
        operation["security"] = [{"OAuth2ACG": [scope]}]
    return operation


def service_description() -> dict[str, Any]:
    json_ok = {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}
    return {
        "openapi": "3.0.1",
        "info": {
            "title": "Mikromerit",
            "description": "Open Badges 3.0 API of Mikromerit",
            "version": "3.0",
            "termsOfService": settings.OB_API_TERMS_URL or public_url("/"),
            "x-imssf-privacyPolicyUrl": settings.OB_API_PRIVACY_URL or public_url("/"),
        },
        "servers": [{"url": public_url(reverse("obapi:base"))[:-1]}],
        "tags": [{"name": "OpenBadgeCredentials"}, {"name": "Discovery"}],
        "paths": {
            "/credentials": {
                "get": _operation("getCredentials", CREDENTIAL_READ, {"200": json_ok}),
                "post": _operation("upsertCredential", CREDENTIAL_UPSERT, {"200": json_ok, "201": json_ok}),
            },
            "/profile": {
                "get": _operation("getProfile", PROFILE_READ, {"200": json_ok}),
                "put": _operation("putProfile", PROFILE_UPDATE, {"200": json_ok}),
            },
            "/discovery": {"get": _operation("getServiceDescription", None, {"200": json_ok})},
        },
        "components": {
            "securitySchemes": {
                "OAuth2ACG": {
                    "type": "oauth2",
                    "description": "OAuth 2.0 authorization code grant with PKCE (S256)",
                    "x-imssf-registrationUrl": public_url(reverse("obapi:register")),
                    "flows": {"authorizationCode": {
                        "authorizationUrl": public_url(reverse("obapi:authorize")),
                        "tokenUrl": public_url(reverse("obapi:token")),
                        "refreshUrl": public_url(reverse("obapi:token")),
                        "x-imssf-revocationUrl": public_url(reverse("obapi:revoke")),
                        "scopes": {
                            scope: SPEC_DESCRIPTIONS[scope]
                            for scope in (CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE)
                        },
                    }},
                },
            },
            "schemas": {"Imsx_StatusInfo": {"type": "object"}},
        },
    }
