"""Private signing keys at rest: AES-256-GCM envelopes under the key-encryption key (KEK).

Each envelope records which KEK sealed it (a fingerprint, never the KEK itself), so the KEK can be
rotated: old envelopes open with a key from KEY_ENCRYPTION_PREVIOUS_KEYS until they are rewrapped.
The associated data binds an envelope to its public key, so ciphertexts cannot be swapped between rows.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from ob3.keys import LocalSigner

_NONCE_BYTES = 12


class KeyDecryptionError(Exception):
    """A stored private key cannot be opened: unknown or wrong KEK, or altered data."""


def key_encryption_key_id(kek: bytes) -> str:
    return "kek-" + hashlib.sha256(b"mikromerit-kek-id:" + kek).hexdigest()[:16]


def _known_keks() -> dict[str, bytes]:
    keks = [settings.KEY_ENCRYPTION_KEY, *settings.KEY_ENCRYPTION_PREVIOUS_KEYS]
    return {key_encryption_key_id(kek): kek for kek in keks}


def jwk_thumbprint(jwk: dict[str, str]) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url) over the required public members only."""
    required = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}
    members = {name: jwk[name] for name in required[jwk["kty"]]}
    digest = hashlib.sha256(json.dumps(members, sort_keys=True, separators=(",", ":")).encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def private_key_seal(signer: LocalSigner, *, thumbprint: str) -> tuple[str, bytes]:
    """(KEK id, nonce + ciphertext) for the signer's private key, under the current KEK."""
    kek = settings.KEY_ENCRYPTION_KEY
    nonce = os.urandom(_NONCE_BYTES)
    ciphertext = AESGCM(kek).encrypt(nonce, signer.to_pem(), thumbprint.encode())
    return key_encryption_key_id(kek), nonce + ciphertext


def private_key_open(sealed: bytes | memoryview, *, kek_id: str, thumbprint: str) -> LocalSigner:
    kek = _known_keks().get(kek_id)
    if kek is None:
        raise KeyDecryptionError(
            f"signing key {thumbprint} was sealed with {kek_id}, which is neither KEY_ENCRYPTION_KEY "
            "nor one of KEY_ENCRYPTION_PREVIOUS_KEYS"
        )
    sealed = bytes(sealed)
    try:
        pem = AESGCM(kek).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], thumbprint.encode())
    except InvalidTag:
        raise KeyDecryptionError(
            f"signing key {thumbprint} does not open with {kek_id}: the stored data was altered "
            "or belongs to another key"
        ) from None
    # AES-GCM with the thumbprint as associated data proved these are the bytes we sealed, of a key we generated
    # and checked: re-checking an RSA key on every open would cost ~140 ms of each signing task.
    return LocalSigner.from_pem(pem, known_good=True)
