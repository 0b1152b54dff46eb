"""Public verification pages, the verify-anything endpoint, status lists, and the console's credential list.

Views only read the request, pass a gate, call one service and render.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any
from uuid import UUID

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_ratelimit.core import is_ratelimited

from badges import revocation, verdicts, verification
from badges.errors import ApplicationError
from badges.models import Credential
from badges.status_lists import status_list_published
from issuers.identifiers import public_url
from ob3.limits import DEFAULT_LIMITS, LimitExceeded, Limits
from ob3.limits import loads as bounded_loads

JSON_LD_TYPES = ("application/ld+json", "application/vc+ld+json", "application/json")
STATUS_LIST_MAX_AGE = 60  # seconds: a revocation shows everywhere within a minute


# --- Abuse resistance ----------------------------------------------------------------------------------
def _too_many(request: HttpRequest, *, as_json: bool) -> HttpResponse:
    message = _("Too many checks from your connection in a short time. Please wait a minute and try again.")
    if as_json:
        response: HttpResponse = JsonResponse({"error": "rate_limited", "message": message}, status=429)
    else:
        response = render(request, "badges/verification/rate_limited.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def rate_limited(group: str, rate: Callable[[], str], *, as_json: bool = False) -> Callable:
    """Per client IP (django-ratelimit, in the shared cache); the rate is read from settings per request."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if is_ratelimited(request, group=group, key="ip", rate=rate(), increment=True):
                return _too_many(request, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _page_rate() -> str:
    return settings.VERIFY_RATE_LIMIT


def _upload_rate() -> str:
    return settings.VERIFY_UPLOAD_RATE_LIMIT


def _json_response(data: dict, content_type: str = "application/json", status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # verifiers run in other origins' browsers
    return response


# --- Status lists --------------------------------------------------------------------------------------
@require_GET
def status_list(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    """A BitstringStatusListCredential: public, cacheable for a minute, revalidated by ETag."""
    listing = status_list_published(issuer_slug=issuer_slug, public_id=str(public_id))
    if listing is None:
        raise Http404
    if request.headers.get("If-None-Match") == listing.etag:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = _json_response(listing.document, "application/vc+ld+json")
    response["ETag"] = listing.etag
    response["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag"
    return response


# --- The public verification page ----------------------------------------------------------------------
def _qr_svg(url: str) -> str:
    # segno writes a standalone SVG; inline it (no XML declaration) with a text alternative.
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=3, border=2, title=_("QR code linking to this page"))


@require_GET
@vary_on_headers("Accept")
@rate_limited("verification-page", _page_rate)
def credential_page(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """What an employer opens from a share link. Answers only while the learner shares the credential."""
    credential = (
        Credential.objects.select_related("issuer", "achievement")
        .filter(public_id=public_id, share_enabled=True)
        .filter(status__in=[Credential.Status.ISSUED, Credential.Status.REVOKED])
        .exclude(document=None)
        .first()
    )
    if credential is None:
        raise Http404
    preferred = request.get_preferred_type(["text/html", *JSON_LD_TYPES])
    if preferred in JSON_LD_TYPES:
        return _json_response(credential.document, preferred)
    checked = verification.credential_verify(credential=credential)
    page_url = public_url(reverse("verification:credential", args=[credential.public_id]))
    context = {
        "credential": credential,
        "checked": checked,
        "summary": verification.credential_summary(credential.document),
        "revocation_reason": credential.revocation_reason if checked.verdict == "revoked" else "",
        "page_url": page_url,
        "qr_svg": mark_safe(_qr_svg(page_url)),  # noqa: S308 -- generated by segno from our own URL
        "og_image": public_url(reverse("badges:achievement-image", args=[credential.achievement.public_id, "png"]))
        if credential.achievement.image else "",
    }
    return render(request, "badges/verification/credential.html", context)


# --- Verify anything -----------------------------------------------------------------------------------
class VerifyForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Badge image or credential file"),
        required=False,
        help_text=gettext_lazy("A PNG or SVG badge, or a .json or .jwt file. At most 5 MB."),
    )
    text = forms.CharField(
        label=gettext_lazy("Or paste the credential"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=gettext_lazy("JSON, or a JWT (three parts separated by dots)."),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        upload, text = cleaned.get("file"), (cleaned.get("text") or "").strip()
        if upload is None and not text and not self.errors:
            raise forms.ValidationError(_("Choose a file or paste a credential."), code="empty")
        if upload is not None and text:
            raise forms.ValidationError(_("Give either a file or pasted text, not both."), code="both")
        if upload is not None and upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            self.add_error("file", _too_big_message())
        return cleaned


def _too_big_message() -> str:
    return _("The file is too large. A credential is at most %(size)d MB.") % {
        "size": settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024)
    }


def _body_too_big(request: HttpRequest) -> bool:
    # Refuse before Django reads a huge body: multipart overhead is small next to the limit.
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.VERIFY_UPLOAD_MAX_BYTES + 64 * 1024


def _read_upload(form: VerifyForm) -> bytes | str:
    upload = form.cleaned_data.get("file")
    if upload is not None:
        return upload.read(settings.VERIFY_UPLOAD_MAX_BYTES + 1)
    return form.cleaned_data["text"].strip()


def _verified_context(checked: verification.Verification) -> dict[str, Any]:
    ours = verification.credential_for_document(checked)
    return {
        "checked": checked,
        "summary": verification.credential_summary(checked.credential),
        "revocation_reason": ours.revocation_reason if ours and checked.verdict == "revoked" else "",
    }


def _limit_status(limit: str) -> int:
    # 413 for size in bytes, as HTTP means it; 422 for a body of acceptable size whose shape is refused.
    return 413 if limit == "bytes" else 422


@require_http_methods(["GET", "POST"])
@rate_limited("verification-page", _page_rate)
def verify_page(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"api_url": public_url(reverse("verification:verify-api"))}
    if request.method != "POST":
        context["form"] = VerifyForm()
        return render(request, "badges/verification/verify.html", context)
    if is_ratelimited(request, group="verification-upload", key="ip", rate=_upload_rate(), increment=True):
        return _too_many(request, as_json=False)
    too_big = {**context, "form": VerifyForm(), "upload_error": _too_big_message(), "upload_error_field": "id_file"}
    if _body_too_big(request):
        return render(request, "badges/verification/verify.html", too_big, status=413)
    try:
        form = VerifyForm(request.POST, request.FILES)
        valid = form.is_valid()
    except RequestDataTooBig:
        return render(request, "badges/verification/verify.html", too_big, status=413)
    if not valid:
        return render(request, "badges/verification/verify.html", {**context, "form": form}, status=400)
    checked = verification.upload_verify(data=_read_upload(form))
    if checked.limit is not None:
        # An empty form: what was refused is not echoed back.
        refused = {**context, "form": VerifyForm(), "upload_error": verdicts.limit_message(checked.limit.limit,
                                                                                     checked.limit.maximum),
                   "upload_error_field": "id_file" if form.cleaned_data.get("file") else "id_text"}
        return render(request, "badges/verification/verify.html", refused, status=_limit_status(checked.limit.limit))
    context.update(form=VerifyForm(), **_verified_context(checked))
    return render(request, "badges/verification/verify.html", context)


def _limit_response(limit: str, maximum: int) -> JsonResponse:
    return _json_response({
        "error": "too_large" if limit == "bytes" else "too_complex",
        "limit": limit,
        "maximum": maximum,
        "message": verdicts.limit_message(limit, maximum),
    }, status=_limit_status(limit))


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
    if _body_too_big(request):
        return _limit_response("bytes", settings.VERIFY_UPLOAD_MAX_BYTES)
    try:
        data = _api_input(request)
    except RequestDataTooBig:
        return _limit_response("bytes", settings.VERIFY_UPLOAD_MAX_BYTES)
    except LimitExceeded as exc:
        return _limit_response(exc.limit, exc.maximum)
    except ValueError as exc:
        return _json_response({"error": "malformed_request", "message": str(exc)}, status=400)
    if data is None:
        return _json_response(
            {"error": "no_input", "message": _("Send a file in `file` or the credential in `credential`.")},
            status=400,
        )
    if isinstance(data, bytes | str) and len(data) > settings.VERIFY_UPLOAD_MAX_BYTES:
        return _limit_response("bytes", settings.VERIFY_UPLOAD_MAX_BYTES)
    checked = verification.upload_verify(data=data)
    if checked.limit is not None:
        return _limit_response(checked.limit.limit, checked.limit.maximum)
    return _json_response(checked.to_dict())


def _body_limits() -> Limits:
    """A JSON request body `{"credential": …}`: one level and one value more than a credential may have,
    and a string as long as an upload (a JWT); the credential itself then meets ob3's own limits."""
    return replace(DEFAULT_LIMITS, max_bytes=settings.VERIFY_UPLOAD_MAX_BYTES + 64 * 1024,
                   max_depth=DEFAULT_LIMITS.max_depth + 1, max_values=DEFAULT_LIMITS.max_values + 1,
                   max_string_length=settings.VERIFY_UPLOAD_MAX_BYTES)


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
        if upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            return upload.read(settings.VERIFY_UPLOAD_MAX_BYTES + 1)
        return upload.read()
    text = (request.POST.get("credential") or "").strip()
    return text or None


# --- Console: the issuer's credentials -----------------------------------------------------------------
class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revoking"),
        max_length=revocation.REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The holder gets it by e-mail, and employers who check the credential see it."),
    )


STATES = (
    ("", gettext_lazy("All")),
    ("valid", gettext_lazy("Valid")),
    ("expired", gettext_lazy("Expired")),
    ("revoked", gettext_lazy("Revoked")),
)


@login_required
@require_GET
def console_credential_list(request: HttpRequest, issuer_slug: str) -> HttpResponse:
    member = revocation.access_issuer_for_credential_manager(request.user, issuer_slug)
    search = request.GET.get("q", "")[:200]
    state = request.GET.get("state", "")
    state = state if state in dict(STATES) else ""
    credentials = revocation.credential_list_for_issuer(issuer=member.issuer, search=search, state=state)[:200]
    return render(request, "badges/verification/console_credentials.html", {
        "member": member,
        "issuer": member.issuer,
        "section": "credentials",
        "credentials": credentials,
        "search": search,
        "state": state,
        "states": STATES,
        "now": timezone.now(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def console_credential_revoke(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = revocation.access_issuer_for_credential_manager(request.user, issuer_slug)
    credential = revocation.access_credential_for_issuer(member.issuer, str(public_id))
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            revocation.credential_revoke(credential=credential, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The credential is revoked. The holder has been told by e-mail."))
            return redirect("verification:console-credentials", member.issuer.slug)
    return render(request, "badges/verification/console_revoke.html", {
        "member": member, "issuer": member.issuer, "section": "credentials", "credential": credential, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def console_credential_reissue(request: HttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = revocation.access_issuer_for_credential_manager(request.user, issuer_slug)
    credential = revocation.access_credential_for_issuer(member.issuer, str(public_id))
    try:
        revocation.credential_reissue(credential=credential, by=request.user)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("A new credential is being issued. It appears in the list in a moment."))
    return redirect("verification:console-credentials", member.issuer.slug)
