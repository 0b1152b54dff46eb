"""The VC-API's gate: the REST API's bearer tokens (api.tokens), within a scope and what the token's creator
may do today as a member of the token's issuer (api.scopes: a scope never adds power)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from api.models import ApiToken
from api.scopes import Scope, scope_allows
from api.tokens import api_token_for_secret
from issuers.models import IssuerMember
from issuers.roles import Capability
from vcapi.errors import VcApiRefusal


def access_vc_api_token(request: HttpRequest, *, scope: Scope, capability: Capability) -> tuple[ApiToken, IssuerMember]:
    """(token, member) for `Authorization: Bearer mkm_…`; VcApiRefusal 401 without a usable token, 403 when
    the token lacks the scope or its creator the capability."""
    scheme, _space, secret = request.headers.get("Authorization", "").partition(" ")
    token = api_token_for_secret(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise VcApiRefusal(401, "unauthorized", _("Send a usable API token: Authorization: Bearer mkm_…"))
    member = IssuerMember.objects.select_related("issuer").filter(issuer=token.issuer, user=token.created_by).first()
    if not scope_allows(token.scopes, scope, capability):
        raise VcApiRefusal(403, "forbidden", _("This token lacks the scope “%(scope)s”.") % {"scope": scope.value})
    if member is None or not member.can(capability):
        raise VcApiRefusal(403, "forbidden", _("The person who made this token may no longer do this."))
    return token, member
