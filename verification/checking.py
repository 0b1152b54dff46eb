"""Verifying credentials — ours and anyone's — with ob3.verify. The verdict is ob3's
(`VerificationResult.verdict`): the platform never re-derives it."""

from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from badges.contexts import platform_canonicalizer, platform_loader
from badges.credentials.verdict_cache import verdict_cache_get, verdict_cache_put
from badges.models import Credential, StatusList
from issuers.models import SigningKey
from kernel import fetch
from ob3 import jsonld
from ob3.documents import DocumentLoader
from ob3.errors import Ob3Error
from ob3.limits import LimitExceeded
from ob3.resolve import KeyResolver
from ob3.result import Check
from ob3.values import as_list
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


# --- Our credential's verdict, kept between visits -----------------------------------------------------
def _verdict_fingerprint(credential: Credential) -> str:
    """Everything a stored verdict of our credential depends on besides the clock: the credential (its
    status, set in the same transaction as its revocation bit), its status list's version, the issuer's
    keys (rotation, retirement, a reported compromise) and identity, and this site's address."""
    status_list = (StatusList.objects.filter(pk=credential.status_list_id)
                   .values_list("version", "signed_version", "etag").first()
                   if credential.status_list_id is not None else None)
    keys = list(SigningKey.objects.filter(issuer_id=credential.issuer_id).order_by("pk")
                .values_list("pk", "status", "retired_at", "compromised_since"))
    issuer = credential.issuer
    parts = (credential.pk, credential.status, str(credential.public_id), status_list, keys,
             issuer.slug, issuer.identity_kind, settings.PUBLIC_BASE_URL, settings.EXTENSION_CONTEXT_URL)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _moments(document: Any) -> list[datetime]:
    """When the credential's own dates change its verdict (validFrom, validUntil)."""
    moments = []
    for name in ("validFrom", "validUntil"):
        for value in as_list(document.get(name) if isinstance(document, dict) else None):
            try:
                moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError:
                continue
            moments.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return moments


def _still_current(entry: Any, fingerprint: str, now: datetime, document: Any) -> bool:
    """A stored entry is used only if it is ours, for the same fingerprint, younger than the bound, and no
    date of the credential fell between its computing and now."""
    if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], VerificationResult)):
        return False
    stored, computed_at, _result = entry
    if stored != fingerprint or not isinstance(computed_at, datetime):
        return False
    age = (now - computed_at).total_seconds()
    if not 0 <= age <= settings.PUBLIC_CACHE_SECONDS:
        return False
    return not any(computed_at < moment <= now for moment in _moments(document))


def credential_verdict(*, credential: Credential) -> Verification:
    """credential_verify, computed once per credential and state and kept (the default cache) for at most
    settings.PUBLIC_CACHE_SECONDS. Revoking changes the status list's version (and forgets the entry), and
    a change of the issuer's keys changes the fingerprint, so neither waits for the bound."""
    now = timezone.now()
    fingerprint = _verdict_fingerprint(credential)
    entry = verdict_cache_get(credential.pk)
    if _still_current(entry, fingerprint, now, credential.document):
        return Verification(result=entry[2])
    checked = credential_verify(credential=credential, now=now)
    verdict_cache_put(credential.pk, (fingerprint, now, checked.result), seconds=settings.PUBLIC_CACHE_SECONDS)
    return checked


def upload_verify(*, data: bytes | str, now: datetime | None = None) -> Verification:
    """Check anything someone hands us: a baked PNG/SVG, a JSON credential or a VC-JWT, from any issuer.
    Other sites' documents (and copies of the contexts we hold) are fetched through the safe fetcher."""
    remote = RemoteDocuments(fetch.default_fetcher())
    loader = online_loader(remote)
    return _verify(data, remote=remote, now=now, loader=loader, canonicalizer=upload_canonicalizer(loader))


def _platform_contexts_only(node: Any, known: DocumentLoader) -> bool:
    """Whether every @context in the document, at any depth, is an address the platform's loader holds."""
    if isinstance(node, list):
        return all(_platform_contexts_only(item, known) for item in node)
    if not isinstance(node, dict):
        return True
    if "@context" in node and not all(isinstance(entry, str) and entry in known
                                      for entry in as_list(node["@context"])):
        return False
    return all(_platform_contexts_only(value, known) for key, value in node.items() if key != "@context")


def upload_canonicalizer(loader: DocumentLoader) -> Any:
    """The canonicaliser of an upload, chosen per document (the credential, its status list): the fast one
    (bound to the platform's loader) for a document that names only contexts that loader holds, which
    the online loader answers with the same documents; the general one over `loader` for anything else."""
    known, fast = platform_loader(), platform_canonicalizer()

    def canonicalize(document: dict[str, Any]) -> str:
        if _platform_contexts_only(document, known):
            return fast(document)
        return jsonld.canonicalize(document, loader=loader)

    return canonicalize


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
