"""Responses checked against 1EdTech's OB 3.0 OpenAPI file, read from ../shared (never copied into the
repository). Tests that need it are skipped, saying why, when it is absent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

OPENAPI = Path(__file__).resolve().parents[2].parent / "shared" / "ob3" / "openapi" / "openapi.json"
BASE = "/ims/ob/v3p0"


def load_openapi() -> dict[str, Any]:
    if not OPENAPI.exists():
        pytest.skip(f"the OB 3.0 OpenAPI file is not at {OPENAPI} (../shared/ob3/openapi/openapi.json)")
    return json.loads(OPENAPI.read_text())


def _schema_validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    # The file's schemas are OpenAPI 3.0 (a JSON Schema subset); refs point into its components.
    return jsonschema.Draft7Validator({**schema, "components": spec["components"]})


def check_schema(spec: dict[str, Any], name: str, body: Any) -> None:
    _schema_validator(spec, {"$ref": f"#/components/schemas/{name}"}).validate(body)


def check_response(spec: dict[str, Any], path: str, method: str, status: int, content_type: str,
                   body: Any, headers: Any = None) -> None:
    """The status is one the operation declares (or falls under `default`), and the body matches the
    schema declared for that status and content type; declared headers are present."""
    operation = spec["paths"][path][method.lower()]
    responses = operation["responses"]
    declared = responses.get(str(status)) or responses.get("default")
    assert declared is not None, f"{method} {path} does not declare {status}"
    if str(status) not in responses:
        assert status >= 400, f"{method} {path}: a success {status} must be declared"
    media = content_type.split(";")[0].strip()
    content = declared.get("content", {})
    assert media in content, f"{method} {path} {status} does not declare {media} (has {sorted(content)})"
    _schema_validator(spec, content[media]["schema"]).validate(body)
    for header in declared.get("headers", {}):
        assert headers is not None and header in headers, f"{method} {path} {status}: header {header} missing"
