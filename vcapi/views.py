"""The W3C VC-API endpoints. Thin: read the body (bodies.py), pass the gate (access.py), call a service,
answer JSON. Every refusal is a JSON problem body with a 4xx status; nothing is stored on a refusal."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from api.scopes import Scope
from issuers.roles import Capability
from kernel.public_urls import public_url
from kernel.ratelimit import RETRY_AFTER_SECONDS, over_limit
from vcapi.access import access_vc_api_token
from vcapi.bodies import document_within_limits, member_object, request_object
from vcapi.errors import VcApiRefusal
from vcapi.issuing import vc_credential_issue
from vcapi.statuses import vc_credential_status_update
from vcapi.verifying import outcome_answer, vc_credential_verify, vc_presentation_verify

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Each credential of a presentation costs a verification; a holder presents a few at a time.
MAX_PRESENTED_CREDENTIALS = 10


def problem(refusal: VcApiRefusal, **extra: Any) -> JsonResponse:
    body = {"type": public_url(f"/vc-api/problems/{refusal.code}"), "title": refusal.message,
            "status": refusal.status, "code": refusal.code, **extra}
    if refusal.details:
        body["detail"] = " ".join(refusal.details)
    response = JsonResponse(body, status=refusal.status, content_type=PROBLEM_CONTENT_TYPE)
    if refusal.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="vc-api"'
    return response


def vc_api_view(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """POST only, no CSRF (a bearer token or nothing; no cookie is read), never cached; refusals as problems."""

    @csrf_exempt
    @never_cache
    @require_POST
    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            return view(request)
        except VcApiRefusal as refusal:
            return problem(refusal)

    return wrapped


def _verify_rate_limited(request: HttpRequest) -> JsonResponse | None:
    if over_limit(request, "vc-api-verify", settings.VC_API_VERIFY_RATE_LIMIT):
        response = problem(VcApiRefusal(429, "rate_limited", _("Too many checks in a short time. Please wait a "
                                                               "minute and try again.")))
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return None


@vc_api_view
def credentials_issue(request: HttpRequest) -> HttpResponse:
    token, member = access_vc_api_token(request, scope=Scope.SIGN_CREDENTIALS, capability=Capability.AWARD_CREDENTIALS)
    data = request_object(request)
    credential = member_object(data, "credential")
    options = member_object(data, "options", required=False)
    document_within_limits(credential)
    record = vc_credential_issue(issuer=member.issuer, token=token, credential=credential, options=options)
    return JsonResponse({"verifiableCredential": record.document}, status=201)


@vc_api_view
def credentials_status(request: HttpRequest) -> HttpResponse:
    _token, member = access_vc_api_token(request, scope=Scope.REVOKE, capability=Capability.MANAGE_CREDENTIALS)
    data = request_object(request)
    records = vc_credential_status_update(issuer=member.issuer, request=data)
    return JsonResponse({"credentialId": records[0].credential_id, "status": True,
                         "credentialStatus": [record.document.get("credentialStatus") for record in records]})


@vc_api_view
def credentials_verify(request: HttpRequest) -> HttpResponse:
    limited = _verify_rate_limited(request)
    if limited:
        return limited
    data = request_object(request)
    try:
        credential = member_object(data, "verifiableCredential")
        member_object(data, "options", required=False)
        document_within_limits(credential)
    except VcApiRefusal as refusal:
        return problem(refusal, verified=False, checks=[], warnings=[], errors=[])
    answer = outcome_answer(vc_credential_verify(credential=credential))
    return JsonResponse(answer, status=200 if answer["verified"] else 400)


@vc_api_view
def presentations_verify(request: HttpRequest) -> HttpResponse:
    limited = _verify_rate_limited(request)
    if limited:
        return limited
    data = request_object(request)
    try:
        presentation = member_object(data, "verifiablePresentation")
        options = member_object(data, "options", required=False)
        document_within_limits(presentation)
        presented = presentation.get("verifiableCredential")
        if isinstance(presented, list) and len(presented) > MAX_PRESENTED_CREDENTIALS:
            raise VcApiRefusal(400, "limit_exceeded", _("A presentation may hold at most %(maximum)s credentials.")
                               % {"maximum": MAX_PRESENTED_CREDENTIALS})
        for credential in presented if isinstance(presented, list) else [presented] if presented else []:
            if isinstance(credential, dict):
                document_within_limits(credential)
        for name in ("challenge", "domain"):
            if options.get(name) is not None and not isinstance(options[name], str):
                raise VcApiRefusal(400, "malformed_request", _("“%(name)s” must be a string.") % {"name": name})
    except VcApiRefusal as refusal:
        return problem(refusal, verified=False, checks=[], warnings=[], errors=[])
    outcome = vc_presentation_verify(presentation=presentation, challenge=options.get("challenge"),
                                     domain=options.get("domain"))
    answer = outcome_answer(outcome)
    return JsonResponse(answer, status=200 if answer["verified"] else 400)
