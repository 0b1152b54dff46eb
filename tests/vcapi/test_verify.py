"""POST /credentials/verify and /presentations/verify: any eddsa-rdfc-2022 credential whose key resolves
offline (did:key) or is one of our issuers'; presentations signed (challenge and domain checked) or not.
Everything that cannot be established fails closed."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from tests.vcapi.conftest import credential_v2

pytestmark = pytest.mark.django_db
V2 = "https://www.w3.org/ns/credentials/v2"


def _signed(credential, signer=None, **kwargs):
    from ob3.keys import LocalSigner
    from ob3.proofs.data_integrity import sign_credential

    signer = signer or LocalSigner.generate()
    method = signer.public_key.did_key_verification_method()
    return sign_credential(credential, signer=signer, verification_method=method,
                           created=datetime(2026, 1, 1, tzinfo=UTC), **kwargs)


def _foreign_credential(**extra):
    from ob3.keys import LocalSigner

    signer = LocalSigner.generate()
    return _signed(credential_v2(signer.public_key.to_did_key(), **extra), signer), signer


def test_any_did_key_issuers_credential_verifies(anonymous):
    credential, _signer = _foreign_credential()
    response = anonymous.post("/credentials/verify", {"verifiableCredential": credential, "options": {}})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["verified"] is True
    assert {"data_model", "proof", "issuer_key"} <= set(body["checks"])
    assert body["errors"] == []


def test_our_issuers_https_credentials_verify_from_the_database(signer_api, issuer, anonymous):
    signed = signer_api.post("/credentials/issue", {"credential": credential_v2(issuer.public_id)}).json()
    answer = anonymous.post("/credentials/verify", {"verifiableCredential": signed["verifiableCredential"]})
    assert answer.json()["verified"] is True, answer.json()


def _tampered(credential):
    changed = copy.deepcopy(credential)
    changed["credentialSubject"]["name"] = "Mallory"
    return changed


def _other_key(credential):
    from ob3.keys import LocalSigner

    changed = copy.deepcopy(credential)
    other = LocalSigner.generate().public_key
    changed["proof"][0]["verificationMethod"] = other.did_key_verification_method()
    return changed


def _other_issuer(credential):
    from ob3.keys import LocalSigner

    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    unsigned["issuer"] = LocalSigner.generate().public_key.to_did_key()
    return _signed(unsigned)  # validly signed, by a key that is not the named issuer's


def _with(proof_change):
    def change(credential):
        changed = copy.deepcopy(credential)
        changed["proof"][0].update(proof_change)
        return changed
    return change


@pytest.mark.parametrize(("change", "code_or_check"), [
    (_tampered, "proof"),
    (_other_key, "proof"),
    (_other_issuer, "issuer_key"),
    (_with({"cryptosuite": "none"}), "proof"),
    (_with({"cryptosuite": "eddsa-2022"}), "proof"),
    (_with({"cryptosuite": "ecdsa-rdfc-2019"}), "proof"),
    (_with({"type": "Ed25519Signature2020"}), "proof"),
    (_with({"proofPurpose": "authentication"}), "proof"),
    (_with({"proofValue": "z1111"}), "proof"),
    (_with({"proofValue": "u" + "A" * 86}), "proof"),
    (_with({"verificationMethod": "did:web:evil.example#key"}), "proof"),
    (_with({"verificationMethod": "https://evil.example/key"}), "proof"),
    (lambda c: {k: v for k, v in c.items() if k != "proof"}, "proof"),
    (lambda c: {**c, "extra": 1}, "data_model"),
    (lambda c: {**c, "validUntil": "2020-01-01T00:00:00Z"}, "proof"),
    (lambda c: {**c, "validUntil": "2020-01-01"}, "data_model"),
])
def test_a_credential_that_does_not_hold_fails_with_its_reason(anonymous, change, code_or_check):
    credential, _signer = _foreign_credential()
    response = anonymous.post("/credentials/verify", {"verifiableCredential": change(credential)})
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["verified"] is False
    assert code_or_check in [error["title"] for error in body["errors"]], body


def test_an_expired_credential_fails(anonymous):
    credential, _ = _foreign_credential(validFrom="2020-01-01T00:00:00Z", validUntil="2021-01-01T00:00:00Z")
    body = anonymous.post("/credentials/verify", {"verifiableCredential": credential}).json()
    assert body["verified"] is False
    assert [error["code"] for error in body["errors"]] == ["expired"]


def test_a_status_list_on_another_site_is_not_fetched_and_fails_closed(anonymous):
    entry = {"id": "https://status.example/list#5", "type": "BitstringStatusListEntry",
             "statusPurpose": "revocation", "statusListIndex": "5", "statusListCredential": "https://status.example/list"}
    credential, _ = _foreign_credential(credentialStatus=entry)
    body = anonymous.post("/credentials/verify", {"verifiableCredential": credential}).json()
    assert body["verified"] is False
    assert body["errors"][0]["code"] == "status_unavailable"
    assert "not consulted" in body["errors"][0]["detail"]


def test_a_did_web_issuer_on_another_site_fails_closed(anonymous):
    from ob3.keys import LocalSigner

    signer = LocalSigner.generate()
    credential = credential_v2("did:web:elsewhere.example")
    from ob3.proofs.data_integrity import sign_credential

    signed = sign_credential(credential, signer=signer, verification_method="did:web:elsewhere.example#key-1",
                             created=datetime(2026, 1, 1, tzinfo=UTC))
    body = anonymous.post("/credentials/verify", {"verifiableCredential": signed}).json()
    assert body["verified"] is False


# --- presentations ---------------------------------------------------------------------------------------
def _presentation(credentials, holder=None, **extra):
    presentation = {"@context": [V2], "type": ["VerifiablePresentation"], "verifiableCredential": credentials,
                    **extra}
    if holder:
        presentation["holder"] = holder
    return presentation


def test_a_signed_presentation_verifies_with_its_challenge_and_domain(anonymous):
    from ob3.keys import LocalSigner
    from ob3.proofs.data_integrity import AUTHENTICATION

    credential, _ = _foreign_credential()
    holder = LocalSigner.generate()
    presentation = _signed(_presentation([credential], holder.public_key.to_did_key()), holder,
                           proof_purpose=AUTHENTICATION, challenge="c-123", domain="verifier.example")
    options = {"challenge": "c-123", "domain": "verifier.example"}

    answer = anonymous.post("/presentations/verify", {"verifiablePresentation": presentation, "options": options})
    assert answer.status_code == 200, answer.content
    assert answer.json()["verified"] is True
    assert "verifiableCredential[0].proof" in answer.json()["checks"]

    for wrong in ({"challenge": "other"}, {"challenge": "c-123", "domain": "evil.example"}):
        body = anonymous.post("/presentations/verify", {"verifiablePresentation": presentation, "options": wrong})
        assert body.status_code == 400
        assert body.json()["verified"] is False


def test_a_presentation_signed_for_assertion_or_by_another_key_than_the_holders_fails(anonymous):
    from ob3.keys import LocalSigner
    from ob3.proofs.data_integrity import AUTHENTICATION

    credential, _ = _foreign_credential()
    holder, stranger = LocalSigner.generate(), LocalSigner.generate()
    vp = _presentation([credential], holder.public_key.to_did_key())
    for presentation in (_signed(vp, holder, challenge="c"),  # assertionMethod, not authentication
                         _signed(vp, stranger, proof_purpose=AUTHENTICATION, challenge="c")):
        body = anonymous.post("/presentations/verify", {"verifiablePresentation": presentation,
                                                        "options": {"challenge": "c"}}).json()
        assert body["verified"] is False, body


def test_an_unsigned_presentation_verifies_its_credentials(anonymous):
    good, _ = _foreign_credential()
    answer = anonymous.post("/presentations/verify", {"verifiablePresentation": _presentation([good])})
    assert answer.status_code == 200, answer.content
    assert [warning["title"] for warning in answer.json()["warnings"]] == ["proof"]

    body = anonymous.post("/presentations/verify", {"verifiablePresentation": _presentation([good, _tampered(good)])})
    assert body.status_code == 400
    assert "verifiableCredential[1].proof" in [error["title"] for error in body.json()["errors"]]

    asked = anonymous.post("/presentations/verify", {"verifiablePresentation": _presentation([good]),
                                                     "options": {"challenge": "c"}})
    assert asked.json()["verified"] is False  # nothing answered the challenge


@pytest.mark.parametrize("presentation", [
    {"@context": [V2], "type": ["VerifiableCredential"]},
    {"@context": ["https://example.com/x"], "type": ["VerifiablePresentation"]},
    {"@context": [V2], "type": ["VerifiablePresentation"], "holder": "not a url"},
    {"@context": [V2], "type": ["VerifiablePresentation"], "verifiableCredential": ["a string"]},
    {"@context": [V2], "type": ["VerifiablePresentation"], "undefined": 1},
])
def test_a_malformed_presentation_fails(anonymous, presentation):
    body = anonymous.post("/presentations/verify", {"verifiablePresentation": presentation})
    assert body.status_code == 400
    assert body.json()["verified"] is False
