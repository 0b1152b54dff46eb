"""ob3.vcdm: the VC Data Model rules for any credential or presentation, and the generic eddsa-rdfc-2022
verifier (pure: keys from did:key, nothing fetched)."""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from ob3.keys import LocalSigner
from ob3.multibase import multibase_encode
from ob3.proofs.data_integrity import AUTHENTICATION, sign_credential
from ob3.resolve import KeyResolver
from ob3.vcdm import (
    DATA_INTEGRITY_V2,
    PUBLISHED_SHA256,
    Verifier,
    contexts_for_signing,
    credential_problems,
    digest_problem,
    status_entry_problems,
    verify_credential,
    verify_presentation,
)

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
NOW = datetime(2026, 6, 1, tzinfo=UTC)
# RFC 8032 §7.1 test 1: its public key as a did:key (multicodec ed25519-pub 0xed01, base58btc).
RFC8032_SEED = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_PUBLIC = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")


def _verifier() -> Verifier:
    return Verifier(resolver=KeyResolver(), status_fetcher=None, now=NOW)


def _credential(issuer: str, **extra):
    return {"@context": [V2], "type": ["VerifiableCredential"], "issuer": issuer,
            "credentialSubject": {"id": "did:example:subject"}, **extra}


def test_a_did_key_is_the_multicodec_key_in_base58btc():
    public = LocalSigner.from_ed25519_seed(RFC8032_SEED).public_key
    assert public.to_did_key() == "did:key:" + multibase_encode(b"\xed\x01" + RFC8032_PUBLIC)
    assert public.to_did_key().startswith("did:key:z6Mk")
    multikey = public.to_did_key().removeprefix("did:key:")
    assert public.did_key_verification_method() == f"did:key:{multikey}#{multikey}"


def test_a_minimal_credential_conforms_and_a_vc_1_1_one_needs_its_issuance_date():
    assert credential_problems(_credential("did:example:issuer")) == []
    legacy = {"@context": [V1], "type": ["VerifiableCredential"], "issuer": "did:example:issuer",
              "credentialSubject": {"id": "did:example:subject"}}
    assert credential_problems(legacy) == ["issuanceDate is required in a VC 1.1 credential"]
    assert credential_problems({**legacy, "issuanceDate": "2026-01-01T00:00:00"}) == []  # xsd:dateTime


def test_only_a_vc_1_1_credential_gets_the_data_integrity_context_appended():
    legacy = {"@context": [V1, "https://w3id.org/security/suites/ed25519-2020/v1"]}
    assert contexts_for_signing(legacy)["@context"] == [*legacy["@context"], DATA_INTEGRITY_V2]
    assert contexts_for_signing(_credential("did:example:x")) == _credential("did:example:x")


@pytest.mark.parametrize(("entry", "problem"), [
    ({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "12",
      "statusListCredential": "https://example.com/list"}, None),
    ({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": 12,
      "statusListCredential": "https://example.com/list"}, "statusListIndex"),
    ({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "١٢",
      "statusListCredential": "https://example.com/list"}, "statusListIndex"),
    ({"type": "BitstringStatusListEntry", "statusPurpose": "other", "statusListIndex": "1",
      "statusListCredential": "https://example.com/list"}, "statusPurpose"),
    ({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "1"},
     "statusListCredential"),
    ({"type": "SomeOtherStatus", "id": "relative"}, "id must be a URL"),
])
def test_status_entries(entry, problem):
    problems = status_entry_problems(entry)
    assert (problems == []) if problem is None else any(problem in p for p in problems), problems


def test_digests_are_checked_against_digests_we_know_and_only_for_form_otherwise():
    content = b'{"@context": {}}'
    known = {"https://example.com/c": {"sha256": hashlib.sha256(content).digest()}}
    sri = "sha256-" + base64.b64encode(hashlib.sha256(content).digest()).decode()
    multi = multibase_encode(b"\x12\x20" + hashlib.sha256(content).digest())
    assert digest_problem({"id": "https://example.com/c", "digestSRI": sri, "digestMultibase": multi}, known) is None
    wrong_sri = "sha256-" + base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    assert "does not match" in digest_problem({"id": "https://example.com/c", "digestSRI": wrong_sri}, known)
    wrong = multibase_encode(b"\x12\x20" + hashlib.sha256(b"other").digest())
    assert "does not match" in digest_problem({"id": "https://example.com/c", "digestMultibase": wrong}, known)
    # A hash we know no digest for, or a resource we do not know: its form only.
    sha384 = "sha384-" + base64.b64encode(hashlib.sha384(b"other").digest()).decode()
    assert digest_problem({"id": "https://example.com/c", "digestSRI": sha384}, known) is None
    assert digest_problem({"id": "https://elsewhere.example/x", "digestMultibase": wrong}, known) is None
    assert "multihash" in digest_problem({"id": "https://elsewhere.example/x", "digestMultibase": "z11"}, known)


def test_the_published_digest_of_the_vc_2_0_context_is_known():
    published = base64.b64encode(bytes.fromhex(PUBLISHED_SHA256[V2])).decode()
    related = [{"id": V2, "digestSRI": f"sha256-{published}"}]
    assert credential_problems(_credential("did:example:issuer", relatedResource=related)) == []
    related = [{"id": V2, "digestSRI": "sha256-" + base64.b64encode(bytes(32)).decode()}]
    assert "does not match" in credential_problems(_credential("did:example:issuer", relatedResource=related))[0]


def test_a_signed_credential_verifies_and_a_forged_issuer_does_not():
    signer = LocalSigner.generate()
    issuer = signer.public_key.to_did_key()
    signed = sign_credential(_credential(issuer), signer=signer, created=NOW,
                             verification_method=signer.public_key.did_key_verification_method())
    assert verify_credential(signed, _verifier()).verified

    impostor = LocalSigner.generate()
    forged = sign_credential(_credential(issuer), signer=impostor, created=NOW,
                             verification_method=impostor.public_key.did_key_verification_method())
    outcome = verify_credential(forged, _verifier())
    assert not outcome.verified
    assert [check.name for check in outcome.errors] == ["issuer_key"]


def test_a_presentation_binds_its_proof_to_the_holder_and_the_challenge():
    issuer, holder = LocalSigner.generate(), LocalSigner.generate()
    credential = sign_credential(_credential(issuer.public_key.to_did_key()), signer=issuer, created=NOW,
                                 verification_method=issuer.public_key.did_key_verification_method())
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.public_key.to_did_key(),
                    "verifiableCredential": [credential]}
    signed = sign_credential(presentation, signer=holder, created=NOW, proof_purpose=AUTHENTICATION,
                             challenge="n-1", domain="example.org",
                             verification_method=holder.public_key.did_key_verification_method())
    assert verify_presentation(signed, _verifier(), challenge="n-1", domain="example.org").verified
    assert not verify_presentation(signed, _verifier(), challenge="n-2").verified
    assert not verify_presentation(signed, _verifier(), domain="evil.example").verified
    assert not verify_credential(signed["verifiableCredential"][0] | {"issuer": "did:example:x"}, _verifier()).verified
