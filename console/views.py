"""The console pages of the console app: an issuer's overview with what waits for the member."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from console.todos import member_todos
from issuers.access import access_membership_for_user
from issuers.roles import Capability
from kernel.users import AuthenticatedHttpRequest


@login_required
@require_GET
def issuer_overview(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.VIEW_CONSOLE)
    context = {"member": member, "issuer": member.issuer, "section": "home", "todos": member_todos(member)}
    return render(request, "console/issuer_home.html", context)
