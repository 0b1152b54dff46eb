"""ETags on reads: a client that sends `If-None-Match` with the last ETag gets 304 and no body."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response


def etag_for(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def response_with_etag(request: Request, data: Any) -> Response:
    """200 with the representation and its ETag, or 304 when the client already has it."""
    etag = etag_for(data)
    sent = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
    if etag in sent or f"W/{etag}" in sent:
        return Response(status=304, headers={"ETag": etag})
    return Response(data, headers={"ETag": etag})
