"""The OB 3.0 API under /ims/ob/v3p0/ (thin: the gate, then a service). Every refusal of a resource
endpoint answers an Imsx_StatusInfo body; the OAuth endpoints answer OAuth error JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from oauth2_provider.models import Application
from oauth2_provider.views import AuthorizationView

from kernel.public_urls import public_url
from kernel.ratelimit import RETRY_AFTER_SECONDS, over_limit
from kernel.users import AuthenticatedHttpRequest
from obapi import services
from obapi.access import WWW_AUTHENTICATE, access_connected_app_for_learner, access_ob_token
from obapi.discovery import service_description
from obapi.errors import ObApiError, RegistrationRefused
from obapi.models import ClientRegistration
from obapi.registration import client_register, registration_answer
from obapi.scopes import CREDENTIAL_READ, CREDENTIAL_UPSERT, PROFILE_READ, PROFILE_UPDATE, scope_words
from obapi.status import imsx_response
from verification.forms import upload_max_bytes

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
JSON_TYPES = ("application/json", "application/vc+ld+json", "application/ld+json")
REGISTRATION_MAX_BYTES = 16 * 1024
COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+")


def _answers_imsx(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ObApiError as error:
            description = " ".join([error.message, *error.details])
            headers = {"WWW-Authenticate": WWW_AUTHENTICATE} if error.status == 401 else None
            if error.status == 429:
                headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
            return imsx_response(error.status, description, minor=error.minor, headers=headers)
        except RequestDataTooBig:
            return imsx_response(413, _("The request body is too large."), minor="invalid_data")
    return wrapper


def _method_not_allowed(allowed: str) -> HttpResponse:
    return imsx_response(405, _("This method is not allowed here."), minor="not_allowed", headers={"Allow": allowed})


def _body(request: HttpRequest, limit: int) -> bytes:
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > limit:
        raise ObApiError("too_large", _("The request body is too large."), status=413)
    return request.body


def _json_object(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ObApiError("malformed", _("The body is not valid JSON."), minor="invalid_data") from None


def _media_type(request: HttpRequest) -> str:
    return (request.content_type or "").split(";")[0].strip().lower()


@csrf_exempt
def discovery(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET")
    response = JsonResponse(service_description())
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _query_int(request: HttpRequest, name: str, default: int, minimum: int) -> int:
    value = request.GET.get(name)
    if value is None:
        return default
    if not value.isdigit() or int(value) < minimum or int(value) > 2**31 - 1:
        raise ObApiError("invalid_query", _("%(name)s must be a whole number of at least %(min)s.")
                         % {"name": name, "min": minimum}, minor="invalid_query_parameter")
    return int(value)


def _since(request: HttpRequest) -> datetime | None:
    value = request.GET.get("since")
    if value is None:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise ObApiError("invalid_query", _("since must be a date and time with a time zone (ISO 8601)."),
                         minor="invalid_query_parameter")
    return parsed


def _page_link(limit: int, offset: int, since: str | None) -> str:
    query = {"limit": limit, "offset": offset, **({"since": since} if since else {})}
    return public_url(reverse("obapi:credentials")) + "?" + urlencode(query)


def _get_credentials(request: HttpRequest) -> HttpResponse:
    token = access_ob_token(request, scope=CREDENTIAL_READ)
    limit = min(_query_int(request, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _query_int(request, "offset", 0, 0)
    since = _since(request)
    page = services.ob_credentials_for_learner(user=token.user, limit=limit, offset=offset, since=since)
    body: dict[str, Any] = {"credential": page.credentials, "compactJwsString": page.compact_jws}
    response = JsonResponse(body)
    response["X-Total-Count"] = str(page.total)
    since_text = request.GET.get("since")
    last = max(0, (page.total - 1) // limit * limit)
    links = [f'<{_page_link(limit, 0, since_text)}>; rel="first"',
             f'<{_page_link(limit, last, since_text)}>; rel="last"']
    if offset + limit < page.total:
        links.append(f'<{_page_link(limit, offset + limit, since_text)}>; rel="next"')
    if offset > 0:
        links.append(f'<{_page_link(limit, max(0, offset - limit), since_text)}>; rel="prev"')
    response["Link"] = ", ".join(links)
    response["Cache-Control"] = "no-store"
    return response


def _upsert_credential(request: HttpRequest) -> HttpResponse:
    token = access_ob_token(request, scope=CREDENTIAL_UPSERT)
    # Each upsert may ask other sites for the issuer's documents: counted per client address.
    if over_limit(request, "ob-upsert", settings.OB_API_UPSERT_RATE):
        raise ObApiError("rate_limited", _("Too many credentials in a short time. Please wait a minute."),
                         status=429, minor="server_busy")
    media_type = _media_type(request)
    if media_type not in (*JSON_TYPES, "text/plain"):
        raise ObApiError("unsupported_media_type", _("Send the credential as application/json, or a compact JWS "
                         "as text/plain."), status=415, minor="invalid_data")
    data = _body(request, upload_max_bytes())
    if media_type == "text/plain":
        text = data.decode("utf-8", errors="replace").strip()
        if not COMPACT_JWS.fullmatch(text):
            raise ObApiError("malformed", _("The body is not a compact JWS."), minor="invalid_data")
        data = text.encode()
    elif not isinstance(_json_object(data), dict):
        raise ObApiError("malformed", _("The credential must be a JSON object."), minor="invalid_data")
    upserted = services.ob_credential_upsert(user=token.user, data=data, format=media_type,
                                             application=token.application)
    status = 201 if upserted.created else 200
    if media_type == "text/plain":
        return HttpResponse(data, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(data, status=status, content_type="application/json")


@csrf_exempt
@_answers_imsx
def credentials(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _get_credentials(request)
    if request.method == "POST":
        return _upsert_credential(request)
    return _method_not_allowed("GET, POST")


@csrf_exempt
@_answers_imsx
def profile(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = access_ob_token(request, scope=PROFILE_READ)
        return JsonResponse(services.ob_profile_get(user=token.user))
    if request.method == "PUT":
        token = access_ob_token(request, scope=PROFILE_UPDATE)
        if _media_type(request) != "application/json":
            raise ObApiError("unsupported_media_type", _("Send the profile as application/json."), status=415)
        document = _json_object(_body(request, services.PROFILE_MAX_BYTES))
        return JsonResponse(services.ob_profile_put(user=token.user, document=document))
    return _method_not_allowed("GET, PUT")


@csrf_exempt
@_answers_imsx
def not_found(request: HttpRequest, unmatched: str = "") -> HttpResponse:
    return imsx_response(404, _("There is no such endpoint in the Open Badges API."), minor="not_found")


# --- OAuth ---------------------------------------------------------------------------------------------
def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


@csrf_exempt
def register(request: HttpRequest) -> HttpResponse:
    """RFC 7591 dynamic client registration (open, as the OB 3.0 profile asks: no initial access token)."""
    if request.method != "POST":
        response = _oauth_error("invalid_request", _("Register with POST."), status=405)
        response["Allow"] = "POST"
        return response
    if over_limit(request, "ob-register", settings.OB_API_REGISTRATION_RATE):
        response = _oauth_error("slow_down", _("Too many registrations in a short time. Please wait a minute."),
                                status=429)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if _media_type(request) != "application/json":
        return _oauth_error("invalid_client_metadata", _("Send the client metadata as application/json."))
    length = request.META.get("CONTENT_LENGTH") or "0"
    if not length.isdigit() or int(length) > REGISTRATION_MAX_BYTES:
        return _oauth_error("invalid_client_metadata", _("The request body is too large."), status=413)
    try:
        metadata = json.loads(request.body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _oauth_error("invalid_client_metadata", _("The body is not valid JSON."))
    try:
        registration, secret = client_register(metadata=metadata)
    except RegistrationRefused as error:
        return _oauth_error(error.code, error.message)
    response = JsonResponse(registration_answer(registration, secret), status=201)
    response["Cache-Control"] = "no-store"
    return response


class ConsentView(AuthorizationView):
    """django-oauth-toolkit's authorization endpoint with our consent page: which app asks (name, logo,
    site, terms, privacy policy) and for what, each scope in plain words."""

    template_name = "obapi/authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # The site's Content-Security-Policy (config/settings.py) loads images only from here and lets forms
        # go only here; a browser also checks form-action against where the answer redirects. This page
        # shows the app's logo from its site and answers with a redirect to the app: both origins, as the
        # app registered them, are allowed on this page alone.
        client_id = request.POST.get("client_id") or request.GET.get("client_id") or ""
        registration = ClientRegistration.objects.filter(application__client_id=client_id).select_related(
            "application").first()
        if registration is not None:
            redirects = [_origin(uri) for uri in registration.application.redirect_uris.split()]
            response._csp_update = {  # what django-csp's csp_update sets
                "img-src": [_origin(registration.logo_uri)], "form-action": sorted(set(redirects)),
            }
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        registration = (ClientRegistration.objects.filter(application=application).first()
                        if isinstance(application, Application) else None)
        scopes = context.get("scopes") or []
        context["registration"] = registration
        context["scope_items"] = [(scope, scope_words(scope)) for scope in scopes]
        return context


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}"


# --- The learner's connected apps ----------------------------------------------------------------------
@login_required
@require_GET
def connected_apps(request: AuthenticatedHttpRequest) -> HttpResponse:
    apps = services.connected_apps_for_learner(user=request.user)
    rows = [(app, [(scope, scope_words(scope)) for scope in app.scopes]) for app in apps]
    response = render(request, "obapi/connected_apps.html", {"apps": rows})
    # Each app's logo comes from its own site (see ConsentView.dispatch): those origins, on this page alone.
    logos = sorted({_origin(app.registration.logo_uri) for app in apps if app.registration})
    if logos:
        response._csp_update = {"img-src": logos}  # type: ignore[attr-defined]  # as django-csp's csp_update
    return response


@login_required
@require_POST
def connected_app_disconnect(request: AuthenticatedHttpRequest, client_id: str) -> HttpResponse:
    application = access_connected_app_for_learner(request.user, client_id)
    services.connected_app_disconnect(user=request.user, application=application)
    messages.success(request, _("%(name)s is disconnected: its access to your wallet is revoked.")
                     % {"name": application.name})
    return redirect("obapi:connected-apps")
