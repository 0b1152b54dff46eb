"""The Mikromerit OB 3.0 extension: the EU micro-credential elements OB 3.0 has no property for.

Council Recommendation 2022/C 243/02 lists elements every micro-credential must state (workload,
level, type of assessment, form of participation, type of quality assurance, ...) and optional
ones (prerequisites, supervision, stackability). OB 3.0 carries the learner, title, issuer, date
and outcomes natively; the rest goes on the Achievement under the terms of our own JSON-LD context,
served by the platform at `MIKROMERIT_CONTEXT` and vendored as `contexts/mikromerit-v1.jsonld`.
Their JSON shapes are checked by `schemas/mikromerit-achievement-v1.json` (`MIKROMERIT_SCHEMA`).
docs/extension.md has the term table and the versioning policy.

Shapes are chosen to canonicalise the same in every JSON-LD library: decimals are JSON strings
typed `xsd:decimal` (never JSON floats), levels are small JSON integers, enumerations are plain
strings checked by the schema, and IRIs (ESCO, qualifications) are `@id`-typed.

Importing this module registers `MIKROMERIT_SCHEMA` with `ob3.schema`, so
`validate_schema(credential, MIKROMERIT_SCHEMA)` works once `ob3.eu` has been imported.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from jsonschema import Draft201909Validator
from referencing import Registry
from referencing.jsonschema import DRAFT201909

from ob3.errors import Ob3Error
from ob3.model import CredentialDraft
from ob3.schema import describe_error, read_schema, register_schema

MIKROMERIT_CONTEXT = "https://mikromerit.se/ns/v1"
MIKROMERIT_NS = MIKROMERIT_CONTEXT + "#"
MIKROMERIT_SCHEMA = "https://mikromerit.se/ns/v1/achievement-schema.json"
SCHEMA_FILE = "mikromerit-achievement-v1.json"

CREDIT_UNITS = ("ECTS", "hogskolepoang", "yh-poang", "other")
ASSESSMENT_TYPES = (
    "written-exam", "oral-exam", "online-test", "practical-demonstration", "project", "portfolio",
    "assignment", "presentation", "observation", "simulation", "peer-assessment", "self-assessment",
)
PARTICIPATION_FORMS = ("online", "on-site", "blended")
SUPERVISION_TYPES = ("unsupervised-no-id", "supervised-no-id", "supervised-online-id", "supervised-onsite-id")
QA_TYPES = ("internal-review", "external-review", "accreditation", "certification", "national-oversight")
STACKABILITY_OPTIONS = ("standalone", "integrated", "stackable")
OUTCOME_KINDS = ("knowledge", "skill", "responsibility-autonomy")
QF_EHEA_CYCLES = ("short", "first", "second", "third")

# The top-level terms of the v1 context, i.e. the keys `eu_extension` may put on an Achievement.
EXTENSION_TERMS = (
    "workloadHours", "creditPoints", "eqfLevel", "seqfLevel", "qfEheaCycle", "assessmentType",
    "participationForm", "supervision", "qualityAssurance", "prerequisites", "targetGroup",
    "standaloneValue", "occupation", "stackability", "learningOutcome",
)


class EuExtensionError(Ob3Error):
    """EU elements that cannot be written as a valid v1 extension (bad enum value, negative hours, ...)."""


@dataclass(frozen=True)
class CreditPoints:
    value: Decimal | int | str  # e.g. Decimal("7.5"); floats are refused
    unit: str  # one of CREDIT_UNITS; "hogskolepoang" are ECTS-equivalent, "yh-poang" are not
    unit_label: str | None = None  # required with unit "other", e.g. "Studienpunkte"


@dataclass(frozen=True)
class QualityAssurance:
    qa_types: tuple[str, ...] = ()  # QA_TYPES or "ext:…"
    internal_process: str | None = None
    external_process: str | None = None
    responsible_body: str | None = None  # e.g. "Universitetskanslersämbetet"
    responsible_body_url: str | None = None
    documentation_url: str | None = None  # where the QA process is published


@dataclass(frozen=True)
class QualificationRef:
    id: str  # IRI of the larger qualification or credential
    title: str | None = None


@dataclass(frozen=True)
class Stackability:
    option: str  # one of STACKABILITY_OPTIONS
    counts_towards: tuple[QualificationRef, ...] = ()


@dataclass(frozen=True)
class LearningOutcome:
    statement: str
    kind: str | None = None  # one of OUTCOME_KINDS
    esco_skill: str | None = None  # e.g. "http://data.europa.eu/esco/skill/<uuid>"
    assessed_by: str | None = None  # id of the OB ResultDescription (rubric) that assesses it


@dataclass(frozen=True)
class EuElements:
    """The EU elements of one achievement that OB 3.0 cannot carry natively; all optional here."""

    workload_hours: Decimal | int | str | None = None  # notional hours of learning
    credit_points: CreditPoints | None = None
    eqf_level: int | None = None  # 1-8
    seqf_level: int | None = None  # 1-8, the Swedish framework
    qf_ehea_cycle: str | None = None  # one of QF_EHEA_CYCLES
    assessment_types: tuple[str, ...] = ()
    participation_form: str | None = None
    supervision: str | None = None
    quality_assurance: QualityAssurance | None = None
    prerequisites: str | None = None
    target_group: str | None = None
    standalone_value: str | None = None
    occupations: tuple[str, ...] = ()  # ESCO occupation IRIs
    stackability: Stackability | None = None
    learning_outcomes: tuple[LearningOutcome, ...] = ()


def decimal_text(value: Decimal | int | str, field: str) -> str:
    """`value` as a canonical xsd:decimal string (`"7.5"`, `"40"`); floats, NaN and negatives raise.

    Canonical means no sign, exponent, leading zeros or trailing fractional zeros, so equal numbers
    are equal strings and sign identically.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise EuExtensionError(f"{field}: expected a Decimal, int or decimal string, got {type(value).__name__}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise EuExtensionError(f"{field}: {value!r} is not a decimal number") from None
    if not number.is_finite() or number < 0:
        raise EuExtensionError(f"{field}: {value!r} is not a finite, non-negative number")
    text = format(abs(number), "f")  # abs() turns -0 into 0
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _pairs(*pairs: tuple[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs if value is not None and value != [] and value != ""}


def _credit_points(points: CreditPoints | None) -> dict[str, Any] | None:
    if points is None:
        return None
    return _pairs(("value", decimal_text(points.value, "creditPoints.value")), ("unit", points.unit),
                  ("unitLabel", points.unit_label))


def _quality_assurance(qa: QualityAssurance | None) -> dict[str, Any] | None:
    if qa is None:
        return None
    return _pairs(
        ("qaType", list(qa.qa_types)),
        ("internalProcess", qa.internal_process),
        ("externalProcess", qa.external_process),
        ("responsibleBody", qa.responsible_body),
        ("responsibleBodyUrl", qa.responsible_body_url),
        ("documentationUrl", qa.documentation_url),
    ) or None


def _stackability(stackability: Stackability | None) -> dict[str, Any] | None:
    if stackability is None:
        return None
    towards = [_pairs(("id", ref.id), ("title", ref.title)) for ref in stackability.counts_towards]
    return _pairs(("option", stackability.option), ("countsTowards", towards))


def _outcome(outcome: LearningOutcome) -> dict[str, Any]:
    return _pairs(("statement", outcome.statement), ("kind", outcome.kind), ("escoSkill", outcome.esco_skill),
                  ("assessedBy", outcome.assessed_by))


def eu_extension(elements: EuElements) -> dict[str, Any]:
    """The `Achievement.extensions` mapping for `elements`, in a fixed key order.

    Unset elements are left out. Raises EuExtensionError when the result would not match the v1
    schema (unknown enum value, level outside 1-8, zero workload, relative IRI, ...), listing
    every problem.
    """
    workload = elements.workload_hours
    out = _pairs(
        ("workloadHours", None if workload is None else decimal_text(workload, "workloadHours")),
        ("creditPoints", _credit_points(elements.credit_points)),
        ("eqfLevel", elements.eqf_level),
        ("seqfLevel", elements.seqf_level),
        ("qfEheaCycle", elements.qf_ehea_cycle),
        ("assessmentType", list(elements.assessment_types)),
        ("participationForm", elements.participation_form),
        ("supervision", elements.supervision),
        ("qualityAssurance", _quality_assurance(elements.quality_assurance)),
        ("prerequisites", elements.prerequisites),
        ("targetGroup", elements.target_group),
        ("standaloneValue", elements.standalone_value),
        ("occupation", list(elements.occupations)),
        ("stackability", _stackability(elements.stackability)),
        ("learningOutcome", [_outcome(outcome) for outcome in elements.learning_outcomes]),
    )
    problems = validate_eu_extension(out)
    if problems:
        raise EuExtensionError("invalid EU extension: " + "; ".join(problems))
    return out


@cache
def schema_document() -> Mapping[str, Any]:
    """The parsed v1 JSON Schema (credential level; its `$defs` describe the Achievement terms)."""
    return read_schema(SCHEMA_FILE)


@cache
def _achievement_validator() -> Draft201909Validator:
    registry = Registry().with_resource(MIKROMERIT_SCHEMA, DRAFT201909.create_resource(schema_document()))
    return Draft201909Validator({"$ref": MIKROMERIT_SCHEMA + "#/$defs/MikromeritAchievement"},
                                registry=registry, format_checker=Draft201909Validator.FORMAT_CHECKER)


def validate_eu_extension(achievement_json: Mapping[str, Any]) -> list[str]:
    """Problems with the extension properties of an Achievement (JSON form); [] when valid.

    Only the extension terms are checked; OB 3.0 properties are the OB schema's business. Each
    message starts with the JSON path inside the achievement, e.g. `creditPoints.unit: ...`.
    """
    return sorted({describe_error(error) for error in _achievement_validator().iter_errors(achievement_json)})


def with_eu_extension(
    draft: CredentialDraft, elements: EuElements, *, context_url: str = MIKROMERIT_CONTEXT
) -> CredentialDraft:
    """`draft` with `elements` on its achievement and the Mikromerit context after the OB contexts.

    `context_url` is the address the credential names for the v1 context. An installation that serves
    the same document elsewhere passes its own address; whoever signs or verifies the credential then
    needs a loader that maps that address to the vendored v1 context (`DocumentLoader(aliases=...)`).
    """
    extension = eu_extension(elements)
    clashes = sorted(key for key in extension if key in draft.achievement.extensions)
    if clashes:
        raise EuExtensionError(f"achievement.extensions already sets {clashes}")
    achievement = dataclasses.replace(draft.achievement, extensions={**draft.achievement.extensions, **extension})
    contexts = draft.extra_contexts
    if context_url not in contexts:
        contexts = (*contexts, context_url)
    return dataclasses.replace(draft, achievement=achievement, extra_contexts=contexts)


register_schema(MIKROMERIT_SCHEMA, SCHEMA_FILE)
