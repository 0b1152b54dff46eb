"""Hostile input for every VC-API endpoint: a clear 4xx problem body, never a 5xx, nothing stored."""

from __future__ import annotations

import json

import pytest

from tests.vcapi.conftest import credential_v2

pytestmark = pytest.mark.django_db
ENDPOINTS = ("/credentials/issue", "/credentials/verify", "/presentations/verify", "/credentials/status")


@pytest.fixture(autouse=True)
def _nothing_stored():
    yield
    from vcapi.models import VcApiCredential

    assert VcApiCredential.objects.count() == 0


@pytest.mark.parametrize("path", ENDPOINTS)
@pytest.mark.parametrize(("raw", "content_type", "status"), [
    (b"{not json", "application/json", 400),
    (b'{"credential": ', "application/json", 400),
    (b"\xff\xfe\x00garbage", "application/json", 400),
    (b"[]", "application/json", 400),
    (b"null", "application/json", 400),
    (b'"a string"', "application/json", 400),
    (b"[" * 20_000 + b"]" * 20_000, "application/json", 400),
    (b'{"a":' * 5_000 + b"1" + b"}" * 5_000, "application/json", 400),
    (b'{"credential": {}}', "text/plain", 415),
    (b"credential=x", "application/x-www-form-urlencoded", 415),
    (b"--b\r\nContent-Disposition: form-data; name=\"credential\"\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b",
     415),
])
def test_malformed_bodies_get_a_clear_4xx(signer_api, path, raw, content_type, status):
    response = signer_api.post(path, None, raw=raw, content_type=content_type)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"]


@pytest.mark.parametrize("path", ENDPOINTS)
def test_an_oversized_body_is_refused_before_it_is_read(signer_api, path):
    from vcapi.bodies import MAX_BODY_BYTES

    response = signer_api.post(path, None, raw=b" " * (MAX_BODY_BYTES + 1))
    assert response.status_code == 413


@pytest.mark.parametrize("path", ENDPOINTS)
def test_only_post_is_answered(client, path):
    assert client.get(path).status_code == 405


@pytest.mark.parametrize(("path", "body"), [
    ("/credentials/issue", {"credential": "eyJhbGciOiJub25lIn0.eyJ2YyI6e319."}),
    ("/credentials/issue", {"credential": None}),
    ("/credentials/issue", {"credential": {}, "options": "none"}),
    ("/credentials/verify", {"verifiableCredential": "eyJhbGciOiJub25lIn0.eyJ2YyI6e319."}),
    ("/credentials/verify", {}),
    ("/presentations/verify", {"verifiablePresentation": [1, 2]}),
    ("/presentations/verify", {"verifiablePresentation": {}, "options": {"challenge": 5}}),
])
def test_members_of_the_wrong_kind_are_refused(signer_api, path, body):
    response = signer_api.post(path, body)
    assert response.status_code == 400, response.content


def test_a_credential_over_the_shape_limits_is_refused(signer_api, did_key):
    many_contexts = credential_v2(did_key.did)
    many_contexts["@context"] = ["https://www.w3.org/ns/credentials/v2"] * 13
    wide = credential_v2(did_key.did, credentialSubject={"id": "did:example:1", "list": list(range(600))})
    for credential in (many_contexts, wide):
        response = signer_api.post("/credentials/issue", {"credential": credential})
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "limit_exceeded"


def test_a_presentation_of_too_many_credentials_is_refused(anonymous, did_key):
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "verifiableCredential": [credential_v2(did_key.did)] * 11}
    response = anonymous.post("/presentations/verify", {"verifiablePresentation": presentation})
    assert response.status_code == 400
    assert response.json()["verified"] is False


def test_an_alg_none_style_proof_does_not_verify(anonymous, did_key):
    credential = credential_v2(did_key.did, proof={
        "type": "DataIntegrityProof", "cryptosuite": "none", "proofPurpose": "assertionMethod",
        "verificationMethod": did_key.verification_method, "proofValue": "z"})
    body = anonymous.post("/credentials/verify", {"verifiableCredential": credential}).json()
    assert body["verified"] is False


def test_a_body_that_is_not_json_at_all_from_a_browser_form_gets_no_csrf_page(client):
    response = client.post("/credentials/verify", {"verifiableCredential": "x"})
    assert response.status_code == 415
    assert json.loads(response.content)["code"] == "unsupported_media_type"
