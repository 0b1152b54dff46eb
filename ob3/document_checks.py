"""The checks of a credential document that need no key and no network: its @context, type, JSON-LD
safe mode, JSON Schema, issuer and validity period (OB 3.0 §9.1). ob3.verify runs them in order."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from ob3.documents import VC_V1, VC_V2, DocumentLoader
from ob3.errors import Ob3Error, UnknownContextError
from ob3.jsonld import expand, safe_mode_problems
from ob3.result import CODE_EXPIRED, CODE_NOT_YET_VALID, UNKNOWN_CONTEXT, Check, unconfirmed
from ob3.schema import validate_schema
from ob3.values import as_list

OB_CONTEXT = re.compile(r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$")
OB_TYPES = {"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"}


def check_context(contexts: list[Any]) -> Check:
    if not contexts or contexts[0] not in (VC_V2, VC_V1):
        return Check("context", False, f"the first @context must be {VC_V2}")
    if len(contexts) < 2 or not isinstance(contexts[1], str) or not OB_CONTEXT.match(contexts[1]):
        return Check("context", False, "the second @context must be the Open Badges 3.0 context")
    if contexts[0] == VC_V1:
        return Check("context", True, "VC Data Model 1.1 credential (legacy form)", warning=True)
    return Check("context", True, f"VC 2.0 + {contexts[1].rsplit('/', 1)[-1]}")


def check_type(credential: Mapping[str, Any]) -> Check:
    types = as_list(credential.get("type"))
    if "VerifiableCredential" in types and OB_TYPES & set(types):
        return Check("type", True, "an EndorsementCredential" if "EndorsementCredential" in types
                 else "an OpenBadgeCredential")
    return Check("type", False, "type must include VerifiableCredential and OpenBadgeCredential "
                                f"(found {types!r})")


def check_safe_mode(credential: dict[str, Any], loader: DocumentLoader) -> tuple[Check, list[Any] | None]:
    """The check, and the expansion it made (for the canonicaliser to reuse)."""
    try:
        expanded, dropped = expand(credential, loader=loader)
    except UnknownContextError as exc:
        return unconfirmed("safe_mode", UNKNOWN_CONTEXT, f"JSON-LD: {exc}"), None
    except Ob3Error as exc:
        return Check("safe_mode", False, f"JSON-LD: {exc}"), None
    problems = safe_mode_problems(expanded, dropped)
    if problems:
        return Check("safe_mode", False, "JSON-LD safe mode: " + "; ".join(problems)), None
    return Check("safe_mode", True, "every property is defined by a JSON-LD context"), expanded


def check_schema(credential: dict[str, Any]) -> Check:
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


def check_issuer(credential: Mapping[str, Any]) -> Check:
    issuer = credential.get("issuer")
    if not isinstance(issuer, Mapping):
        return Check("issuer", False, "issuer must be a Profile object with an id"
                     if issuer is None or isinstance(issuer, str) else "issuer is malformed")
    types = as_list(issuer.get("type"))
    if "Profile" not in types:
        return Check("issuer", False, f"issuer type must include Profile (found {types!r})")
    if not isinstance(issuer.get("id"), str):
        return Check("issuer", False, "issuer has no id")
    name = issuer.get("name") or issuer["id"]
    return Check("issuer", True, f"issued by {name}")


def parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def check_dates(credential: Mapping[str, Any], now: datetime, legacy: bool) -> list[Check]:
    start_key, end_key = ("issuanceDate", "expirationDate") if legacy else ("validFrom", "validUntil")
    checks = []
    start = parse_datetime(credential.get(start_key))
    if start is None:
        checks.append(Check("not_before", False, f"{start_key} is missing or not a date-time"))
    elif start > now:
        checks.append(Check("not_before", False, f"not valid before {credential[start_key]}", code=CODE_NOT_YET_VALID))
    else:
        checks.append(Check("not_before", True, f"valid from {credential[start_key]}"))
    if end_key in credential:
        end = parse_datetime(credential[end_key])
        if end is None:
            checks.append(Check("expiry", False, f"{end_key} is not a date-time"))
        elif end <= now:
            checks.append(Check("expiry", False, f"expired on {credential[end_key]}", code=CODE_EXPIRED))
        else:
            checks.append(Check("expiry", True, f"valid until {credential[end_key]}"))
    else:
        checks.append(Check("expiry", True, "does not expire"))
    return checks
