"""Verifying credentials that learners bring in, without ever going to the network.

Keys of this platform's own issuers are resolved from the documents we publish (read straight from the
database); any other issuer's key cannot be resolved here, and the verification result says so.
"""

from __future__ import annotations

import uuid
from typing import Any

from badges.models import Credential
from issuers.documents import did_document, jwk_document, profile_document
from issuers.models import Issuer, SigningKey
from issuers.signing import verification_method_id
from ob3.resolve import KeyResolver
from ob3.result import Check
from ob3.verify import VerificationResult, verify


def platform_key_resolver() -> KeyResolver:
    """A resolver that knows every issuer on this platform and nothing else (no fetcher: no network)."""
    documents: dict[str, dict[str, Any]] = {}
    for issuer in Issuer.objects.prefetch_related("signing_keys"):
        documents[issuer.public_id] = profile_document(issuer)
        documents[issuer.did] = did_document(issuer)
        for key in issuer.signing_keys.all():
            if key.kind == SigningKey.Kind.RSA and key.is_published:
                documents[verification_method_id(key)] = jwk_document(key)
    return KeyResolver(documents)


def _platform_revocation(result: VerificationResult) -> Check | None:
    """For a credential this platform issued, our own records say whether it was revoked."""
    credential = result.credential or {}
    identifier = credential.get("id")
    if not isinstance(identifier, str) or not identifier.startswith("urn:uuid:"):
        return None
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    try:
        public_id = uuid.UUID(identifier.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    ours = Credential.objects.filter(public_id=public_id).select_related("issuer").first()
    if ours is None or ours.issuer.public_id != issuer_id:
        return None
    if ours.revoked_at is not None or ours.status == Credential.Status.REVOKED:
        return Check("revocation", False, "the issuer has revoked this credential")
    return None


def credential_data_verify(data: bytes) -> VerificationResult:
    """Verify any form of a credential (PNG, SVG, JSON, JWT) offline."""
    try:
        result = verify(data, resolver=platform_key_resolver())
    except Exception as exc:  # noqa: BLE001 - verify promises not to raise; a hostile file must still not crash us
        reason = f"the file could not be read ({type(exc).__name__})"
        return VerificationResult(checks=[Check("format", False, reason)])
    revoked = _platform_revocation(result)
    if revoked is not None:
        result.checks = [check for check in result.checks if check.name != "revocation"] + [revoked]
    return result
