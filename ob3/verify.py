"""Verify an Open Badges 3.0 credential from any of its forms, with a reason for every check.

`verify(data)` accepts a JSON credential (dict, str or bytes), a compact JWS, or a baked PNG/SVG,
and follows OB 3.0 §9.1 (and the order of the 1EdTech validator's probes): format, JSON-LD safe
mode, @context, type, JSON Schema, subject, issuer, proof, key ownership, validity period, status.
Keys and status lists come from injected callables, so this module performs no I/O.

The verdict is "valid" only when the signature verifies with a key that the issuer's own identity
document binds to the issuer, and the status (where there is one) was read from a list whose own proof
holds. What could not be established is "unconfirmed" (see ob3.result), never valid. Input is measured
against ob3.limits before any expensive step.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from ob3.baking import unbake
from ob3.document_checks import (
    check_context,
    check_dates,
    check_issuer,
    check_safe_mode,
    check_schema,
    check_type,
    parse_datetime,
)
from ob3.documents import DEFAULT_LOADER, OB_EXTENSIONS, VC_V1, DocumentLoader
from ob3.errors import Ob3Error
from ob3.jsonld import ReusingCanonicalizer
from ob3.limits import DEFAULT_LIMITS, LimitExceeded, Limits, check_credential, check_json
from ob3.limits import loads as bounded_loads
from ob3.proofs import data_integrity
from ob3.proofs.vc_jwt import verify_jwt
from ob3.resolve import KeyResolver, KeyUnavailable, ResolvedKey
from ob3.result import (
    CODE_LIMIT,
    EXPIRED,
    INVALID,
    KEY_DOCUMENT_UNAVAILABLE,
    NOT_YET_VALID,
    REVOKED,
    SUSPENDED,
    UNCONFIRMED_VERDICT,
    UNKNOWN_CONTEXT,
    VALID,
    Check,
    unconfirmed,
    verdict_of,
)
from ob3.status_check import StatusFetcher, check_status
from ob3.values import as_list, issuer_id

MAX_INPUT_BYTES = 5 * 1024 * 1024  # a whole file: a baked image may carry a large picture
_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Canonicalizer = Callable[[dict[str, Any]], str]
UNCONFIRMED = UNCONFIRMED_VERDICT


@dataclass
class VerificationResult:
    """The checks made, the credential found (if any) and the overall verdict."""

    format: str | None = None
    credential: dict[str, Any] | None = None
    checks: list[Check] = field(default_factory=list)
    jwt: str | None = None
    limit: LimitExceeded | None = None  # set when the input was refused for its size before any work

    @property
    def verdict(self) -> str:
        return verdict_of(self.checks)

    @property
    def valid(self) -> bool:
        return self.verdict == VALID

    def check(self, name: str) -> Check | None:
        return next((c for c in self.checks if c.name == name), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "verdict": self.verdict,
            "format": self.format,
            "checks": [{"name": c.name, "passed": c.passed, "outcome": c.outcome, "code": c.code,
                        "warning": c.warning, "reason": c.reason} for c in self.checks],
            "credential": self.credential,
        }


@dataclass
class _Context:
    """What every step of one verification shares."""

    resolver: KeyResolver
    status_fetcher: StatusFetcher | None
    now: datetime
    loader: DocumentLoader
    canonicalizer: Canonicalizer | None


def verify(
    data: bytes | str | Mapping[str, Any],
    *,
    resolver: KeyResolver | None = None,
    status_fetcher: StatusFetcher | None = None,
    now: datetime | None = None,
    loader: DocumentLoader = DEFAULT_LOADER,
    canonicalizer: Canonicalizer | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> VerificationResult:
    """Verify `data`; never raises for bad input — every problem becomes a failed check."""
    result = VerificationResult()
    context = _Context(resolver or KeyResolver(), status_fetcher, now or datetime.now(UTC), loader, canonicalizer)
    try:
        payload = _parse(data, result, limits)
        if payload is None:
            return result
        if isinstance(payload, str):
            result.jwt = payload
            credential = _verify_jwt(payload, result, context)
        else:
            credential = payload
        if credential is None:
            return result
        check_credential(credential, limits)
        result.credential = credential
        _verify_document(credential, result, context, has_jwt_proof=result.jwt is not None)
    except LimitExceeded as exc:
        result.limit = exc
        result.credential = None
        result.checks = [Check("format", False, f"refused before checking: {exc}", code=CODE_LIMIT)]
    return result


# --- parsing ---------------------------------------------------------------------------------------
def _parse(data: bytes | str | Mapping[str, Any], result: VerificationResult,
           limits: Limits) -> dict[str, Any] | str | None:
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
        raise LimitExceeded("bytes", MAX_INPUT_BYTES, len(data))
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if data.startswith(_PNG_SIGNATURE) or stripped.startswith(b"<"):
        return _unbaked(data, result)
    try:
        text = stripped.decode("utf-8").strip()
    except UnicodeDecodeError:
        fail("not a PNG, SVG, JSON credential or JWT (the data is not text)")
        return None
    if text.startswith("{"):
        try:
            parsed: dict[str, Any] = bounded_loads(text, limits)  # an object: the text starts with "{"
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


def _unbaked(data: bytes, result: VerificationResult) -> dict[str, Any] | str | None:
    kind = "png" if data.startswith(_PNG_SIGNATURE) else "svg"
    result.format = kind
    try:
        baked = unbake(data)
    except Ob3Error as exc:
        result.checks.append(Check("format", False, f"{kind.upper()} image: {exc}"))
        return None
    what = "a JSON credential" if isinstance(baked, dict) else "a VC-JWT"
    result.checks.append(Check("format", True, f"{kind.upper()} image with {what} baked in"))
    return baked


# --- VC-JWT ----------------------------------------------------------------------------------------
def _verify_jwt(token: str, result: VerificationResult, context: _Context) -> dict[str, Any] | None:
    found: list[ResolvedKey] = []
    problems: list[Ob3Error] = []

    def resolve_key(header: Mapping[str, Any], payload: Mapping[str, Any]) -> Any:
        try:
            resolved = context.resolver.resolve_jwt_key(header)
        except Ob3Error as exc:
            problems.append(exc)
            return None
        if resolved is not None:
            found.append(resolved)
            return resolved.public_key
        return None

    outcome = verify_jwt(token, resolve_key=resolve_key, now=context.now)
    if problems:
        reason = "; ".join(str(problem) for problem in problems)
        if all(isinstance(problem, KeyUnavailable) for problem in problems):
            # No key, so the signature could not be checked; that says nothing about whether it is genuine.
            result.checks.extend(c for c in outcome.checks if c.name != "jwt.key")
            result.checks.append(unconfirmed("jwt.key", KEY_DOCUMENT_UNAVAILABLE,
                                             f"the signing key could not be read: {reason}"))
        else:
            result.checks.extend(outcome.checks)
            result.checks.append(Check("issuer_key", False, reason))
        return outcome.credential
    result.checks.extend(outcome.checks)
    if found and outcome.credential is not None:
        # A VC-JWT has no proof `created`; the issuer-asserted `nbf` (= validFrom) is the signing time.
        signed_at = outcome.credential.get("validFrom") or outcome.credential.get("issuanceDate")
        result.checks.extend(_key_checks(context.resolver, found[0], outcome.credential, signed_at))
    return outcome.credential


def _key_checks(resolver: KeyResolver, resolved: ResolvedKey, credential: Mapping[str, Any],
                signed_at: Any) -> list[Check]:
    """Whether the issuer's identity document binds the key to the issuer, and the key's standing."""
    binding = resolver.binding(resolved, issuer_id(credential))
    if binding.state == "bound":
        checks = [Check("issuer_key", True, binding.reason)]
    elif binding.state == "unknown":
        checks = [unconfirmed("issuer_key", binding.code, binding.reason)]
    else:
        checks = [Check("issuer_key", False, binding.reason)]
    # The issuer's identity document is the authority on a compromise date; else the key's own document.
    compromise = _key_compromise(binding.revoked or resolved.revoked, signed_at)
    if compromise is not None:
        checks.append(compromise)
    return checks


# --- the credential document -----------------------------------------------------------------------
def _verify_document(credential: dict[str, Any], result: VerificationResult, context: _Context, *,
                     has_jwt_proof: bool) -> None:
    add = result.checks.append
    if not isinstance(credential, dict):
        add(Check("format", False, "the credential is not a JSON object"))
        return
    contexts = as_list(credential.get("@context"))
    legacy = contexts[:1] == [VC_V1]
    add(check_context(contexts))
    add(check_type(credential))
    safe_mode, expanded = check_safe_mode(credential, context.loader)
    add(safe_mode)
    canonicalizer = ReusingCanonicalizer(loader=context.loader, base=context.canonicalizer)
    if safe_mode.passed and expanded is not None:
        canonicalizer.reuse(credential, expanded)
    context = replace(context, canonicalizer=canonicalizer)
    if legacy:
        add(Check("schema", True, "VC 1.1 credential: no offline schema for this legacy form", warning=True))
    else:
        add(check_schema(credential))
    add(check_issuer(credential))
    if not has_jwt_proof:
        if safe_mode.code == UNKNOWN_CONTEXT:
            add(unconfirmed("proof", UNKNOWN_CONTEXT, "the signature cannot be checked without the contexts "
                                                      "the credential names"))
        else:
            _check_embedded_proofs(credential, result, context)
    result.checks.extend(check_dates(credential, context.now, legacy))
    result.checks.extend(check_status(credential, context.status_fetcher,
                                      lambda listing: _status_list_problems(listing, context), context.now))


def _check_embedded_proofs(credential: dict[str, Any], result: VerificationResult, context: _Context) -> None:
    """The first proof that verifies adds its checks; otherwise one failed (or unconfirmed) proof check."""
    proofs = as_list(credential.get("proof"))
    if not proofs:
        result.checks.append(Check("proof", False, "the credential has no proof: anyone could have written it"))
        return
    failures: list[str] = []
    unavailable: list[str] = []
    for proof in proofs:
        shape = data_integrity.check_proof_shape(proof)
        if not shape.passed:
            failures.append(shape.reason)
            continue
        key = context.resolver.proof_key(proof)
        if (resolved := key.resolved) is None:
            (unavailable if key.unavailable else failures).append(key.problem)
            continue
        outcome = data_integrity.verify_proof(credential, proof, public_key=resolved.public_key,
                                              loader=context.loader, canonicalizer=context.canonicalizer)
        if outcome.passed:
            result.checks.append(Check("proof", True, outcome.reason, warning=outcome.warning))
            result.checks.extend(_key_checks(context.resolver, resolved, credential, proof.get("created")))
            return
        failures.append(outcome.reason)
    if unavailable and not failures:
        result.checks.append(unconfirmed("proof", KEY_DOCUMENT_UNAVAILABLE, "; ".join(unavailable)))
    else:
        result.checks.append(Check("proof", False, "; ".join(failures + unavailable)))


def _key_compromise(revoked: datetime | None, signed_at: Any) -> Check | None:
    """None for a key in good standing; else whether this signature predates the reported compromise."""
    if revoked is None:
        return None
    since = revoked.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    moment = parse_datetime(signed_at)
    if moment is None or moment >= revoked:
        return Check("key_status", False, f"the issuer reported the signing key compromised from {since}; "
                                          "this signature is not dated before that")
    return Check("key_status", True, f"signed before the key was reported compromised ({since})", warning=True)


def _status_list_problems(list_credential: dict[str, Any], context: _Context) -> list[str]:
    """A status list is itself a signed credential: its proof, key binding and dates must hold too."""
    listing = VerificationResult()
    try:
        check_json(list_credential)
    except LimitExceeded as exc:
        return [str(exc)]
    listing.checks.append(check_safe_mode(list_credential, context.loader)[0])
    _check_embedded_proofs(list_credential, listing, context)
    listing.checks.extend(check_dates(list_credential, context.now, legacy=False))
    return [c.reason for c in listing.checks if not c.passed]


__all__ = [
    "EXPIRED", "INVALID", "NOT_YET_VALID", "OB_EXTENSIONS", "REVOKED", "SUSPENDED", "UNCONFIRMED", "VALID",
    "VerificationResult", "verify",
]
