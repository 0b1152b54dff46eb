"""Credential drafts for tests: one realistic micro-credential and a seeded random generator.

Every draft uses only terms the vendored contexts define, so all of them can be built,
schema-validated, canonicalised and signed offline. `realistic_draft` and `random_draft` use no
extension; the `micro_credential` ones add the Mikromerit EU extension and its context.
"""

from __future__ import annotations

import dataclasses
import random
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from ob3.eu import (
    ASSESSMENT_TYPES,
    CREDIT_UNITS,
    OUTCOME_KINDS,
    PARTICIPATION_FORMS,
    QA_TYPES,
    QF_EHEA_CYCLES,
    STACKABILITY_OPTIONS,
    SUPERVISION_TYPES,
    CreditPoints,
    EuElements,
    LearningOutcome,
    QualificationRef,
    QualityAssurance,
    Stackability,
    with_eu_extension,
)
from ob3.model import (
    OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,
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

ISSUER_ID = "https://mikromerit.example/issuers/hogskolan-exempelstad"
ACHIEVEMENT_ID = "https://mikromerit.example/achievements/dataanalys-python-1"
STATUS_LIST_URL = "https://mikromerit.example/status/3f6c1a/revocation"
ESCO_SKILL = "http://data.europa.eu/esco/skill/"  # ESCO's URI shape; the UUIDs below are illustrative


def _levels(outcome_id: str) -> tuple[RubricCriterionLevel, ...]:
    return (
        RubricCriterionLevel(id=f"{outcome_id}/levels/underkant", name="Underkänd", level="U", points="0"),
        RubricCriterionLevel(id=f"{outcome_id}/levels/godkand", name="Godkänd", level="G", points="1",
                             description="Studenten uppfyller lärandemålet."),
        RubricCriterionLevel(id=f"{outcome_id}/levels/val-godkand", name="Väl godkänd", level="VG",
                             points="2", description="Studenten uppfyller lärandemålet med god marginal."),
    )


def _outcome(slug: str, name: str, skill_uuid: str, skill_name: str) -> ResultDescription:
    outcome_id = f"{ACHIEVEMENT_ID}/outcomes/{slug}"
    return ResultDescription(
        id=outcome_id,
        name=name,
        result_type="RubricCriterionLevel",
        allowed_values=("U", "G", "VG"),
        required_level=f"{outcome_id}/levels/godkand",
        levels=_levels(outcome_id),
        alignments=(
            Alignment(target_name=skill_name, target_url=ESCO_SKILL + skill_uuid, target_type="ext:ESCOSkill",
                      target_framework="ESCO v1.2"),
        ),
    )


def realistic_draft(**overrides: Any) -> CredentialDraft:
    """A complete, realistic micro-credential; keyword arguments replace CredentialDraft fields."""
    issuer = Profile(
        id=ISSUER_ID,
        name="Högskolan i Exempelstad",
        url="https://www.hogskolan-exempelstad.example",
        email="mikromeriter@hogskolan-exempelstad.example",
        phone="+46 10 123 45 67",
        description="Statlig högskola som erbjuder korta kurser för yrkesverksamma.",
        image=Image(id="https://mikromerit.example/media/issuers/hogskolan-exempelstad.png",
                    caption="Högskolans logotyp"),
        address=Address(country_code="SE", country="Sverige", locality="Exempelstad",
                        street_address="Universitetsvägen 1", postal_code="123 45"),
        official="Rektor Anna Lindqvist",
        other_identifiers=(IdentifierEntry(identifier="202100-0000", identifier_type="ext:SEOrgNr"),),
    )
    outcomes = (
        _outcome("lm1", "Läsa in och städa data med pandas", "ccd0a1d9-afda-43d9-b901-96344886e14d",
                 "Python (datorprogrammering)"),
        _outcome("lm2", "Visualisera data och tolka diagram", "2b9b8d59-10bc-4e50-8a94-d6d4e8b51e5c",
                 "visualisera data"),
        _outcome("lm3", "Redovisa en analys skriftligt", "a34a6bd4-5f97-4d4a-a2e1-0a4c3d8c8f9a",
                 "skriva rapporter"),
    )
    achievement = Achievement(
        id=ACHIEVEMENT_ID,
        name="Grundläggande dataanalys med Python",
        description="Mikromerit om 3 hp: datahantering, visualisering och rapportering med Python.",
        criteria=Criteria(
            id="https://mikromerit.example/achievements/dataanalys-python-1/kriterier",
            narrative="Godkänd på samtliga tre lärandemål:\n\n1. Städa data\n2. Visualisera\n3. Redovisa",
        ),
        achievement_type="MicroCredential",
        image=Image(id="https://mikromerit.example/media/badges/dataanalys-python.png",
                    caption="Märke: Grundläggande dataanalys med Python"),
        alignments=(
            Alignment(target_name="dataanalys", target_url=ESCO_SKILL + "d2d1b3a5-6c11-4f7a-9b1e-3c5f0e7a8b21",
                      target_type="ext:ESCOSkill", target_code="S2.8.1"),
        ),
        result_descriptions=outcomes,
        credits_available=3.0,
        in_language="sv",
        tags=("dataanalys", "Python", "mikromerit"),
        human_code="DA101M",
        field_of_study="Datavetenskap",
        specialization="Dataanalys",
        version="2025-1",
        related=(Related(id="https://mikromerit.example/achievements/data-analysis-python-1",
                         in_language="en", version="2025-1"),),
    )
    results = tuple(
        Result(result_description=rd.id, achieved_level=rd.levels[level].id, value=rd.levels[level].level)
        for rd, level in zip(outcomes, (2, 1, 1), strict=True)
    ) + (Result(status="Completed"),)
    draft = CredentialDraft(
        id="urn:uuid:6a2f4c1e-8d3b-4f5a-9c7e-1b2d3e4f5a6b",
        issuer=issuer,
        achievement=achievement,
        recipient=Recipient(email="asa.oberg@exempel.se", salt="c2a1f0e9d8b7a6f5", name="Åsa Öberg"),
        valid_from=datetime(2025, 6, 13, 10, 30, tzinfo=UTC),
        valid_until=datetime(2030, 6, 13, 10, 30, tzinfo=UTC),
        awarded_date=datetime(2025, 6, 12, 15, 0, tzinfo=timezone(timedelta(hours=2))),
        results=results,
        evidence=(
            Evidence(id="https://mikromerit.example/evidence/7c1d/rapport", name="Slutrapport",
                     description="Analys av öppna data om kollektivtrafik.", genre="Rapport",
                     audience="Examinator"),
            Evidence(narrative="Muntlig redovisning vid seminarium 2025-06-10."),
        ),
        status=StatusEntry(status_list_credential=STATUS_LIST_URL, status_list_index=94_567),
        credits_earned=3.0,
        narrative="Genomförd på distans under våren 2025.",
        activity_start_date=datetime(2025, 3, 24, 8, 0, tzinfo=UTC),
        activity_end_date=datetime(2025, 6, 10, 16, 0, tzinfo=UTC),
    )
    return dataclasses.replace(draft, **overrides)


# --- random drafts -------------------------------------------------------------------------------

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789      "
_TRICKY = [
    "å", "ä", "ö", "Å", "Ä", "Ö", "é", "ü", "ß",
    "a\u030a",  # å as a + combining ring (NFD)
    "😀", "🎓", "👩🏽‍🎓",  # astral plane, skin tone, ZWJ sequence
    '"', "'", "\\", "\\n", "/", "<", ">", "&", "{", "}", "@", "#", "$",
    "\n", "\r\n", "\t", "\x08", "\x0c", "\x00", "\x1f", "\x7f",
    "\u00a0", "\u2028", "\u2029", "\ufeff", "\u200b", "ﬁ", "Ω", "中文", "עברית",
]
_LANGUAGES = ("sv", "en", "en-GB", "sv-SE", "fi", "de", "nb-NO", "zh-Hans-CN", "es-419")
_ACHIEVEMENT_TYPES = ("MicroCredential", "Course", "Badge", "Competency", "Certificate", "ext:Mikromerit")
_RESULT_TYPES = ("RubricCriterionLevel", "LetterGrade", "Status", "Percent", "ext:Betyg")
_RESULT_STATUSES = ("Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew")
_TARGET_TYPES = ("ext:ESCOSkill", "CFItem", "ceasn:Competency", "CTDL", None)
_NUMBERS = (2.5, 3.0, 7, 0, 0.5, 1.5, 7.5, 15.0, 30, 0.1, 1 / 3, 123.456, 0.000125, 60.0, 4.25)


def _text(rng: random.Random, max_len: int = 40) -> str:
    parts = [rng.choice(_TRICKY) if rng.random() < 0.3 else rng.choice(_PLAIN)
             for _ in range(rng.randint(1, max_len))]
    return "".join(parts)


def _maybe(rng: random.Random, value: Any, p: float = 0.5) -> Any:
    return value if rng.random() < p else None


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _url(rng: random.Random, kind: str) -> str:
    host = rng.choice(("mikromerit.example", "hogskola.example", "xn--mrken-gra.example"))
    slug = rng.choice((_uuid(rng), f"{rng.randrange(10**6)}", "märken/åäö-" + str(rng.randrange(100))))
    return f"https://{host}/{kind}/{slug}"


def _datetime(rng: random.Random) -> datetime:
    offset = timezone(timedelta(minutes=rng.choice((0, 60, 120, -300, 330, 345, -720, 840))))
    start = datetime(2000, 1, 1, tzinfo=UTC)
    return (start + timedelta(seconds=rng.randrange(100 * 365 * 86400))).astimezone(offset)


def _image(rng: random.Random) -> Image | None:
    if rng.random() < 0.4:
        return None
    image_id = (_url(rng, "media") + ".png" if rng.random() < 0.8
                else "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk")
    return Image(id=image_id, caption=_maybe(rng, _text(rng)))


def _alignments(rng: random.Random) -> tuple[Alignment, ...]:
    return tuple(
        Alignment(
            target_name=_text(rng),
            target_url=ESCO_SKILL + _uuid(rng),
            target_type=rng.choice(_TARGET_TYPES),
            target_code=_maybe(rng, _text(rng, 8)),
            target_framework=_maybe(rng, _text(rng, 12)),
            target_description=_maybe(rng, _text(rng)),
        )
        for _ in range(rng.choice((0, 0, 1, 2)))
    )


def _profile(rng: random.Random, kind: str) -> Profile:
    address = None
    if rng.random() < 0.5:
        address = Address(
            country_code=_maybe(rng, rng.choice(("SE", "FI", "NO", "DK"))),
            country=_maybe(rng, _text(rng, 12)),
            region=_maybe(rng, _text(rng, 12)),
            locality=_maybe(rng, _text(rng, 12)),
            street_address=_maybe(rng, _text(rng, 20)),
            postal_code=_maybe(rng, f"{rng.randrange(10000, 99999)}"),
            post_office_box_number=_maybe(rng, str(rng.randrange(1000)), 0.2),
        )
    return Profile(
        id=rng.choice((_url(rng, kind), f"did:web:{kind}.example:{rng.randrange(1000)}")),
        name=_text(rng),
        url=_maybe(rng, _url(rng, "www")),
        email=_maybe(rng, f"info{rng.randrange(100)}@{kind}.example"),
        phone=_maybe(rng, f"+46 {rng.randrange(10**8, 10**9)}"),
        description=_maybe(rng, _text(rng, 80)),
        image=_image(rng),
        address=address,
        official=_maybe(rng, _text(rng, 20)),
        other_identifiers=tuple(
            IdentifierEntry(identifier=_text(rng, 12), identifier_type=rng.choice(("identifier", "ext:SEOrgNr")))
            for _ in range(rng.choice((0, 0, 1, 2)))
        ),
    )


def _result_description(rng: random.Random, achievement_id: str, n: int) -> ResultDescription:
    rd_id = f"{achievement_id}/outcomes/{n}"
    levels = tuple(
        RubricCriterionLevel(
            id=f"{rd_id}/levels/{k}",
            name=_text(rng, 15),
            description=_maybe(rng, _text(rng)),
            level=_maybe(rng, _text(rng, 4)),
            points=_maybe(rng, str(k)),
            alignments=_alignments(rng),
        )
        for k in range(rng.choice((0, 1, 3)))
    )
    return ResultDescription(
        id=rd_id,
        name=_text(rng),
        result_type=rng.choice(_RESULT_TYPES),
        allowed_values=tuple(_text(rng, 4) for _ in range(rng.choice((0, 2, 3)))),
        required_level=levels[-1].id if levels and rng.random() < 0.5 else None,
        required_value=_maybe(rng, _text(rng, 4), 0.3),
        levels=levels,
        value_min=_maybe(rng, "0", 0.2),
        value_max=_maybe(rng, "100", 0.2),
        alignments=_alignments(rng),
    )


def _results(rng: random.Random, outcomes: tuple[ResultDescription, ...]) -> tuple[Result, ...]:
    results = []
    for rd in outcomes:
        if rng.random() < 0.7:
            level = rng.choice(rd.levels) if rd.levels else None
            results.append(Result(
                result_description=rd.id,
                achieved_level=level.id if level else None,
                value=_maybe(rng, _text(rng, 6)),
                status=rng.choice(_RESULT_STATUSES) if rd.result_type == "Status" else None,
                alignments=_alignments(rng),
            ))
    if rng.random() < 0.3:
        results.append(Result(status=rng.choice(_RESULT_STATUSES)))
    return tuple(results)


def _recipient(rng: random.Random) -> Recipient:
    has_did, has_email = rng.choice(((True, False), (False, True), (True, True)))
    local = rng.choice(("asa.oberg", "Åsa.Öberg", "kalle+badges", "o'brien", "user"))
    return Recipient(
        did=f"did:key:z6Mk{_uuid(rng).replace('-', '')}" if has_did else None,
        email=f"{local}{rng.randrange(1000)}@exempel.se" if has_email else None,
        salt=f"{rng.getrandbits(64):016x}" if has_email else None,
        name=_maybe(rng, _text(rng, 20), 0.4),
    )


def random_draft(rng: random.Random) -> CredentialDraft:
    """A varied but valid draft: tricky Unicode and control characters in free text, optional
    fields present or absent, whole and fractional floats, assorted time zones. Seed `rng` for
    reproducible cases."""
    achievement_id = _url(rng, "achievements")
    outcomes = tuple(_result_description(rng, achievement_id, n) for n in range(rng.choice((0, 1, 2, 4))))
    achievement = Achievement(
        id=achievement_id,
        name=_text(rng),
        description=_text(rng, 120),
        criteria=Criteria(narrative=_maybe(rng, _text(rng, 80), 0.8), id=_maybe(rng, _url(rng, "criteria"), 0.3)),
        achievement_type=_maybe(rng, rng.choice(_ACHIEVEMENT_TYPES), 0.8),
        image=_image(rng),
        alignments=_alignments(rng),
        result_descriptions=outcomes,
        credits_available=_maybe(rng, rng.choice(_NUMBERS)),
        in_language=_maybe(rng, rng.choice(_LANGUAGES)),
        tags=tuple(_text(rng, 10) for _ in range(rng.choice((0, 1, 3)))),
        human_code=_maybe(rng, _text(rng, 8)),
        field_of_study=_maybe(rng, _text(rng, 20)),
        specialization=_maybe(rng, _text(rng, 20), 0.3),
        version=_maybe(rng, _text(rng, 6), 0.3),
        creator=_profile(rng, "creator") if rng.random() < 0.2 else None,
        related=tuple(
            Related(id=_url(rng, "achievements"), in_language=_maybe(rng, rng.choice(_LANGUAGES)),
                    version=_maybe(rng, _text(rng, 6)))
            for _ in range(rng.choice((0, 0, 1)))
        ),
    )
    valid_from = _datetime(rng)
    start = _maybe(rng, valid_from - timedelta(days=rng.randrange(1, 400)), 0.4)
    status = None
    if rng.random() < 0.5:
        status = StatusEntry(status_list_credential=_url(rng, "status"), status_list_index=rng.randrange(131_072),
                             status_purpose=rng.choice(("revocation", "suspension")))
    return CredentialDraft(
        id=rng.choice((f"urn:uuid:{_uuid(rng)}", _url(rng, "credentials"))),
        issuer=_profile(rng, "issuer"),
        achievement=achievement,
        recipient=_recipient(rng),
        valid_from=valid_from,
        valid_until=_maybe(rng, valid_from + timedelta(days=rng.randrange(1, 4000)), 0.4),
        awarded_date=_maybe(rng, valid_from - timedelta(seconds=rng.randrange(10**6)), 0.3),
        name=_maybe(rng, _text(rng), 0.3),
        description=_maybe(rng, _text(rng, 80), 0.3),
        image=_image(rng) if rng.random() < 0.3 else None,
        results=_results(rng, outcomes),
        evidence=tuple(
            Evidence(id=_maybe(rng, _url(rng, "evidence")), name=_maybe(rng, _text(rng)),
                     description=_maybe(rng, _text(rng)), narrative=_maybe(rng, _text(rng, 60)),
                     genre=_maybe(rng, _text(rng, 10)), audience=_maybe(rng, _text(rng, 10)))
            for _ in range(rng.choice((0, 0, 1, 2)))
        ),
        status=status,
        credits_earned=_maybe(rng, rng.choice(_NUMBERS), 0.4),
        narrative=_maybe(rng, _text(rng, 80), 0.3),
        activity_start_date=start,
        activity_end_date=_maybe(rng, valid_from - timedelta(hours=rng.randrange(1, 24)), 0.4) if start else None,
        source=_profile(rng, "source") if rng.random() < 0.15 else None,
        credential_schema=rng.choice(((OB_ACHIEVEMENT_CREDENTIAL_SCHEMA,), ())),
    )


# --- EU micro-credentials (the Mikromerit extension) ----------------------------------------------

def eu_elements() -> EuElements:
    """The EU elements of `realistic_draft`'s achievement, every v1 term set."""
    outcomes_base = f"{ACHIEVEMENT_ID}/outcomes"
    return EuElements(
        workload_hours=Decimal("80"),
        credit_points=CreditPoints(value=Decimal("3.0"), unit="hogskolepoang"),
        eqf_level=6,
        seqf_level=6,
        qf_ehea_cycle="first",
        assessment_types=("assignment", "presentation"),
        participation_form="online",
        supervision="supervised-online-id",
        quality_assurance=QualityAssurance(
            qa_types=("internal-review", "national-oversight"),
            internal_process="Kursplanen granskas av fakultetens utbildningsnämnd; kursvärdering varje omgång.",
            external_process="Universitetskanslersämbetets granskning av högskolans kvalitetssäkringsarbete.",
            responsible_body="Universitetskanslersämbetet",
            responsible_body_url="https://www.uka.se",
            documentation_url="https://www.hogskolan-exempelstad.example/kvalitet",
        ),
        prerequisites="Grundläggande behörighet och Matematik 2.",
        target_group="Yrkesverksamma som vill analysera data i sitt arbete.",
        standalone_value="Kan självständigt städa, visualisera och redovisa en datamängd med Python.",
        occupations=("http://data.europa.eu/esco/occupation/d3edb8f8-3a54-4b8a-9c6f-6b0f1a0c7c6e",),
        stackability=Stackability(option="stackable", counts_towards=(
            QualificationRef(id="https://mikromerit.example/qualifications/dataanalytiker",
                             title="Dataanalytiker, 30 hp"),)),
        learning_outcomes=(
            LearningOutcome(statement="Läsa in och städa data med pandas", kind="skill",
                            esco_skill=ESCO_SKILL + "ccd0a1d9-afda-43d9-b901-96344886e14d",
                            assessed_by=f"{outcomes_base}/lm1"),
            LearningOutcome(statement="Visualisera data och tolka diagram", kind="skill",
                            assessed_by=f"{outcomes_base}/lm2"),
            LearningOutcome(statement="Redovisa en analys skriftligt", kind="responsibility-autonomy",
                            assessed_by=f"{outcomes_base}/lm3"),
        ),
    )


def micro_credential_draft(**overrides: Any) -> CredentialDraft:
    """`realistic_draft` carrying the Mikromerit EU extension (and its context); overrides as there."""
    return dataclasses.replace(with_eu_extension(realistic_draft(), eu_elements()), **overrides)


def _decimal(rng: random.Random) -> Decimal | str | int:
    return rng.choice((Decimal("7.5"), Decimal("3.0"), "40", 1, "0.5", Decimal("1.5E+1"), Decimal("120.250"),
                       "  2.75 ", Decimal("0.000001"), 999_999))


def _words(rng: random.Random, max_len: int) -> str:
    return "Å" + _text(rng, max_len)  # the schema wants at least one non-space character


def random_eu_elements(rng: random.Random, achievement_id: str = ACHIEVEMENT_ID) -> EuElements:
    """Varied but valid EU elements: any subset set, tricky text, duplicate outcomes now and then."""
    def iri(kind: str) -> str:
        return f"http://data.europa.eu/esco/{kind}/{_uuid(rng)}"

    outcome = LearningOutcome(
        statement=_words(rng, 60),
        kind=_maybe(rng, rng.choice(OUTCOME_KINDS)),
        esco_skill=_maybe(rng, iri("skill")),
        assessed_by=_maybe(rng, f"{achievement_id}/outcomes/{rng.randrange(4)}", 0.3),
    )
    outcomes = [outcome] * rng.choice((0, 1, 2)) + [
        LearningOutcome(statement=_words(rng, 60), kind=_maybe(rng, rng.choice(OUTCOME_KINDS)))
        for _ in range(rng.choice((0, 1, 3)))
    ]
    unit = rng.choice(CREDIT_UNITS)
    qa = QualityAssurance(
        qa_types=tuple(rng.sample(QA_TYPES, rng.choice((0, 1, 2)))) + (("ext:ISO21001",) if rng.random() < 0.2 else ()),
        internal_process=_maybe(rng, _words(rng, 80)),
        external_process=_maybe(rng, _words(rng, 80)),
        responsible_body=_maybe(rng, _words(rng, 20)),
        responsible_body_url=_maybe(rng, _url(rng, "qa")),
        documentation_url=_maybe(rng, _url(rng, "qa-docs"), 0.3),
    )
    return EuElements(
        workload_hours=_maybe(rng, _decimal(rng), 0.7),
        credit_points=_maybe(rng, CreditPoints(value=_decimal(rng), unit=unit,
                                               unit_label=_words(rng, 10) if unit == "other" else None), 0.7),
        eqf_level=_maybe(rng, rng.randint(1, 8)),
        seqf_level=_maybe(rng, rng.randint(1, 8)),
        qf_ehea_cycle=_maybe(rng, rng.choice(QF_EHEA_CYCLES), 0.3),
        assessment_types=tuple(rng.sample(ASSESSMENT_TYPES, rng.choice((0, 1, 3)))),
        participation_form=_maybe(rng, rng.choice(PARTICIPATION_FORMS)),
        supervision=_maybe(rng, rng.choice(SUPERVISION_TYPES)),
        quality_assurance=qa if any(dataclasses.astuple(qa)) else None,
        prerequisites=_maybe(rng, _words(rng, 80)),
        target_group=_maybe(rng, _words(rng, 40)),
        standalone_value=_maybe(rng, _words(rng, 60)),
        occupations=tuple(iri("occupation") for _ in range(rng.choice((0, 1, 2)))),
        stackability=_maybe(rng, Stackability(
            option=rng.choice(STACKABILITY_OPTIONS),
            counts_towards=tuple(QualificationRef(id=_url(rng, "qualifications"), title=_maybe(rng, _words(rng, 20)))
                                 for _ in range(rng.choice((0, 1, 2)))))),
        learning_outcomes=tuple(outcomes),
    )


def random_micro_credential_draft(rng: random.Random) -> CredentialDraft:
    """`random_draft` plus `random_eu_elements` on its achievement."""
    draft = random_draft(rng)
    return with_eu_extension(draft, random_eu_elements(rng, draft.achievement.id))
