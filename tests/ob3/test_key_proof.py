"""OpenID4VCI key proofs: what a wallet signs to bind a credential to its key."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from ob3.keys import LocalSigner
from ob3.multibase import b64url_decode, b64url_encode
from ob3.proofs.key_proof import PROOF_TYPE, KeyProofError, did_jwk, verify_key_proof

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
AUDIENCE = "https://mikromerit.test"
ED25519 = LocalSigner.from_ed25519_seed(bytes(range(32)))
P256 = LocalSigner.generate("P-256")


def did_key(signer: LocalSigner) -> str:
    return f"did:key:{signer.public_key.to_multikey()}"


def b64json(value: dict) -> str:
    return b64url_encode(json.dumps(value, separators=(",", ":")).encode())


def proof(signer: LocalSigner = ED25519, *, header: dict | None = None, payload: dict | None = None,
          alg: str | None = None) -> str:
    head = {"typ": PROOF_TYPE, "alg": alg or signer.algorithm}
    if "kid" not in (header or {}):
        head["kid"] = f"{did_key(signer)}#{did_key(signer)[8:]}"
    head.update(header or {})
    head = {name: value for name, value in head.items() if value is not None}
    body = {"aud": AUDIENCE, "iat": int(NOW.timestamp()), "nonce": "n-123"}
    body.update(payload or {})
    body = {name: value for name, value in body.items() if value is not None}
    signing_input = f"{b64json(head)}.{b64json(body)}"
    return f"{signing_input}.{b64url_encode(signer.sign(signing_input.encode()))}"


def test_a_did_key_proof_names_the_holder_and_its_nonce():
    holder = verify_key_proof(proof(), audience=AUDIENCE, now=NOW)
    assert holder.did == did_key(ED25519)
    assert holder.nonce == "n-123"
    assert holder.key.to_multikey() == ED25519.public_key.to_multikey()


def test_an_inline_jwk_becomes_a_did_jwk_holder():
    token = proof(P256, header={"kid": None, "jwk": P256.public_key.to_jwk()})
    holder = verify_key_proof(token, audience=AUDIENCE, now=NOW)
    assert holder.did.startswith("did:jwk:")
    assert json.loads(b64url_decode(holder.did.removeprefix("did:jwk:"))) == {
        name: P256.public_key.to_jwk()[name] for name in ("kty", "crv", "x", "y")}
    assert holder.did == did_jwk(P256.public_key.to_jwk())


@pytest.mark.parametrize(("changes", "reason"), [
    ({"header": {"typ": "JWT"}}, "typ must be"),
    ({"header": {"alg": "none"}}, "alg 'none'"),
    ({"header": {"alg": "HS256"}}, "alg 'HS256'"),
    ({"header": {"kid": "did:web:wallet.example#key-1"}}, "did:key"),
    ({"header": {"jwk": {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}}}, "exactly one of kid and jwk"),
    ({"header": {"kid": None}}, "exactly one of kid and jwk"),
    ({"header": {"x5c": ["MIIB"]}}, "does not accept: x5c"),
    ({"header": {"crit": ["exp"]}}, "does not accept: crit"),
    ({"payload": {"aud": "https://evil.example"}}, "another audience"),
    ({"payload": {"iat": None}}, "numeric iat"),
    ({"payload": {"iat": "yesterday"}}, "numeric iat"),
    ({"payload": {"iat": 10**20}}, "not a usable time"),
    ({"payload": {"iat": int((NOW - timedelta(minutes=6)).timestamp())}}, "too old"),
    ({"payload": {"iat": int((NOW + timedelta(minutes=5)).timestamp())}}, "in the future"),
])
def test_a_malformed_or_misdirected_proof_is_refused_with_the_reason(changes, reason):
    with pytest.raises(KeyProofError, match=reason) as caught:
        verify_key_proof(proof(**changes), audience=AUDIENCE, now=NOW)
    assert caught.value.code == "invalid_proof"


def test_a_proof_without_a_nonce_asks_for_one():
    with pytest.raises(KeyProofError, match="no nonce") as caught:
        verify_key_proof(proof(payload={"nonce": None}), audience=AUDIENCE, now=NOW)
    assert caught.value.code == "invalid_nonce"


def test_a_proof_signed_by_another_key_than_the_one_it_names_is_refused():
    other = LocalSigner.generate()
    token = proof(other, header={"kid": f"{did_key(ED25519)}#{did_key(ED25519)[8:]}"})
    with pytest.raises(KeyProofError, match="signature does not verify"):
        verify_key_proof(token, audience=AUDIENCE, now=NOW)


def test_an_alg_that_does_not_fit_the_key_is_refused():
    with pytest.raises(KeyProofError, match="cannot make an ES256"):
        verify_key_proof(proof(alg="ES256"), audience=AUDIENCE, now=NOW)


def test_rsa_holder_keys_are_not_bound():
    rsa = LocalSigner.generate("RSA", rsa_bits=2048)
    with pytest.raises(KeyProofError, match="not accepted for a holder key"):
        verify_key_proof(proof(rsa, header={"kid": None, "jwk": rsa.public_key.to_jwk()}), audience=AUDIENCE, now=NOW)


def test_private_key_material_in_the_header_is_refused():
    jwk = {**P256.public_key.to_jwk(), "d": "c2VjcmV0"}
    with pytest.raises(KeyProofError, match="private key material"):
        verify_key_proof(proof(P256, header={"kid": None, "jwk": jwk}), audience=AUDIENCE, now=NOW)


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c", None, 42, "e30.e30.", "x" * 100])
def test_garbage_is_refused_not_crashed_on(token):
    with pytest.raises(KeyProofError, match="not a compact JWS"):
        verify_key_proof(token, audience=AUDIENCE, now=NOW)


def test_an_audience_list_containing_the_issuer_is_accepted():
    holder = verify_key_proof(proof(payload={"aud": ["https://other.example", AUDIENCE]}), audience=AUDIENCE, now=NOW)
    assert holder.did == did_key(ED25519)
