"""The start page: what each kind of visitor can do here, and a signed-in person's own next steps."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from issuers.selectors import issuer_memberships_for_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    memberships = issuer_memberships_for_user(user=request.user) if request.user.is_authenticated else []
    return render(request, "home.html", {"memberships": memberships})
