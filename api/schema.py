"""The OpenAPI schema's shared parts: bearer tokens, and the problem body every operation may answer."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

PROBLEM_STATUSES = {
    "400": "The request is not valid (see `errors`).",
    "401": "No valid API token or session.",
    "403": "The token lacks the scope, or its creator the role, for this.",
    "404": "Not found, or not this token's issuer.",
    "422": "A business rule refused it (see `code`).",
    "429": "Too many requests; wait `Retry-After` seconds.",
}
# Only operations that take a file: the disk may be full (code `storage_full`; kernel.storage).
STORAGE_FULL = "The storage is full; nothing was saved. Try again after `Retry-After` seconds."
PROBLEM_SCHEMA = {
    "type": "object",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "code": {"type": "string"},
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object", "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http", "scheme": "bearer", "bearerFormat": "mkm_<prefix>_<secret>",
            "description": "An API token an issuer's owner created in the console (API tokens in the issuer's menu).",
        }


def problem_responses_add(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Every operation under /api/v1/issuers/ may answer a problem body with these statuses, and every read
    a 304 to a current `If-None-Match`."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/issuers/"):
            continue
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if method == "get":
                responses.setdefault("304", {"description": "Not modified: the `If-None-Match` ETag is current."})
            for status, description in PROBLEM_STATUSES.items():
                responses.setdefault(status, {"description": description, "content": reference})
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):  # a file upload
                responses.setdefault("503", {"description": STORAGE_FULL, "content": reference})
    return result


def schema_31_tidy(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Two things drf-spectacular writes that OpenAPI 3.1 validators read differently from what we answer:
    - `nullable: true` (OpenAPI 3.0, still written for the paginator's next/previous): a "null" type instead;
    - an optional e-mail or URL as `oneOf: [{maxLength: 0}, {format: …}]`: "" matches both, which `oneOf`
      forbids, so `anyOf` says what is meant."""
    _tidy(result)
    return result


def _tidy(node: Any) -> None:
    if isinstance(node, dict):
        if node.pop("nullable", False) is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        alternatives = node.get("oneOf")
        if isinstance(alternatives, list) and any(alt.get("maxLength") == 0 for alt in alternatives):
            node["anyOf"] = node.pop("oneOf")
        for value in node.values():
            _tidy(value)
    elif isinstance(node, list):
        for value in node:
            _tidy(value)
