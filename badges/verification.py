"""Verifying credentials — ours and anyone's — with ob3.verify, and wiring its key resolver and status fetcher.

Documents on this site (issuer profiles, DID documents, key documents, status lists) are read from the
database, never over HTTP; anything else goes through the SSRF-safe fetcher (badges.fetch, safefetch).
The verdict is ob3's (`VerificationResult.verdict`): the platform never re-derives it. Something that
could not be had — another site's document while offline, an unreachable one — is reported to ob3 as
`DocumentUnavailable`, which ob3 turns into "unconfirmed", never into "valid" or "forged".
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

from badges import fetch, verdicts
from badges.contexts import platform_canonicalizer, platform_loader
from badges.models import Achievement, AssessmentType, Credential, QualityAssuranceType, StatusList
from badges.status_lists import status_list_sign
from issuers import documents
from issuers.models import Issuer, SigningKey
from ob3.documents import DocumentLoader
from ob3.errors import DocumentUnavailable, Ob3Error
from ob3.limits import LimitExceeded
from ob3.resolve import KeyResolver, ResolutionError
from ob3.result import Check
from ob3.values import as_list
from ob3.verify import VerificationResult, verify
from safefetch import Fetcher, FetchError

logger = logging.getLogger(__name__)

Fetch = Callable[[str], Mapping[str, Any]]
REMOTE_FETCHES_PER_CHECK = 8
REMOTE_SECONDS_PER_CHECK = 10.0


class LocalDocumentMissing(ResolutionError):
    """A URL on this site that serves no such document: the key is known not to be the issuer's (unlike a
    document that could not be had, which proves nothing either way)."""


def _is_ours(url: str) -> bool:
    # did:web always maps to https; in development our own base URL may be plain http on the same host.
    return urlsplit(url).netloc.lower() == urlsplit(settings.PUBLIC_BASE_URL).netloc.lower()


def local_document(url: str) -> dict[str, Any]:
    """The public JSON document this site serves at `url`, read from the database (no HTTP)."""
    path = unquote(urlsplit(url).path)
    try:
        match = resolve(path)
    except Resolver404:
        raise LocalDocumentMissing(f"{url} is not a document this site publishes") from None
    kwargs = match.kwargs
    if match.view_name == "verification:status-list":
        status_list = StatusList.objects.select_related("issuer").filter(
            issuer__slug=kwargs["issuer_slug"], public_id=kwargs["public_id"]
        ).first()
        if status_list is None:
            raise LocalDocumentMissing(f"status list {url} does not exist")
        return status_list_sign(status_list=status_list).document
    issuer = Issuer.objects.filter(slug=kwargs.get("slug")).first()
    if issuer is None:
        raise LocalDocumentMissing(f"no issuer is published at {url}")
    if match.view_name == "issuers:detail":
        return documents.profile_document(issuer)
    if match.view_name == "issuers:did-document":
        return documents.did_document(issuer)
    if match.view_name == "issuers:jwks":
        return documents.jwks_document(documents.published_keys(issuer))
    if match.view_name == "issuers:key":
        key = SigningKey.objects.filter(issuer=issuer, thumbprint=kwargs["thumbprint"]).first()
        if key is None or not key.is_published:
            raise LocalDocumentMissing(f"no key is published at {url}")
        return documents.key_document(key)
    raise LocalDocumentMissing(f"{url} is not a document this site publishes")


class RemoteDocuments:
    """Other sites' documents for one verification, through the safe fetcher: at most
    REMOTE_FETCHES_PER_CHECK of them within REMOTE_SECONDS_PER_CHECK in all, so a credential naming many
    addresses (keys, status lists, contexts) cannot hold a web worker for long. What is not fetched is
    reported as unavailable, which ob3 turns into "cannot be confirmed"."""

    def __init__(self, fetcher: Fetcher, *, clock: Callable[[], float] = time.monotonic):
        self._fetcher = fetcher
        self._clock = clock
        self._left = REMOTE_FETCHES_PER_CHECK
        self._deadline = clock() + REMOTE_SECONDS_PER_CHECK

    def fetch_json(self, url: str) -> Any:
        if self._left <= 0 or self._clock() > self._deadline:
            raise DocumentUnavailable(f"{url} was not fetched: this check already asked other sites for "
                                      f"{REMOTE_FETCHES_PER_CHECK} documents or for {REMOTE_SECONDS_PER_CHECK:.0f} s")
        self._left -= 1
        try:
            return self._fetcher.fetch_json(url)
        except FetchError as exc:
            raise DocumentUnavailable(str(exc)) from None


def _document_fetcher(remote: RemoteDocuments | None) -> Fetch:
    """Key documents and status lists: this site's from the database; another site's through `remote`,
    or, offline (`remote` None), reported as not consulted."""

    def get(url: str) -> Mapping[str, Any]:
        if _is_ours(url):
            return local_document(url)
        if remote is None:
            raise DocumentUnavailable(f"{url} is on another site and was not consulted")
        return remote.fetch_json(url)

    return get


def _online_loader(remote: RemoteDocuments) -> DocumentLoader:
    """The platform's contexts, plus any other address that serves a copy of one ob3 holds (another
    Mikromerit installation's extension context): fetched safely, and used only if its content equals a
    context we hold (ob3.documents), so no new meaning can enter a signature. One per verification: what
    it fetched is not kept beyond it."""
    known = platform_loader()

    def get(url: str) -> Any:
        if url in known:  # our own addresses of the extension context
            return known(url)["document"]
        if _is_ours(url):
            raise DocumentUnavailable(f"{url} is not a context this site publishes")
        return remote.fetch_json(url)

    return DocumentLoader(fetch=get)


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
        """Whether what the credential says may be shown as the issuer's (badges.verdicts.claims_confirmed)."""
        return verdicts.claims_confirmed(self.verdict, self.result.checks)

    @property
    def limit(self) -> LimitExceeded | None:
        """Set when the input was refused for its size before any work (then there is no verdict to show)."""
        return self.result.limit

    def to_dict(self) -> dict[str, Any]:
        return self.result.to_dict()


def _verify(data: Any, *, remote: RemoteDocuments | None, now: datetime | None, loader: DocumentLoader,
            canonicalizer: Any = None) -> Verification:
    get = _document_fetcher(remote)
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
    return _verify(data, remote=remote, now=now, loader=_online_loader(remote))


def offline_verify(*, data: bytes | str, now: datetime | None = None) -> Verification:
    """Like upload_verify, but nothing is fetched from other sites: our own issuers' keys and status
    lists come from the database; another issuer's documents are reported as not consulted."""
    return _verify(data, remote=None, now=now, loader=platform_loader(), canonicalizer=platform_canonicalizer())


def offline_key_resolver() -> KeyResolver:
    """Resolves the keys of this site's issuers from the database, and nothing else."""
    return KeyResolver(fetch=_document_fetcher(None))


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


# --- What the page shows: read from the signed document, so a foreign credential reads the same way ----
def _text(value: Any) -> str:
    """A plain string from a JSON-LD value (a string, or a language map / value object)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _text(value.get("@value") or next(iter(value.values()), ""))
    if isinstance(value, list) and value:
        return _text(value[0])
    return ""


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _label(choices: type, value: Any) -> str:
    """The translated label of an extension code we know (e.g. "practical-demonstration"), else the code."""
    code = _text(value)
    return str(dict(choices.choices).get(code, code))


def credential_summary(document: Mapping[str, Any] | None) -> dict[str, Any]:
    """The four things an employer asks — who issued it, what was achieved, how it was assessed, how it
    is quality-assured — plus holder, dates and public evidence, as plain values for a template."""
    if not isinstance(document, Mapping):
        return {}
    issuer = _obj(document.get("issuer"))
    subject = _obj(as_list(document.get("credentialSubject"))[0] if as_list(document.get("credentialSubject")) else {})
    achievement = _obj(subject.get("achievement"))
    address = _obj(issuer.get("address"))
    identifiers = [
        _text(entry.get("identifier")) for entry in as_list(issuer.get("otherIdentifier")) if isinstance(entry, dict)
    ]
    holder = next(
        (
            _text(entry.get("identityHash"))
            for entry in as_list(subject.get("identifier"))
            if isinstance(entry, dict) and entry.get("identityType") == "name" and entry.get("hashed") is False
        ),
        "",
    )
    descriptions = {
        entry.get("id"): entry for entry in as_list(achievement.get("resultDescription")) if isinstance(entry, dict)
    }
    results = []
    for result in as_list(subject.get("result")):
        if not isinstance(result, dict):
            continue
        description = _obj(descriptions.get(result.get("resultDescription")))
        levels = [level for level in as_list(description.get("rubricCriterionLevel")) if isinstance(level, dict)]
        achieved = next((level for level in levels if level.get("id") == result.get("achievedLevel")), {})
        required = next((level for level in levels if level.get("id") == description.get("requiredLevel")), {})
        results.append({
            "outcome": _text(description.get("name")) or _text(result.get("resultDescription")),
            "level": _text(achieved.get("name")) or _text(result.get("value")),
            "level_description": _text(achieved.get("description")),
            "levels": [_text(level.get("name")) for level in levels],
            "required": _text(required.get("name")),
            "status": _text(result.get("status")),
        })
    outcomes = [
        {"statement": _text(entry.get("statement")), "kind": _text(entry.get("kind")),
         "esco": _text(entry.get("escoSkill"))}
        for entry in as_list(achievement.get("learningOutcome")) if isinstance(entry, dict)
    ] or [{"statement": _text(entry.get("name")), "kind": "", "esco": ""} for entry in descriptions.values()]
    credit = _obj(achievement.get("creditPoints"))
    qa = _obj(achievement.get("qualityAssurance"))
    evidence = [
        {"name": _text(entry.get("name")), "url": entry.get("id") if str(entry.get("id", "")).startswith("https://")
         else "", "description": _text(entry.get("description")), "narrative": _text(entry.get("narrative"))}
        for entry in as_list(document.get("evidence")) if isinstance(entry, dict)
    ]
    return {
        "name": _text(document.get("name")) or _text(achievement.get("name")),
        "issuer": {
            "id": _text(issuer.get("id")) or _text(document.get("issuer")),
            "name": _text(issuer.get("name")),
            "url": _text(issuer.get("url")),
            "country": _text(address.get("addressCountryCode")) or _text(address.get("addressCountry")),
            "locality": _text(address.get("addressLocality")),
            "identifiers": [value for value in identifiers if value],
        },
        "holder": holder,
        "valid_from": _text(document.get("validFrom")),
        "valid_until": _text(document.get("validUntil")),
        "awarded": _text(document.get("awardedDate")),
        "achievement": {
            "id": _text(achievement.get("id")),
            "name": _text(achievement.get("name")),
            "description": _text(achievement.get("description")),
            "criteria": _text(_obj(achievement.get("criteria")).get("narrative")),
            "type": _text(achievement.get("achievementType")),
            "in_language": _text(achievement.get("inLanguage")),
            # Other language editions the issuer links (OB `related`); only web addresses can be opened.
            "editions": [
                {"url": entry["id"], "language": _text(entry.get("inLanguage"))}
                for entry in as_list(achievement.get("related"))
                if isinstance(entry, dict) and str(entry.get("id", "")).startswith(("https://", "http://"))
                and _text(entry.get("inLanguage"))
            ],
            "outcomes": [outcome for outcome in outcomes if outcome["statement"]],
            "eqf_level": achievement.get("eqfLevel"),
            "seqf_level": achievement.get("seqfLevel"),
            "workload_hours": _text(achievement.get("workloadHours")),
            "credit_points": _text(credit.get("value")),
            "credit_unit": _text(credit.get("unitLabel")) or _text(credit.get("unit")),
            "assessment_types": [_label(AssessmentType, value) for value in as_list(achievement.get("assessmentType"))],
            "participation": _label(Achievement.ParticipationForm, achievement.get("participationForm")),
            "supervision": _label(Achievement.Supervision, achievement.get("supervision")),
        },
        "results": results,
        "quality": {
            "types": [_label(QualityAssuranceType, value) for value in as_list(qa.get("qaType"))],
            "internal": _text(qa.get("internalProcess")),
            "external": _text(qa.get("externalProcess")),
            "body": _text(qa.get("responsibleBody")),
            "body_url": _text(qa.get("responsibleBodyUrl")),
        },
        "evidence": evidence,
    }
