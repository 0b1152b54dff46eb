"""The documents through which verifiers find an issuer's public keys (key provenance).

- the Profile at the issuer's https id, doubling as its controller document (Multikey methods);
- the did:web DID document (Multikey for Ed25519, JsonWebKey for RSA), all ids absolute;
- a JWK Set, and a single JWK at each RSA key's `kid` URL.

Every key stays published. A compromised key carries `revoked` (Controlled Identifiers 1.0) with the
date from which it must not be trusted, so credentials signed before that keep verifying and anything
signed from then on fails. Nothing here can reach a private key: only the public columns are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from issuers.adapters import issuer_profile
from issuers.models import Issuer, SigningKey
from issuers.signing import verification_method_id
from ob3.build import build_profile
from ob3.documents import DID_V1, JWK_V1, MULTIKEY_V1, OB_V3P0, VC_V2


def published_keys(issuer: Issuer) -> list[SigningKey]:
    return [key for key in issuer.signing_keys.order_by("created_at", "pk") if key.is_published]


def profile_document(issuer: Issuer) -> dict[str, Any]:
    keys = [key for key in published_keys(issuer) if key.kind == SigningKey.Kind.ED25519]
    methods = [_multikey_method(key, key_id=verification_method_id(key), controller=issuer.public_id) for key in keys]
    profile = build_profile(issuer_profile(issuer))
    return {
        "@context": [VC_V2, OB_V3P0, MULTIKEY_V1],
        **profile,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def did_document(issuer: Issuer) -> dict[str, Any]:
    did = issuer.did
    methods = [_did_method(key, did) for key in published_keys(issuer)]
    return {
        "@context": [DID_V1, MULTIKEY_V1, JWK_V1],
        "id": did,
        "alsoKnownAs": [issuer.public_id],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwk_document(key: SigningKey) -> dict[str, Any]:
    """The public JWK with the `kid` and `iss` members the OB implementation guide asks for."""
    jwk = {**key.public_key_jwk, "kid": verification_method_id(key), "iss": key.issuer.public_id}
    return _with_revocation(jwk, key)


def jwks_document(keys: Iterable[SigningKey]) -> dict[str, Any]:
    return {"keys": [jwk_document(key) for key in keys]}


def _with_revocation(method: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    return {**method, "revoked": key.revoked_at} if key.revoked_at else method


def _multikey_method(key: SigningKey, *, key_id: str, controller: str) -> dict[str, Any]:
    method = {"id": key_id, "type": "Multikey", "controller": controller,
              "publicKeyMultibase": key.public_key_multibase}
    return _with_revocation(method, key)


def _did_method(key: SigningKey, did: str) -> dict[str, Any]:
    if key.kind == SigningKey.Kind.ED25519:
        return _multikey_method(key, key_id=f"{did}#{key.public_key_multibase}", controller=did)
    method = {"id": f"{did}#{key.thumbprint}", "type": "JsonWebKey", "controller": did,
              "publicKeyJwk": key.public_key_jwk}
    return _with_revocation(method, key)
