"""A status option adds a BitstringStatusListEntry whose list this site serves, signed by the same issuer
id; POST /credentials/status revokes; /credentials/verify then fails the credential."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.vcapi.conftest import credential_v2

pytestmark = pytest.mark.django_db
STATUS_OPTION = {"credentialStatus": {"type": "BitstringStatusListEntry", "statusPurpose": "revocation"}}


def _issue(signer_api, issuer_id, **extra):
    response = signer_api.post("/credentials/issue", {"credential": credential_v2(issuer_id, **extra),
                                                      "options": STATUS_OPTION})
    assert response.status_code == 201, response.content
    return response.json()["verifiableCredential"]


def test_the_status_entry_points_at_a_served_list_signed_by_the_credentials_issuer(signer_api, did_key, client):
    from ob3.status_list import status_of
    from ob3.values import issuer_id

    signed = _issue(signer_api, did_key.did, id="urn:uuid:7b1c0b9e-3a51-4a8b-9f9c-0e0e4c1f2a11")
    entry = signed["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"].isdigit()
    assert entry["id"] == f"{entry['statusListCredential']}#{entry['statusListIndex']}"
    assert signed["id"] == "urn:uuid:7b1c0b9e-3a51-4a8b-9f9c-0e0e4c1f2a11"

    served = client.get(urlsplit(entry["statusListCredential"]).path)
    assert served.status_code == 200
    listing = served.json()
    assert issuer_id(listing) == did_key.did
    assert listing["proof"][0]["verificationMethod"] == did_key.verification_method
    assert status_of(listing, int(entry["statusListIndex"]), status_purpose="revocation") is False


def test_a_credential_without_an_id_gets_one_so_its_status_can_be_changed(signer_api, did_key):
    signed = _issue(signer_api, did_key.did)
    assert signed["id"].startswith("urn:uuid:")


def test_revoking_through_the_status_endpoint_fails_verification(signer_api, did_key, anonymous):
    signed = _issue(signer_api, did_key.did)
    verified = anonymous.post("/credentials/verify", {"verifiableCredential": signed, "options": {}})
    assert verified.status_code == 200, verified.content
    assert verified.json()["verified"] is True
    assert "revocation" in verified.json()["checks"]

    revoked = signer_api.post("/credentials/status", {
        "credentialId": signed["id"], "credentialStatus": STATUS_OPTION["credentialStatus"], "status": True})
    assert revoked.status_code == 200, revoked.content
    again = signer_api.post("/credentials/status", {
        "credentialId": signed["id"], "credentialStatus": STATUS_OPTION["credentialStatus"], "status": True})
    assert again.status_code == 200  # idempotent

    answer = anonymous.post("/credentials/verify", {"verifiableCredential": signed})
    assert answer.status_code == 400
    body = answer.json()
    assert body["verified"] is False
    assert [error["code"] for error in body["errors"]] == ["revoked"]


def test_a_status_under_the_did_web_identity_lives_in_a_did_web_list(signer_api, issuer, anonymous):
    signed = _issue(signer_api, issuer.did)
    assert anonymous.post("/credentials/verify", {"verifiableCredential": signed}).json()["verified"] is True


@pytest.mark.parametrize("body", [
    {"credentialId": "urn:uuid:unknown", "credentialStatus": STATUS_OPTION["credentialStatus"], "status": True},
    {"credentialStatus": STATUS_OPTION["credentialStatus"]},
    {"credentialId": "x", "credentialStatus": {"type": "StatusList2021Entry"}},
    {"credentialId": "x", "credentialStatus": STATUS_OPTION["credentialStatus"], "status": False},
])
def test_status_updates_that_cannot_be_made_are_refused(signer_api, did_key, body):
    signed = _issue(signer_api, did_key.did)
    body = {**body, "credentialId": signed["id"]} if body.get("credentialId") == "x" else body
    response = signer_api.post("/credentials/status", body)
    assert 400 <= response.status_code < 500
    from vcapi.models import VcApiCredential

    assert not VcApiCredential.objects.exclude(revoked_at=None).exists()


def test_another_issuers_credential_cannot_be_revoked(signer_api, did_key, client, token_for):
    from issuers.models import Role
    from issuers.services import issuer_create
    from tests.factories import make_member
    from tests.vcapi.conftest import VcApiClient

    signed = _issue(signer_api, did_key.did)
    other = make_member(issuer_create(slug="other", name="Other"), "other-owner", Role.OWNER)
    stranger = VcApiClient(client, token_for("revoke", by=other))
    response = stranger.post("/credentials/status", {"credentialId": signed["id"],
                                                     "credentialStatus": STATUS_OPTION["credentialStatus"]})
    assert response.status_code == 404


def test_a_malformed_status_entry_in_the_credential_is_refused(signer_api, did_key):
    entry = {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "-1",
             "statusListCredential": "https://example.com/list"}
    response = signer_api.post("/credentials/issue", {"credential": credential_v2(did_key.did, credentialStatus=entry)})
    assert response.status_code == 400
    response = signer_api.post("/credentials/issue", {
        "credential": credential_v2(did_key.did, credentialStatus={**entry, "statusListIndex": "1"}),
        "options": STATUS_OPTION})
    assert response.status_code == 400  # a status of its own and one asked for: which one would be true?
