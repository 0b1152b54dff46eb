"""The OB 3.0 API's one gate: the bearer token of a learner-authorised app, and the scope the endpoint
needs. No token, an unknown, expired or revoked one: 401. A valid token without the scope: 403. The token
reaches only its own learner's wallet and profile; an inactive account is refused like a revoked token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from oauth2_provider.models import AccessToken, Application
from oauth2_provider.oauth2_backends import get_oauthlib_core

from obapi.errors import ObApiError

if TYPE_CHECKING:
    from kernel.users import AnyUser

WWW_AUTHENTICATE = 'Bearer realm="ob"'


def access_ob_token(request: HttpRequest, *, scope: str) -> AccessToken:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header.lower().startswith("bearer "):
        raise ObApiError("unauthorized", _("This needs an access token (Authorization: Bearer …)."),
                         status=401, minor="unauthorizedrequest")
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    token = getattr(oauth_request, "access_token", None) if valid else None
    if token is None or token.user is None or not token.user.is_active:
        raise ObApiError("unauthorized", _("The access token is unknown, expired or revoked."),
                         status=401, minor="unauthorizedrequest")
    if not token.allow_scopes([scope]):
        raise ObApiError("forbidden", _("The access token lacks the scope %(scope)s.") % {"scope": scope},
                         status=403, minor="forbidden")
    return token


def access_connected_app_for_learner(user: AnyUser, client_id: str) -> Application:
    """An app this learner connected (it holds or held a token or code of theirs); 404 for any other, so the
    page never confirms which apps exist."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    connected = (Q(accesstoken__user=user) | Q(refreshtoken__user=user) | Q(grant__user=user))
    application = Application.objects.filter(connected, client_id=client_id).distinct().first()
    if application is None:
        raise Http404
    return application
