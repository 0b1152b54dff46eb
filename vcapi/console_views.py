"""The console page that shows the issuer's did:key, and creates it once (EDIT_PROFILE: an identity is part
of the issuer's profile)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from issuers.access import access_membership_for_user
from issuers.models import DidKeyIdentity
from issuers.roles import Capability
from issuers.services import did_key_identity_create
from kernel.public_urls import public_url
from kernel.users import AuthenticatedHttpRequest
from vcapi.issuing import issuer_identities


@login_required
@require_http_methods(["GET", "POST"])
def did_key_page(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.EDIT_PROFILE)
    issuer = member.issuer
    form = forms.Form(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        identity = did_key_identity_create(issuer=issuer, by=request.user)
        messages.success(request, _("The did:key identity is ready: %(did)s") % {"did": identity.did})
        return redirect("vcapi_console:did-key", issuer.slug)
    return render(request, "vcapi/did_key.html", {
        "member": member, "issuer": issuer, "section": "profile", "form": form,
        "identity": DidKeyIdentity.objects.filter(issuer=issuer).first(),
        "identities": list(issuer_identities(issuer)),
        "issue_url": public_url(reverse("vcapi:issue")),
    })
