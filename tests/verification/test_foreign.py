"""Verifying another issuer's credential end to end: its keys and status list fetched over real HTTPS."""

import json

import pytest
from django.core.cache import cache

from tests.https_server import https_server, trusting_fetcher
from tests.safefetch.test_fetcher import Handler, json_route


@pytest.fixture(scope="module")
def server(test_ca):
    with https_server(test_ca, "localhost", Handler) as port:
        yield port


@pytest.fixture
def fetcher(test_ca):
    """The platform's fetcher (Django's cache) told that localhost is this machine, as only tests may."""
    cache.clear()
    Handler.routes = {}
    return trusting_fetcher(test_ca, total_timeout=2, connect_timeout=1, cache=cache)

def test_a_foreign_issuers_credential_is_checked_with_its_documents_fetched_safely(server, fetcher, monkeypatch, db):
    from datetime import UTC, datetime

    from kernel import fetch
    from ob3.build import build_credential
    from ob3.keys import LocalSigner
    from ob3.model import Achievement, CredentialDraft, Criteria, Profile, Recipient, StatusEntry
    from ob3.proofs.data_integrity import sign_credential
    from ob3.status_list import build_status_list_credential, encode_list, new_status_list, set_bit
    from verification.checking import upload_verify

    base = f"https://localhost:{server}"
    issuer_id = f"{base}/issuer"
    signer = LocalSigner.from_ed25519_seed(bytes(range(32)))
    method = f"{issuer_id}#key-1"
    Handler.routes["/issuer"] = json_route({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/security/multikey/v1"],
        "id": issuer_id,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": issuer_id,
                                "publicKeyMultibase": signer.public_key.to_multikey()}],
        "assertionMethod": [method],
    })
    signed_at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    profile = Profile(id=issuer_id, name="Yrkeshögskolan Nord")

    def publish_list(revoked: bool) -> None:
        bits = new_status_list()
        if revoked:
            set_bit(bits, 4711)
        listing = build_status_list_credential(id=f"{base}/status/1", issuer=profile, valid_from=signed_at,
                                               encoded_list=encode_list(bits))
        signed = sign_credential(listing, signer=signer, verification_method=method, created=signed_at)
        Handler.routes["/status/1"] = json_route(signed, "application/vc+ld+json")
        cache.clear()

    draft = CredentialDraft(
        id="urn:uuid:6f1c0a52-8a43-4d59-9a8e-2f4b1c3d5e6f",
        issuer=profile,
        achievement=Achievement(id=f"{base}/a/1", name="Svetsning grund", description="Kan svetsa.",
                                criteria=Criteria(narrative="Praktiskt prov.")),
        recipient=Recipient(email="saman@example.org", salt="c0ffee", name="Saman"),
        valid_from=signed_at,
        status=StatusEntry(status_list_credential=f"{base}/status/1", status_list_index=4711),
    )
    credential = sign_credential(build_credential(draft), signer=signer, verification_method=method,
                                 created=signed_at)
    monkeypatch.setattr(fetch, "default_fetcher", lambda: fetcher)

    publish_list(revoked=False)
    checked = upload_verify(data=json.dumps(credential))
    assert checked.verdict == "valid", [c.reason for c in checked.problems]
    key_check = checked.result.check("issuer_key")
    assert key_check.passed and not key_check.warning  # confirmed by the fetched controller document
    assert checked.result.check("revocation").reason == "not revoked"

    publish_list(revoked=True)
    assert upload_verify(data=json.dumps(credential)).verdict == "revoked"
