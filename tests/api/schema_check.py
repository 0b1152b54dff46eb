"""Every API response a test sees is checked against the OpenAPI schema the platform serves.

`SchemaCheckedClient` is DRF's APIClient whose every answer must be documented (its status for that
operation) and match the documented body. Tests under tests/api use it through the fixtures in
tests/api/conftest.py, so no API test can skip the check.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

ROUTE_PARAMETER = re.compile(r"<(?:\w+:)?(\w+)>")


@cache
def api_schema() -> dict[str, Any]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(schema, default=str))  # plain JSON types, as served


def openapi_path(request_path: str) -> str:
    match = resolve(request_path)
    return "/" + ROUTE_PARAMETER.sub(r"{\1}", match.route)


def response_checked(response: Any) -> None:
    """Fail unless `response` is documented for its operation and its body matches the documented schema."""
    request = response.wsgi_request
    path = openapi_path(request.path)
    operation = api_schema()["paths"].get(path, {}).get(request.method.lower())
    assert operation is not None, f"{request.method} {path} is not in the OpenAPI schema"
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{request.method} {path} answered {response.status_code}, not documented"
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    if response.status_code == 304 or not documented.get("content"):
        return
    assert content_type in documented["content"], (
        f"{request.method} {path} {response.status_code}: {content_type} is not documented"
    )
    body_schema = documented["content"][content_type].get("schema")
    if body_schema is None or not content_type.endswith("json"):
        return
    document = {"components": api_schema().get("components", {}), **body_schema}
    errors = sorted(Draft202012Validator(document).iter_errors(json.loads(response.content)), key=str)
    assert not errors, f"{request.method} {path} {response.status_code}: " + "; ".join(e.message for e in errors[:5])


class SchemaCheckedClient(APIClient):
    def request(self, **kwargs: Any) -> Any:
        response = super().request(**kwargs)
        if response.wsgi_request.path.startswith("/api/v1/issuers/"):
            response_checked(response)
        return response
