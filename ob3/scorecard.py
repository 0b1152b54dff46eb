"""Publish-readiness of a micro-credential definition: the six Kompetenspasset principles and the
eleven mandatory elements of the EU Council Recommendation on micro-credentials (2022/C 243/02).

`scorecard(definition)` applies one pure rule per principle and per element to a plain
`AchievementDefinition` (the platform's editing form, before any credential exists) and returns a
`Scorecard`. Every unmet rule says what to add as a `Message`: a stable key for translation, an
English default and its parameters. The same definition always gives the same scorecard.

The rules, in short (docs/extension.md maps the elements to credential properties):

* measurable_outcomes: at least one outcome; each has an observable statement (not "understand",
  "know", "förstå", "känna till", ...), assessment criteria and a rubric of two or more described
  levels, one of them marked as the pass level.
* standalone_value: a description, the value the credential has on its own, and a target group.
* combinable: a stackability option, credit points with a unit, and, when the credential is
  stackable or integrated, the larger qualification(s) it counts towards.
* transferable: an EQF level, credits in a recognised system (ECTS, högskolepoäng, YH-poäng)
  and at least one outcome aligned to an ESCO skill, so other systems can recognise it.
* quality_assured: the internal process, the external process and the external body are described.
* learner_owned: the awarding body has a verifiable identity (URL or organisation number); signing
  and learner-controlled delivery are the platform's part at issuance.
* EU elements 1 (learner) and 5 (date of issuing) are always met: the platform adds them when it
  issues. Element 8 (level) may be declared not applicable, as the Recommendation allows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ob3.eu import ASSESSMENT_TYPES, PARTICIPATION_FORMS, QA_TYPES, STACKABILITY_OPTIONS

Kind = Literal["principle", "eu_element"]
RECOGNISED_CREDIT_UNITS = ("ECTS", "hogskolepoang", "yh-poang")
CREDIT_UNITS = (*RECOGNISED_CREDIT_UNITS, "other")
ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
_EXT_TERM = re.compile(r"ext:[A-Za-z0-9._-]+")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")

# Openings that make an outcome unobservable. Matched after the subject/modal prefix is removed.
_VAGUE_OPENINGS = re.compile(
    r"(?:understand|know|be aware of|be familiar with|have (?:an? )?(?:understanding|knowledge|awareness) of"
    r"|appreciate|learn|grasp|comprehend|reali[sz]e|gain (?:an? )?(?:insight|understanding)"
    r"|förstå|känna till|vara bekant med|ha (?:kunskap|kännedom|förståelse|insikt) (?:om|för|i)"
    r"|lära sig|inse|veta|få (?:kännedom|insikt|förståelse))\b"
)
_SUBJECT_MODAL = (
    r"(?:(?:the\s+)?(?:learner|student|participant|holder)s?\s+(?:can|will|should|must|is able to|are able to)"
    r"|(?:den\s+)?(?:studenten|deltagaren|studerande|eleven|kursdeltagaren)\s+(?:kan|ska|skall|förväntas)"
    r"|(?:kan|ska|skall|förväntas)\s+(?:den\s+)?(?:studenten|deltagaren|studerande|eleven|kursdeltagaren))\s+"
)  # the last alternative is Swedish inverted order: "Efter kursen ska deltagaren kunna ..."
_AFTER = r"(?:after|on completion of|upon completion of|efter)\b"
# "[After the course,] [the learner can] [be able to] ..." in English or Swedish, each part optional.
_OUTCOME_PREFIX = re.compile(
    rf"^(?:(?:{_AFTER}.*?\s)?{_SUBJECT_MODAL}|{_AFTER}[^,]*,\s*)?(?:be able to\s+|able to\s+|kunna\s+)?"
)


@dataclass(frozen=True)
class Message:
    """A user-facing text: `key` for the translation catalogue, `default` in English with `{name}` params."""

    key: str
    default: str
    params: Mapping[str, str | int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The English text with its parameters filled in."""
        return self.default.format(**self.params)


@dataclass(frozen=True)
class RubricLevel:
    name: str
    description: str = ""
    passing: bool = False  # the lowest level that passes the outcome


@dataclass(frozen=True)
class OutcomeDefinition:
    statement: str
    criteria: str = ""  # how the outcome is assessed
    rubric_levels: tuple[RubricLevel, ...] = ()
    esco_skill: str | None = None


@dataclass(frozen=True)
class AchievementDefinition:
    """What an issuer has filled in for one micro-credential. Every field may still be empty."""

    title: str = ""
    description: str = ""
    learning_outcomes: tuple[OutcomeDefinition, ...] = ()
    standalone_value: str = ""
    target_group: str = ""
    stackability: str | None = None  # one of ob3.eu.STACKABILITY_OPTIONS
    counts_towards: tuple[str, ...] = ()  # larger qualifications (names or IRIs)
    workload_hours: Decimal | int | None = None
    credit_points: Decimal | int | None = None
    credit_unit: str | None = None  # one of CREDIT_UNITS
    eqf_level: int | None = None
    seqf_level: int | None = None
    level_not_applicable: bool = False
    assessment_types: tuple[str, ...] = ()  # ob3.eu.ASSESSMENT_TYPES or "ext:…"
    participation_form: str | None = None  # one of ob3.eu.PARTICIPATION_FORMS
    qa_types: tuple[str, ...] = ()  # ob3.eu.QA_TYPES or "ext:…"
    qa_internal: str = ""
    qa_external: str = ""
    qa_body: str = ""  # the external body, e.g. "Myndigheten för yrkeshögskolan"
    issuer_country: str | None = None  # ISO 3166-1 alpha-2, e.g. "SE"
    awarding_body: str = ""
    awarding_body_id: str = ""  # URL or organisation number that identifies the awarding body


@dataclass(frozen=True)
class Criterion:
    key: str
    kind: Kind
    met: bool
    missing: tuple[Message, ...] = ()  # what to add; empty when met
    note: Message | None = None  # e.g. "added when issued"


@dataclass(frozen=True)
class Scorecard:
    criteria: tuple[Criterion, ...]

    @property
    def publishable(self) -> bool:
        """True only when every principle and every EU element is met."""
        return all(criterion.met for criterion in self.criteria)

    @property
    def principles(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "principle")

    @property
    def eu_elements(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.kind == "eu_element")

    def __getitem__(self, key: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.key == key:
                return criterion
        raise KeyError(key)


def _msg(key: str, default: str, **params: str | int) -> Message:
    return Message(f"scorecard.{key}", default, params)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _criterion(key: str, kind: Kind, missing: list[Message], note: Message | None = None) -> Criterion:
    return Criterion(key=key, kind=kind, met=not missing, missing=tuple(missing), note=note)


def _known(value: str, known: tuple[str, ...]) -> bool:
    return value in known or bool(_EXT_TERM.fullmatch(value))


def _positive(value: Decimal | int | None) -> bool:
    if value is None or isinstance(value, bool):
        return False
    number = Decimal(value)
    return number.is_finite() and number > 0


def _level(value: int | None) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 8


def is_vague_outcome(statement: str) -> bool:
    """Whether an outcome opens with an unobservable verb ("understand", "känna till", ...).

    A leading "The learner can" / "Studenten ska kunna" and the like is skipped first, so
    "The learner can explain ..." is fine and "Studenten ska kunna förstå ..." is vague.
    """
    text = " ".join(statement.lower().split())
    text = _OUTCOME_PREFIX.sub("", text, count=1)
    return bool(_VAGUE_OPENINGS.match(text))


# --- the six Kompetenspasset principles -----------------------------------------------------------

def _outcome_problems(n: int, outcome: OutcomeDefinition) -> list[Message]:
    problems = []
    if _blank(outcome.statement):
        problems.append(_msg("outcome.statement", "Learning outcome {n}: write what the learner can do.", n=n))
    elif is_vague_outcome(outcome.statement):
        problems.append(_msg("outcome.vague", "Learning outcome {n}: start with an observable verb such as "
                             "'explain', 'build' or 'analyse' instead of 'understand' or 'know'.", n=n))
    if _blank(outcome.criteria):
        problems.append(_msg("outcome.criteria", "Learning outcome {n}: add the assessment criteria.", n=n))
    levels = outcome.rubric_levels
    if len(levels) < 2:
        problems.append(_msg("outcome.rubric", "Learning outcome {n}: add a rubric with at least two levels.", n=n))
    else:
        if any(_blank(level.name) or _blank(level.description) for level in levels):
            problems.append(_msg("outcome.rubric_descriptions",
                                 "Learning outcome {n}: give every rubric level a name and a description.", n=n))
        if not any(level.passing for level in levels):
            problems.append(_msg("outcome.pass_level", "Learning outcome {n}: mark the rubric level that passes.",
                                 n=n))
    return problems


def _measurable_outcomes(d: AchievementDefinition) -> Criterion:
    missing: list[Message] = []
    if not d.learning_outcomes:
        missing.append(_msg("outcomes.none", "Add at least one learning outcome."))
    for n, outcome in enumerate(d.learning_outcomes, start=1):
        missing += _outcome_problems(n, outcome)
    return _criterion("measurable_outcomes", "principle", missing)


def _standalone_value(d: AchievementDefinition) -> Criterion:
    missing = []
    if _blank(d.description):
        missing.append(_msg("description", "Add a description of the micro-credential."))
    if _blank(d.standalone_value):
        missing.append(_msg("standalone_value", "Describe what the micro-credential is worth on its own, "
                            "e.g. which tasks or roles it prepares for."))
    if _blank(d.target_group):
        missing.append(_msg("target_group", "Describe the target group."))
    return _criterion("standalone_value", "principle", missing)


def _credit_problems(d: AchievementDefinition) -> list[Message]:
    if not _positive(d.credit_points) or d.credit_unit is None:
        return [_msg("credits", "Add the credit points and their unit (ECTS, högskolepoäng or YH-poäng).")]
    if d.credit_unit not in CREDIT_UNITS:
        return [_msg("credit_unit.invalid", "Choose a credit unit: ECTS, högskolepoäng, YH-poäng or other.")]
    return []


def _combinable(d: AchievementDefinition) -> Criterion:
    missing = []
    if d.stackability is None:
        missing.append(_msg("stackability", "Say whether the micro-credential is standalone, integrated in or "
                            "stackable towards a larger qualification."))
    elif d.stackability not in STACKABILITY_OPTIONS:
        missing.append(_msg("stackability.invalid", "Choose standalone, integrated or stackable."))
    elif d.stackability != "standalone" and not any(not _blank(q) for q in d.counts_towards):
        missing.append(_msg("counts_towards", "Name the qualification(s) the micro-credential counts towards."))
    missing += _credit_problems(d)
    return _criterion("combinable", "principle", missing)


def _transferable(d: AchievementDefinition) -> Criterion:
    missing = []
    if not _level(d.eqf_level):
        missing.append(_msg("transfer.eqf_level", "Add the EQF level (1–8) so other systems can place it."))
    if not (_positive(d.credit_points) and d.credit_unit in RECOGNISED_CREDIT_UNITS):
        missing.append(_msg("transfer.credits", "Give the credits in ECTS, högskolepoäng or YH-poäng so other "
                            "providers can count them."))
    if not any((o.esco_skill or "").startswith(ESCO_SKILL_PREFIX) for o in d.learning_outcomes):
        missing.append(_msg("transfer.esco", "Link at least one learning outcome to an ESCO skill."))
    return _criterion("transferable", "principle", missing)


def _quality_assured(d: AchievementDefinition) -> Criterion:
    missing = []
    if _blank(d.qa_internal):
        missing.append(_msg("qa.internal", "Describe the internal quality review (who reviews, how often)."))
    if _blank(d.qa_external):
        missing.append(_msg("qa.external", "Describe the external quality review."))
    if _blank(d.qa_body):
        missing.append(_msg("qa.body", "Name the body responsible for the external quality review."))
    return _criterion("quality_assured", "principle", missing)


def _learner_owned(d: AchievementDefinition) -> Criterion:
    missing = []
    if _blank(d.awarding_body) or _blank(d.awarding_body_id):
        missing.append(_msg("awarding_body.identity", "Add the awarding body's name and web address or "
                            "organisation number, so anyone can check who issued the credential."))
    note = _msg("note.signed_at_issue", "Signed and delivered to the learner when issued.")
    return _criterion("learner_owned", "principle", missing, note)


# --- the eleven mandatory EU elements (Annex I) ---------------------------------------------------

_ADDED_WHEN_ISSUED = _msg("note.added_when_issued", "Added when issued.")


def _eu_elements(d: AchievementDefinition) -> list[Criterion]:
    def element(key: str, problem: Message | None) -> Criterion:
        return _criterion(key, "eu_element", [problem] if problem else [])

    country = d.issuer_country or ""
    qa_types = [t for t in d.qa_types if not _blank(t)]
    assessment = [t for t in d.assessment_types if not _blank(t)]
    return [
        _criterion("learner_identification", "eu_element", [], _ADDED_WHEN_ISSUED),
        element("title", _msg("title", "Add a title.") if _blank(d.title) else None),
        element("issuer_country", None if _COUNTRY_CODE.fullmatch(country) else
                _msg("issuer_country", "Add the issuer's country as a two-letter code, e.g. SE.")),
        element("awarding_body", _msg("awarding_body", "Name the awarding body.") if _blank(d.awarding_body) else None),
        _criterion("date_of_issuing", "eu_element", [], _ADDED_WHEN_ISSUED),
        element("learning_outcomes", None if any(not _blank(o.statement) for o in d.learning_outcomes) else
                _msg("outcomes.none", "Add at least one learning outcome.")),
        element("workload", None if _positive(d.workload_hours) or _positive(d.credit_points) else
                _msg("workload", "Add the notional workload, in ECTS credits where possible, or in hours.")),
        element("level", None if d.level_not_applicable or _level(d.eqf_level) or _level(d.seqf_level) else
                _msg("level", "Add the EQF or SeQF level (1–8), or mark the level as not applicable.")),
        element("assessment_type", _assessment_problem(assessment)),
        element("participation_form", None if d.participation_form in PARTICIPATION_FORMS else
                _msg("participation_form", "Choose the form of participation: online, on-site or blended.")),
        element("quality_assurance", _qa_type_problem(qa_types)),
    ]


def _assessment_problem(types: list[str]) -> Message | None:
    if not types:
        return _msg("assessment_type", "Add the type of assessment, e.g. written exam or portfolio.")
    unknown = [t for t in types if not _known(t, ASSESSMENT_TYPES)]
    if unknown:
        return _msg("assessment_type.invalid", "Unknown assessment type: {value}.", value=", ".join(unknown))
    return None


def _qa_type_problem(types: list[str]) -> Message | None:
    if not types:
        return _msg("qa_type", "Add the type of quality assurance, e.g. internal review or accreditation.")
    unknown = [t for t in types if not _known(t, QA_TYPES)]
    if unknown:
        return _msg("qa_type.invalid", "Unknown quality assurance type: {value}.", value=", ".join(unknown))
    return None


def scorecard(definition: AchievementDefinition) -> Scorecard:
    """The six principles, then the eleven EU elements, each met or with what to add."""
    principles = [
        _measurable_outcomes(definition),
        _standalone_value(definition),
        _combinable(definition),
        _transferable(definition),
        _quality_assured(definition),
        _learner_owned(definition),
    ]
    return Scorecard(criteria=tuple(principles + _eu_elements(definition)))
