"""Plain value objects that describe an Open Badges 3.0 credential before it is built.

They mirror the OB 3.0 data model (spec Appendix B) with Python names. `ob3.build.build_credential`
turns a `CredentialDraft` into the JSON-LD document; nothing here knows about JSON-LD or I/O.
Everything that varies between runs (ids, clock, salt) is an explicit field, so builds are
deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

OB_ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)


@dataclass(frozen=True)
class Image:
    id: str  # https URL or data: URI
    caption: str | None = None


@dataclass(frozen=True)
class Address:
    country_code: str | None = None  # ISO 3166-1 alpha-2, e.g. "SE"
    country: str | None = None
    region: str | None = None
    locality: str | None = None
    street_address: str | None = None
    postal_code: str | None = None
    post_office_box_number: str | None = None


@dataclass(frozen=True)
class IdentifierEntry:
    identifier: str
    identifier_type: str  # IdentifierTypeEnum value or "ext:…", e.g. "identifier" for an org number


@dataclass(frozen=True)
class Profile:
    """An issuer, creator or source. Built as an object with `type: ["Profile"]`."""

    id: str
    name: str
    url: str | None = None
    email: str | None = None
    phone: str | None = None
    description: str | None = None
    image: Image | None = None
    address: Address | None = None
    official: str | None = None
    other_identifiers: tuple[IdentifierEntry, ...] = ()


@dataclass(frozen=True)
class Alignment:
    target_name: str
    target_url: str
    target_type: str | None = None  # e.g. "ext:ESCOSkill", "CFItem"
    target_code: str | None = None
    target_framework: str | None = None
    target_description: str | None = None


@dataclass(frozen=True)
class RubricCriterionLevel:
    id: str
    name: str
    description: str | None = None
    level: str | None = None
    points: str | None = None
    alignments: tuple[Alignment, ...] = ()


@dataclass(frozen=True)
class ResultDescription:
    """A rubric criterion or grading scheme of an Achievement; Results point at it by `id`."""

    id: str
    name: str
    result_type: str  # ResultType value, e.g. "RubricCriterionLevel", "Status", "LetterGrade"
    allowed_values: tuple[str, ...] = ()  # ordered low -> high
    required_level: str | None = None  # id of a RubricCriterionLevel
    required_value: str | None = None
    levels: tuple[RubricCriterionLevel, ...] = ()
    value_min: str | None = None
    value_max: str | None = None
    alignments: tuple[Alignment, ...] = ()


@dataclass(frozen=True)
class Criteria:
    narrative: str | None = None  # Markdown
    id: str | None = None  # URL of a criteria page


@dataclass(frozen=True)
class Related:
    """Another edition of the same achievement, e.g. the other language version."""

    id: str
    in_language: str | None = None
    version: str | None = None


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    criteria: Criteria
    achievement_type: str | None = None  # e.g. "MicroCredential"
    image: Image | None = None
    alignments: tuple[Alignment, ...] = ()
    result_descriptions: tuple[ResultDescription, ...] = ()
    credits_available: float | None = None
    in_language: str | None = None  # BCP 47, e.g. "sv" or "en-GB"
    tags: tuple[str, ...] = ()
    human_code: str | None = None
    field_of_study: str | None = None
    specialization: str | None = None
    version: str | None = None
    creator: Profile | None = None
    related: tuple[Related, ...] = ()
    # Extra JSON-LD properties (already in JSON form) whose terms an extra context defines,
    # e.g. the platform's EU micro-credential elements. Safe mode rejects undefined ones.
    extensions: Mapping[str, Any] = field(default_factory=dict)
    other_identifiers: tuple[IdentifierEntry, ...] = ()  # e.g. a national course code


@dataclass(frozen=True)
class Recipient:
    """Who the credential is about: a DID (once proved) and/or a salted e-mail hash.

    At least one of `did` and `email` is required. The e-mail is never written in clear: the
    credential carries `sha256$hex(sha256(email + salt))` as an IdentityObject.
    """

    did: str | None = None
    email: str | None = None
    salt: str | None = None
    name: str | None = None  # only when the learner chose to show it


@dataclass(frozen=True)
class Result:
    result_description: str | None = None  # id of a ResultDescription in the achievement
    achieved_level: str | None = None  # id of a RubricCriterionLevel
    value: str | None = None
    status: str | None = None  # ResultStatusType, e.g. "Completed"
    alignments: tuple[Alignment, ...] = ()


@dataclass(frozen=True)
class Evidence:
    id: str | None = None  # a URL; never a large data: URI
    name: str | None = None
    description: str | None = None
    narrative: str | None = None
    genre: str | None = None
    audience: str | None = None


@dataclass(frozen=True)
class StatusEntry:
    """A W3C BitstringStatusListEntry. The index is written as a string, as the REC requires."""

    status_list_credential: str
    status_list_index: int
    status_purpose: str = "revocation"


@dataclass(frozen=True)
class CredentialDraft:
    id: str  # urn:uuid:… or an https URL
    issuer: Profile
    achievement: Achievement
    recipient: Recipient
    valid_from: datetime  # timezone-aware; written as UTC whole seconds
    valid_until: datetime | None = None
    awarded_date: datetime | None = None  # kept across re-issues
    name: str | None = None  # defaults to the achievement name
    description: str | None = None
    image: Image | None = None  # the learner-specific (baked) image
    results: tuple[Result, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    status: StatusEntry | None = None
    credits_earned: float | None = None
    narrative: str | None = None
    activity_start_date: datetime | None = None
    activity_end_date: datetime | None = None
    source: Profile | None = None
    credential_schema: tuple[str, ...] = (OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,)
    extra_contexts: tuple[str, ...] = ()  # appended after the OB contexts, never before
    extensions: Mapping[str, Any] = field(default_factory=dict)  # extra top-level properties
