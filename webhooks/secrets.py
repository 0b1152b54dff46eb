"""Signing secrets: made, sealed at rest under the key-encryption key, and used to sign a delivery.

The signature follows Standard Webhooks (https://www.standardwebhooks.com/): the secret is
"whsec_" + base64(random bytes); `webhook-signature` is "v1," + base64(HMAC-SHA256(secret bytes,
"{webhook-id}.{webhook-timestamp}.{body}")).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

from issuers.keystore import key_encryption_key_id

PREFIX = "whsec_"
_SECRET_BYTES = 32
_NONCE_BYTES = 12
_PURPOSE = b"mikromerit-webhook-secret"  # associated data: a sealed secret opens only as a webhook secret


class SecretUnreadable(Exception):
    """The stored secret does not open with any known key-encryption key."""


def webhook_secret_new() -> str:
    return PREFIX + base64.b64encode(os.urandom(_SECRET_BYTES)).decode()


def webhook_secret_seal(secret: str) -> tuple[str, bytes]:
    """(KEK id, nonce + ciphertext) under the current KEK."""
    kek = settings.KEY_ENCRYPTION_KEY
    nonce = os.urandom(_NONCE_BYTES)
    return key_encryption_key_id(kek), nonce + AESGCM(kek).encrypt(nonce, secret.encode(), _PURPOSE)


def webhook_secret_open(sealed: bytes | memoryview, *, kek_id: str) -> str:
    known = [settings.KEY_ENCRYPTION_KEY, *settings.KEY_ENCRYPTION_PREVIOUS_KEYS]
    keks = {key_encryption_key_id(kek): kek for kek in known}
    kek = keks.get(kek_id)
    if kek is None:
        raise SecretUnreadable(f"the webhook secret was sealed with {kek_id}, which is no longer configured")
    sealed = bytes(sealed)
    try:
        return AESGCM(kek).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], _PURPOSE).decode()
    except Exception as exc:  # InvalidTag: altered data
        raise SecretUnreadable("the webhook secret does not open: the stored data was altered") from exc


def webhook_signature(secret: str, *, message_id: str, timestamp: int, body: str) -> str:
    """The value of the `webhook-signature` header for one message."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    digest = hmac.new(key, f"{message_id}.{timestamp}.{body}".encode(), hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()
