"""OpenID Connect login providers for allauth's `openid_connect` provider, read from the environment.

OIDC_PROVIDERS lists provider ids (comma-separated). Each id then needs OIDC_<ID>_SERVER_URL,
OIDC_<ID>_CLIENT_ID and OIDC_<ID>_CLIENT_SECRET (or _FILE); OIDC_<ID>_NAME is the button label.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env_list, env_secret, env_str

_PROVIDER_ID = re.compile(r"^[a-z][a-z0-9]{0,29}$")


def oidc_apps_from_env() -> list[dict[str, Any]]:
    return [_app(provider_id) for provider_id in env_list("OIDC_PROVIDERS")]


def _app(provider_id: str) -> dict[str, Any]:
    # The id becomes part of environment variable names and of the callback URL, so keep it plain.
    if not _PROVIDER_ID.match(provider_id):
        raise ImproperlyConfigured(
            f"OIDC_PROVIDERS: {provider_id!r} must be lower-case letters and digits, starting with a letter."
        )
    prefix = f"OIDC_{provider_id.upper()}_"
    server_url = env_str(prefix + "SERVER_URL", required=True)
    if not server_url.startswith("https://"):
        raise ImproperlyConfigured(f"{prefix}SERVER_URL must be an https URL (the provider's issuer).")
    secret = env_secret(prefix + "CLIENT_SECRET")
    if not secret:
        raise ImproperlyConfigured(f"{prefix}CLIENT_SECRET must be set (or {prefix}CLIENT_SECRET_FILE).")
    return {
        "provider_id": provider_id,
        "name": env_str(prefix + "NAME", provider_id),
        "client_id": env_str(prefix + "CLIENT_ID", required=True),
        "secret": secret,
        "settings": {"server_url": server_url},
    }
