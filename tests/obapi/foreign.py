"""Credentials issued elsewhere, by a did:key issuer (resolved offline, so nothing is fetched in tests)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from ob3.keys import LocalSigner
from ob3.proofs.data_integrity import sign_credential
from ob3.proofs.vc_jwt import sign_jwt

SIGNER = LocalSigner.from_ed25519_seed(bytes(range(32)))
DID = f"did:key:{SIGNER.public_key.to_multikey()}"


def foreign_credential(email: str, *, number: int = 1, name: str = "Svetsning grund", salt: str = "s417",
                       issuer: str = DID) -> dict[str, Any]:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": f"urn:uuid:7a0e4b1c-0000-4000-8000-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Yrkesskolan Norr"},
        "validFrom": "2026-01-15T10:00:00Z",
        "name": name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject", "identityType": "emailAddress", "hashed": True, "salt": salt,
                "identityHash": "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest(),
            }],
            "achievement": {
                "id": f"https://yrkesskolan.example/achievements/{number}",
                "type": ["Achievement"], "name": name, "description": "Grundläggande svetsning.",
                "criteria": {"narrative": "Godkänt praktiskt prov."},
            },
        },
    }


def did_of(signer: LocalSigner) -> str:
    return f"did:key:{signer.public_key.to_multikey()}"


def signed(credential: dict[str, Any], signer: LocalSigner = SIGNER) -> dict[str, Any]:
    multikey = signer.public_key.to_multikey()
    return sign_credential(credential, signer=signer, verification_method=f"{did_of(signer)}#{multikey}",
                           created=datetime(2026, 1, 15, 10, 0, tzinfo=UTC))


def signed_jwt(credential: dict[str, Any]) -> str:
    return sign_jwt(credential, signer=SIGNER, kid=f"{DID}#{SIGNER.public_key.to_multikey()}")
