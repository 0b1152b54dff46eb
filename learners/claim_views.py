"""The claim link /claim/<token>: what a recipient opens from the e-mail that told them of an award.

Thin: badges.credentials.claims decides; these views choose the page. Anonymous visitors are offered to
create an account or sign in for the address the link was sent to, and come back here afterwards (`next`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from badges.credentials.claims import (
    ClaimRefused,
    claim_belongs_to,
    claim_for_token,
    credential_claim_accept,
    credential_claim_link_renew,
    email_mask,
)
from badges.models import CredentialClaim
from kernel.ratelimit import over_limit, too_many
from learners.adapters import claim_address_prove


def _resend_rate() -> str:
    return settings.CLAIM_RESEND_RATE_LIMIT


def _unknown(request: HttpRequest) -> HttpResponse:
    return render(request, "learners/claim_unknown.html", status=404)


@require_GET
def claim(request: HttpRequest, token: str) -> HttpResponse:
    found = claim_for_token(token)
    if found is None:
        return _unknown(request)
    if found.claimed_at is not None:
        if claim_belongs_to(found, request.user):
            return redirect("learners:credential", public_id=found.credential.public_id)
        return render(request, "learners/claim_used.html", status=410)
    if found.expires_at <= timezone.now():
        return render(request, "learners/claim_expired.html", {"token": token}, status=410)
    if not request.user.is_authenticated:
        return _claim_landing(request, found, token)
    try:
        credential = credential_claim_accept(token=token, user=request.user)
    except ClaimRefused as refusal:
        return render(request, "learners/claim_refused.html", {
            "claim": found, "reason": refusal.message, "code": refusal.code,
        }, status=403 if refusal.code == "wrong_account" else 410)
    messages.success(request, _("The credential is now in your wallet."))
    return redirect("learners:credential", public_id=credential.public_id)


def _claim_landing(request: HttpRequest, found: CredentialClaim, token: str) -> HttpResponse:
    """What was awarded and by whom, with the two ways in; both come back here once signed in."""
    claim_address_prove(request.session, found.email)
    here = reverse("learners:claim", args=[token])
    return render(request, "learners/claim_landing.html", {
        "claim": found,
        "credential": found.credential,
        "signup_url": reverse("account_signup") + "?" + urlencode({"email": found.email, "next": here}),
        "login_url": reverse("account_login"),
        "next": here,
    })


@require_POST
def claim_new_link(request: HttpRequest, token: str) -> HttpResponse:
    """"Send me a new link" from an expired one: only ever to the address the first e-mail went to."""
    if over_limit(request, "claim-new-link", _resend_rate()):
        return too_many(request, as_json=False)
    try:
        sent = credential_claim_link_renew(token=token)
    except ClaimRefused as refusal:
        if refusal.code == "unknown":
            return _unknown(request)
        return render(request, "learners/claim_expired.html", {"token": token, "reason": refusal.message},
                      status=429)
    return render(request, "learners/claim_link_sent.html", {"masked_email": email_mask(sent.email)})
