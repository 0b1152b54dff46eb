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
from ob3.errors import Ob3Error
from ob3.keys import LocalSigner
from ob3.model import StatusEntry
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt
from ob3.resolve import KeyResolver, KeyUnavailable
from ob3.status_check import check_status
from ob3.status_list import build_status_list_credential, encode_list, new_status_list, set_bit
from ob3.verify import verify
from tests.ob3.factories import ISSUER_ID, STATUS_LIST_URL, realistic_draft

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
SIGNER = LocalSigner.from_ed25519_seed(bytes(range(32)))
METHOD = f"{ISSUER_ID}#{SIGNER.public_key.to_multikey()}"
STATUS_INDEX = realistic_draft().status.status_list_index


def controller_document(signer=SIGNER, issuer_id=ISSUER_ID, methods=None, extra=()):
    """The issuer's controller document listing `signer`'s key under `methods` (and `extra` entries)."""
    methods = methods or [f"{issuer_id}#{signer.public_key.to_multikey()}"]
    entries = [{"id": method, "type": "Multikey", "controller": issuer_id,
                "publicKeyMultibase": signer.public_key.to_multikey()} for method in methods] + list(extra)
    return {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
                         "https://w3id.org/security/jwk/v1"],
            "id": issuer_id, "verificationMethod": entries, "assertionMethod": [entry["id"] for entry in entries]}


RESOLVER = KeyResolver({ISSUER_ID: controller_document()})


def signed(draft=None, signer=SIGNER, method=METHOD):
    document = build_credential(draft or realistic_draft())
    return sign_credential(document, signer=signer, verification_method=method, created=NOW)


def status_list(revoked_index=None, issuer=None):
    bits = new_status_list()
    if revoked_index is not None:
        set_bit(bits, revoked_index)
    unsigned = build_status_list_credential(id=STATUS_LIST_URL, issuer=issuer or realistic_draft().issuer,
                                            valid_from=NOW - timedelta(days=1), encoded_list=encode_list(bits))
    return sign_credential(unsigned, signer=SIGNER, verification_method=METHOD, created=NOW)


LISTS = {STATUS_LIST_URL: status_list()}


def verify_online(data, **overrides):
    """Verify as a verifier that reached the issuer's controller document and status list."""
    options = {"resolver": RESOLVER, "status_fetcher": LISTS.__getitem__, "now": NOW, **overrides}
    return verify(data, **options)


def problems(result):
    return [(c.name, c.outcome, c.code, c.reason) for c in result.checks if not c.passed]


def png_bytes():
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 8), (10, 120, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def test_our_credential_verifies_with_every_check_passing():
    result = verify_online(signed())
    assert result.valid and result.verdict == "valid", problems(result)
    names = [c.name for c in result.checks]
    for expected in ("format", "context", "type", "safe_mode", "schema", "issuer", "proof", "issuer_key",
                     "not_before", "expiry", "revocation"):
        assert expected in names
    assert not [c for c in result.checks if c.warning]


def test_baked_png_and_svg_verify_the_same():
    credential = signed()
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>'
    for data, kind in ((bake_png(png_bytes(), credential), "png"), (bake_svg(svg, credential), "svg")):
        result = verify_online(data)
        assert result.valid and result.format == kind


def _jwt_issuer_document(kid, rsa, issuer_id=ISSUER_ID):
    """The controller document with the status list's Ed25519 key and the VC-JWT key under `kid`."""
    return controller_document(extra=[{"id": kid, "type": "JsonWebKey", "controller": issuer_id,
                                       "publicKeyJwk": rsa.public_key.to_jwk()}])


def test_jwt_verifies_when_the_issuers_document_lists_its_kid():
    rsa = LocalSigner.generate("RSA", rsa_bits=2048)
    kid = f"{ISSUER_ID}/keys/rsa-1"
    token = sign_jwt(build_credential(realistic_draft()), signer=rsa, kid=kid)
    jwk_document = {**rsa.public_key.to_jwk(), "kid": kid, "iss": ISSUER_ID}
    resolver = KeyResolver({kid: jwk_document, ISSUER_ID: _jwt_issuer_document(kid, rsa)})
    result = verify_online(token, resolver=resolver)
    assert result.valid, problems(result)
    assert "identity document lists the signing key" in result.check("issuer_key").reason


def test_a_jwk_at_the_kid_url_that_the_issuer_does_not_list_is_not_the_issuers():
    rsa, other = LocalSigner.generate("RSA", rsa_bits=2048), LocalSigner.generate("RSA", rsa_bits=2048)
    kid = f"{ISSUER_ID}/keys/rsa-1"
    token = sign_jwt(build_credential(realistic_draft()), signer=rsa, kid=kid)
    jwk_document = {**rsa.public_key.to_jwk(), "kid": kid, "iss": ISSUER_ID}
    resolver = KeyResolver({kid: jwk_document, ISSUER_ID: _jwt_issuer_document(kid, other)})
    result = verify_online(token, resolver=resolver)
    assert result.verdict == "invalid" and "other key material" in result.check("issuer_key").reason
    stranger = {**jwk_document, "iss": "https://someone-else.example/issuers/1"}
    result = verify_online(token, resolver=KeyResolver({kid: stranger}))
    assert result.verdict == "invalid" and "not to the issuer" in result.check("issuer_key").reason


def test_a_jwt_carrying_its_own_key_cannot_be_confirmed():
    """Anyone can sign a token naming any issuer and put their own key in the header."""
    forger = LocalSigner.generate("RSA", rsa_bits=2048)
    token = sign_jwt(build_credential(realistic_draft()), signer=forger, embed_jwk=True)
    result = verify_online(token)
    assert result.check("jwt.signature").passed  # the maths holds; who signed is the question
    assert result.verdict == "unconfirmed"
    assert (result.check("issuer_key").outcome, result.check("issuer_key").code) == ("unconfirmed", "key_in_token")


def test_a_jwt_with_a_vc_2_0_credential_in_its_vc_claim_is_verified_as_vc_2_0():
    rsa = LocalSigner.generate("RSA", rsa_bits=2048)
    kid = f"{ISSUER_ID}/keys/rsa-1"
    credential = build_credential(realistic_draft())
    inner = sign_jwt(credential, signer=rsa, kid=kid)
    claims = json.loads(base64.urlsafe_b64decode(inner.split(".")[1] + "=="))
    wrapped = {name: claims[name] for name in ("iss", "jti", "nbf", "exp", "sub") if name in claims}
    wrapped["vc"] = credential
    header = base64.urlsafe_b64encode(json.dumps({"alg": "RS256", "typ": "JWT", "kid": kid}).encode())
    body = base64.urlsafe_b64encode(json.dumps(wrapped).encode())
    signing_input = header.rstrip(b"=") + b"." + body.rstrip(b"=")
    token = (signing_input + b"." + base64.urlsafe_b64encode(rsa.sign(signing_input)).rstrip(b"=")).decode()
    resolver = KeyResolver({kid: {**rsa.public_key.to_jwk(), "kid": kid}, ISSUER_ID: _jwt_issuer_document(kid, rsa)})
    result = verify_online(token, resolver=resolver)
    assert result.valid, problems(result)
    assert "VC 2.0 credential in a vc claim" in result.check("jwt.credential").reason
    assert result.check("context").reason.startswith("VC 2.0")


def test_tampered_credential_fails_the_proof():
    credential = signed()
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    result = verify_online(credential)
    assert result.verdict == "invalid" and "signature does not match" in result.check("proof").reason


def test_a_tampered_credential_is_invalid_even_when_its_key_cannot_be_confirmed():
    credential = signed()
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    assert verify(credential, now=NOW).verdict == "invalid"


def test_tampered_baked_png_fails_the_proof():
    credential = signed()
    text = json.dumps(credential, ensure_ascii=False).replace("Högskolan", "Hogskolan")
    baked = bake_png(png_bytes(), json.loads(text))
    assert verify_online(baked).verdict == "invalid"


def test_a_key_the_issuer_does_not_list_is_refused():
    intruder = LocalSigner.generate()
    forged = signed(signer=intruder, method=f"{ISSUER_ID}#{intruder.public_key.to_multikey()}")
    result = verify_online(forged)
    assert result.verdict == "invalid" and "not listed" in result.check("proof").reason


def test_a_fragment_key_that_no_document_confirms_cannot_be_confirmed():
    """The 1EdTech validator accepts `<issuer>#z6Mk…` from the fragment alone; the fragment proves nothing."""
    result = verify(signed(), status_fetcher=LISTS.__getitem__, now=NOW)
    assert result.check("proof").passed
    ownership = result.check("issuer_key")
    assert (ownership.outcome, ownership.code) == ("unconfirmed", "key_not_bound")
    assert result.verdict == "unconfirmed" and not result.valid


def test_an_unreachable_identity_document_cannot_be_confirmed_and_a_did_web_key_is_not_guessed():
    did = "did:web:issuer.example:issuers:demo"
    draft = realistic_draft()
    credential = signed(replace(draft, issuer=replace(draft.issuer, id=did)), method=f"{did}#key-1")

    def unreachable(url):
        raise KeyUnavailable(f"{url} could not be reached (timeout)")

    result = verify_online(credential, resolver=KeyResolver(fetch=unreachable))
    assert result.verdict == "unconfirmed"
    assert (result.check("proof").outcome, result.check("proof").code) == ("unconfirmed", "key_document_unavailable")


def test_a_key_document_whose_controller_does_not_list_it_is_not_the_issuers():
    key_url = f"{ISSUER_ID}/keys/k1"
    key_document = {"@context": "https://w3id.org/security/multikey/v1", "id": key_url, "type": "Multikey",
                    "controller": ISSUER_ID, "publicKeyMultibase": SIGNER.public_key.to_multikey()}
    credential = signed(method=key_url)
    bound = KeyResolver({key_url: key_document, ISSUER_ID: controller_document(methods=[METHOD, key_url])})
    assert verify_online(credential, resolver=bound).valid
    unlisted = KeyResolver({key_url: key_document, ISSUER_ID: controller_document()})
    result = verify_online(credential, resolver=unlisted)
    assert result.verdict == "invalid" and "does not vouch" in result.check("issuer_key").reason
    unknown = verify_online(credential, resolver=KeyResolver({key_url: key_document}))
    assert unknown.verdict == "unconfirmed" and unknown.check("issuer_key").code == "key_document_unavailable"


def test_a_did_key_signature_on_an_https_issuer_is_not_the_issuers():
    other = LocalSigner.generate()
    did = "did:key:" + other.public_key.to_multikey()
    result = verify_online(signed(signer=other, method=f"{did}#{did[8:]}"))
    assert result.verdict == "invalid" and "not to the issuer" in result.check("issuer_key").reason


def test_an_issuer_id_that_names_no_document_cannot_be_confirmed():
    """A urn:uuid issuer has no document that could list keys: whoever signed, nobody can tie it to the issuer."""
    draft = realistic_draft()
    draft = replace(draft, issuer=replace(draft.issuer, id="urn:uuid:6f2e33e5-7a29-4155-840a-59483ba10164"),
                    status=None)
    other = LocalSigner.generate()
    did = "did:key:" + other.public_key.to_multikey()
    for credential in (signed(draft, signer=other, method=f"{did}#{did[8:]}"), signed(draft)):
        result = verify_online(credential)
        assert result.check("proof").passed
        assert (result.check("issuer_key").code, result.verdict) == ("issuer_not_resolvable", "unconfirmed")


def test_did_web_issuer_resolves_from_its_did_document():
    did = "did:web:localhost%3A8000:issuers:demo"
    method = f"{did}#key-1"
    document = {"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
                "verificationMethod": [{"id": method, "type": "Multikey", "controller": did,
                                        "publicKeyMultibase": SIGNER.public_key.to_multikey()}],
                "assertionMethod": [method]}
    draft = realistic_draft()
    draft = replace(draft, issuer=replace(draft.issuer, id=did), status=None)
    resolver = KeyResolver({"https://localhost:8000/issuers/demo/did.json": document})
    result = verify_online(signed(draft, method=method), resolver=resolver)
    assert result.valid, problems(result)


def test_expired_and_not_yet_valid_verdicts():
    draft = realistic_draft(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=30))
    assert verify_online(signed(draft)).verdict == "expired"
    draft = realistic_draft(valid_from=NOW + timedelta(days=1), valid_until=None)
    assert verify_online(signed(draft)).verdict == "not_yet_valid"


def test_an_expired_credential_whose_key_cannot_be_confirmed_is_unconfirmed_not_expired():
    """"Expired" reads as "it was genuine"; nobody can say that here."""
    draft = realistic_draft(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=30))
    assert verify(signed(draft), status_fetcher=LISTS.__getitem__, now=NOW).verdict == "unconfirmed"


def test_revocation_through_a_signed_bitstring_status_list():
    index = random.Random(3).randrange(131072)
    draft = realistic_draft(status=StatusEntry(status_list_credential=STATUS_LIST_URL, status_list_index=index))
    credential = signed(draft)
    lists = {STATUS_LIST_URL: status_list()}
    assert verify_online(credential, status_fetcher=lists.__getitem__).verdict == "valid"
    lists[STATUS_LIST_URL] = status_list(revoked_index=index)
    result = verify_online(credential, status_fetcher=lists.__getitem__)
    assert result.verdict == "revoked" and result.check("revocation").code == "revoked"


def test_revoked_and_expired_reads_revoked():
    draft = realistic_draft(valid_until=NOW - timedelta(days=1), valid_from=NOW - timedelta(days=30))
    lists = {STATUS_LIST_URL: status_list(revoked_index=STATUS_INDEX)}
    assert verify_online(signed(draft), status_fetcher=lists.__getitem__).verdict == "revoked"


def test_status_that_was_not_read_is_never_reported_as_not_revoked():
    offline = verify(signed(), resolver=RESOLVER, now=NOW)
    assert (offline.check("revocation").outcome, offline.check("revocation").code) == (
        "unconfirmed", "status_not_checked")
    assert offline.verdict == "unconfirmed"

    def unreachable(url):
        raise Ob3Error(f"{url} answered with HTTP status 503")

    down = verify_online(signed(), status_fetcher=unreachable)
    assert (down.verdict, down.check("revocation").code) == ("unconfirmed", "status_unavailable")


def test_a_forged_status_list_is_not_trusted():
    forged = status_list()
    bits = new_status_list()
    set_bit(bits, 99)  # someone rewrites the list without the issuer's key
    forged["credentialSubject"]["encodedList"] = encode_list(bits)
    result = verify_online(signed(), status_fetcher=lambda url: forged)
    assert result.verdict == "unconfirmed"
    revocation = result.check("revocation")
    assert revocation.code == "status_untrusted" and "cannot be trusted" in revocation.reason


def test_a_status_list_of_another_issuer_is_not_trusted():
    stranger = replace(realistic_draft().issuer, id="https://someone-else.example/issuers/1")
    result = verify_online(signed(), status_fetcher=lambda url: status_list(issuer=stranger))
    assert result.verdict == "unconfirmed" and result.check("revocation").code == "status_untrusted"


def test_an_unsupported_status_method_cannot_be_confirmed():
    entry = {"id": "https://x.example/status/1#5", "type": "StatusList2021Entry"}
    [result] = check_status({"credentialStatus": entry}, LISTS.__getitem__, lambda listing: [], NOW)
    assert (result.outcome, result.code) == ("unconfirmed", "status_method_unsupported")
    purpose = {"type": "BitstringStatusListEntry", "statusPurpose": "message", "statusListIndex": "5",
               "statusListCredential": STATUS_LIST_URL}
    [result] = check_status({"credentialStatus": purpose}, LISTS.__getitem__, lambda listing: [], NOW)
    assert (result.outcome, result.code) == ("unconfirmed", "status_method_unsupported")


def test_an_unknown_context_cannot_be_confirmed_unless_it_is_a_copy_of_one_we_know():
    from ob3.documents import DocumentLoader, vendored_contexts
    from ob3.eu import MIKROMERIT_CONTEXT, with_eu_extension
    from tests.ob3.factories import eu_elements

    elsewhere = "https://other-installation.example/ns/v1"
    draft = with_eu_extension(realistic_draft(), eu_elements(), context_url=elsewhere)
    ours = DocumentLoader(aliases={elsewhere: MIKROMERIT_CONTEXT})
    credential = sign_credential(build_credential(draft), signer=SIGNER, verification_method=METHOD, created=NOW,
                                 loader=ours)
    result = verify_online(credential)
    assert (result.check("safe_mode").code, result.verdict) == ("unknown_context", "unconfirmed")
    assert result.check("proof").code == "unknown_context"
    copy = DocumentLoader(fetch=lambda url: vendored_contexts()[MIKROMERIT_CONTEXT])
    assert verify_online(credential, loader=copy).valid
    impostor = {"@context": {"workloadHours": "https://evil.example/hours"}}
    result = verify_online(credential, loader=DocumentLoader(fetch=lambda url: impostor))
    assert result.verdict == "unconfirmed" and "none of the contexts" in result.check("safe_mode").reason


@pytest.mark.parametrize("data,reason", [
    (b"", "not a PNG, SVG"),
    (b"\xff\x00\x01garbage", "not text"),
    (b"{not json", "malformed JSON"),
    (b"\x89PNG\r\n\x1a\ntruncated", "PNG image"),
    (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><svg>&a;</svg>', "SVG image"),
    (b"hello world", "not a PNG, SVG"),
    (b"a" * (6 * 1024 * 1024), "at most 5242880"),
])
def test_unusable_input_is_reported_never_raised(data, reason):
    result = verify(data, now=NOW)
    assert result.verdict == "invalid"
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
    assert verify(f"{header}.{payload}.", now=NOW).verdict == "invalid"


def test_result_serialises_to_json_with_outcome_and_code():
    out = json.loads(json.dumps(verify(signed(), now=NOW).to_dict()))
    assert out["verdict"] == "unconfirmed" and out["valid"] is False
    ownership = next(c for c in out["checks"] if c["name"] == "issuer_key")
    assert (ownership["passed"], ownership["outcome"], ownership["code"]) == (False, "unconfirmed", "key_not_bound")


NEW_SIGNER = LocalSigner.from_ed25519_seed(bytes(range(1, 33)))
NEW_METHOD = f"{ISSUER_ID}#{NEW_SIGNER.public_key.to_multikey()}"


def _rotated_after_compromise(since):
    """The issuer reported the first key compromised and signs its status list with a new one."""
    new_entry = {"id": NEW_METHOD, "type": "Multikey", "controller": ISSUER_ID,
                 "publicKeyMultibase": NEW_SIGNER.public_key.to_multikey()}
    document = controller_document(extra=[new_entry])
    document["verificationMethod"][0]["revoked"] = since
    listing = build_status_list_credential(id=STATUS_LIST_URL, issuer=realistic_draft().issuer,
                                           valid_from=NOW - timedelta(days=1),
                                           encoded_list=encode_list(new_status_list()))
    lists = {STATUS_LIST_URL: sign_credential(listing, signer=NEW_SIGNER, verification_method=NEW_METHOD, created=NOW)}
    return KeyResolver({ISSUER_ID: document}), lists


def test_a_key_reported_compromised_invalidates_signatures_from_that_date_on():
    resolver, lists = _rotated_after_compromise("2026-11-01T00:00:00Z")
    before = sign_credential(build_credential(realistic_draft()), signer=SIGNER, verification_method=METHOD,
                             created=datetime(2026, 10, 31, tzinfo=UTC))
    after = signed()  # created = NOW, after the compromise date
    early = verify_online(before, resolver=resolver, status_fetcher=lists.__getitem__)
    assert early.valid and early.check("key_status").warning, problems(early)
    late = verify_online(after, resolver=resolver, status_fetcher=lists.__getitem__)
    assert late.verdict == "invalid" and "compromised from 2026-11-01T00:00:00Z" in late.check("key_status").reason


def test_a_status_list_signed_with_a_compromised_key_is_not_trusted():
    resolver, _ = _rotated_after_compromise("2026-11-01T00:00:00Z")
    before = sign_credential(build_credential(realistic_draft()), signer=SIGNER, verification_method=METHOD,
                             created=datetime(2026, 10, 31, tzinfo=UTC))
    result = verify_online(before, resolver=resolver)  # LISTS is signed at NOW with the compromised key
    assert (result.verdict, result.check("revocation").code) == ("unconfirmed", "status_untrusted")
