"""The wallet-facing endpoints of OpenID4VCI 1.0. Thin: parse, call the service, answer in the protocol's
own error format ({"error", "error_description"}), never a 500 for anything a client sends."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from kernel.ratelimit import rate_limited
from kernel.responses import public_json
from openid4vci.metadata import authorization_server_metadata, credential_issuer_metadata
from openid4vci.offers import (
    WalletOfferRefused,
    wallet_credential_issue,
    wallet_nonce_issue,
    wallet_offer_document,
    wallet_token_exchange,
)

# A credential request is a configuration id and one key proof: a few kilobytes at most.
MAX_BODY_BYTES = 64 * 1024


def _rate() -> str:
    return settings.WALLET_ENDPOINT_RATE_LIMIT


def _no_store(response: HttpResponse) -> HttpResponse:
    # RFC 6749 §5.1: token responses (and anything carrying a code or nonce) must not be cached.
    response["Cache-Control"] = "no-store"
    return response


def _error(code: str, description: str, *, status: int = 400) -> HttpResponse:
    response = JsonResponse({"error": code, "error_description": description}, status=status,
                            json_dumps_params={"ensure_ascii": False})
    if status == 401:
        response["WWW-Authenticate"] = f'Bearer error="{code}"'
    return _no_store(response)


def _refused(exc: WalletOfferRefused) -> HttpResponse:
    return _error(exc.code, exc.message, status=exc.status)


def _too_big(request: HttpRequest) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES
    except ValueError:
        return True


@require_GET
def issuer_metadata(request: HttpRequest) -> HttpResponse:
    return public_json(credential_issuer_metadata())


@require_GET
def authorization_metadata(request: HttpRequest) -> HttpResponse:
    return public_json(authorization_server_metadata())


@require_GET
@rate_limited("wallet-endpoints", _rate, as_json=True)
def offer(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        return _no_store(public_json(wallet_offer_document(public_id=public_id)))
    except WalletOfferRefused as exc:
        return _refused(exc)


@csrf_exempt
@require_POST
@rate_limited("wallet-endpoints", _rate, as_json=True)
def token(request: HttpRequest) -> HttpResponse:
    if _too_big(request):
        return _error("invalid_request", _("The request is too large."), status=413)
    if request.content_type != "application/x-www-form-urlencoded":
        return _error("invalid_request", _("Send the token request as application/x-www-form-urlencoded."))
    form = request.POST
    try:
        answer = wallet_token_exchange(
            grant_type=form.get("grant_type", ""),
            pre_authorized_code=form.get("pre-authorized_code", ""),
            tx_code=form.get("tx_code", ""),
        )
    except WalletOfferRefused as exc:
        return _refused(exc)
    return _no_store(JsonResponse(answer))


@csrf_exempt
@require_POST
@rate_limited("wallet-endpoints", _rate, as_json=True)
def nonce(request: HttpRequest) -> HttpResponse:
    return _no_store(public_json({"c_nonce": wallet_nonce_issue()}))


def _bearer(request: HttpRequest) -> str:
    scheme, _space, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise WalletOfferRefused("invalid_credential_request", _("The request body is not JSON.")) from None
    if not isinstance(body, dict):
        raise WalletOfferRefused("invalid_credential_request", _("The request body must be a JSON object."))
    return body


@csrf_exempt
@require_POST
@rate_limited("wallet-endpoints", _rate, as_json=True)
def credential(request: HttpRequest) -> HttpResponse:
    access_token = _bearer(request)
    if not access_token:
        return _error("invalid_token", _("An access token from the token endpoint is required."), status=401)
    if _too_big(request):
        return _error("invalid_credential_request", _("The request is too large."), status=413)
    if request.content_type != "application/json":
        return _error("invalid_credential_request", _("Send the credential request as application/json."),
                      status=415)
    try:
        answer = wallet_credential_issue(access_token=access_token, body=_json_body(request))
    except WalletOfferRefused as exc:
        return _refused(exc)
    return _no_store(JsonResponse(answer, json_dumps_params={"ensure_ascii": False}))
