"""Turn the value objects of `ob3.model` into OB 3.0 / VC Data Model 2.0 JSON documents.

Rules applied everywhere:

* `None` values and empty arrays are omitted (spec §A.1: they MUST be).
* `type` is always an array, except on Image, IdentityObject and IdentifierEntry, whose schema wants
  a plain string.
* Date-times are written as UTC `YYYY-MM-DDTHH:MM:SSZ`. Naive datetimes and fractional seconds are
  rejected rather than guessed at or truncated: a truncated `validFrom` would silently differ from
  the caller's record, and VC-JWT `nbf` needs whole seconds anyway.
* Numbers: whole-number floats are written as JSON integers (`3.0` -> `3`), as jsonld.js
  canonicalises them; NaN, infinities and magnitudes a JSON number cannot carry exactly are rejected.
* Output is deterministic: the same draft gives an equal dict with the same key order, so
  `json.dumps` is byte-identical too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ob3.documents import OB_EXTENSIONS, OB_V3P0, VC_V2
from ob3.errors import Ob3Error
from ob3.model import (
    Achievement,
    Address,
    Alignment,
    CredentialDraft,
    Criteria,
    Evidence,
    IdentifierEntry,
    Image,
    Profile,
    Recipient,
    Related,
    Result,
    ResultDescription,
    RubricCriterionLevel,
    StatusEntry,
)
from ob3.recipient import hash_email
from ob3.values import as_list

SCHEMA_VALIDATOR_TYPE = "1EdTechJsonSchemaValidator2019"
STATUS_PURPOSES = ("revocation", "suspension")
_MAX_EXACT_NUMBER = 2**53  # beyond this, JSON numbers differ between Python and JavaScript

# Keys each builder owns. Extensions may add other terms but never these, set or not, so an
# extension can neither override the builder nor sneak in an unchecked date or a proof.
_CREDENTIAL_KEYS = frozenset({
    "@context", "id", "type", "name", "description", "image", "issuer", "validFrom", "validUntil",
    "awardedDate", "credentialSubject", "evidence", "credentialStatus", "credentialSchema", "proof",
})
_ACHIEVEMENT_KEYS = frozenset({
    "id", "type", "name", "description", "criteria", "achievementType", "image", "alignment",
    "resultDescription", "creditsAvailable", "inLanguage", "tag", "humanCode", "fieldOfStudy",
    "specialization", "version", "creator", "related", "otherIdentifier",
})


class BuildError(Ob3Error):
    """A draft cannot be turned into a valid credential (naive datetime, NaN, missing salt, ...)."""


def format_datetime(value: datetime, field: str) -> str:
    """`value` as a DateTimeZ in UTC with whole seconds, e.g. `2025-01-31T09:00:00Z`.

    Raises BuildError for a non-datetime, a naive datetime, or one with fractional seconds.
    """
    if not isinstance(value, datetime):
        raise BuildError(f"{field}: expected a datetime, got {type(value).__name__}")
    if value.utcoffset() is None:
        raise BuildError(f"{field}: naive datetime {value.isoformat()}; give it a timezone (e.g. UTC)")
    if value.microsecond:
        raise BuildError(
            f"{field}: {value.isoformat()} has fractional seconds; credentials carry whole seconds"
        )
    utc = value.astimezone(UTC)
    # Formatted by hand: strftime("%Y") does not zero-pad years below 1000 on every platform.
    return (f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}"
            f"T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z")


_MIN_INTEROPERABLE_FRACTION = 1e-6


def json_number(value: float | int, field: str) -> float | int:
    """A JSON-safe number: whole floats become ints; bools, NaN, infinities and huge values raise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise BuildError(f"{field}: expected a number, got {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise BuildError(f"{field}: {value} is not a finite number")
    if abs(value) >= _MAX_EXACT_NUMBER:
        raise BuildError(f"{field}: {value} is too large to be represented exactly in JSON")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, float) and abs(value) < _MIN_INTEROPERABLE_FRACTION:
        # JavaScript writes such numbers as "1e-7" (no "."), and jsonld.js then canonicalises them as
        # integers ("0"), unlike pyld and the JSON-LD spec ("1.0E-7"): the signature would not verify there.
        raise BuildError(f"{field}: {value} is too small to sign interoperably; round it (e.g. to 0)")
    return value


def _json_value(value: Any, field: str) -> Any:
    """Deep-copy caller-supplied JSON (extensions): None/empty arrays dropped, numbers normalised."""
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise BuildError(f"{field}: object keys must be strings, got {key!r}")
            converted = _json_value(item, f"{field}.{key}")
            if not _is_empty(converted):
                out[key] = converted
        return out
    if isinstance(value, list | tuple):
        items = [_json_value(item, f"{field}[{i}]") for i, item in enumerate(value)]
        return [item for item in items if item is not None]
    if value is None or isinstance(value, str | bool):
        return value
    if isinstance(value, int | float):
        return json_number(value, field)
    raise BuildError(f"{field}: {type(value).__name__} is not a JSON value")


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, list) and not value)


def _obj(*pairs: tuple[str, Any]) -> dict[str, Any]:
    """A dict from (key, value) pairs in order, leaving out None values and empty arrays."""
    return {key: value for key, value in pairs if not _is_empty(value)}


def _merge_extensions(
    target: dict[str, Any], extensions: Mapping[str, Any], reserved: frozenset[str], field: str
) -> None:
    for key in extensions:
        if key in reserved or key in target:
            raise BuildError(f"{field}: extension property {key!r} would override a property "
                             "the builder sets; model it in ob3.model instead")
    converted = _json_value(extensions, field)
    target.update(converted)


def _opt_number(value: float | int | None, field: str) -> float | int | None:
    return None if value is None else json_number(value, field)


def _opt_datetime(value: datetime | None, field: str) -> str | None:
    return None if value is None else format_datetime(value, field)


def build_image(image: Image | None) -> dict[str, Any] | None:
    """An Image object (`type` is a plain string) or None."""
    if image is None:
        return None
    return _obj(("id", image.id), ("type", "Image"), ("caption", image.caption))


def _identifier_entries(entries: Iterable[IdentifierEntry]) -> list[dict[str, Any]]:
    return [
        {"type": "IdentifierEntry", "identifier": entry.identifier, "identifierType": entry.identifier_type}
        for entry in entries
    ]


def _address(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return _obj(
        ("type", ["Address"]),
        ("addressCountry", address.country),
        ("addressCountryCode", address.country_code),
        ("addressRegion", address.region),
        ("addressLocality", address.locality),
        ("streetAddress", address.street_address),
        ("postOfficeBoxNumber", address.post_office_box_number),
        ("postalCode", address.postal_code),
    )


def build_profile(profile: Profile) -> dict[str, Any]:
    """A Profile object (issuer, creator or source) with `type: ["Profile"]`.

    Has no `@context`: embedded as-is in credentials; the publisher of the stand-alone issuer
    document adds `@context` and its verification methods.
    """
    return _obj(
        ("id", profile.id),
        ("type", ["Profile"]),
        ("name", profile.name),
        ("description", profile.description),
        ("url", profile.url),
        ("email", profile.email),
        ("phone", profile.phone),
        ("image", build_image(profile.image)),
        ("address", _address(profile.address)),
        ("official", profile.official),
        ("otherIdentifier", _identifier_entries(profile.other_identifiers)),
    )


def _opt_profile(profile: Profile | None) -> dict[str, Any] | None:
    return None if profile is None else build_profile(profile)


def _alignments(alignments: Iterable[Alignment]) -> list[dict[str, Any]]:
    return [
        _obj(
            ("type", ["Alignment"]),
            ("targetName", a.target_name),
            ("targetUrl", a.target_url),
            ("targetType", a.target_type),
            ("targetCode", a.target_code),
            ("targetFramework", a.target_framework),
            ("targetDescription", a.target_description),
        )
        for a in alignments
    ]


def _rubric_level(level: RubricCriterionLevel) -> dict[str, Any]:
    return _obj(
        ("id", level.id),
        ("type", ["RubricCriterionLevel"]),
        ("name", level.name),
        ("description", level.description),
        ("level", level.level),
        ("points", level.points),
        ("alignment", _alignments(level.alignments)),
    )


def _result_description(rd: ResultDescription) -> dict[str, Any]:
    return _obj(
        ("id", rd.id),
        ("type", ["ResultDescription"]),
        ("name", rd.name),
        ("resultType", rd.result_type),
        ("allowedValue", list(rd.allowed_values)),
        ("requiredLevel", rd.required_level),
        ("requiredValue", rd.required_value),
        ("valueMin", rd.value_min),
        ("valueMax", rd.value_max),
        ("rubricCriterionLevel", [_rubric_level(level) for level in rd.levels]),
        ("alignment", _alignments(rd.alignments)),
    )


def _criteria(criteria: Criteria) -> dict[str, Any]:
    # Criteria is required on Achievement, so an empty one is still written as {}.
    return _obj(("id", criteria.id), ("narrative", criteria.narrative))


def _related(related: Related) -> dict[str, Any]:
    return _obj(("id", related.id), ("type", ["Related"]), ("inLanguage", related.in_language),
                ("version", related.version))


def build_achievement(a: Achievement) -> dict[str, Any]:
    """An Achievement object (the badge definition), with `a.extensions` merged in last."""
    out = _obj(
        ("id", a.id),
        ("type", ["Achievement"]),
        ("name", a.name),
        ("description", a.description),
        ("criteria", _criteria(a.criteria)),
        ("achievementType", a.achievement_type),
        ("image", build_image(a.image)),
        ("alignment", _alignments(a.alignments)),
        ("resultDescription", [_result_description(rd) for rd in a.result_descriptions]),
        ("creditsAvailable", _opt_number(a.credits_available, "achievement.creditsAvailable")),
        ("inLanguage", a.in_language),
        ("tag", list(a.tags)),
        ("humanCode", a.human_code),
        ("fieldOfStudy", a.field_of_study),
        ("specialization", a.specialization),
        ("version", a.version),
        ("creator", _opt_profile(a.creator)),
        ("related", [_related(r) for r in a.related]),
        ("otherIdentifier", _identifier_entries(a.other_identifiers)),
    )
    _merge_extensions(out, a.extensions, _ACHIEVEMENT_KEYS, "achievement.extensions")
    return out


def _identity_objects(recipient: Recipient) -> list[dict[str, Any]]:
    identities: list[dict[str, Any]] = []
    if recipient.email is not None:
        if not recipient.salt:
            raise BuildError("recipient.salt is required with recipient.email: an unsalted e-mail "
                             "hash can be reversed by guessing addresses")
        identities.append({
            "type": "IdentityObject",
            "hashed": True,
            "identityType": "emailAddress",
            "identityHash": hash_email(recipient.email, recipient.salt),
            "salt": recipient.salt,
        })
    if recipient.name is not None:
        identities.append({"type": "IdentityObject", "hashed": False, "identityType": "name",
                           "identityHash": recipient.name})
    return identities


def _result(result: Result) -> dict[str, Any]:
    return _obj(
        ("type", ["Result"]),
        ("resultDescription", result.result_description),
        ("achievedLevel", result.achieved_level),
        ("value", result.value),
        ("status", result.status),
        ("alignment", _alignments(result.alignments)),
    )


def _subject(draft: CredentialDraft, achievement: Callable[[Achievement], dict[str, Any]]) -> dict[str, Any]:
    recipient = draft.recipient
    if recipient.did is None and recipient.email is None:
        raise BuildError("recipient: give a did and/or an email; OB 3.0 requires "
                         "credentialSubject.id or an identifier")
    return _obj(
        ("id", recipient.did),
        ("type", ["AchievementSubject"]),
        ("identifier", _identity_objects(recipient)),
        ("achievement", achievement(draft.achievement)),
        ("result", [_result(r) for r in draft.results]),
        ("creditsEarned", _opt_number(draft.credits_earned, "credentialSubject.creditsEarned")),
        ("narrative", draft.narrative),
        ("activityStartDate", _opt_datetime(draft.activity_start_date, "activityStartDate")),
        ("activityEndDate", _opt_datetime(draft.activity_end_date, "activityEndDate")),
        ("source", _opt_profile(draft.source)),
    )


def _evidence(evidence: Evidence) -> dict[str, Any]:
    return _obj(
        ("id", evidence.id),
        ("type", ["Evidence"]),
        ("name", evidence.name),
        ("description", evidence.description),
        ("narrative", evidence.narrative),
        ("genre", evidence.genre),
        ("audience", evidence.audience),
    )


def build_status_entry(status: StatusEntry) -> dict[str, Any]:
    """A BitstringStatusListEntry; `statusListIndex` is a decimal string, as the W3C REC requires."""
    index = status.status_list_index
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise BuildError(f"credentialStatus: status_list_index must be a non-negative int, got {index!r}")
    if status.status_purpose not in STATUS_PURPOSES:
        raise BuildError(f"credentialStatus: status_purpose {status.status_purpose!r} is not one of "
                         f"{STATUS_PURPOSES}")
    return {
        "id": f"{status.status_list_credential}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": status.status_purpose,
        "statusListIndex": str(index),
        "statusListCredential": status.status_list_credential,
    }


def _uses_1edtech_type(value: Any) -> bool:
    """Whether any `type` anywhere in the document names a term from the OB extensions context."""
    if isinstance(value, list):
        return any(_uses_1edtech_type(item) for item in value)
    if not isinstance(value, Mapping):
        return False
    if any(isinstance(name, str) and name.startswith("1EdTech") for name in as_list(value.get("type"))):
        return True
    return any(_uses_1edtech_type(item) for key, item in value.items() if key != "type")


def _contexts(document: Mapping[str, Any], extra: Iterable[str]) -> list[str]:
    contexts = [VC_V2, OB_V3P0]
    if _uses_1edtech_type(document):
        contexts.append(OB_EXTENSIONS)
    for url in extra:
        if url not in contexts:
            contexts.append(url)
    return contexts


def build_credential(draft: CredentialDraft) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential for `draft`, ready for the signer.

    Raises BuildError when the draft cannot produce a valid credential: naive datetimes or
    fractional seconds, NaN/infinite numbers, an e-mail without salt, a recipient with neither DID
    nor e-mail, a bad status entry, or an extension that collides with a builder-owned property.
    """
    return _build_credential(draft, achievement=build_achievement, profile=build_profile)


class CohortBuilder:
    """build_credential for many drafts that share their issuer Profile and Achievement objects (a
    cohort's): each shared object is built once, and each credential gets its own copy of the result,
    which costs a fraction of building it again. The shared objects must not change while it is in use."""

    def __init__(self) -> None:
        # id() -> (the object, its JSON); holding the object keeps its id from being reused.
        self._built: dict[int, tuple[object, dict[str, Any]]] = {}

    def build(self, draft: CredentialDraft) -> dict[str, Any]:
        """The same document as build_credential(draft)."""
        return _build_credential(draft, achievement=self._achievement, profile=self._profile)

    def _achievement(self, achievement: Achievement) -> dict[str, Any]:
        return self._once(achievement, build_achievement)

    def _profile(self, profile: Profile) -> dict[str, Any]:
        return self._once(profile, build_profile)

    def _once(self, value: Any, build: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        entry = self._built.get(id(value))
        if entry is None or entry[0] is not value:
            entry = self._built[id(value)] = (value, build(value))
        copied: dict[str, Any] = _json_copy(entry[1])
        return copied


def _json_copy(value: Any) -> Any:
    """A copy of a JSON value that shares no dict or list with the original (strings and numbers are
    immutable); several times faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {key: _json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_copy(item) for item in value]
    return value


def _build_credential(
    draft: CredentialDraft,
    *,
    achievement: Callable[[Achievement], dict[str, Any]],
    profile: Callable[[Profile], dict[str, Any]],
) -> dict[str, Any]:
    valid_from = format_datetime(draft.valid_from, "validFrom")
    valid_until = _opt_datetime(draft.valid_until, "validUntil")
    if valid_until is not None and valid_until < valid_from:  # same fixed format: text order is time order
        raise BuildError(f"validUntil {valid_until} is before validFrom {valid_from}")
    body = _obj(
        ("id", draft.id),
        ("type", ["VerifiableCredential", "OpenBadgeCredential"]),
        ("name", draft.name if draft.name is not None else draft.achievement.name),
        ("description", draft.description),
        ("image", build_image(draft.image)),
        ("issuer", profile(draft.issuer)),
        ("validFrom", valid_from),
        ("validUntil", valid_until),
        ("awardedDate", _opt_datetime(draft.awarded_date, "awardedDate")),
        ("credentialSubject", _subject(draft, achievement)),
        ("evidence", [_evidence(e) for e in draft.evidence]),
        ("credentialStatus", None if draft.status is None else build_status_entry(draft.status)),
        ("credentialSchema", [{"id": url, "type": SCHEMA_VALIDATOR_TYPE} for url in draft.credential_schema]),
    )
    _merge_extensions(body, draft.extensions, _CREDENTIAL_KEYS, "extensions")
    return {"@context": _contexts(body, draft.extra_contexts), **body}
