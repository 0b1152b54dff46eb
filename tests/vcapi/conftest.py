"""VC-API fixtures: an issuer with a did:key, tokens made as an owner makes them, a JSON client."""

from __future__ import annotations

import json
from typing import Any

import pytest


@pytest.fixture
def owner(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "owner", Role.OWNER)


@pytest.fixture
def did_key(issuer, owner):
    from issuers.services import did_key_identity_create

    return did_key_identity_create(issuer=issuer, by=owner.user)


@pytest.fixture
def token_for(owner):
    """token_for(*scopes) -> the secret of a token of the owner's issuer."""
    from api.tokens import api_token_create

    def make(*scopes: str, by=None) -> str:
        creator = by or owner
        return api_token_create(issuer=creator.issuer, by=creator.user, name="VC-API", scopes=list(scopes))[1]

    return make


class VcApiClient:
    def __init__(self, client, secret: str | None = None):
        self.client = client
        self.secret = secret

    def post(self, path: str, body: Any, *, content_type: str = "application/json", raw: bytes | None = None,
             **headers: str):
        if self.secret:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.secret}")
        data = raw if raw is not None else json.dumps(body)
        return self.client.generic("POST", path, data, content_type=content_type, **headers)


@pytest.fixture
def signer_api(client, token_for, did_key):
    return VcApiClient(client, token_for("credentials:sign", "revoke"))


@pytest.fixture
def anonymous(client):
    return VcApiClient(client)


def credential_v2(issuer_id: str, **extra: Any) -> dict[str, Any]:
    """A minimal VC 2.0 credential, as the W3C test suites send one."""
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"][:1],
        "type": ["VerifiableCredential"],
        "issuer": issuer_id,
        "credentialSubject": {"id": "did:example:ebfeb1f712ebc6f1c276e12ec21", "name": "Alice Example"},
        **extra,
    }
