"""VC-JWT signing and verification (OB 3.0 §8.2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from ob3.baking import unbake
from ob3.errors import KeyFormatError, SigningError
from ob3.keys import ED25519, P256, RSA, LocalSigner, PublicKey
from ob3.multibase import b64url_decode, b64url_encode
from ob3.proofs.vc_jwt import JwtVerification, header_jwk, sign_jwt, verify_jwt
from ob3.result import Check
from tests.ob3.support import VALIDATOR, shared

KID = "https://issuer.example/issuers/1/keys/1"
FIXED_NOW = datetime(2025, 1, 1, tzinfo=UTC)


def credential(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:8f1b2c3d-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example/issuers/1", "type": ["Profile"], "name": "Ås skole"},
        "validFrom": "2024-05-01T12:00:00Z",
        "validUntil": "2029-05-01T12:00:00Z",
        "name": "Førstehjelp",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
    }
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


@pytest.fixture(scope="module")
def signers() -> dict[str, LocalSigner]:
    return {
        "EdDSA": LocalSigner.from_ed25519_seed(bytes(range(32))),
        "ES256": LocalSigner.generate(P256),
        "RS256": LocalSigner.generate(RSA, rsa_bits=2048),
    }


@pytest.fixture
def ed(signers: dict[str, LocalSigner]) -> LocalSigner:
    return signers["EdDSA"]


def parts(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    header, payload, signature = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload)), b64url_decode(signature)


def raw_token(header: dict[str, Any], payload: dict[str, Any], signer: LocalSigner) -> str:
    """A correctly signed JWS over arbitrary header and payload, to test the claim checks."""
    signing_input = b64url_encode(json.dumps(header).encode()) + "." + b64url_encode(json.dumps(payload).encode())
    return signing_input + "." + b64url_encode(signer.sign(signing_input.encode()))


def resolver_for(signer: LocalSigner):
    def resolve(header: dict[str, Any], payload: dict[str, Any]) -> PublicKey | None:
        return signer.public_key if header.get("kid") == KID else None

    return resolve


def verify(token: str, signer: LocalSigner) -> JwtVerification:
    return verify_jwt(token, resolve_key=resolver_for(signer), now=FIXED_NOW)


def by_name(result: JwtVerification) -> dict[str, Check]:
    return {c.name: c for c in result.checks}


def failed(result: JwtVerification) -> dict[str, str]:
    return {c.name: c.reason for c in result.checks if not c.passed}


# --- signing ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["EdDSA", "ES256", "RS256"])
def test_round_trip_with_kid(signers, algorithm):
    signer = signers[algorithm]
    original = credential()
    token = sign_jwt(original, signer=signer, kid=KID)
    header, payload, signature = parts(token)
    assert header == {"alg": algorithm, "typ": "JWT", "kid": KID}
    assert payload == {
        **original,
        "iss": "https://issuer.example/issuers/1",
        "jti": original["id"],
        "nbf": 1714564800,
        "sub": "did:example:learner",
        "exp": 1872331200,
    }
    if algorithm != "RS256":
        assert len(signature) == 64  # raw r||s for ES256
    result = verify(token, signer)
    assert result.valid, failed(result)
    assert result.credential == original
    assert not any(c.warning for c in result.checks)


@pytest.mark.parametrize("algorithm", ["EdDSA", "ES256", "RS256"])
def test_round_trip_with_embedded_jwk(signers, algorithm):
    signer = signers[algorithm]
    token = sign_jwt(credential(), signer=signer, embed_jwk=True)
    header, _, _ = parts(token)
    assert header == {"alg": algorithm, "typ": "JWT", "jwk": signer.public_key.to_jwk()}
    assert "d" not in header["jwk"]
    result = verify_jwt(token, resolve_key=header_jwk)
    assert result.valid, failed(result)


def test_payload_is_compact_utf8_json(ed):
    token = sign_jwt(credential(), signer=ed, kid=KID)
    raw = b64url_decode(token.split(".")[1])
    assert "Førstehjelp".encode() in raw
    assert b", " not in raw and b": " not in raw


def test_optional_claims_follow_the_credential(ed):
    original = credential(
        validUntil=None,
        issuer="did:example:issuer",
        credentialSubject={"type": ["AchievementSubject"], "identifier": []},
        validFrom="2024-05-01T14:00:00+02:00",
    )
    _, payload, _ = parts(sign_jwt(original, signer=ed, kid=KID))
    assert payload["iss"] == "did:example:issuer"
    assert payload["nbf"] == 1714564800
    assert "sub" not in payload and "exp" not in payload
    result = verify(sign_jwt(original, signer=ed, kid=KID), ed)
    assert result.valid, failed(result)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"id": None}, "needs the credential 'id'"),
        ({"issuer": None}, "needs the issuer id"),
        ({"issuer": {"type": ["Profile"]}}, "needs the issuer id"),
        ({"validFrom": None}, "needs 'validFrom'"),
        ({"validFrom": "2024-05-01T12:00:00.250Z"}, "validFrom has fractional seconds"),
        ({"validUntil": "2029-05-01T12:00:00.5+01:00"}, "validUntil has fractional seconds"),
        ({"validFrom": "2024-05-01T12:00:00"}, "validFrom has no timezone"),
        ({"validUntil": "2029-05-01"}, "validUntil is not a date-time"),
        ({"validFrom": "2024-02-30T12:00:00Z"}, "validFrom is not a valid date-time"),
        ({"iss": "https://someone.else"}, "already has a 'iss'"),
        ({"name": float("nan")}, "cannot be written as JSON"),
    ],
)
def test_sign_rejects_bad_credentials(ed, changes, reason):
    with pytest.raises(SigningError, match=reason):
        sign_jwt(credential(**changes), signer=ed, kid=KID)


def test_sign_needs_exactly_one_key_reference(ed):
    with pytest.raises(SigningError, match="needs a key reference"):
        sign_jwt(credential(), signer=ed)
    with pytest.raises(SigningError, match="not both"):
        sign_jwt(credential(), signer=ed, kid=KID, embed_jwk=True)
    with pytest.raises(SigningError, match="kid must be a URI"):
        sign_jwt(credential(), signer=ed, kid="key-1")


def test_sign_refuses_a_signer_that_returns_der(signers):
    class DerSigner:
        public_key = signers["ES256"].public_key
        algorithm = "ES256"

        def sign(self, data: bytes) -> bytes:
            return b"\x30" + bytes(70)

    with pytest.raises(SigningError, match="64 raw bytes"):
        sign_jwt(credential(), signer=DerSigner(), kid=KID)


# --- tampering and the JOSE header --------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["EdDSA", "ES256", "RS256"])
@pytest.mark.parametrize("part", [0, 1, 2])
def test_tampering_breaks_the_signature(signers, algorithm, part):
    signer = signers[algorithm]
    token = sign_jwt(credential(), signer=signer, kid=KID)
    pieces = token.split(".")
    if part == 0:
        pieces[0] = b64url_encode(json.dumps({"alg": algorithm, "kid": KID}).encode())  # typ dropped
    elif part == 1:
        payload = json.loads(b64url_decode(pieces[1]))
        payload["name"] = "Forged"
        pieces[1] = b64url_encode(json.dumps(payload).encode())
    else:
        signature = bytearray(b64url_decode(pieces[2]))
        signature[10] ^= 1
        pieces[2] = b64url_encode(bytes(signature))
    result = verify(".".join(pieces), signer)
    assert not result.valid
    assert failed(result) == {"jwt.signature": f"{algorithm} signature invalid"}


def test_signature_from_another_key_fails(signers):
    token = sign_jwt(credential(), signer=signers["EdDSA"], kid=KID)
    other = LocalSigner.from_ed25519_seed(bytes(32))
    assert failed(verify(token, other)) == {"jwt.signature": "EdDSA signature invalid"}


def test_alg_none_is_rejected(ed):
    payload = parts(sign_jwt(credential(), signer=ed, kid=KID))[1]
    unsigned = b64url_encode(b'{"alg":"none","kid":"' + KID.encode() + b'"}') + "." + b64url_encode(
        json.dumps(payload).encode()) + "."
    result = verify(unsigned, ed)
    assert not result.valid and result.credential is None
    assert "unsigned" in failed(result)["jwt.structure"]
    with_signature = unsigned + "c2ln"
    reasons = failed(verify(with_signature, ed))
    assert "alg 'none'" in reasons["jwt.header"]
    assert "jwt.signature" not in {c.name for c in verify(with_signature, ed).checks}


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ({"alg": "HS256", "kid": KID}, "alg 'HS256' is not allowed"),
        ({"alg": "NONE", "kid": KID}, "alg 'none'"),
        ({"kid": KID}, "no 'alg' header"),
        ({"alg": "EdDSA", "kid": KID, "crit": ["b64"]}, "headers not allowed by OB 3.0: crit"),
        ({"alg": "EdDSA", "kid": KID, "x5u": "https://x", "cty": "x"}, "headers not allowed by OB 3.0: cty, x5u"),
        ({"alg": "EdDSA", "kid": KID, "typ": "vc+ld+json+jwt"}, "typ must be 'JWT'"),
        ({"alg": "EdDSA"}, "needs 'kid' or 'jwk'"),
        ({"alg": "EdDSA", "kid": 7}, "kid must be a string"),
        ({"alg": "EdDSA", "jwk": "abc"}, "jwk must be a JSON object"),
    ],
)
def test_header_rules(ed, header, reason):
    token = raw_token(header, parts(sign_jwt(credential(), signer=ed, kid=KID))[1], ed)
    result = verify(token, ed)
    assert not result.valid
    assert reason in failed(result)["jwt.header"]


def test_header_jwk_with_private_key_is_refused_before_resolving(ed):
    calls = []

    def resolve(header, payload):
        calls.append(header)
        return ed.public_key

    header = {"alg": "EdDSA", "typ": "JWT", "jwk": ed.to_private_jwk()}
    token = raw_token(header, parts(sign_jwt(credential(), signer=ed, kid=KID))[1], ed)
    result = verify_jwt(token, resolve_key=resolve)
    assert "private key material (d)" in failed(result)["jwt.key"]
    assert calls == []
    assert not result.valid


def test_key_problems(signers, ed):
    token = sign_jwt(credential(), signer=ed, kid=KID)
    assert failed(verify_jwt(token, resolve_key=lambda h, p: None)) == {
        "jwt.key": f"no key found for kid {KID!r}"}

    def broken(header, payload):
        raise KeyFormatError("the JWK at the kid URL is malformed")

    assert "malformed" in failed(verify_jwt(token, resolve_key=broken))["jwt.key"]
    wrong_kind = verify_jwt(token, resolve_key=lambda h, p: signers["RS256"].public_key)
    assert failed(wrong_kind) == {"jwt.key": "the key is RSA, which cannot verify alg EdDSA"}


@pytest.mark.parametrize(
    ("token", "reason"),
    [
        ("abc", "3 dot-separated parts, this one has 1"),
        ("a.b.c.d.e", "this one has 5"),
        ("e30.e30.c2ln.", "this one has 4"),
        ("!!.e30.c2ln", "header: not base64url"),
        (b64url_encode(b"[1]") + ".e30.c2ln", "header is not a JSON object"),
        (b64url_encode(b"{x") + ".e30.c2ln", "header is not JSON"),
        ("e30." + b64url_encode(b'{"a":1,"a":2}') + ".c2ln", "payload is not JSON: duplicate member 'a'"),
        ("e30.e30.cx", "signature is not canonical base64url"),
        ("e30." + b64url_encode(b"\xff") + ".c2ln", "payload is not JSON"),
    ],
)
def test_malformed_tokens(ed, token, reason):
    result = verify(token, ed)
    assert result.credential is None and not result.valid
    assert [c.name for c in result.checks] == ["jwt.structure"]
    assert reason in result.checks[0].reason


def test_non_string_token(ed):
    assert failed(verify(None, ed)) == {"jwt.structure": "a VC-JWT must be a string"}  # type: ignore[arg-type]


# --- claims -------------------------------------------------------------------------------------------
def signed_payload(ed: LocalSigner, original: dict[str, Any] | None = None) -> dict[str, Any]:
    return parts(sign_jwt(original or credential(), signer=ed, kid=KID))[1]


HEADER = {"alg": "EdDSA", "typ": "JWT", "kid": KID}


@pytest.mark.parametrize(
    ("changes", "check", "reason"),
    [
        ({"iss": "https://evil.example"}, "jwt.iss", "iss 'https://evil.example' differs from the issuer id"),
        ({"iss": None}, "jwt.iss", "the iss claim is missing"),
        ({"jti": "urn:uuid:other"}, "jwt.jti", "jti 'urn:uuid:other' differs from the credential id"),
        ({"jti": None}, "jwt.jti", "the jti claim is missing"),
        ({"nbf": 1714564801}, "jwt.nbf", "nbf 1714564801 differs from validFrom"),
        ({"nbf": "1714564800"}, "jwt.nbf", "nbf is not a NumericDate"),
        ({"nbf": True}, "jwt.nbf", "nbf is not a NumericDate"),
        ({"nbf": None}, "jwt.nbf", "the nbf claim is missing"),
        ({"sub": "did:example:someone-else"}, "jwt.sub", "differs from credentialSubject.id"),
        ({"exp": 1872331201}, "jwt.exp", "exp 1872331201 differs from validUntil"),
        ({"exp": None}, "jwt.exp", "the exp claim is missing"),
        ({"validUntil": None}, "jwt.exp", "exp is present but the credential has no validUntil"),
        ({"validFrom": "2024-05-01T12:00:00"}, "jwt.nbf", "validFrom has no timezone"),
        ({"issuer": {"name": "no id"}}, "jwt.iss", "the credential has no issuer id"),
        ({"id": None}, "jwt.jti", "the credential has no credential id"),
        ({"validFrom": None}, "jwt.nbf", "the credential has no validFrom"),
    ],
)
def test_each_claim_mismatch_fails_with_its_own_reason(ed, changes, check, reason):
    payload = signed_payload(ed)
    for name, value in changes.items():
        if value is None:
            payload.pop(name)
        else:
            payload[name] = value
    result = verify(raw_token(HEADER, payload, ed), ed)
    assert not result.valid
    assert list(failed(result)) == [check]
    assert reason in failed(result)[check]


def test_sub_without_subject_id_fails(ed):
    payload = signed_payload(ed, credential(credentialSubject={"type": ["AchievementSubject"]}))
    payload["sub"] = "did:example:learner"
    assert failed(verify(raw_token(HEADER, payload, ed), ed)) == {
        "jwt.sub": "sub 'did:example:learner' is present but credentialSubject has no id"}


def test_missing_sub_is_a_warning(ed):
    payload = signed_payload(ed)
    del payload["sub"]
    result = verify(raw_token(HEADER, payload, ed), ed)
    assert result.valid
    assert by_name(result)["jwt.sub"].warning


def test_dates_compare_as_instants_including_fractions(ed):
    payload = signed_payload(ed)
    payload.update(validFrom="2024-05-01T13:30:00.5+01:30", nbf=1714564800.5)
    result = verify(raw_token(HEADER, payload, ed), ed)
    assert result.valid, failed(result)


def test_validity_window_is_not_checked_here(ed):
    expired = credential(validFrom="2000-01-01T00:00:00Z", validUntil="2001-01-01T00:00:00Z")
    assert verify(sign_jwt(expired, signer=ed, kid=KID), ed).valid
    future = credential(validFrom="2999-01-01T00:00:00Z", validUntil=None)
    assert verify(sign_jwt(future, signer=ed, kid=KID), ed).valid


def test_vc11_jwt_is_accepted_with_a_warning(ed):
    vc = {
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"],
        "id": "urn:uuid:legacy",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://issuer.example/issuers/1", "type": ["Profile"]},
        "issuanceDate": "2010-01-01T00:00:00Z",
        "expirationDate": "2030-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "type": ["AchievementSubject"]},
    }
    payload = {"vc": vc, "iss": "https://issuer.example/issuers/1", "jti": "urn:uuid:legacy",
               "nbf": 1262304000, "exp": 1893456000, "sub": "did:example:learner"}
    result = verify(raw_token(HEADER, payload, ed), ed)
    assert result.valid, failed(result)
    assert result.credential == vc
    assert by_name(result)["jwt.credential"].warning
    assert by_name(result)["jwt.nbf"].reason == "nbf matches issuanceDate"

    payload["nbf"] += 1
    assert list(failed(verify(raw_token(HEADER, payload, ed), ed))) == ["jwt.nbf"]
    payload["vc"] = "not an object"
    result = verify(raw_token(HEADER, payload, ed), ed)
    assert result.credential is None and failed(result)["jwt.credential"] == "the vc claim is not a JSON object"


# --- the 1EdTech validator's JWTs ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ["simple-jwt.png", "simple-jwt.svg"])
def test_validator_jwt_verifies_with_its_header_jwk(name):
    token = unbake(shared(VALIDATOR, name).read_bytes())
    header, payload, _ = parts(token)
    # RS256 with an inline jwk and no typ; the payload carries iat and aud but no sub.
    assert header["alg"] == "RS256" and set(header) == {"alg", "jwk"}
    assert {"iat", "aud"} <= set(payload) and "sub" not in payload
    result = verify_jwt(token, resolve_key=header_jwk, now=FIXED_NOW)
    assert result.valid, failed(result)
    checks = by_name(result)
    assert checks["jwt.signature"].passed and checks["jwt.nbf"].passed and checks["jwt.jti"].passed
    assert checks["jwt.sub"].warning  # the spec requires sub; the validator does not
    assert [c.name for c in result.checks if c.warning] == ["jwt.sub"]
    assert result.credential is not None
    assert result.credential["id"] == "http://example.com/credentials/3527"
    assert not {"iss", "aud", "iat", "nbf", "jti"} & set(result.credential)


@pytest.mark.parametrize("name", ["simple-jwt_v1.png", "simple-jwt_v1.svg"])
def test_validator_vc11_jwt_verifies_with_warnings(name):
    token = unbake(shared(VALIDATOR, name).read_bytes())
    result = verify_jwt(token, resolve_key=header_jwk)
    assert result.valid, failed(result)
    assert sorted(c.name for c in result.checks if c.warning) == ["jwt.credential", "jwt.sub"]
    assert result.credential is not None and result.credential["issuanceDate"] == "2010-01-01T00:00:00Z"


def test_validator_jwt_tampered_fails():
    token = unbake(shared(VALIDATOR, "simple-jwt.png").read_bytes())
    header, payload, signature = token.split(".")
    forged = json.loads(b64url_decode(payload))
    forged["name"] = "Forged"
    result = verify_jwt(f"{header}.{b64url_encode(json.dumps(forged).encode())}.{signature}", resolve_key=header_jwk)
    assert failed(result) == {"jwt.signature": "RS256 signature invalid"}


def test_validator_plain_jwt_has_no_key_reference():
    # simple.jwt carries neither kid nor jwk, which OB 3.0 requires; its key is supplied out of band.
    token = shared(VALIDATOR, "simple.jwt").read_text().strip()
    assert failed(verify_jwt(token, resolve_key=header_jwk)) == {
        "jwt.header": "no key reference: the header needs 'kid' or 'jwk'"}


def test_kinds_are_the_keys_module_constants(signers):
    assert {s.public_key.kind for s in signers.values()} == {ED25519, P256, RSA}
