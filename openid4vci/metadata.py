"""What a wallet reads first: the credential issuer metadata and the authorization server metadata.

One credential issuer for the whole platform (its public base URL); each credential still names its own
issuer inside. The authorization server identifier has its own path (`<base>/oid4vci`), so its RFC 8414
metadata lives at `/.well-known/oauth-authorization-server/oid4vci` and stays apart from any other OAuth
server this site runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from kernel.public_urls import public_url
from ob3.documents import OB_V3P0, VC_V2
from ob3.proofs.key_proof import HOLDER_ALGORITHMS

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
LDP_VC = "OpenBadgeCredential_ldp_vc"
JWT_VC_JSON = "OpenBadgeCredential_jwt_vc_json"
CONFIGURATION_IDS = (LDP_VC, JWT_VC_JSON)
CREDENTIAL_TYPES = ["VerifiableCredential", "OpenBadgeCredential"]


def credential_issuer_id() -> str:
    return settings.PUBLIC_BASE_URL


def authorization_server_id() -> str:
    return public_url("/oid4vci")


def _display(names: dict[str, str]) -> list[dict[str, str]]:
    return [{"name": name, "locale": locale} for locale, name in names.items()]


def _configuration(fmt: str, signing_algorithms: list[str]) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": CREDENTIAL_TYPES}
    if fmt == "ldp_vc":
        definition = {"@context": [VC_V2, OB_V3P0], **definition}
    return {
        "format": fmt,
        "credential_definition": definition,
        "cryptographic_binding_methods_supported": ["did:key", "did:jwk"],
        "credential_signing_alg_values_supported": signing_algorithms,
        "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": list(HOLDER_ALGORITHMS)}},
        "credential_metadata": {
            "display": _display({"sv": "Mikromerit (Open Badge 3.0)", "en": "Micro-credential (Open Badge 3.0)"}),
        },
    }


def credential_issuer_metadata() -> dict[str, Any]:
    return {
        "credential_issuer": credential_issuer_id(),
        "authorization_servers": [authorization_server_id()],
        "credential_endpoint": public_url(reverse("openid4vci:credential")),
        "nonce_endpoint": public_url(reverse("openid4vci:nonce")),
        "display": _display({"sv": "Mikromerit", "en": "Mikromerit"}),
        "credential_configurations_supported": {
            LDP_VC: _configuration("ldp_vc", ["eddsa-rdfc-2022"]),
            JWT_VC_JSON: _configuration("jwt_vc_json", ["RS256"]),
        },
    }


def authorization_server_metadata() -> dict[str, Any]:
    return {
        "issuer": authorization_server_id(),
        "token_endpoint": public_url(reverse("openid4vci:token")),
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["none"],
    }
