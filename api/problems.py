"""One error body for every API error: RFC 9457 problem details (`application/problem+json`).

    {"type": "https://<site>/api/v1/problems/<code>", "title": "…", "status": 422, "detail": "…",
     "code": "<code>", "errors": [{"field": "recipient_email", "message": "…"}]}

Business refusals (kernel.errors.ApplicationError) answer 422, or 403 for "forbidden"; validation errors
answer 400 with one entry per field; everything DRF raises keeps its status. An unexpected error still
answers a problem body (500) and is logged, never an HTML page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from kernel.errors import ApplicationError
from kernel.storage import StorageFullMiddleware, is_storage_full

logger = logging.getLogger(__name__)
PROBLEM_CONTENT_TYPE = "application/problem+json"
STATUS_OF_CODE = {"forbidden": status.HTTP_403_FORBIDDEN, "not_found": status.HTTP_404_NOT_FOUND}


def problem_type(code: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}/api/v1/problems/{code}"


def problem_response(
    status_code: int, code: str, title: str, detail: str = "", *, errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {"type": problem_type(code), "title": title, "status": status_code, "code": code}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    return response


def field_errors(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested validation detail as a flat list of {"field", "message"} ("" = not one field)."""
    found: list[dict[str, str]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key in ("non_field_errors", "__all__") else f"{prefix}{key}"
            found += field_errors(value, f"{name}." if name else prefix)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, (dict, list)):
                found += field_errors(value, f"{prefix}{index}.")
            else:
                found.append({"field": prefix.rstrip("."), "message": str(value)})
    else:
        found.append({"field": prefix.rstrip("."), "message": str(detail)})
    return found


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        code_status = STATUS_OF_CODE.get(exc.code, status.HTTP_422_UNPROCESSABLE_ENTITY)
        return problem_response(code_status, exc.code, exc.message, " ".join(exc.details))
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        # Django refuses the body before any parser reads it; a 400 that says so, not a server error.
        return problem_response(status.HTTP_400_BAD_REQUEST, "request_too_large", _(
            "The request is larger than this API accepts (%(size)s). Send less at once."
        ) % {"size": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if is_storage_full(exc):  # a condition of the server: nothing was saved, and it may pass
        return problem_response(
            503, "storage_full", _("The storage is full"), _("Nothing was saved. Try again later."),
            headers={"Retry-After": str(StorageFullMiddleware.RETRY_AFTER_SECONDS)},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("unexpected error in the API", exc_info=exc)
        return problem_response(500, "server_error", _("Something went wrong on our side."))
    assert isinstance(exc, exceptions.APIException)
    headers = {name: value for name, value in response.headers.items() if name in ("Retry-After", "WWW-Authenticate")}
    if isinstance(exc, exceptions.ValidationError):
        return problem_response(
            response.status_code, "invalid", _("The request is not valid."), errors=field_errors(exc.detail),
            headers=headers,
        )
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    detail = exc.detail if isinstance(exc.detail, str) else ""
    return problem_response(response.status_code, str(code), str(detail) or str(exc.default_detail), headers=headers)


@csrf_exempt  # it changes nothing; without this a POST to a wrong address got the CSRF page, not a 404
def api_not_found(request: HttpRequest, unmatched: str = "") -> HttpResponse:
    """Any address under /api/v1/ that names no operation (e.g. an id that is not a UUID) answers a
    problem body like every other API error, not the site's HTML page."""
    body = {
        "type": problem_type("not_found"), "title": str(exceptions.NotFound.default_detail), "status": 404,
        "code": "not_found",
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
