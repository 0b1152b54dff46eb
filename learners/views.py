"""Learner pages: the catalogue, the wallet, imports, the export and erasure, public profiles. Thin: the
gates in learners.access find things, learners.services changes them."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from badges.achievements.editions import achievement_edition
from badges.models import AssessmentType
from issuers.files import stored_file_response
from issuers.selectors import issuer_memberships_for_user
from kernel.public_urls import public_url
from kernel.users import AuthenticatedHttpRequest
from learners import dids, exports, services
from learners.access import (
    access_credential_for_learner,
    access_export_for_learner,
    access_external_credential_for_learner,
)
from learners.errors import DeletionRefused, DidProofRefused, ImportUnreadable, LearnerError
from learners.filenames import attachment_header, file_name_safe
from learners.forms import CatalogueFilterForm, DeleteAccountForm, DidProofForm, PublicProfileForm
from learners.models import LearnerExport
from learners.selectors import (
    catalogue_facets,
    catalogue_search,
    credential_history,
    credential_list_for_learner,
    credential_newer_version,
    credential_state,
    external_credential_list_for_learner,
    learner_profile_by_handle,
    learner_verified_did,
    shared_credentials_for_learner,
)
from learners.sharing import credential_share_url, linkedin_add_url, qr_svg
from verification import verdicts
from verification.forms import VerifyForm

CATALOGUE_PAGE_SIZE = 12


# --- Catalogue -----------------------------------------------------------------------------------------
@login_required
@require_GET
def after_sign_in(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where signing in leads: the console for people who work for an issuer, else the wallet."""
    if issuer_memberships_for_user(user=request.user).exists():
        return redirect("console:home")
    return redirect("learners:wallet")


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    facets = catalogue_facets()
    form = CatalogueFilterForm(request.GET or None, issuers=facets["issuers"], fields=facets["fields"])
    filters = form.cleaned_data if form.is_valid() else {}
    achievements = catalogue_search(
        text=filters.get("q") or "",
        issuer_slug=filters.get("issuer") or "",
        eqf_level=filters.get("eqf"),
        field_of_study=filters.get("field") or "",
        occupation=filters.get("occupation") or "",
        language=filters.get("language") or "",
    )
    page = Paginator(achievements, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    prefetch_related_objects(
        list(page.object_list), "translations", "learning_outcomes__translations",
        "learning_outcomes__rubric_levels__translations",
    )
    for achievement in page.object_list:
        # In the visitor's language where the issuer gave a translation, else as written.
        achievement.edition = achievement_edition(achievement, request.LANGUAGE_CODE)
        achievement.assessment_type_labels = [
            AssessmentType(kind).label for kind in achievement.assessment_types if kind in AssessmentType.values
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "learners/catalogue.html", {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filtered": any(value not in (None, "") for value in filters.values()),
    })


# --- Wallet --------------------------------------------------------------------------------------------
def _with_state(credentials, now=None):
    now = now or timezone.now()
    return [(credential, credential_state(credential, now=now)) for credential in credentials]


@login_required
@require_http_methods(["GET", "POST"])
def wallet(request: AuthenticatedHttpRequest) -> HttpResponse:
    profile = services.learner_profile_get(user=request.user)
    form = PublicProfileForm(request.POST if request.method == "POST" else None, instance=profile)
    if request.method == "POST" and form.is_valid():
        services.learner_public_profile_set(
            user=request.user,
            enabled=form.cleaned_data["public_profile_enabled"],
            display_name=form.cleaned_data["display_name"],
        )
        messages.success(request, _("Your public page settings are saved."))
        return redirect("learners:wallet")
    credentials = list(credential_list_for_learner(request.user))
    return render(request, "learners/wallet.html", {
        "credentials": _with_state(credentials),
        "externals": external_credential_list_for_learner(request.user),
        "profile": profile,
        "form": form,
        "profile_url": public_url(reverse("learners:public-profile", args=[profile.public_handle])),
    })


@login_required
@require_GET
def credential_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    credential = access_credential_for_learner(request.user, public_id)
    context = {
        "credential": credential,
        "state": credential_state(credential),
        "history": _with_state(credential_history(credential)),
        "newer": credential_newer_version(credential),
        "outcomes": _results(credential),
    }
    if credential.is_shared_publicly:
        share_url = credential_share_url(credential)
        context |= {
            "share_url": share_url,
            "linkedin_url": linkedin_add_url(credential),
            "qr_svg": qr_svg(share_url, title=_("QR code for the link to %(name)s") % {
                "name": credential.achievement.name}),
        }
    return render(request, "learners/credential_detail.html", context)


def _results(credential):
    """The credential's results next to the outcomes they are for, in the achievement's order."""
    outcomes = {str(outcome.public_id): outcome for outcome in credential.achievement.learning_outcomes.all()}
    levels = {
        str(level.public_id): level.name
        for outcome in outcomes.values() for level in outcome.rubric_levels.all()
    }
    rows = []
    for entry in credential.results or []:
        outcome = outcomes.get(str(entry.get("outcome")))
        rows.append({
            "outcome": outcome.statement if outcome else "",
            "level": levels.get(str(entry.get("level")), ""),
            "value": entry.get("value") or "",
        })
    return rows


def _filename(credential, extension: str) -> str:
    name = file_name_safe(credential.achievement.name, fallback="credential", max_length=40)
    return f"{name}-{credential.public_id}.{extension}"


@login_required
@require_GET
def credential_download(request: AuthenticatedHttpRequest, public_id: str, kind: str) -> HttpResponseBase:
    credential = access_credential_for_learner(request.user, public_id)
    response: HttpResponseBase
    if kind == "json" and credential.document:
        response = HttpResponse(
            json.dumps(credential.document, ensure_ascii=False, indent=2).encode("utf-8"),
            content_type="application/vc+ld+json",
        )
    elif kind == "jwt" and credential.jwt:
        response = HttpResponse(credential.jwt.encode("ascii"), content_type="text/plain; charset=us-ascii")
    elif kind in {"png", "svg"}:
        response = stored_file_response(credential.baked_png if kind == "png" else credential.baked_svg)
        response["Content-Type"] = "image/png" if kind == "png" else "image/svg+xml"
    else:
        raise Http404
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = attachment_header(_filename(credential, kind))
    return response


@login_required
@require_POST
def credential_share(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    credential = access_credential_for_learner(request.user, public_id)
    enabled = request.POST.get("enabled") == "on"
    try:
        services.credential_share_set(credential=credential, learner=request.user, enabled=enabled)
    except LearnerError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Sharing is on. Anyone with the link can check this credential.") if enabled
                         else _("Sharing is off. The link no longer shows this credential."))
    return redirect("learners:credential", public_id=credential.public_id)


# --- Import --------------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def credential_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A credential from elsewhere, sent through the check-a-credential form (and its size limit). Anything
    readable is kept with its verdict; an invalid one only when the learner ticks "keep it anyway"."""
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    if request.method == "POST" and form.is_valid():
        try:
            external = services.external_credential_import(
                user=request.user, data=form.data_to_check(), filename=form.file_name(),
                keep_invalid=request.POST.get("keep_invalid") == "on",
            )
        except ImportUnreadable as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The credential is in your wallet. Here is what we could check."))
            return redirect("learners:external", public_id=external.public_id)
    return render(request, "learners/import.html", {"form": form})


@login_required
@require_GET
def external_detail(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    external = access_external_credential_for_learner(request.user, public_id)
    checks = external.verification.get("checks", []) if isinstance(external.verification, dict) else []
    return render(request, "learners/external_detail.html", {
        "external": external,
        "checks": checks,
        "confirmed": verdicts.claims_confirmed(external.verdict, checks),
    })


@login_required
@require_POST
def external_delete(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponse:
    external = access_external_credential_for_learner(request.user, public_id)
    services.external_credential_delete(external=external, learner=request.user)
    messages.success(request, _("The imported credential was removed from your wallet."))
    return redirect("learners:wallet")


# --- DID ---------------------------------------------------------------------------------------------
def _did_context(request: HttpRequest, form: DidProofForm, nonce: str = "") -> dict:
    audience = settings.PUBLIC_BASE_URL
    return {
        "did": learner_verified_did(request.user),
        "form": form,
        "nonce": nonce,
        "audience": audience,
        "minutes": dids.CHALLENGE_MINUTES,
        "example_header": json.dumps({"alg": "EdDSA", "kid": "did:key:z6Mk…#z6Mk…"}),
        "example_payload": json.dumps({"nonce": nonce or "…", "aud": audience}, ensure_ascii=False),
    }


@login_required
@require_http_methods(["GET", "POST"])
def did_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """GET: the learner's DID and how to add one. POST: the signed challenge."""
    form = DidProofForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            learner_did = dids.learner_did_prove(user=request.user, token=form.cleaned_data["signed"])
        except DidProofRefused as refusal:
            form.add_error("signed", refusal.message)
        else:
            messages.success(request, _(
                "Your DID %(did)s is added. Micro-credentials issued to you from now on name it.")
                % {"did": learner_did.did})
            return redirect("learners:did")
    nonce = getattr(form, "cleaned_data", {}).get("nonce") or ""
    status = 400 if form.errors else 200
    return render(request, "learners/did.html", _did_context(request, form, nonce), status=status)


@login_required
@require_POST
def did_challenge(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new challenge, shown once on the page that the POST renders (only its hash is kept)."""
    challenge = dids.did_challenge_create(user=request.user)
    form = DidProofForm(initial={"nonce": challenge.nonce})
    return render(request, "learners/did.html", _did_context(request, form, challenge.nonce))


@login_required
@require_POST
def did_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    dids.learner_did_remove(user=request.user)
    messages.success(request, _("Your DID is removed. New micro-credentials name you only by your e-mail address."))
    return redirect("learners:did")


# --- Your data -----------------------------------------------------------------------------------------
def _export_context(request: HttpRequest, export: LearnerExport | None) -> dict:
    return {
        "export": export,
        "failure": exports.learner_export_failure_message(export) if export and export.error_code else "",
        "keep_days": settings.EXPORT_KEEP_DAYS,
    }


@login_required
@require_GET
def export_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    export = exports.learner_export_latest(user=request.user)
    return render(request, "learners/export.html", _export_context(request, export))


@login_required
@require_POST
def export_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ask for an export (or ask again after a failure); while one is in progress, that one is shown."""
    exports.learner_export_request(user=request.user)
    return redirect("learners:export")


@login_required
@require_GET
def export_status(request: AuthenticatedHttpRequest, public_id: str) -> JsonResponse:
    """One snapshot of the export for static/js/live_progress.js: its words, its numbers and its block."""
    export = access_export_for_learner(request.user, public_id)
    context = _export_context(request, export)
    html = render_to_string("learners/includes/export_status.html", context, request=request)
    response = JsonResponse({
        "done": not export.in_progress,
        "status": export.status,
        "total": export.items_total,
        "finished": export.items_done,
        "text": render_to_string("learners/includes/export_progress.html", context).strip(),
        "html": html,
    })
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def export_download(request: AuthenticatedHttpRequest, public_id: str) -> HttpResponseBase:
    export = access_export_for_learner(request.user, public_id)
    if export.status != LearnerExport.Status.READY or not export.file_name:
        raise Http404
    try:
        file = exports.export_storage().open(export.file_name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type="application/zip")
    response["Content-Disposition"] = attachment_header(f"mikromerit-{export.finished_at:%Y-%m-%d}.zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.learner_account_delete(user=request.user, password=form.cleaned_data["password"])
        except DeletionRefused as refusal:
            form.add_error("password" if refusal.code == "wrong_password" else None, refusal.message)
        else:
            logout(request)
            messages.success(request, _("Your account and your personal data have been deleted."))
            return redirect("home")
    return render(request, "learners/account_delete.html", {"form": form})


# --- Public profile ------------------------------------------------------------------------------------
@require_GET
def public_profile(request: HttpRequest, handle: str) -> HttpResponse:
    profile = learner_profile_by_handle(handle)
    if profile is None:
        raise Http404
    credentials = shared_credentials_for_learner(profile.user)
    response = render(request, "learners/public_profile.html", {
        "profile": profile,
        "credentials": [
            (credential, state, credential_share_url(credential))
            for credential, state in _with_state(credentials)
        ],
    })
    response["X-Robots-Tag"] = "noindex"
    return response
