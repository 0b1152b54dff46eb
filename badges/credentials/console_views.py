"""The issuer console's credential pages: what the issuer has issued, revoking one, issuing one again."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from badges.credentials.access import access_credential_for_issuer, access_issuer_for_credential_manager
from badges.credentials.claims import credential_claim_resend
from badges.credentials.forms import STATES, RevokeForm
from badges.credentials.reach import CLAIM_FILTERS, credentials_with_reach
from badges.credentials.revocation import credential_reissue, credential_revoke
from badges.credentials.selectors import credential_list_for_issuer
from badges.models import Credential
from kernel.errors import ApplicationError
from kernel.ratelimit import over_limit
from kernel.users import AuthenticatedHttpRequest


@login_required
@require_GET
def credential_list(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_issuer_for_credential_manager(request.user, issuer_slug)
    search = request.GET.get("q", "")[:200]
    state = request.GET.get("state", "")
    state = state if state in dict(STATES) else ""
    claim_filter = request.GET.get("claim", "")
    claim_filter = claim_filter if claim_filter in dict(CLAIM_FILTERS) else ""
    credentials = credentials_with_reach(
        credential_list_for_issuer(issuer=member.issuer, search=search, state=state), claim_filter=claim_filter
    )[:200]
    return render(request, "badges/credentials/console_list.html", {
        "member": member,
        "issuer": member.issuer,
        "section": "credentials",
        "credentials": credentials,
        "search": search,
        "state": state,
        "states": STATES,
        "claim_filter": claim_filter,
        "claim_filters": CLAIM_FILTERS,
        "now": timezone.now(),
    })


@login_required
@require_GET
def credential_detail(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = access_issuer_for_credential_manager(request.user, issuer_slug)
    credential = access_credential_for_issuer(member.issuer, str(public_id))
    credential = credentials_with_reach(
        Credential.objects.filter(pk=credential.pk).select_related("issuer", "achievement")
    ).get()
    return render(request, "badges/credentials/console_detail.html", {
        "member": member, "issuer": member.issuer, "section": "credentials", "credential": credential,
        "claim": getattr(credential, "claim", None),
        "events": credential.events.select_related("actor").order_by("-pk")[:50],
        "now": timezone.now(),
    })


@login_required
@require_POST
def credential_claim_resend_action(
    request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID
) -> HttpResponse:
    """A new claim link for the recipient: the old one stops working and the expiry starts again."""
    member = access_issuer_for_credential_manager(request.user, issuer_slug)
    credential = access_credential_for_issuer(member.issuer, str(public_id))
    if over_limit(request, "claim-resend", settings.CLAIM_RESEND_RATE_LIMIT):
        messages.error(request, _("You have sent many links in a short time. Please wait a while and try again."))
    else:
        try:
            credential_claim_resend(credential=credential, by=request.user)
        except ApplicationError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("A new link has been sent. The earlier link no longer works."))
    return redirect("credentials_console:detail", member.issuer.slug, credential.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def credential_revoke_page(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = access_issuer_for_credential_manager(request.user, issuer_slug)
    credential = access_credential_for_issuer(member.issuer, str(public_id))
    form = RevokeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            credential_revoke(credential=credential, by=request.user, reason=form.cleaned_data["reason"])
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The credential is revoked. The holder has been told by e-mail."))
            return redirect("credentials_console:list", member.issuer.slug)
    return render(request, "badges/credentials/console_revoke.html", {
        "member": member, "issuer": member.issuer, "section": "credentials", "credential": credential, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def credential_reissue_action(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = access_issuer_for_credential_manager(request.user, issuer_slug)
    credential = access_credential_for_issuer(member.issuer, str(public_id))
    try:
        credential_reissue(credential=credential, by=request.user)
    except ApplicationError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("A new credential is being issued. It appears in the list in a moment."))
    return redirect("credentials_console:list", member.issuer.slug)
