"""The documents through which verifiers find an issuer's public keys (key provenance).

- the Profile at the issuer's https id, doubling as its controller document;
- each key on its own at `{https id}/keys/{thumbprint}`: a Multikey document (Ed25519) or a JWK (RSA);
- the did:web DID document (Multikey for Ed25519, JsonWebKey for RSA), all ids absolute;
- a JWK Set.

All of them are served whichever identity the issuer chose (Issuer.identity_kind): credentials signed
under the other one, or before issuers could choose, keep verifying.

The Profile's @context starts with the DID v1 context. jsonld-signatures (Digital Bazaar, DCC) then
reads `verificationMethod`/`assertionMethod` without re-framing, and the document passes JSON-LD safe
mode: the OB context alone defines neither term.

Every key stays published. A compromised key carries `revoked` (Controlled Identifiers 1.0) with the
date from which it must not be trusted, so credentials signed before that keep verifying and anything
signed from then on fails. Nothing here can reach a private key: only the public columns are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from issuers.adapters import issuer_profile
from issuers.models import IdentityKind, Issuer, SigningKey
from issuers.signing import key_url, legacy_verification_method_id, verification_method_id
from ob3.build import build_profile
from ob3.documents import DID_V1, JWK_V1, MULTIKEY_V1, OB_V3P0

PROFILE_CONTEXT = [DID_V1, MULTIKEY_V1, JWK_V1, OB_V3P0]
DID_CONTEXT = [DID_V1, MULTIKEY_V1, JWK_V1]


def published_keys(issuer: Issuer) -> list[SigningKey]:
    return [key for key in issuer.signing_keys.order_by("created_at", "pk") if key.is_published]


def profile_document(issuer: Issuer) -> dict[str, Any]:
    """The Profile at the https id, listing every published key under its key URL (and, for Ed25519,
    under the `#z6Mk…` id proofs used before the key URLs existed)."""
    methods = []
    for key in published_keys(issuer):
        methods.append(_method(key, key_id=key_url(key), controller=issuer.public_id))
        if key.kind == SigningKey.Kind.ED25519:
            methods.append(_method(key, key_id=legacy_verification_method_id(key), controller=issuer.public_id))
    profile = build_profile(issuer_profile(issuer, identity_kind=IdentityKind.HTTPS))
    return {
        "@context": PROFILE_CONTEXT,
        **profile,
        "alsoKnownAs": [issuer.did],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def key_document(key: SigningKey) -> dict[str, Any]:
    """What the key URL serves: the key itself, so a verifier that dereferences the proof's
    verificationMethod literally gets a document whose `controller` it can compare with the issuer."""
    if key.kind == SigningKey.Kind.RSA:
        return jwk_document(key)
    method = _method(key, key_id=key_url(key), controller=key.issuer.public_id)
    return {"@context": MULTIKEY_V1, **method}


def did_document(issuer: Issuer) -> dict[str, Any]:
    did = issuer.did
    methods = [
        _method(key, key_id=verification_method_id(key, IdentityKind.DID_WEB), controller=did)
        for key in published_keys(issuer)
    ]
    return {
        "@context": DID_CONTEXT,
        "id": did,
        "alsoKnownAs": [issuer.public_id],
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


def jwk_document(key: SigningKey) -> dict[str, Any]:
    """The public JWK with the `kid` and `iss` members the OB implementation guide asks for. It is not
    JSON-LD: VC-JWT verifiers (and the 1EdTech validator) expect a bare JWK at the `kid` URL."""
    jwk = {**key.public_key_jwk, "kid": key_url(key), "iss": key.issuer.public_id}
    return _with_revocation(jwk, key)


def jwks_document(keys: Iterable[SigningKey]) -> dict[str, Any]:
    return {"keys": [jwk_document(key) for key in keys]}


def _with_revocation(method: dict[str, Any], key: SigningKey) -> dict[str, Any]:
    return {**method, "revoked": key.revoked_at} if key.revoked_at else method


def _method(key: SigningKey, *, key_id: str, controller: str) -> dict[str, Any]:
    """A verification method: Multikey for Ed25519, JsonWebKey for RSA."""
    if key.kind == SigningKey.Kind.ED25519:
        method = {"id": key_id, "type": "Multikey", "controller": controller,
                  "publicKeyMultibase": key.public_key_multibase}
    else:
        method = {"id": key_id, "type": "JsonWebKey", "controller": controller, "publicKeyJwk": key.public_key_jwk}
    return _with_revocation(method, key)
