import base64

import pytest

from issuers.models import SigningKey
from issuers.services import signing_key_mark_compromised, signing_key_rotate

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE


def ed25519_key(issuer) -> SigningKey:
    return issuer.signing_keys.get(kind="ed25519", status="active")


def test_the_issuer_id_serves_the_profile_as_a_controller_document(client, issuer):
    key = ed25519_key(issuer)
    response = client.get(f"/issuers/{issuer.slug}", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    issuer_id = f"{BASE}/issuers/{issuer.slug}"
    key_url = f"{issuer_id}/keys/{key.thumbprint}"
    legacy_id = f"{issuer_id}#{key.public_key_multibase}"
    # DID v1 first: jsonld-signatures reads assertionMethod without re-framing, and safe mode passes.
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
        "https://w3id.org/security/jwk/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["id"] == issuer_id
    assert document["type"] == ["Profile"]
    assert document["name"] == "Testskolan"
    assert document["alsoKnownAs"] == [f"did:web:localhost%3A8000:issuers:{issuer.slug}"]
    assert document["verificationMethod"] == [
        {"id": key_url, "type": "Multikey", "controller": issuer_id, "publicKeyMultibase": key.public_key_multibase},
        {"id": legacy_id, "type": "Multikey", "controller": issuer_id, "publicKeyMultibase": key.public_key_multibase},
    ]
    assert document["assertionMethod"] == [key_url, legacy_id]
    assert key.public_key_multibase.startswith("z6Mk")


def test_plain_json_requests_get_json(client, issuer):
    response = client.get(f"/issuers/{issuer.slug}", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"].split(", ")


def test_browsers_get_a_page(client, issuer):
    response = client.get(f"/issuers/{issuer.slug}", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"Testskolan" in response.content
    assert b'<html lang="' in response.content


def test_the_did_document_lists_every_key_with_absolute_ids(client, jwt_issuer):
    response = client.get(f"/issuers/{jwt_issuer.slug}/did.json")
    assert response.status_code == 200
    document = response.json()
    did = f"did:web:localhost%3A8000:issuers:{jwt_issuer.slug}"
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/multikey/v1",
        "https://w3id.org/security/jwk/v1",
    ]
    assert document["id"] == did
    ed, rsa = (jwt_issuer.signing_keys.get(kind=kind) for kind in ("ed25519", "rsa"))
    assert document["verificationMethod"] == [
        {"id": f"{did}#{ed.public_key_multibase}", "type": "Multikey", "controller": did,
         "publicKeyMultibase": ed.public_key_multibase},
        {"id": f"{did}#{rsa.thumbprint}", "type": "JsonWebKey", "controller": did, "publicKeyJwk": rsa.public_key_jwk},
    ]
    assert document["assertionMethod"] == [f"{did}#{ed.public_key_multibase}", f"{did}#{rsa.thumbprint}"]
    assert all(method_id.startswith("did:web:") for method_id in document["assertionMethod"])


def test_the_jwks_and_the_kid_url_serve_public_jwks(client, jwt_issuer):
    rsa = jwt_issuer.signing_keys.get(kind="rsa")
    kid = f"{BASE}/issuers/{jwt_issuer.slug}/keys/{rsa.thumbprint}"
    jwks = client.get(f"/issuers/{jwt_issuer.slug}/jwks.json").json()
    assert {"kid": kid, "iss": f"{BASE}/issuers/{jwt_issuer.slug}", **rsa.public_key_jwk} in jwks["keys"]
    single = client.get(f"/issuers/{jwt_issuer.slug}/keys/{rsa.thumbprint}")
    assert single["Content-Type"] == "application/jwk+json"
    assert single.json()["kid"] == kid
    assert single.json()["kty"] == "RSA"
    assert int.from_bytes(base64.urlsafe_b64decode(single.json()["n"] + "==")).bit_length() == 3072


def test_a_rotated_key_stays_published(client, issuer):
    old = ed25519_key(issuer)
    new = signing_key_rotate(issuer=issuer, kind="ed25519")
    old.refresh_from_db()
    assert old.status == "retired" and old.retired_at is not None
    profile = client.get(f"/issuers/{issuer.slug}", HTTP_ACCEPT="application/json").json()
    published = [(method["id"], method["publicKeyMultibase"]) for method in profile["verificationMethod"]]
    issuer_id = f"{BASE}/issuers/{issuer.slug}"
    assert published == [
        (f"{issuer_id}/keys/{old.thumbprint}", old.public_key_multibase),
        (f"{issuer_id}#{old.public_key_multibase}", old.public_key_multibase),
        (f"{issuer_id}/keys/{new.thumbprint}", new.public_key_multibase),
        (f"{issuer_id}#{new.public_key_multibase}", new.public_key_multibase),
    ]
    assert profile["assertionMethod"] == [method_id for method_id, _key in published]
    did = client.get(f"/issuers/{issuer.slug}/did.json").json()
    assert len(did["assertionMethod"]) == 2
    for key in (old, new):
        assert client.get(f"/issuers/{issuer.slug}/keys/{key.thumbprint}").json()["publicKeyMultibase"] == (
            key.public_key_multibase
        )


def test_a_compromised_key_stays_published_with_its_revoked_date_and_is_replaced(client, jwt_issuer):
    from datetime import UTC, datetime

    rsa = jwt_issuer.signing_keys.get(kind="rsa")
    ed = jwt_issuer.signing_keys.get(kind="ed25519")
    since = datetime(2026, 3, 1, 8, 30, tzinfo=UTC)
    replacement = signing_key_mark_compromised(rsa, since=since)
    signing_key_mark_compromised(ed, since=since)
    rsa.refresh_from_db()
    assert rsa.status == "compromised" and rsa.compromised_since == since
    assert replacement.status == "active" and replacement.kind == "rsa"
    did = client.get(f"/issuers/{jwt_issuer.slug}/did.json").json()
    by_id = {method["id"]: method for method in did["verificationMethod"]}
    assert by_id[f"{jwt_issuer.did}#{rsa.thumbprint}"]["revoked"] == "2026-03-01T08:30:00Z"
    assert "revoked" not in by_id[f"{jwt_issuer.did}#{replacement.thumbprint}"]
    profile = client.get(f"/issuers/{jwt_issuer.slug}", HTTP_ACCEPT="application/json").json()
    # Both of the Ed25519 key's ids (key URL and legacy fragment) carry the date.
    assert [m.get("revoked") for m in profile["verificationMethod"]
            if m.get("publicKeyMultibase") == ed.public_key_multibase] == ["2026-03-01T08:30:00Z"] * 2
    by_id = {method["id"]: method for method in profile["verificationMethod"]}
    assert by_id[f"{jwt_issuer.public_id}/keys/{rsa.thumbprint}"]["revoked"] == "2026-03-01T08:30:00Z"
    assert "revoked" not in by_id[f"{jwt_issuer.public_id}/keys/{replacement.thumbprint}"]
    jwk = client.get(f"/issuers/{jwt_issuer.slug}/keys/{rsa.thumbprint}").json()
    assert jwk["revoked"] == "2026-03-01T08:30:00Z" and "d" not in jwk
    multikey = client.get(f"/issuers/{jwt_issuer.slug}/keys/{ed.thumbprint}").json()
    assert multikey["revoked"] == "2026-03-01T08:30:00Z"


def test_unknown_issuers_are_404(client, db):
    assert client.get("/issuers/nobody", HTTP_ACCEPT="application/json").status_code == 404
    assert client.get("/issuers/nobody/did.json").status_code == 404
