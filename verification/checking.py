"""Verifying credentials — ours and anyone's — with ob3.verify. The verdict is ob3's
(`VerificationResult.verdict`): the platform never re-derives it."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from badges.contexts import platform_canonicalizer, platform_loader
from badges.models import Credential
from kernel import fetch
from ob3.documents import DocumentLoader
from ob3.errors import Ob3Error
from ob3.limits import LimitExceeded
from ob3.resolve import KeyResolver
from ob3.result import Check
from ob3.verify import VerificationResult, verify
from verification import verdicts
from verification.documents import RemoteDocuments, document_fetcher, online_loader

logger = logging.getLogger(__name__)


@dataclass
class Verification:
    """What a verification page shows: ob3's result, its verdict, and what did not pass."""

    result: VerificationResult

    @property
    def verdict(self) -> str:
        return self.result.verdict

    @property
    def credential(self) -> dict[str, Any] | None:
        return self.result.credential

    @property
    def problems(self) -> list[Check]:
        return [check for check in self.result.checks if not check.passed]

    @property
    def claims_confirmed(self) -> bool:
        """Whether what the credential says may be shown as the issuer's (verification.verdicts.claims_confirmed)."""
        return verdicts.claims_confirmed(self.verdict, self.result.checks)

    @property
    def limit(self) -> LimitExceeded | None:
        """Set when the input was refused for its size before any work (then there is no verdict to show)."""
        return self.result.limit

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_dict()


def _verify(data: Any, *, remote: RemoteDocuments | None, now: datetime | None, loader: DocumentLoader,
            canonicalizer: Any = None) -> Verification:
    get = document_fetcher(remote)
    try:
        result = verify(data, resolver=KeyResolver(fetch=get), status_fetcher=get, now=now, loader=loader,
                        canonicalizer=canonicalizer)
    except (RecursionError, MemoryError, ValueError, TypeError, Ob3Error) as exc:
        # ob3.verify reports bad input as failed checks and measures it against its limits first; this only
        # catches what might still slip past, so the visitor gets an answer instead of a 500.
        logger.warning("verification could not complete", extra={"error": repr(exc)[:200]})
        result = VerificationResult(checks=[Check("format", False, "the file could not be read safely")])
    return Verification(result=result)


def credential_verify(*, credential: Credential, now: datetime | None = None) -> Verification:
    """Check one of our credentials from its stored signed document (never from its database fields);
    keys and status lists come from the database."""
    data = credential.document if credential.document is not None else credential.jwt
    return _verify(data or b"", remote=None, now=now, loader=platform_loader(),
                   canonicalizer=platform_canonicalizer())


def upload_verify(*, data: bytes | str, now: datetime | None = None) -> Verification:
    """Check anything someone hands us: a baked PNG/SVG, a JSON credential or a VC-JWT, from any issuer.
    Other sites' documents (and copies of the contexts we hold) are fetched through the safe fetcher."""
    remote = RemoteDocuments(fetch.default_fetcher())
    # The general canonicaliser: the fast one is bound to the platform's loader, which has not seen what
    # this verification's loader may fetch.
    return _verify(data, remote=remote, now=now, loader=online_loader(remote))


def offline_verify(*, data: bytes | str, now: datetime | None = None) -> Verification:
    """Like upload_verify, but nothing is fetched from other sites: our own issuers' keys and status
    lists come from the database; another issuer's documents are reported as not consulted."""
    return _verify(data, remote=None, now=now, loader=platform_loader(), canonicalizer=platform_canonicalizer())


def _signature_check(result: VerificationResult) -> Check | None:
    return result.check("proof") or result.check("jwt.signature")


def credential_for_document(verification: Verification) -> Credential | None:
    """Our own credential behind a verified document (to show the issuer's reason for revoking it).
    Only when the signature held with a key the issuer binds to itself and the signed issuer is the
    record's issuer: a copied id proves nothing."""
    document = verification.credential
    signature, key = _signature_check(verification.result), verification.result.check("issuer_key")
    if not isinstance(document, dict) or signature is None or not signature.passed or key is None or not key.passed:
        return None
    identifier = document.get("id")
    if not isinstance(identifier, str) or not identifier.startswith("urn:uuid:"):
        return None
    try:
        public_id = uuid.UUID(identifier[len("urn:uuid:"):])
    except ValueError:
        return None
    credential = Credential.objects.select_related("issuer").filter(public_id=public_id).first()
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if credential is None or issuer_id not in (credential.issuer.public_id, credential.issuer.did):
        return None
    return credential
