"""The public verification pages: a shared credential (/c/<id>), and checking any credential (/verify/ and
its API). Views read the request, call one service (verification.checking) and render.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any
from uuid import UUID

import segno
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from badges.credentials.page_views import credential_page_view_count
from badges.credentials.selectors import credential_shared_publicly
from kernel.http_cache import cache_document, cache_page, public_viewer
from kernel.public_urls import public_url
from kernel.ratelimit import over_limit, rate_limited, too_many
from kernel.responses import public_json
from verification import checking, verdicts
from verification.answers import limit_status, verify_request_answer
from verification.forms import VerifyForm, request_too_big, too_big_message
from verification.summary import credential_summary

JSON_LD_TYPES = ("application/ld+json", "application/vc+ld+json", "application/json")


def _page_rate() -> str:
    return settings.VERIFY_RATE_LIMIT


def _upload_rate() -> str:
    return settings.VERIFY_UPLOAD_RATE_LIMIT


# --- A shared credential ---------------------------------------------------------------------------------
def _qr_svg(url: str) -> str:
    return _qr_svg_in(url, get_language() or "")


@lru_cache(maxsize=4096)
def _qr_svg_in(url: str, language: str) -> str:
    """Drawn once per process for each address (and language of its title): it depends on nothing else."""
    # segno writes a standalone SVG; inline it (no XML declaration) with a text alternative.
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=3, border=2, title=_("QR code linking to this page"))


# A transparent 1×1 GIF: what the page's counting image receives.
_PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _friendly_not_found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An unshared or unknown credential link answers a page that explains why, with status 404, also with
    DEBUG=True (where a raised Http404 would show Django's technical page instead of ours)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return render(request, "verification/credential_not_found.html", status=404)

    return wrapper


@require_GET
@vary_on_headers("Accept")
@rate_limited("verification-page", _page_rate)
@_friendly_not_found
def credential_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """What an employer opens from a share link. Answers only while the learner shares the credential."""
    credential = credential_shared_publicly(public_id)
    if credential is None:
        raise Http404
    preferred = request.get_preferred_type(["text/html", *JSON_LD_TYPES])
    if preferred in JSON_LD_TYPES:
        # While it is shared the signed document never changes; public for a short while all the same, so
        # that a learner who stops sharing it is not held to it by caches for long.
        return cache_document(request, public_json(credential.document, preferred))
    checked = checking.credential_verdict(credential=credential)
    page_url = public_url(reverse("verification:credential", args=[credential.public_id]))
    context = {
        "user": public_viewer(request),  # the session is not read for a visitor who has none
        "public_page": True,
        "credential": credential,
        "checked": checked,
        "summary": credential_summary(credential.document),
        "revocation_reason": credential.revocation_reason if checked.verdict == "revoked" else "",
        "page_url": page_url,
        "qr_svg": mark_safe(_qr_svg(page_url)),  # noqa: S308 -- segno's SVG of our own URL  # nosec B308, B703
        "og_image": public_url(reverse("achievements_public:image", args=[credential.achievement.public_id, "png"]))
        if credential.achievement.image else "",
    }
    return cache_page(request, render(request, "verification/credential.html", context), vary=("Accept",))


@require_GET
@rate_limited("verification-page", _page_rate)
def credential_page_seen(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The page's counting image: the page itself may come from a cache, this answer never does, so each
    view of the page is counted (credential_page_view_count) however it was served."""
    credential = credential_shared_publicly(public_id)
    if credential is not None:
        credential_page_view_count(credential=credential, viewer=public_viewer(request))
    response = HttpResponse(_PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store"
    return response


# --- Check anything ------------------------------------------------------------------------------------
def _verified_context(checked: checking.Verification) -> dict[str, Any]:
    ours = checking.credential_for_document(checked)
    return {
        "ours": ours,  # our own credential: its badge image and issuer logo are shown from this site
        "checked": checked,
        "summary": credential_summary(checked.credential),
        "revocation_reason": ours.revocation_reason if ours and checked.verdict == "revoked" else "",
    }


@require_http_methods(["GET", "POST"])
@rate_limited("verification-page", _page_rate)
def verify_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"api_url": public_url(reverse("verification:verify-api"))}
    if request.method != "POST":
        context["form"] = VerifyForm()
        return render(request, "verification/verify.html", context)
    if over_limit(request, "verification-upload", _upload_rate()):
        return too_many(request, as_json=False)
    too_big = {**context, "form": VerifyForm(), "upload_error": too_big_message(), "upload_error_field": "id_file"}
    if request_too_big(request):
        return render(request, "verification/verify.html", too_big, status=413)
    try:
        form = VerifyForm(request.POST, request.FILES)
        valid = form.is_valid()
    except RequestDataTooBig:
        return render(request, "verification/verify.html", too_big, status=413)
    if not valid:
        return render(request, "verification/verify.html", {**context, "form": form}, status=400)
    checked = checking.upload_verify(data=form.data_to_check())
    if checked.limit is not None:
        # An empty form: what was refused is not echoed back.
        refused = {**context, "form": VerifyForm(), "upload_error": verdicts.limit_message(checked.limit.limit,
                                                                                     checked.limit.maximum),
                   "upload_error_field": "id_file" if form.cleaned_data.get("file") else "id_text"}
        return render(request, "verification/verify.html", refused, status=limit_status(checked.limit.limit))
    context.update(form=VerifyForm(), **_verified_context(checked))
    return render(request, "verification/verify.html", context)


@csrf_exempt  # no cookies or sessions are used; anyone may call it
@require_POST
@rate_limited("verification-upload", _upload_rate, as_json=True)
def verify_api(request: HttpRequest) -> JsonResponse:
    """POST /verify/api — check any Open Badges 3.0 credential.

    Send one of:
    - multipart/form-data with `file`: a baked PNG or SVG, a JSON credential or a JWT (at most 5 MB);
    - application/x-www-form-urlencoded or multipart with `credential`: the JSON or JWT as text;
    - application/json `{"credential": <credential object or JWT string>}`.

    Browsers may call it from any origin: `OPTIONS` answers the CORS preflight (django-cors-headers,
    CORS_URLS_REGEX in settings) and every answer carries `Access-Control-Allow-Origin: *`.

    200 answers `{"verdict", "valid", "format", "checks", "credential"}`:
    - `verdict`: "valid" | "revoked" | "suspended" | "unconfirmed" | "expired" | "not_yet_valid" | "invalid",
      ob3's verdict. "valid" only when the signature verifies with a key the issuer's own identity
      document binds to the issuer, and the status (if any) was read from a list whose own proof holds;
      "unconfirmed" ("Cannot be confirmed") when something could not be established (a key inside the
      token, a key no issuer document confirms, an unreachable document or status list, an unknown
      JSON-LD context) — neither valid nor proven forged;
    - `valid`: `verdict == "valid"`; `format`: "png" | "svg" | "json" | "jwt" | null;
    - `checks`: `[{"name", "passed", "outcome": "passed"|"failed"|"unconfirmed", "code", "warning",
      "reason"}]`, where `code` is ob3's machine code (e.g. "key_not_bound", "status_unavailable",
      "revoked") and `reason` is in English;
    - `credential`: the credential found, or null. It is what the file claims; trust it only as far as
      the verdict goes.

    Errors: 400 `{"error": "no_input"|"malformed_request", "message"}`; 413 `{"error": "too_large",
    "limit": "bytes", "maximum", "message"}` and 422 `{"error": "too_complex", "limit":
    "depth"|"array_length"|"values"|"string_length"|"proofs"|"status_entries"|"contexts"|…, "maximum",
    "message"}` when the input is over one of ob3's limits (ob3.limits, checked before any expensive work;
    `message` names it in words); 429 `{"error": "rate_limited", "message"}`.
    """
    body, status = verify_request_answer(request)
    return public_json(body, status=status)
