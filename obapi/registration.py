"""Dynamic client registration (RFC 7591) as the OB 3.0 security profile describes it: no initial access
token; the client names itself (client_name, client_uri, logo_uri, tos_uri, policy_uri, software_id,
software_version), its redirect_uris and the scopes it will ask for; every URL is https and on one host.
The answer is the client's metadata with a client_id and a client_secret shown this once (only its hash
is kept)."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.models import Application

from kernel.validation import url_is_public
from obapi.errors import RegistrationRefused
from obapi.models import ClientRegistration
from obapi.scopes import KNOWN_SCOPES

URL_FIELDS = ("client_uri", "logo_uri", "tos_uri", "policy_uri")
TEXT_FIELDS = ("client_name", "software_id", "software_version")
MAX_TEXT = 200
MAX_URL = 500
MAX_REDIRECT_URIS = 10


def _https_url(value: Any, field: str, *, code: str = "invalid_client_metadata") -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_URL:
        raise RegistrationRefused(code, _("%(field)s must be an https URL.") % {"field": field})
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password or parts.fragment:
        raise RegistrationRefused(code, _("%(field)s must be an https URL.") % {"field": field})
    # The consent page shows these as links and loads the logo: never an address inside our network.
    if not url_is_public(value):
        raise RegistrationRefused(code, _("%(field)s must be a public https URL.") % {"field": field})
    return value


def client_register(*, metadata: Any) -> tuple[ClientRegistration, str]:
    """Register a client; returns the registration and its secret (shown once). Nothing is stored on refusal."""
    if not isinstance(metadata, dict):
        raise RegistrationRefused("invalid_client_metadata", _("The request body must be a JSON object."))
    for field in TEXT_FIELDS:
        value = metadata.get(field)
        if not isinstance(value, str) or not value.strip() or len(value) > MAX_TEXT:
            raise RegistrationRefused("invalid_client_metadata", _("%(field)s is required (at most %(max)s "
                                      "characters).") % {"field": field, "max": MAX_TEXT})
    urls = {field: _https_url(metadata.get(field), field) for field in URL_FIELDS}
    redirect_uris = metadata.get("redirect_uris")
    if not isinstance(redirect_uris, list) or not redirect_uris or len(redirect_uris) > MAX_REDIRECT_URIS:
        raise RegistrationRefused("invalid_redirect_uri", _("redirect_uris must list one to %(max)s https URLs.")
                                  % {"max": MAX_REDIRECT_URIS})
    redirects = [_https_url(uri, "redirect_uris", code="invalid_redirect_uri") for uri in redirect_uris]
    for uri in redirects:
        if " " in uri:
            raise RegistrationRefused("invalid_redirect_uri", _("redirect_uris must list https URLs."))
    hosts = {urlsplit(url).hostname for url in [*urls.values(), *redirects]}
    if len(hosts) != 1:
        raise RegistrationRefused("invalid_client_metadata", _("Every URL of a client must be on one host name."))
    scope = metadata.get("scope")
    scopes = scope.split() if isinstance(scope, str) else []
    if not scopes or any(item not in KNOWN_SCOPES for item in scopes):
        raise RegistrationRefused("invalid_client_metadata", _("scope must name Open Badges 3.0 scopes, "
                                  "separated by spaces."))
    auth_method = metadata.get("token_endpoint_auth_method", "client_secret_basic")
    if auth_method != "client_secret_basic":
        raise RegistrationRefused("invalid_client_metadata", _("token_endpoint_auth_method must be "
                                  "client_secret_basic."))
    grant_types = metadata.get("grant_types", ["authorization_code", "refresh_token"])
    if not isinstance(grant_types, list) or not set(grant_types) <= {"authorization_code", "refresh_token"}:
        raise RegistrationRefused("invalid_client_metadata", _("grant_types may be authorization_code and "
                                  "refresh_token."))
    if metadata.get("response_types", ["code"]) != ["code"]:
        raise RegistrationRefused("invalid_client_metadata", _("response_types must be [\"code\"]."))
    contacts = metadata.get("contacts", [])
    if not isinstance(contacts, list) or len(contacts) > 10 or not all(
        isinstance(c, str) and len(c) <= 254 for c in contacts
    ):
        raise RegistrationRefused("invalid_client_metadata", _("contacts must be a list of e-mail addresses."))

    secret = secrets.token_urlsafe(48)
    with transaction.atomic():
        application = Application.objects.create(
            name=metadata["client_name"].strip(),
            client_type=Application.CLIENT_CONFIDENTIAL,
            authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
            redirect_uris=" ".join(redirects),
            client_secret=secret,
            hash_client_secret=True,
            skip_authorization=False,
        )
        registration = ClientRegistration.objects.create(
            application=application, **urls,
            software_id=metadata["software_id"], software_version=metadata["software_version"],
            scope=" ".join(dict.fromkeys(scopes)), contacts=contacts,
            metadata={key: value for key, value in metadata.items() if key != "client_secret"},
        )
    return registration, secret


def registration_answer(registration: ClientRegistration, secret: str) -> dict[str, Any]:
    application = registration.application
    return {
        **registration.metadata,
        "client_id": application.client_id,
        "client_secret": secret,
        "client_id_issued_at": int(registration.created_at.timestamp()) if registration.created_at
        else int(timezone.now().timestamp()),
        "client_secret_expires_at": 0,
        "redirect_uris": application.redirect_uris.split(),
        "scope": registration.scope,
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
    }
