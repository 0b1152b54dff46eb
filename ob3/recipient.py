"""Recipient identity: salted e-mail hashes (OB 3.0 IdentityObject) and the recipient check.

E-mail normalisation is deliberately minimal: surrounding whitespace is stripped, nothing else.
Case is kept, because the hash must be reproducible from exactly what was hashed, and other issuers
hash the address as given. A platform that wants case-insensitive matching must lowercase the
address before it builds the credential *and* before it calls `recipient_matches`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from ob3.values import as_list

_ALGORITHMS = ("sha256", "md5")  # the two IdentityHash prefixes the spec defines (B.1.12)


def normalise_email(email: str) -> str:
    """The e-mail address as it is hashed and compared: surrounding whitespace removed."""
    normalised = email.strip()
    if not normalised:
        raise ValueError("e-mail address is empty")
    return normalised


def identity_hash(value: str, salt: str, algorithm: str = "sha256") -> str:
    """`algorithm + "$" + hex(hash(UTF-8(value + salt)))`, the OB 3.0 IdentityHash format."""
    if algorithm == "sha256":
        digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
    elif algorithm == "md5":
        # Only ever used to check hashes other issuers made; the spec still allows md5$.
        digest = hashlib.md5((value + salt).encode("utf-8"), usedforsecurity=False).hexdigest()
    else:
        raise ValueError(f"unsupported identity hash algorithm {algorithm!r}; use one of {_ALGORITHMS}")
    return f"{algorithm}${digest}"


def hash_email(email: str, salt: str) -> str:
    """The `identityHash` for an e-mail recipient: `"sha256$" + hex(sha256(email + salt))`."""
    return identity_hash(normalise_email(email), salt)


def _subjects(credential: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [item for item in as_list(credential.get("credentialSubject")) if isinstance(item, Mapping)]


def _identifiers(subject: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    # The schema wants an array, but compacted JSON-LD may carry a single object: accept both.
    return [item for item in as_list(subject.get("identifier")) if isinstance(item, Mapping)]


def _identity_matches(identity: Mapping[str, Any], known: str) -> bool:
    stored = identity.get("identityHash")
    if not isinstance(stored, str):
        return False
    if identity.get("hashed") is not True:
        return hmac.compare_digest(stored.encode("utf-8"), known.encode("utf-8"))
    algorithm, sep, _ = stored.partition("$")
    if not sep or algorithm.lower() not in _ALGORITHMS:
        return False
    salt = identity.get("salt", "")
    if not isinstance(salt, str):
        return False
    expected = identity_hash(known, salt, algorithm.lower())
    return hmac.compare_digest(stored.lower().encode("utf-8"), expected.encode("utf-8"))


def recipient_matches(
    credential: Mapping[str, Any], email: str | None = None, did: str | None = None
) -> bool:
    """Whether the credential was issued to this e-mail address and/or DID (spec §9.1 step 5).

    A `did` matches `credentialSubject.id`. An `email` matches any `identifier` entry with
    `identityType: "emailAddress"`: hashed entries are recomputed with their salt (`sha256$`/`md5$`),
    plain ones are compared as text. Returns True if either given identity matches.
    """
    if email is None and did is None:
        raise ValueError("recipient_matches needs an email and/or a did to compare")
    known_email = normalise_email(email) if email is not None else None
    for subject in _subjects(credential):
        if did is not None and subject.get("id") == did:
            return True
        if known_email is None:
            continue
        for identity in _identifiers(subject):
            if identity.get("identityType") == "emailAddress" and _identity_matches(identity, known_email):
                return True
    return False
