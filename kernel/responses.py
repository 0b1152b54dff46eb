"""Answers for machines: public JSON documents that verifiers in any origin may read."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse


def public_json(data: Any, content_type: str = "application/json", *, status: int = 200) -> JsonResponse:
    """JSON as written (non-ASCII kept), readable by scripts in other origins: verifiers, wallets and badge
    hosts run in other sites' pages."""
    response = JsonResponse(data, status=status, content_type=content_type, safe=isinstance(data, dict),
                            json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response
