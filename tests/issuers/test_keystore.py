import base64

import pytest

from issuers.keystore import (
    KeyDecryptionError,
    jwk_thumbprint,
    key_encryption_key_id,
    private_key_open,
    private_key_seal,
)
from ob3.keys import ED25519, LocalSigner

OTHER_KEK = bytes(range(32))


def sealed_key():
    signer = LocalSigner.generate(ED25519)
    thumbprint = jwk_thumbprint(signer.public_key.to_jwk())
    kek_id, sealed = private_key_seal(signer, thumbprint=thumbprint)
    return signer, thumbprint, kek_id, sealed


def test_it_round_trips_a_private_key():
    signer, thumbprint, kek_id, sealed = sealed_key()
    opened = private_key_open(sealed, kek_id=kek_id, thumbprint=thumbprint)
    assert opened.public_key.to_jwk() == signer.public_key.to_jwk()
    assert b"PRIVATE KEY" not in sealed


def test_it_says_which_kek_is_missing_when_the_kek_changed(settings):
    _, thumbprint, kek_id, sealed = sealed_key()
    settings.KEY_ENCRYPTION_KEY = OTHER_KEK
    with pytest.raises(KeyDecryptionError, match=rf"sealed with {kek_id}, which is neither KEY_ENCRYPTION_KEY"):
        private_key_open(sealed, kek_id=kek_id, thumbprint=thumbprint)


def test_it_opens_keys_sealed_with_a_previous_kek(settings):
    _, thumbprint, kek_id, sealed = sealed_key()
    settings.KEY_ENCRYPTION_PREVIOUS_KEYS = [settings.KEY_ENCRYPTION_KEY]
    settings.KEY_ENCRYPTION_KEY = OTHER_KEK
    assert private_key_open(sealed, kek_id=kek_id, thumbprint=thumbprint)


def test_it_fails_clearly_when_the_envelope_belongs_to_another_key():
    _, _, kek_id, sealed = sealed_key()
    with pytest.raises(KeyDecryptionError, match="altered or belongs to another key"):
        private_key_open(sealed, kek_id=kek_id, thumbprint="someone-elses-thumbprint")


def test_it_fails_clearly_on_a_wrong_kek_with_a_forged_id(settings):
    _, thumbprint, _, sealed = sealed_key()
    settings.KEY_ENCRYPTION_KEY = OTHER_KEK
    with pytest.raises(KeyDecryptionError, match="does not open"):
        private_key_open(sealed, kek_id=key_encryption_key_id(OTHER_KEK), thumbprint=thumbprint)


def test_it_computes_the_rfc_7638_thumbprint():
    # RFC 7638 §3.1 example key and thumbprint.
    jwk = {
        "kty": "RSA",
        "e": "AQAB",
        "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRX"
        "jBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8K"
        "JZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniI"
        "qbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
        "alg": "RS256",
        "kid": "2011-04-29",
    }
    assert jwk_thumbprint(jwk) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_kek_ids_do_not_reveal_the_kek():
    kek = base64.b64decode("A" * 43 + "=")
    assert key_encryption_key_id(kek).startswith("kek-")
    assert kek.hex() not in key_encryption_key_id(kek)
