"""Any W3C verifiable credential or presentation, whatever its vocabulary: the rules of the VC Data Model
(2.0, and 1.1 for older credentials) an issuer must refuse to sign and a verifier must report, and the
verification of `eddsa-rdfc-2022` credentials and presentations (the W3C VC-API's verifier).

ob3.verify judges Open Badges 3.0 credentials (their context, type, schema and Profile issuer); this module
asks only what the VC Data Model asks, so a credential of any vocabulary can be signed and checked. It does
no I/O: keys come from an injected `KeyResolver`, status lists from an injected fetcher, and related
resources are compared only with documents passed in (by default the contexts ob3 holds).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ob3.documents import DEFAULT_LOADER, VC_V1, VC_V2, DocumentLoader
from ob3.errors import KeyFormatError, Ob3Error, UnknownContextError
from ob3.jsonld import expand, safe_mode_problems
from ob3.multibase import multibase_decode
from ob3.proofs import data_integrity
from ob3.resolve import KeyResolver
from ob3.result import KEY_DOCUMENT_UNAVAILABLE, VALID, Check, unconfirmed, verdict_of
from ob3.status_check import StatusFetcher, check_status
from ob3.values import as_list, issuer_id

DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
BITSTRING_ENTRY = "BitstringStatusListEntry"
STATUS_PURPOSES = ("revocation", "suspension", "refresh", "message")

# xsd:dateTimeStamp (VC 2.0 validFrom/validUntil: a time zone is required) and xsd:dateTime (VC 1.1).
_DATE_TIME = r"-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?"
_ZONE = r"(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))"
_DATE_TIME_STAMP = re.compile(_DATE_TIME + _ZONE)
_XSD_DATE_TIME = re.compile(_DATE_TIME + _ZONE + "?")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
# SRI: algorithm-base64digest (W3C Subresource Integrity); the VC 2.0 spec names sha256/384/512.
_SRI = re.compile(r"^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$")
# Multihash codes (varint, one byte for these) -> (hash, digest length).
_MULTIHASH = {0x12: ("sha256", 32), 0x20: ("sha384", 48), 0x13: ("sha512", 64)}

# url -> {hash name: digest of the resource as published}: what a related-resource digest is compared with.
RelatedResources = Mapping[str, Mapping[str, bytes]]

# The SHA-256 of the published bytes of the contexts whose specifications give it (VC DM 2.0 §B.1, the
# Bitstring Status List and Data Integrity RECs). The copies ob3 loads come from npm packages and are pinned
# by content, not bytes, so only these published digests can confirm a related resource's digest.
PUBLISHED_SHA256 = {
    VC_V2: "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "https://www.w3.org/ns/credentials/status/v1": "fda5add353231e6a6884a46b12e6c75464281900cb348284d9c360f62381d9f7",
    "https://w3id.org/security/data-integrity/v2": "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    "https://w3id.org/security/multikey/v1": "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
}


def is_url(value: Any) -> bool:
    """An absolute URL (https:, did:, urn:, …): what the data model requires of every `id`."""
    return isinstance(value, str) and bool(_SCHEME.match(value))



def published_digests() -> RelatedResources:
    """The related resources whose digests can be checked offline: the published contexts above."""
    return {url: {"sha256": bytes.fromhex(digest)} for url, digest in PUBLISHED_SHA256.items()}


def version_of(document: Mapping[str, Any]) -> int | None:
    """2 or 1 by the first @context (VC 2.0 or VC 1.1), None when it is neither."""
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else None
    return {VC_V2: 2, VC_V1: 1}.get(first) if isinstance(first, str) else None


# --- the data model --------------------------------------------------------------------------------
def _check_context(document: Mapping[str, Any], problems: list[str]) -> None:
    contexts = document.get("@context")
    if not isinstance(contexts, list) or not contexts:
        problems.append(f"@context must be an array whose first item is {VC_V2} (or {VC_V1})")
        return
    if version_of(document) is None:
        problems.append(f"the first @context must be {VC_V2} (or {VC_V1}), not {str(contexts[0])[:200]!r}")
    for item in contexts[1:]:
        if not isinstance(item, str | dict):
            problems.append("each @context item must be a URL or an object")


def _check_types(document: Mapping[str, Any], required: str, problems: list[str]) -> None:
    types = document.get("type")
    listed = as_list(types)
    if not listed or not all(isinstance(t, str) and t for t in listed):
        problems.append(f"type must be a string or an array of strings including {required}")
    elif required not in listed:
        problems.append(f"type must include {required} (found {listed!r})"[:300])


def _check_id(node: Mapping[str, Any], where: str, problems: list[str]) -> None:
    if "id" in node and not is_url(node["id"]):
        problems.append(f"{where}.id must be a URL")


def _objects(document: Mapping[str, Any], name: str, problems: list[str]) -> list[Mapping[str, Any]]:
    """The value(s) of an optional property that must be one or more objects."""
    if name not in document:
        return []
    values = as_list(document[name])
    if not values or not all(isinstance(value, Mapping) for value in values):
        problems.append(f"{name} must be an object or a non-empty array of objects")
        return []
    return values


def _check_typed(document: Mapping[str, Any], name: str, problems: list[str], *, needs_id: bool = False) -> None:
    for index, value in enumerate(_objects(document, name, problems)):
        where = f"{name}[{index}]"
        if not as_list(value.get("type")) or not all(isinstance(t, str) for t in as_list(value.get("type"))):
            problems.append(f"{where} must have a type")
        if needs_id and "id" not in value:
            problems.append(f"{where} must have an id")
        _check_id(value, where, problems)


def _check_issuer(document: Mapping[str, Any], problems: list[str]) -> None:
    issuer = document.get("issuer")
    if isinstance(issuer, Mapping):
        if not is_url(issuer.get("id")):
            problems.append("issuer must be a URL, or an object whose id is a URL")
    elif not is_url(issuer):
        problems.append("issuer is required: a URL, or an object whose id is a URL")


def _check_subject(document: Mapping[str, Any], problems: list[str]) -> None:
    subjects = as_list(document.get("credentialSubject"))
    if not subjects:
        problems.append("credentialSubject is required: one or more objects with claims about the subject")
        return
    for index, subject in enumerate(subjects):
        if not isinstance(subject, Mapping) or not subject:
            problems.append(f"credentialSubject[{index}] must be an object with at least one claim")
        else:
            _check_id(subject, f"credentialSubject[{index}]", problems)


def _check_dates(document: Mapping[str, Any], version: int, problems: list[str]) -> None:
    if version == 1:
        names, pattern = ("issuanceDate", "expirationDate"), _XSD_DATE_TIME
        if "issuanceDate" not in document:
            problems.append("issuanceDate is required in a VC 1.1 credential")
    else:
        names, pattern = ("validFrom", "validUntil"), _DATE_TIME_STAMP
    moments = []
    for name in names:
        if name in document:
            value = document[name]
            if not isinstance(value, str) or not pattern.fullmatch(value):
                kind = "xsd:dateTime" if version == 1 else "date-time with a time zone (xsd:dateTimeStamp)"
                problems.append(f"{name} must be a {kind}, not {str(value)[:60]!r}")
                return
            moments.append(_parse(value))
    if version == 2 and len(moments) == 2 and moments[0] > moments[1]:
        problems.append("validFrom must not be later than validUntil")


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")) if len(value.split("-")[0]) == 4 \
        else datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def status_entry_problems(entry: Any, where: str = "credentialStatus") -> list[str]:
    """What is wrong with one credentialStatus entry ([] when nothing is)."""
    if not isinstance(entry, Mapping):
        return [f"{where} must be an object"]
    problems: list[str] = []
    if not isinstance(entry.get("type"), str) or not entry["type"]:
        problems.append(f"{where} must have a type")
    _check_id(entry, where, problems)
    if entry.get("type") == BITSTRING_ENTRY:
        if entry.get("statusPurpose") not in STATUS_PURPOSES:
            problems.append(f"{where}.statusPurpose must be one of {', '.join(STATUS_PURPOSES)}")
        index = entry.get("statusListIndex")
        if not isinstance(index, str) or not index.isascii() or not index.isdigit():
            problems.append(f"{where}.statusListIndex must be a string of decimal digits")
        if not is_url(entry.get("statusListCredential")):
            problems.append(f"{where}.statusListCredential must be a URL")
    return problems


def _check_status(document: Mapping[str, Any], problems: list[str]) -> None:
    if "credentialStatus" not in document:
        return
    entries = as_list(document["credentialStatus"])
    if not entries:
        problems.append("credentialStatus must be an object or a non-empty array of objects")
    for index, entry in enumerate(entries):
        problems.extend(status_entry_problems(entry, f"credentialStatus[{index}]"))


def digest_problem(resource: Mapping[str, Any], known: RelatedResources) -> str | None:
    """Why a relatedResource's digest is malformed or does not match a digest we know of the resource; None if
    fine (a digest with a hash we know no digest for is checked for its form only)."""
    identifier = resource.get("id")
    digests = known.get(identifier, {}) if isinstance(identifier, str) else {}
    sri = resource.get("digestSRI")
    if sri is not None:
        match = _SRI.fullmatch(sri) if isinstance(sri, str) else None
        if match is None:
            return "digestSRI must be sha256-, sha384- or sha512- followed by the base64 digest"
        try:
            expected = base64.b64decode(match.group(2), validate=True)
        except ValueError:
            return "digestSRI is not valid base64"
        if match.group(1) in digests and digests[match.group(1)] != expected:
            return f"digestSRI does not match the content of {resource['id']}"
    multibase = resource.get("digestMultibase")
    if multibase is not None:
        try:
            multihash = multibase_decode(multibase)
        except KeyFormatError:
            return "digestMultibase must be a multibase string ('z…' or 'u…')"
        algorithm = _MULTIHASH.get(multihash[0]) if len(multihash) > 2 else None
        if algorithm is None or multihash[1] != algorithm[1] or len(multihash) != 2 + algorithm[1]:
            return "digestMultibase must hold a sha2-256, sha2-384 or sha2-512 multihash"
        if algorithm[0] in digests and digests[algorithm[0]] != multihash[2:]:
            return f"digestMultibase does not match the content of {resource['id']}"
    return None


def _check_related(document: Mapping[str, Any], known: RelatedResources, problems: list[str]) -> None:
    seen: set[str] = set()
    for index, resource in enumerate(_objects(document, "relatedResource", problems)):
        where = f"relatedResource[{index}]"
        if not is_url(resource.get("id")):
            problems.append(f"{where} must have an id that is a URL")
            continue
        if resource["id"] in seen:
            problems.append(f"{where}.id {resource['id']} is listed twice")
        seen.add(resource["id"])
        if "digestSRI" not in resource and "digestMultibase" not in resource:
            problems.append(f"{where} must have digestSRI or digestMultibase")
            continue
        problem = digest_problem(resource, known)
        if problem:
            problems.append(f"{where}: {problem}")


def safe_mode_check(document: dict[str, Any], loader: DocumentLoader) -> list[str]:
    """JSON-LD safe mode: every term defined, no relative ids, no context we do not hold."""
    try:
        expanded, dropped = expand(document, loader=loader)
    except UnknownContextError as exc:
        return [f"JSON-LD: {exc}"]
    except Ob3Error as exc:
        return [f"JSON-LD: {exc}"]
    return [f"JSON-LD safe mode: {problem}" for problem in safe_mode_problems(expanded, dropped)]


def credential_problems(credential: Any, *, loader: DocumentLoader = DEFAULT_LOADER,
                        related: RelatedResources | None = None) -> list[str]:
    """Every way `credential` breaks the VC Data Model (2.0 or 1.1) or JSON-LD safe mode; [] when none.
    The proof, if any, is not judged here."""
    if not isinstance(credential, Mapping):
        return ["the credential must be a JSON object"]
    problems: list[str] = []
    _check_context(credential, problems)
    version = version_of(credential)
    _check_id(credential, "credential", problems)
    _check_types(credential, "VerifiableCredential", problems)
    _check_issuer(credential, problems)
    _check_subject(credential, problems)
    if version is not None:
        _check_dates(credential, version, problems)
    _check_status(credential, problems)
    _check_typed(credential, "credentialSchema", problems, needs_id=True)
    _check_typed(credential, "refreshService", problems)
    _check_typed(credential, "termsOfUse", problems)
    _check_typed(credential, "evidence", problems)
    _check_related(credential, published_digests() if related is None else related, problems)
    if problems:
        return problems  # JSON-LD of a malformed document only adds noise
    return safe_mode_check({key: value for key, value in credential.items() if key != "proof"}, loader)


def presentation_problems(presentation: Any, *, loader: DocumentLoader = DEFAULT_LOADER) -> list[str]:
    """Every way `presentation` breaks the data model (its credentials are judged one by one elsewhere)."""
    if not isinstance(presentation, Mapping):
        return ["the presentation must be a JSON object"]
    problems: list[str] = []
    _check_context(presentation, problems)
    _check_id(presentation, "presentation", problems)
    _check_types(presentation, "VerifiablePresentation", problems)
    holder = presentation.get("holder")
    if holder is not None and not is_url(holder.get("id") if isinstance(holder, Mapping) else holder):
        problems.append("holder must be a URL, or an object whose id is a URL")
    credentials = presentation.get("verifiableCredential")
    if credentials is not None and not all(isinstance(item, Mapping) for item in as_list(credentials)):
        problems.append("verifiableCredential must be one or more credential objects")
    if problems:
        return problems
    # The credentials carry their own contexts and are judged on their own.
    outer = {key: value for key, value in presentation.items() if key not in ("proof", "verifiableCredential")}
    return safe_mode_check(outer, loader)


def contexts_for_signing(credential: dict[str, Any]) -> dict[str, Any]:
    """A VC 1.1 credential needs the Data Integrity context for its proof's terms (VC 2.0's context defines
    them): appended at the end, so the order of the given contexts stays as it was."""
    contexts = credential.get("@context")
    if version_of(credential) == 1 and isinstance(contexts, list) and DATA_INTEGRITY_V2 not in contexts:
        return {**credential, "@context": [*contexts, DATA_INTEGRITY_V2]}
    return credential


# --- verification ----------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What a verification found: every check, and whether it adds up to "verified"."""

    checks: list[Check] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return verdict_of(self.checks) == VALID

    @property
    def passed(self) -> list[str]:
        return list(dict.fromkeys(c.name for c in self.checks if c.passed))

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.passed and c.warning]

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]


@dataclass(frozen=True)
class Verifier:
    """What one verification consults: keys, status lists, the clock and the contexts."""

    resolver: KeyResolver
    status_fetcher: StatusFetcher | None
    now: datetime
    loader: DocumentLoader = DEFAULT_LOADER
    canonicalizer: Callable[[dict[str, Any]], str] | None = None


def _proof_checks(document: dict[str, Any], verifier: Verifier, *, purpose: str, owner: str | None,
                  challenge: str | None = None, domain: str | None = None) -> list[Check]:
    """The first proof that verifies (and binds its key to `owner`) gives the checks; else one failure."""
    proofs = as_list(document.get("proof"))
    if not proofs:
        return [Check("proof", False, "there is no proof: anyone could have written this")]
    failures: list[str] = []
    unavailable: list[str] = []
    for proof in proofs:
        shape = data_integrity.check_proof_shape(proof, purpose=purpose)
        if not shape.passed:
            failures.append(shape.reason)
            continue
        if proof.get("type") != data_integrity.PROOF_TYPE or proof.get("cryptosuite") != data_integrity.CRYPTOSUITE:
            failures.append(f"only {data_integrity.CRYPTOSUITE} Data Integrity proofs are accepted here")
            continue
        mismatch = _challenge_problem(proof, challenge, domain)
        if mismatch:
            failures.append(mismatch)
            continue
        key = verifier.resolver.proof_key(proof)
        if (resolved := key.resolved) is None:
            (unavailable if key.unavailable else failures).append(key.problem)
            continue
        outcome = data_integrity.verify_proof(document, proof, public_key=resolved.public_key, loader=verifier.loader,
                                              canonicalizer=verifier.canonicalizer, purpose=purpose)
        if not outcome.passed:
            failures.append(outcome.reason)
            continue
        checks = [Check("proof", True, outcome.reason)]
        binding = verifier.resolver.binding(resolved, owner)
        if binding.state == "bound":
            checks.append(Check("issuer_key", True, binding.reason))
        elif binding.state == "unknown":
            checks.append(unconfirmed("issuer_key", binding.code, binding.reason))
        else:
            checks.append(Check("issuer_key", False, binding.reason))
        revoked = binding.revoked or resolved.revoked
        if revoked is not None:
            checks.append(Check("key_status", False, "the signing key was reported compromised"))
        return checks
    if unavailable and not failures:
        return [unconfirmed("proof", KEY_DOCUMENT_UNAVAILABLE, "; ".join(unavailable))]
    return [Check("proof", False, "; ".join(failures + unavailable))]


def _challenge_problem(proof: Mapping[str, Any], challenge: str | None, domain: str | None) -> str | None:
    if challenge is not None and proof.get("challenge") != challenge:
        return "the proof's challenge is not the one the verifier asked for"
    if domain is not None and domain not in as_list(proof.get("domain")):
        return "the proof's domain is not the one the verifier asked for"
    return None


def _date_checks(credential: Mapping[str, Any], now: datetime) -> list[Check]:
    version = version_of(credential)
    start_name, end_name = ("issuanceDate", "expirationDate") if version == 1 else ("validFrom", "validUntil")
    checks = []
    if start_name in credential:
        start = _parse(credential[start_name])
        checks.append(Check("not_before", start <= now, f"valid from {credential[start_name]}",
                            code="" if start <= now else "not_yet_valid"))
    if end_name in credential:
        end = _parse(credential[end_name])
        checks.append(Check("expiration", end > now, f"valid until {credential[end_name]}",
                            code="" if end > now else "expired"))
    return checks


def _list_audit(verifier: Verifier) -> Callable[[dict[str, Any]], list[str]]:
    def audit(list_credential: dict[str, Any]) -> list[str]:
        problems = credential_problems(list_credential, loader=verifier.loader)
        if problems:
            return problems
        checks = _proof_checks(list_credential, verifier, purpose=data_integrity.PROOF_PURPOSE,
                               owner=issuer_id(list_credential))
        checks += _date_checks(list_credential, verifier.now)
        return [c.reason for c in checks if not c.passed]
    return audit


def verify_credential(credential: Any, verifier: Verifier) -> Outcome:
    """Verify any `eddsa-rdfc-2022` credential: data model, safe mode, proof, the key's owner (the issuer),
    validity period and status. Anything not established fails closed (`Outcome.verified` is False)."""
    outcome = Outcome()
    problems = credential_problems(credential, loader=verifier.loader)
    if problems:
        outcome.checks.append(Check("data_model", False, "; ".join(problems)))
        return outcome
    outcome.checks.append(Check("data_model", True, "conforms to the VC Data Model, every term defined"))
    outcome.checks += _proof_checks(credential, verifier, purpose=data_integrity.PROOF_PURPOSE,
                                    owner=issuer_id(credential))
    outcome.checks += _date_checks(credential, verifier.now)
    if "credentialStatus" in credential:
        outcome.checks += check_status(credential, verifier.status_fetcher, _list_audit(verifier), verifier.now)
    return outcome


def verify_presentation(presentation: Any, verifier: Verifier, *, challenge: str | None = None,
                        domain: str | None = None) -> Outcome:
    """Verify a presentation: signed (an `authentication` proof by the holder, with the verifier's
    `challenge` and `domain`) or unsigned (then no challenge can have been answered), and every credential
    inside it."""
    outcome = Outcome()
    problems = presentation_problems(presentation, loader=verifier.loader)
    if problems:
        outcome.checks.append(Check("data_model", False, "; ".join(problems)))
        return outcome
    outcome.checks.append(Check("data_model", True, "conforms to the VC Data Model, every term defined"))
    if "proof" in presentation:
        holder = presentation.get("holder")
        holder_id = holder.get("id") if isinstance(holder, Mapping) else holder
        proof_checks = _proof_checks(presentation, verifier, purpose=data_integrity.AUTHENTICATION,
                                     owner=holder_id, challenge=challenge, domain=domain)
        if holder_id is None:
            # Nobody is named as holder: the signature shows only that the presentation was not changed.
            proof_checks = [c for c in proof_checks if c.name != "issuer_key"]
        outcome.checks += proof_checks
    elif challenge is not None or domain is not None:
        outcome.checks.append(Check("proof", False, "the verifier asked for a challenge or domain, but the "
                                                    "presentation is not signed"))
    else:
        outcome.checks.append(Check("proof", True, "unsigned presentation: only its credentials are verified",
                                    warning=True))
    for index, credential in enumerate(as_list(presentation.get("verifiableCredential"))):
        for check in verify_credential(credential, verifier).checks:
            outcome.checks.append(Check(f"verifiableCredential[{index}].{check.name}", check.passed, check.reason,
                                        warning=check.warning, unconfirmed=check.unconfirmed, code=check.code))
    return outcome
