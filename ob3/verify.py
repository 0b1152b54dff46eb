"""Verify an Open Badges 3.0 credential from any of its forms, with a reason for every check.

`verify(data)` accepts a JSON credential (dict, str or bytes), a compact JWS, or a baked PNG/SVG,
and follows OB 3.0 §9.1 (and the order of the 1EdTech validator's probes): format, JSON-LD safe
mode, @context, type, JSON Schema, subject, issuer, proof, key ownership, validity period, status.
Keys and status lists come from injected callables, so this module performs no I/O.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ob3.baking import unbake
from ob3.documents import DEFAULT_LOADER, OB_EXTENSIONS, VC_V1, VC_V2, DocumentLoader
from ob3.errors import Ob3Error
from ob3.jsonld import expand, safe_mode_problems
from ob3.keys import PublicKey
from ob3.proofs import data_integrity
from ob3.proofs.vc_jwt import verify_jwt
from ob3.resolve import KeyResolver, ResolutionError, ResolvedKey
from ob3.result import Check
from ob3.schema import validate_schema
from ob3.status_list import status_of

MAX_INPUT_BYTES = 5 * 1024 * 1024
OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$")
OB_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}
# Issuer ids that name something a key can be tied to; a urn:uuid issuer has no controller document.
_RESOLVABLE_ISSUER = ("https://", "http://", "did:")
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

StatusFetcher = Callable[[str], Mapping[str, Any]]
Canonicalizer = Callable[[dict[str, Any]], str]

# Verdicts, from the most to the least severe.
INVALID, REVOKED, SUSPENDED, EXPIRED, NOT_YET_VALID, VALID = (
    "invalid", "revoked", "suspended", "expired", "not_yet_valid", "valid")


@dataclass
class VerificationResult:
    """The checks made, the credential found (if any) and the overall verdict."""

    format: str | None = None
    credential: dict[str, Any] | None = None
    checks: list[Check] = field(default_factory=list)
    jwt: str | None = None

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    @property
    def verdict(self) -> str:
        failed = {c.name for c in self.checks if not c.passed}
        if not failed:
            return VALID if self.checks else INVALID
        for name, verdict in (("revocation", REVOKED), ("suspension", SUSPENDED), ("expiry", EXPIRED),
                              ("not_before", NOT_YET_VALID)):
            if failed == {name}:
                return verdict
        return INVALID

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "verdict": self.verdict,
            "format": self.format,
            "checks": [{"name": c.name, "passed": c.passed, "warning": c.warning, "reason": c.reason}
                       for c in self.checks],
            "credential": self.credential,
        }


def verify(
    data: bytes | str | Mapping[str, Any],
    *,
    resolver: KeyResolver | None = None,
    status_fetcher: StatusFetcher | None = None,
    now: datetime | None = None,
    loader: DocumentLoader = DEFAULT_LOADER,
    canonicalizer: Canonicalizer | None = None,
) -> VerificationResult:
    """Verify `data`; never raises for bad input — every problem becomes a failed check."""
    result = VerificationResult()
    resolver = resolver or KeyResolver()
    now = now or datetime.now(UTC)
    payload = _parse(data, result)
    if payload is None:
        return result
    if isinstance(payload, str):
        result.jwt = payload
        credential = _verify_jwt(payload, result, resolver, now)
    else:
        credential = payload
    if credential is None:
        return result
    result.credential = credential
    _verify_document(credential, result, resolver=resolver, status_fetcher=status_fetcher, now=now,
                     loader=loader, canonicalizer=canonicalizer, has_jwt_proof=result.jwt is not None)
    return result


# --- parsing ---------------------------------------------------------------------------------------
def _parse(data: bytes | str | Mapping[str, Any], result: VerificationResult) -> dict[str, Any] | str | None:
    def fail(reason: str) -> None:
        result.checks.append(Check("format", False, reason))

    if isinstance(data, Mapping):
        result.format = "json"
        result.checks.append(Check("format", True, "JSON credential"))
        return dict(data)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes | bytearray):
        fail("expected bytes, text or a JSON object")
        return None
    data = bytes(data)
    if len(data) > MAX_INPUT_BYTES:
        fail(f"input is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
        return None
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(_PNG_SIGNATURE) or stripped.startswith(b"<"):
        kind = "png" if data.startswith(_PNG_SIGNATURE) else "svg"
        result.format = kind
        try:
            baked = unbake(data)
        except Ob3Error as exc:
            fail(f"{kind.upper()} image: {exc}")
            return None
        what = "a JSON credential" if isinstance(baked, dict) else "a VC-JWT"
        result.checks.append(Check("format", True, f"{kind.upper()} image with {what} baked in"))
        return baked
    try:
        text = stripped.decode("utf-8").strip()
    except UnicodeDecodeError:
        fail("not a PNG, SVG, JSON credential or JWT (the data is not text)")
        return None
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as exc:
            fail(f"malformed JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
            return None
        result.format = "json"
        result.checks.append(Check("format", True, "JSON credential"))
        return parsed
    if _JWS.fullmatch(text):
        result.format = "jwt"
        result.checks.append(Check("format", True, "VC-JWT (compact JWS)"))
        return text
    fail("not a PNG, SVG, JSON credential or JWT")
    return None


# --- VC-JWT ----------------------------------------------------------------------------------------
def _verify_jwt(token: str, result: VerificationResult, resolver: KeyResolver, now: datetime) -> dict | None:
    found: list[ResolvedKey] = []
    problems: list[str] = []

    def resolve_key(header: Mapping[str, Any], payload: Mapping[str, Any]) -> PublicKey | None:
        try:
            resolved = resolver.resolve_jwt_key(header)
        except (ResolutionError, Ob3Error) as exc:
            problems.append(str(exc))
            return None
        if resolved is not None:
            found.append(resolved)
            return resolved.public_key
        return None

    outcome = verify_jwt(token, resolve_key=resolve_key, now=now)
    result.checks.extend(outcome.checks)
    if problems:
        result.checks.append(Check("issuer_key", False, "; ".join(problems)))
    elif found and outcome.credential is not None:
        result.checks.append(_key_ownership(found[0], outcome.credential))
        # A VC-JWT has no proof `created`; the issuer-asserted `nbf` (= validFrom) is the signing time.
        signed_at = outcome.credential.get("validFrom") or outcome.credential.get("issuanceDate")
        compromise = _key_compromise(found[0], signed_at)
        if compromise is not None:
            result.checks.append(compromise)
    return outcome.credential


def _as_list(value: Any) -> list[Any]:
    """JSON-LD lets a single value stand for a one-item array; read both."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, Mapping) and isinstance(issuer.get("id"), str):
        return issuer["id"]
    return None


def _key_ownership(resolved: ResolvedKey, credential: Mapping[str, Any]) -> Check:
    issuer = _issuer_id(credential)
    if issuer is None:
        return Check("issuer_key", False, "the credential names no issuer, so no key can belong to it")
    if not issuer.startswith(_RESOLVABLE_ISSUER):
        return Check("issuer_key", True, f"issuer id {issuer} cannot be tied to any key; signed by "
                                         f"{resolved.controller or resolved.source}", warning=True)
    if not resolved.controller:
        return Check("issuer_key", True, f"key not tied to the issuer by any document ({resolved.source})",
                     warning=True)
    if resolved.controller != issuer:
        return Check("issuer_key", False,
                     f"the signing key belongs to {resolved.controller}, not to the issuer {issuer}")
    if not resolved.confirmed:
        return Check("issuer_key", True, f"key controller matches the issuer; {resolved.source}", warning=True)
    return Check("issuer_key", True, f"the signing key belongs to the issuer ({resolved.source})")


# --- the credential document -----------------------------------------------------------------------
def _verify_document(
    credential: dict[str, Any],
    result: VerificationResult,
    *,
    resolver: KeyResolver,
    status_fetcher: StatusFetcher | None,
    now: datetime,
    loader: DocumentLoader,
    canonicalizer: Canonicalizer | None,
    has_jwt_proof: bool,
) -> None:
    add = result.checks.append
    if not isinstance(credential, dict):
        add(Check("format", False, "the credential is not a JSON object"))
        return
    contexts = _as_list(credential.get("@context"))
    legacy = contexts[:1] == [VC_V1]
    add(_check_context(contexts))
    add(_check_type(credential))
    add(_check_safe_mode(credential, loader))
    if legacy:
        add(Check("schema", True, "VC 1.1 credential: no offline schema for this legacy form", warning=True))
    else:
        add(_check_schema(credential))
    add(_check_issuer(credential))
    proofs = _as_list(credential.get("proof"))
    if not has_jwt_proof:
        _check_embedded_proofs(credential, proofs, result, resolver, loader, canonicalizer)
    result.checks.extend(_check_dates(credential, now, legacy))
    result.checks.extend(_check_status(credential, status_fetcher, resolver, now, loader))


def _check_context(contexts: list[Any]) -> Check:
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        return Check("context", False, f"the first @context must be {VC_V2}")
    if len(contexts) < 2 or not isinstance(contexts[1], str) or not OB_CONTEXT.match(contexts[1]):
        return Check("context", False, "the second @context must be the Open Badges 3.0 context")
    if contexts[0] == VC_V1:
        return Check("context", True, "VC Data Model 1.1 credential (legacy form)", warning=True)
    return Check("context", True, f"VC 2.0 + {contexts[1].rsplit('/', 1)[-1]}")


def _check_type(credential: Mapping[str, Any]) -> Check:
    types = _as_list(credential.get("type"))
    if "VerifiableCredential" in types and OB_TYPES & set(types):
        return Check("type", True, "an EndorsementCredential" if "EndorsementCredential" in types
                 else "an OpenBadgeCredential")
    return Check("type", False, "type must include VerifiableCredential and OpenBadgeCredential "
                                f"(found {types!r})")


def _check_safe_mode(credential: dict[str, Any], loader: DocumentLoader) -> Check:
    try:
        expanded, dropped = expand(credential, loader=loader)
    except Ob3Error as exc:
        return Check("safe_mode", False, f"JSON-LD: {exc}")
    problems = safe_mode_problems(expanded, dropped)
    if problems:
        return Check("safe_mode", False, "JSON-LD safe mode: " + "; ".join(problems))
    return Check("safe_mode", True, "every property is defined by a JSON-LD context")


def _check_schema(credential: dict[str, Any]) -> Check:
    types = credential.get("type")
    kind = "endorsement" if isinstance(types, list) and "EndorsementCredential" in types else "achievement"
    label = "EndorsementCredential" if kind == "endorsement" else "AchievementCredential"
    # The spec allows a compacted single proof object (§A.2.1); the canonical schema wants an array.
    # Accept both when reading; ob3 itself always writes arrays.
    compacted = isinstance(credential.get("proof"), dict)
    document = {**credential, "proof": [credential["proof"]]} if compacted else credential
    errors = validate_schema(document, kind)
    if errors:
        return Check("schema", False, "JSON Schema: " + "; ".join(errors[:8]))
    if compacted:
        return Check("schema", True, f"matches the OB 3.0 {label} JSON Schema (with `proof` as a single object, "
                                     "which the spec's compaction rules allow)", warning=True)
    return Check("schema", True, f"matches the OB 3.0 {label} JSON Schema")


def _check_issuer(credential: Mapping[str, Any]) -> Check:
    issuer = credential.get("issuer")
    if not isinstance(issuer, Mapping):
        return Check("issuer", False, "issuer must be a Profile object with an id"
                     if issuer is None or isinstance(issuer, str) else "issuer is malformed")
    types = _as_list(issuer.get("type"))
    if "Profile" not in types:
        return Check("issuer", False, f"issuer type must include Profile (found {types!r})")
    if not isinstance(issuer.get("id"), str):
        return Check("issuer", False, "issuer has no id")
    name = issuer.get("name") or issuer["id"]
    return Check("issuer", True, f"issued by {name}")


def _check_embedded_proofs(
    credential: dict[str, Any],
    proofs: list[Any],
    result: VerificationResult,
    resolver: KeyResolver,
    loader: DocumentLoader,
    canonicalizer: Canonicalizer | None,
) -> None:
    if not proofs:
        result.checks.append(Check("proof", False, "the credential has no proof: anyone could have written it"))
        return
    failures: list[str] = []
    for proof in proofs:
        shape = data_integrity.check_proof_shape(proof)
        if not shape.passed:
            failures.append(shape.reason)
            continue
        try:
            resolved = resolver.resolve(proof["verificationMethod"])
        except (ResolutionError, Ob3Error) as exc:
            failures.append(f"key: {exc}")
            continue
        outcome = data_integrity.verify_proof(credential, proof, public_key=resolved.public_key, loader=loader,
                                              canonicalizer=canonicalizer)
        if outcome.passed:
            result.checks.append(Check("proof", True, outcome.reason, warning=outcome.warning))
            result.checks.append(_key_ownership(resolved, credential))
            compromise = _key_compromise(resolved, proof.get("created"))
            if compromise is not None:
                result.checks.append(compromise)
            return
        failures.append(outcome.reason)
    result.checks.append(Check("proof", False, "; ".join(failures)))


def _key_compromise(resolved: ResolvedKey, signed_at: Any) -> Check | None:
    """None for a key in good standing; else whether this signature predates the reported compromise."""
    if resolved.revoked is None:
        return None
    since = resolved.revoked.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    moment = _parse_datetime(signed_at)
    if moment is None or moment >= resolved.revoked:
        return Check("key_status", False, f"the issuer reported the signing key compromised from {since}; "
                                          "this signature is not dated before that")
    return Check("key_status", True, f"signed before the key was reported compromised ({since})", warning=True)


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _check_dates(credential: Mapping[str, Any], now: datetime, legacy: bool) -> list[Check]:
    start_key, end_key = ("issuanceDate", "expirationDate") if legacy else ("validFrom", "validUntil")
    checks = []
    start = _parse_datetime(credential.get(start_key))
    if start is None:
        checks.append(Check("not_before", False, f"{start_key} is missing or not a date-time"))
    elif start > now:
        checks.append(Check("not_before", False, f"not valid before {credential[start_key]}"))
    else:
        checks.append(Check("not_before", True, f"valid from {credential[start_key]}"))
    if end_key in credential:
        end = _parse_datetime(credential[end_key])
        if end is None:
            checks.append(Check("expiry", False, f"{end_key} is not a date-time"))
        elif end <= now:
            checks.append(Check("expiry", False, f"expired on {credential[end_key]}"))
        else:
            checks.append(Check("expiry", True, f"valid until {credential[end_key]}"))
    else:
        checks.append(Check("expiry", True, "does not expire"))
    return checks


def _check_status(
    credential: Mapping[str, Any],
    fetch: StatusFetcher | None,
    resolver: KeyResolver,
    now: datetime,
    loader: DocumentLoader,
) -> list[Check]:
    entries = credential.get("credentialStatus")
    if entries is None:
        return [Check("revocation", True, "the issuer publishes no revocation status for this credential")]
    checks: list[Check] = []
    for entry in _as_list(entries):
        if not isinstance(entry, Mapping):
            checks.append(Check("revocation", False, "credentialStatus is malformed"))
            continue
        kind = entry.get("type")
        if kind == "BitstringStatusListEntry":
            checks.append(_check_bitstring(entry, fetch, resolver, now, loader, _issuer_id(credential)))
        elif kind == "1EdTechRevocationList":
            checks.append(_check_revocation_list(entry, fetch, credential.get("id")))
        else:
            checks.append(Check("revocation", True, f"status method {kind!r} is not supported; not checked",
                                warning=True))
    return checks


def _check_bitstring(
    entry: Mapping[str, Any],
    fetch: StatusFetcher | None,
    resolver: KeyResolver,
    now: datetime,
    loader: DocumentLoader,
    issuer_id: str | None,
) -> Check:
    purpose = entry.get("statusPurpose", "revocation")
    name = "suspension" if purpose == "suspension" else "revocation"
    url = entry.get("statusListCredential")
    try:
        index = int(entry.get("statusListIndex"))  # a string per the REC; some issuers write a number
    except (TypeError, ValueError):
        return Check(name, False, "statusListIndex is not a number")
    if not isinstance(url, str):
        return Check(name, False, "statusListCredential is missing")
    if fetch is None:
        return Check(name, True, f"status list {url} not consulted (offline)", warning=True)
    try:
        list_credential = dict(fetch(url))
    except Ob3Error as exc:
        return Check(name, True, f"status list {url} could not be fetched: {exc}", warning=True)
    problems = _status_list_problems(list_credential, resolver, now, loader)
    if problems:
        return Check(name, False, f"the status list is not trustworthy: {'; '.join(problems)}")
    if _issuer_id(list_credential) != issuer_id:
        return Check(name, False, "the status list was issued by someone other than the credential's issuer")
    try:
        is_set = status_of(list_credential, index, status_purpose=purpose)
    except Ob3Error as exc:
        return Check(name, False, f"status list unusable: {exc}")
    if is_set:
        return Check(name, False, "revoked by the issuer" if name == "revocation" else "suspended by the issuer")
    return Check(name, True, "not revoked" if name == "revocation" else "not suspended")


def _status_list_problems(
    list_credential: dict[str, Any], resolver: KeyResolver, now: datetime, loader: DocumentLoader
) -> list[str]:
    """A status list is itself a signed credential: its proof, key and dates must hold too."""
    listing = VerificationResult()
    listing.checks.append(_check_safe_mode(list_credential, loader))
    _check_embedded_proofs(list_credential, _as_list(list_credential.get("proof")), listing, resolver, loader, None)
    listing.checks.extend(_check_dates(list_credential, now, legacy=False))
    return [c.reason for c in listing.checks if not c.passed]


def _check_revocation_list(entry: Mapping[str, Any], fetch: StatusFetcher | None, credential_id: Any) -> Check:
    url = entry.get("id")
    if fetch is None or not isinstance(url, str):
        return Check("revocation", True, f"1EdTech revocation list {url} not consulted (offline)", warning=True)
    try:
        listing = fetch(url)
    except Ob3Error as exc:
        return Check("revocation", True, f"revocation list {url} could not be fetched: {exc}", warning=True)
    for item in listing.get("revokedCredential", []) if isinstance(listing, Mapping) else []:
        if isinstance(item, Mapping) and item.get("id") == credential_id and item.get("revoked", True):
            reason = item.get("revocationReason")
            return Check("revocation", False, f"revoked by the issuer{': ' + reason if reason else ''}")
    return Check("revocation", True, "not revoked")


__all__ = ["OB_EXTENSIONS", "VerificationResult", "verify"]
