import base64
import logging

import pytest

from config.logging import JsonLinesFormatter
from issuers.keystore import private_key_open
from issuers.services import signing_key_rotate

pytestmark = pytest.mark.django_db


def secrets_of(issuer) -> list[str]:
    """Every private encoding of every key of the issuer, plus the stored ciphertext."""
    found = []
    for key in issuer.signing_keys.all():
        signer = private_key_open(
            key.private_key_ciphertext, kek_id=key.key_encryption_key_id, thumbprint=key.thumbprint
        )
        private_jwk = signer.to_private_jwk()
        found += [private_jwk["d"], signer.to_pem().decode().splitlines()[1]]
        found.append(base64.b64encode(bytes(key.private_key_ciphertext)).decode()[:40])
    return found


def assert_free_of(text: str, secrets: list[str]) -> None:
    for secret in secrets:
        assert secret not in text


def test_keys_print_without_key_material(jwt_issuer):
    secrets = secrets_of(jwt_issuer)
    for key in jwt_issuer.signing_keys.all():
        assert_free_of(repr(key) + str(key), secrets)
        assert "PRIVATE" not in repr(key)


def test_no_public_endpoint_returns_key_material(client, jwt_issuer):
    secrets = secrets_of(jwt_issuer)
    rsa = jwt_issuer.signing_keys.get(kind="rsa")
    for url, accept in [
        (f"/issuers/{jwt_issuer.slug}", "application/ld+json"),
        (f"/issuers/{jwt_issuer.slug}", "text/html"),
        (f"/issuers/{jwt_issuer.slug}/did.json", "*/*"),
        (f"/issuers/{jwt_issuer.slug}/jwks.json", "*/*"),
        (f"/issuers/{jwt_issuer.slug}/keys/{rsa.thumbprint}", "*/*"),
    ]:
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_free_of(body, secrets)
        assert '"d"' not in body and '"p"' not in body


def test_the_admin_shows_only_public_parts(admin_client, jwt_issuer):
    secrets = secrets_of(jwt_issuer)
    key = jwt_issuer.signing_keys.first()
    for url in [
        "/admin/issuers/signingkey/",
        f"/admin/issuers/signingkey/{key.pk}/change/",
        f"/admin/issuers/issuer/{jwt_issuer.pk}/change/",
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert_free_of(response.content.decode(), secrets)
        assert b"private_key_ciphertext" not in response.content
    assert admin_client.get("/admin/issuers/signingkey/add/").status_code == 403


def test_logs_never_carry_key_material(caplog, db):
    from tests.factories import make_issuer

    caplog.set_level(logging.DEBUG)
    issuer = make_issuer("logged", jwt_enabled=True)
    signing_key_rotate(issuer=issuer, kind="ed25519")
    formatter = JsonLinesFormatter()
    lines = "\n".join(formatter.format(record) for record in caplog.records)
    assert lines
    assert_free_of(lines, secrets_of(issuer))
    assert "PRIVATE KEY" not in lines
