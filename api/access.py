"""The API's one gate: which issuer a request may reach, and whether it may do this there.

With a token: only the token's own issuer (any other answers 404, as to a stranger), only within the
token's scopes, and only what its creator's roles allow today. With a session (the browser, with CSRF):
what the person's roles allow, as in the console.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from api.models import ApiToken
from api.scopes import Scope, scope_allows
from issuers.access import access_membership_for_user, capability_refusal
from issuers.models import IssuerMember
from issuers.roles import Capability


def access_api_member(request: Request, issuer_slug: str, *, scope: Scope, capability: Capability) -> IssuerMember:
    token = request.auth if isinstance(request.auth, ApiToken) else None
    if token is not None and token.issuer.slug != issuer_slug:
        raise Http404
    member = access_membership_for_user(request.user, issuer_slug)
    if token is not None and not scope_allows(token.scopes, scope, capability):
        raise PermissionDenied(_("This token lacks the scope “%(scope)s”.") % {"scope": scope.value})
    if not member.can(capability):
        raise PermissionDenied(capability_refusal(capability).message)
    return member
