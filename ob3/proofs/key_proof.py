"""OpenID4VCI key proofs: the JWT a wallet signs to show it holds the key a credential is bound to.

OpenID for Verifiable Credential Issuance 1.0, §8.2.1.1 and Appendix F.1: header `typ`
`openid4vci-proof+jwt`, an asymmetric `alg`, and the key as a `kid` (here: a did:key DID URL) or an
inline public `jwk`; payload `aud` (the credential issuer identifier), `iat`, and the `nonce` the issuer
handed out. The holder's DID is the did:key itself or, for an inline JWK, the did:jwk made from it.
Nothing here knows which nonces are fresh: the caller checks that (it owns the store).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from ob3.errors import KeyFormatError, Ob3Error
from ob3.keys import PublicKey
from ob3.multibase import b64url_encode
from ob3.proofs.vc_jwt import ALLOWED_ALGORITHMS, PRIVATE_JWK_MEMBERS, parse_compact_jws

PROOF_TYPE = "openid4vci-proof+jwt"
# Holder keys are Ed25519 or P-256 in every wallet we know of; RSA holder keys are not bound.
HOLDER_ALGORITHMS = ("EdDSA", "ES256")
_ALLOWED_HEADERS = frozenset({"alg", "typ", "kid", "jwk"})
_PUBLIC_JWK_MEMBERS = {"OKP": ("kty", "crv", "x"), "EC": ("kty", "crv", "x", "y")}


class KeyProofError(Ob3Error):
    """The key proof is malformed, stale, for another audience, or not signed by the key it names."""

    def __init__(self, message: str, *, code: str = "invalid_proof"):
        super().__init__(message)
        self.code = code  # the OpenID4VCI error code: invalid_proof or invalid_nonce


@dataclass(frozen=True)
class HolderKey:
    did: str  # did:key:… or did:jwk:…, what credentialSubject.id becomes
    key: PublicKey
    nonce: str  # the nonce the proof answers; the caller checks it was ours and unused


def did_jwk(jwk: dict[str, Any]) -> str:
    """did:jwk of a public JWK: base64url of its JSON with only the public members (did:jwk §2)."""
    members = _PUBLIC_JWK_MEMBERS.get(jwk.get("kty", ""))
    if members is None:
        raise KeyProofError(f"a holder JWK must be OKP or EC, not {jwk.get('kty')!r}")
    public = {name: jwk[name] for name in members if name in jwk}
    return "did:jwk:" + b64url_encode(json.dumps(public, separators=(",", ":")).encode("utf-8"))


def _holder(header: dict[str, Any]) -> tuple[str, PublicKey]:
    if ("kid" in header) == ("jwk" in header):
        raise KeyProofError("the proof header needs exactly one of kid and jwk")
    try:
        if "kid" in header:
            kid = header["kid"]
            if not isinstance(kid, str) or not kid.startswith("did:key:"):
                raise KeyProofError("the kid must be a did:key DID URL (other DID methods are not resolved)")
            did = kid.split("#", 1)[0]
            return did, PublicKey.from_did_key(did)
        jwk = header["jwk"]
        if not isinstance(jwk, dict):
            raise KeyProofError("jwk must be a JSON object")
        private = [member for member in PRIVATE_JWK_MEMBERS if member in jwk]
        if private:
            raise KeyProofError(f"the header jwk contains private key material ({', '.join(private)}); refused")
        return did_jwk(jwk), PublicKey.from_jwk(jwk)
    except KeyFormatError as exc:
        raise KeyProofError(f"the holder key is malformed: {exc}") from None


def _audience_matches(audience: object, expected: str) -> bool:
    if isinstance(audience, str):
        return audience == expected
    return isinstance(audience, list) and expected in audience


def verify_key_proof(
    token: object,
    *,
    audience: str,
    now: datetime,
    max_age: timedelta = timedelta(minutes=5),
    leeway: timedelta = timedelta(seconds=60),
) -> HolderKey:
    """Check a `jwt` key proof and return the holder's key, DID and the nonce it answers; KeyProofError
    (code invalid_proof or invalid_nonce) with the reason otherwise."""
    try:
        header, payload, signing_input, signature = parse_compact_jws(token)
    except ValueError as exc:
        raise KeyProofError(f"the key proof is not a compact JWS: {exc}") from None
    if header.get("typ") != PROOF_TYPE:
        raise KeyProofError(f"the key proof's typ must be {PROOF_TYPE!r}, not {header.get('typ')!r}")
    algorithm = header.get("alg")
    if not isinstance(algorithm, str) or algorithm.lower() == "none" or algorithm not in ALLOWED_ALGORITHMS:
        raise KeyProofError(f"alg {algorithm!r} is not accepted for a key proof")
    if algorithm not in HOLDER_ALGORITHMS:
        raise KeyProofError(f"alg {algorithm} is not accepted for a holder key (only {', '.join(HOLDER_ALGORITHMS)})")
    unknown = sorted(set(header) - _ALLOWED_HEADERS)
    if unknown:
        raise KeyProofError(f"the key proof header has members this issuer does not accept: {', '.join(unknown)}")
    did, key = _holder(header)
    if key.jose_algorithm != algorithm:
        raise KeyProofError(f"the holder key is {key.kind}, which cannot make an {algorithm} signature")
    if not key.verify(signature, signing_input, algorithm=algorithm):
        raise KeyProofError("the key proof's signature does not verify with the key it names")
    if not _audience_matches(payload.get("aud"), audience):
        raise KeyProofError(f"the key proof is for another audience ({payload.get('aud')!r}), not {audience!r}")
    issued_at = payload.get("iat")
    if isinstance(issued_at, bool) or not isinstance(issued_at, int | float):
        raise KeyProofError("the key proof needs a numeric iat")
    try:
        issued = datetime.fromtimestamp(issued_at, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise KeyProofError("the key proof's iat is not a usable time") from None
    if issued > now + leeway:
        raise KeyProofError("the key proof was issued in the future (iat)")
    if issued < now - max_age:
        raise KeyProofError("the key proof is too old (iat); make a new one with a fresh nonce")
    nonce = payload.get("nonce")
    if not isinstance(nonce, str) or not nonce:
        raise KeyProofError("the key proof has no nonce: get one from the nonce endpoint", code="invalid_nonce")
    return HolderKey(did=did, key=key, nonce=nonce)
