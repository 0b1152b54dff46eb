"""The console's API token pages, for owners (MANAGE_MEMBERS): the issuer's tokens, creating one (its
secret shown once, on the answer to the POST, never stored) and revoking one."""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from api.models import ApiToken
from api.scopes import Scope
from api.token_forms import ApiTokenForm
from api.tokens import api_token_create, api_token_revoke
from issuers.access import access_membership_for_user
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.lookups import first_or_404
from kernel.users import AuthenticatedHttpRequest

SECTION = "api-tokens"


def _tokens_page(request: AuthenticatedHttpRequest, member: IssuerMember, form: ApiTokenForm, **extra: object
                 ) -> HttpResponse:
    tokens = ApiToken.objects.filter(issuer=member.issuer).select_related("created_by").order_by("-created_at")
    rows = [(token, [str(Scope(value).label) for value in token.scopes if value in Scope.values]) for token in tokens]
    return render(request, "api/tokens.html", {
        "member": member, "issuer": member.issuer, "section": SECTION, "rows": rows, "form": form,
        "now": timezone.now(), **extra,
    }, status=400 if form.errors else 200)


@login_required
@never_cache  # the answer to a creation carries the secret: no cache may keep it
@require_http_methods(["GET", "POST"])
def api_token_list(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.MANAGE_MEMBERS)
    if request.method != "POST":
        return _tokens_page(request, member, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = api_token_create(
                issuer=member.issuer, by=request.user, name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"], expires_at=form.expires_at(),
            )
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            # Shown on this answer only: a reload asks the browser to send the form again, never the secret.
            return _tokens_page(request, member, ApiTokenForm(), created=token, secret=secret)
    return _tokens_page(request, member, form)


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke_page(request: AuthenticatedHttpRequest, issuer_slug: str, public_id: UUID) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.MANAGE_MEMBERS)
    token = first_or_404(ApiToken.objects.filter(issuer=member.issuer), public_id=public_id)
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            api_token_revoke(token=token, by=request.user)
        except ApplicationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The API token “%(name)s” is revoked. It no longer works.") % {
                "name": token.name})
            return redirect("api_tokens:list", member.issuer.slug)
    return render(request, "api/token_revoke.html", {
        "member": member, "issuer": member.issuer, "section": SECTION, "token": token, "form": form,
    })
