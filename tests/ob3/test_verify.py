"""End to end through the public API: build → sign → bake → verify, and everything that must fail."""

import base64
import io
import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PIL import Image as PILImage

from ob3.baking import bake_png, bake_svg
from ob3.build import build_credential
from ob3.keys import LocalSigner
from ob3.model import StatusEntry
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt
from ob3.resolve import KeyResolver
from ob3.status_list import build_status_list_credential, encode_list, new_status_list, set_bit
from ob3.verify import verify
from tests.ob3.factories import ISSUER_ID, STATUS_LIST_URL, realistic_draft

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SIGNER = LocalSigner.from_ed25519_seed(bytes(range(32)))
METHOD = f"{ISSUER_ID}#{SIGNER.public_key.to_multikey()}"


def controller_document(signer=SIGNER, issuer_id=ISSUER_ID):
    method = f"{issuer_id}#{signer.public_key.to_multikey()}"
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": issuer_id, "verificationMethod": [{"id": method, "type": "Multikey", "controller": issuer_id,
                                                     "publicKeyMultibase": signer.public_key.to_multikey()}],
            "assertionMethod": [method]}


RESOLVER = KeyResolver({ISSUER_ID: controller_document()})


def signed(draft=None, signer=SIGNER, method=METHOD):
    document = build_credential(draft or realistic_draft())
    return sign_credential(document, signer=signer, verification_method=method, created=NOW)


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (10, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def test_our_credential_verifies_with_every_check_passing():
    result = verify(signed(), resolver=RESOLVER, now=NOW)
    assert result.valid and result.verdict == "valid"
    names = [c.name for c in result.checks]
    for expected in ("format", "context", "type", "safe_mode", "schema", "issuer", "proof", "issuer_key",
                     "not_before", "expiry", "revocation"):
        assert expected in names
    assert not [c for c in result.checks if c.warning and c.name != "revocation"]


def test_baked_png_and_svg_verify_the_same():
    credential = signed()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    for data, kind in ((bake_png(png_bytes(), credential), "png"), (bake_svg(svg, credential), "svg")):
        result = verify(data, resolver=RESOLVER, now=NOW)
        assert result.valid and result.format == kind


def test_jwt_verifies_and_key_must_be_the_issuers():
    rsa = LocalSigner.generate("RSA", rsa_bits=2048)
    credential = build_credential(realistic_draft())
    kid = f"{ISSUER_ID}/keys/rsa-1"
    jwk = {**rsa.public_key.to_jwk(), "kid": kid, "iss": ISSUER_ID}
    token = sign_jwt(credential, signer=rsa, kid=kid)
    result = verify(token, resolver=KeyResolver(jwks=[jwk]), now=NOW)
    assert result.valid, [(c.name, c.reason) for c in result.checks if not c.passed]
    stranger = {**jwk, "iss": "https://someone-else.example/issuers/1"}
    result = verify(token, resolver=KeyResolver(jwks=[stranger]), now=NOW)
    assert not result.valid and "not to the issuer" in result.check("issuer_key").reason


def test_tampered_credential_fails_the_proof():
    credential = signed()
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    result = verify(credential, resolver=RESOLVER, now=NOW)
    assert result.verdict == "invalid" and "signature does not match" in result.check("proof").reason


def test_tampered_baked_png_fails_the_proof():
    credential = signed()
    text = json.dumps(credential, ensure_ascii=False).replace("Högskolan", "Hogskolan")
    baked = bake_png(png_bytes(), json.loads(text))
    assert not verify(baked, resolver=RESOLVER, now=NOW).valid


def test_a_key_the_issuer_does_not_list_is_refused():
    intruder = LocalSigner.generate()
    forged = signed(signer=intruder, method=f"{ISSUER_ID}#{intruder.public_key.to_multikey()}")
    result = verify(forged, resolver=RESOLVER, now=NOW)
    assert not result.valid and "not listed" in result.check("proof").reason


def test_a_fragment_key_with_no_controller_document_passes_only_with_a_warning():
    result = verify(signed(), now=NOW)
    assert result.valid
    ownership = result.check("issuer_key")
    assert ownership.warning and "not consulted" in ownership.reason


def test_a_did_key_signature_on_an_https_issuer_is_not_the_issuers():
    other = LocalSigner.generate()
    did = "did:key:" + other.public_key.to_multikey()
    result = verify(signed(signer=other, method=f"{did}#{did[8:]}"), now=NOW)
    assert not result.valid and "not to the issuer" in result.check("issuer_key").reason


def test_did_web_issuer_resolves_from_its_did_document():
    did = "did:web:localhost%3A8000:issuers:demo"
    method = f"{did}#key-1"
    document = {"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
                "verificationMethod": [{"id": method, "type": "Multikey", "controller": did,
                                        "publicKeyMultibase": SIGNER.public_key.to_multikey()}],
                "assertionMethod": [method]}
    draft = realistic_draft()
    draft = replace(draft, issuer=replace(draft.issuer, id=did))
    resolver = KeyResolver({"https://localhost:8000/issuers/demo/did.json": document})
    result = verify(signed(draft, method=method), resolver=resolver, now=NOW)
    assert result.valid, [(c.name, c.reason) for c in result.checks if not c.passed]


def test_expired_and_not_yet_valid_verdicts():
    draft = realistic_draft(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=30))
    assert verify(signed(draft), resolver=RESOLVER, now=NOW).verdict == "expired"
    draft = realistic_draft(valid_from=NOW + timedelta(days=1), valid_until=None)
    assert verify(signed(draft), resolver=RESOLVER, now=NOW).verdict == "not_yet_valid"


def _status_list(revoked_index=None):
    bits = new_status_list()
    if revoked_index is not None:
        set_bit(bits, revoked_index)
    draft = realistic_draft()
    unsigned = build_status_list_credential(id=STATUS_LIST_URL, issuer=draft.issuer, valid_from=NOW,
                                            encoded_list=encode_list(bits))
    return sign_credential(unsigned, signer=SIGNER, verification_method=METHOD, created=NOW)


def test_revocation_through_a_signed_bitstring_status_list():
    index = random.Random(3).randrange(131072)
    draft = realistic_draft(status=StatusEntry(status_list_credential=STATUS_LIST_URL, status_list_index=index))
    credential = signed(draft)
    lists = {STATUS_LIST_URL: _status_list()}
    assert verify(credential, resolver=RESOLVER, status_fetcher=lists.__getitem__, now=NOW).verdict == "valid"
    lists[STATUS_LIST_URL] = _status_list(revoked_index=index)
    result = verify(credential, resolver=RESOLVER, status_fetcher=lists.__getitem__, now=NOW)
    assert result.verdict == "revoked"


def test_a_forged_status_list_is_not_trusted():
    draft = realistic_draft(status=StatusEntry(status_list_credential=STATUS_LIST_URL, status_list_index=5))
    forged = _status_list()
    bits = new_status_list()
    set_bit(bits, 99)  # someone rewrites the list without the issuer's key
    forged["credentialSubject"]["encodedList"] = encode_list(bits)
    result = verify(signed(draft), resolver=RESOLVER, status_fetcher=lambda url: forged, now=NOW)
    assert not result.valid and "not trustworthy" in result.check("revocation").reason


@pytest.mark.parametrize("data,reason", [
    (b"", "not a PNG, SVG"),
    (b"\xff\x00\x01garbage", "not text"),
    (b"{not json", "malformed JSON"),
    (b"\x89PNG\r\n\x1a\ntruncated", "PNG image"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg>&a;</svg>', "SVG image"),
    (b"hello world", "not a PNG, SVG"),
    (b"a" * (6 * 1024 * 1024), "larger than"),
])
def test_unusable_input_is_reported_never_raised(data, reason):
    result = verify(data, now=NOW)
    assert not result.valid
    assert reason in result.check("format").reason


@pytest.mark.parametrize("document", [
    {}, {"@context": "x"}, {"@context": ["https://www.w3.org/ns/credentials/v2"], "proof": "x"},
    {"@context": [1, 2], "issuer": [], "validFrom": 5, "credentialStatus": [1], "proof": [None, 3]},
    {"@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
     "type": "VerifiableCredential", "issuer": {"id": 1}, "proof": {"verificationMethod": {"x": 1}}},
])
def test_hostile_json_gives_failed_checks_not_exceptions(document):
    result = verify(document, now=NOW)
    assert not result.valid and result.verdict == "invalid"


def test_a_jwt_with_alg_none_is_refused():
    credential = build_credential(realistic_draft())
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    payload = base64.urlsafe_b64encode(json.dumps(credential).encode()).rstrip(b"=").decode()
    assert not verify(f"{header}.{payload}.", now=NOW).valid


def test_result_serialises_to_json():
    out = verify(signed(), resolver=RESOLVER, now=NOW).to_dict()
    assert json.loads(json.dumps(out))["verdict"] == "valid"


def _revoked_controller(since):
    document = controller_document()
    document["verificationMethod"][0]["revoked"] = since
    return KeyResolver({ISSUER_ID: document})


def test_a_key_reported_compromised_invalidates_signatures_from_that_date_on():
    resolver = _revoked_controller("2026-11-01T00:00:00Z")
    before = sign_credential(build_credential(realistic_draft()), signer=SIGNER, verification_method=METHOD,
                             created=datetime(2026, 10, 31, tzinfo=UTC))
    after = signed()  # created = NOW, after the compromise date
    early = verify(before, resolver=resolver, now=NOW)
    assert early.valid and early.check("key_status").warning
    late = verify(after, resolver=resolver, now=NOW)
    assert not late.valid and "compromised from 2026-11-01T00:00:00Z" in late.check("key_status").reason
