"""Reading a VC-API request body: JSON, an object, within the size and shape limits, before any work."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from ob3.limits import DEFAULT_LIMITS, LimitExceeded, Limits, check_credential
from ob3.limits import loads as bounded_loads
from vcapi.errors import VcApiRefusal

# A request holds a credential (or a presentation of a few) and options: far below this.
MAX_BODY_BYTES = 2 * DEFAULT_LIMITS.max_bytes
# A presentation nests its credentials one level deeper and holds several.
_BODY_LIMITS = Limits(max_bytes=MAX_BODY_BYTES, max_depth=DEFAULT_LIMITS.max_depth + 4,
                      max_values=4 * DEFAULT_LIMITS.max_values)
JSON_TYPES = ("application/json", "application/ld+json")


def request_object(request: HttpRequest) -> dict[str, Any]:
    """The body as a JSON object; VcApiRefusal 415 (not JSON), 413 (too large) or 400 (malformed)."""
    content_type = request.content_type or ""
    if content_type not in JSON_TYPES and not (content_type.startswith("application/") and
                                               content_type.endswith("+json")):
        raise VcApiRefusal(415, "unsupported_media_type", _("Send the request as application/json."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = MAX_BODY_BYTES + 1
    if length > MAX_BODY_BYTES:
        raise VcApiRefusal(413, "too_large", _("The request is larger than %(maximum)s bytes.") % {
            "maximum": MAX_BODY_BYTES})
    body = request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise VcApiRefusal(413, "too_large", _("The request is larger than %(maximum)s bytes.") % {
            "maximum": MAX_BODY_BYTES})
    try:
        data = bounded_loads(body, _BODY_LIMITS)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise VcApiRefusal(400, "malformed_json", _("The request body is not valid JSON."), details=(str(exc)[:200],)) \
            from None
    except LimitExceeded as exc:
        raise VcApiRefusal(400, "limit_exceeded", _("The request is over a size limit."), details=(str(exc),)) \
            from None
    if not isinstance(data, dict):
        raise VcApiRefusal(400, "malformed_request", _("The request body must be a JSON object."))
    return data


def member_object(data: dict[str, Any], name: str, *, required: bool = True) -> dict[str, Any]:
    """`data[name]` as an object ({} when optional and absent); 400 otherwise."""
    value = data.get(name)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise VcApiRefusal(400, "malformed_request", _("“%(name)s” must be a JSON object.") % {"name": name})
    return value


def document_within_limits(document: dict[str, Any]) -> None:
    """A credential or presentation within ob3's limits on shape (proofs, status entries, contexts)."""
    try:
        check_credential(document)
    except LimitExceeded as exc:
        raise VcApiRefusal(400, "limit_exceeded", _("The credential is over a size limit."), details=(str(exc),)) \
            from None
