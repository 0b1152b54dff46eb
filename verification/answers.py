"""The one answer to "check this credential" for programs: POST /verify/api (anyone, any origin) and
POST /api/v1/verify (the integrators' API) both read the request and answer through
`verify_request_answer`, so the two can never drift apart."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

from ob3.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from ob3.limits import loads as bounded_loads
from verification import checking, verdicts
from verification.forms import request_too_big, upload_max_bytes


def limit_status(limit: str) -> int:
    # 413 for size in bytes, as HTTP means it; 422 for a body of acceptable size whose shape is refused.
    return 413 if limit == "bytes" else 422


def _limit_answer(limit: str, maximum: int) -> tuple[dict[str, Any], int]:
    return {
        "error": "too_large" if limit == "bytes" else "too_complex",
        "limit": limit,
        "maximum": maximum,
        "message": verdicts.limit_message(limit, maximum),
    }, limit_status(limit)


def verify_request_answer(request: HttpRequest) -> tuple[dict[str, Any], int]:
    """(body, HTTP status) for a request to check a credential: ob3's result (`checked.to_dict()`), or
    `{"error", "message", …}` (400 no_input / malformed_request, 413 too_large, 422 too_complex)."""
    if request_too_big(request):
        return _limit_answer("bytes", upload_max_bytes())
    try:
        data = _api_input(request)
    except RequestDataTooBig:
        return _limit_answer("bytes", upload_max_bytes())
    except LimitExceeded as exc:
        return _limit_answer(exc.limit, exc.maximum)
    except ValueError as exc:
        return {"error": "malformed_request", "message": str(exc)}, 400
    except MultiPartParserError:
        return {"error": "malformed_request", "message": _("The upload is not a valid multipart form.")}, 400
    if data is None:
        return {"error": "no_input", "message": _("Send a file in `file` or the credential in `credential`.")}, 400
    if isinstance(data, bytes | str) and len(data) > upload_max_bytes():
        return _limit_answer("bytes", upload_max_bytes())
    checked = checking.upload_verify(data=data)
    if checked.limit is not None:
        return _limit_answer(checked.limit.limit, checked.limit.maximum)
    return checked.to_dict(), 200


def _body_limits() -> Limits:
    """A JSON request body `{"credential": …}`: one level and one value more than a credential may have,
    and a string as long as an upload (a JWT); the credential itself then meets ob3's own limits."""
    return replace(DEFAULT_LIMITS, max_bytes=upload_max_bytes() + 64 * 1024,
                   max_depth=DEFAULT_LIMITS.max_depth + 1, max_values=DEFAULT_LIMITS.max_values + 1,
                   max_string_length=upload_max_bytes())


def _json_body(request: HttpRequest) -> Any:
    """The parsed JSON body, within limits; LimitExceeded names the credential's limit, not the body's."""
    limits = _body_limits()
    try:
        return bounded_loads(request.body, limits)
    except LimitExceeded as exc:
        credential_maximum = {"depth": DEFAULT_LIMITS.max_depth, "values": DEFAULT_LIMITS.max_values}
        raise LimitExceeded(exc.limit, credential_maximum.get(exc.limit, exc.maximum), exc.found) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(_("The request body is not valid JSON.")) from exc


def _api_input(request: HttpRequest) -> bytes | str | None:
    if request.content_type == "application/json":
        body = _json_body(request)
        if not isinstance(body, dict) or "credential" not in body:
            return None
        value = body["credential"]
        # Re-serialised so ob3 reads (and measures) it exactly as if it had been pasted.
        return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)
    upload = request.FILES.get("file")
    if upload is not None:
        return upload.read(upload_max_bytes() + 1)
    text = (request.POST.get("credential") or "").strip()
    return text or None
