"""Single-use secrets sent by e-mail or shown once: invitation links, mentor links, DID challenges.

Only a SHA-256 of each is stored, so a copy of the database cannot accept an invitation or answer a
challenge. The tokens are long and random, so an unsalted fast hash is enough.
"""

from __future__ import annotations

import hashlib
import secrets


def secret_token() -> str:
    return secrets.token_urlsafe(32)


def secret_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
