"""The publish scorecard: one met and one missing case per Kompetenspasset principle and EU element."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from ob3.scorecard import (
    AchievementDefinition,
    Message,
    OutcomeDefinition,
    RubricLevel,
    is_vague_outcome,
    scorecard,
)

PRINCIPLES = ["measurable_outcomes", "standalone_value", "combinable", "transferable", "quality_assured",
              "learner_owned"]
EU_ELEMENTS = ["learner_identification", "title", "issuer_country", "awarding_body", "date_of_issuing",
               "learning_outcomes", "workload", "level", "assessment_type", "participation_form",
               "quality_assurance"]
LEVELS = (RubricLevel("Underkänd", "Uppfyller inte målet."), RubricLevel("Godkänd", "Uppfyller målet.", passing=True))


def outcome(statement: str = "Städa en datamängd med pandas", **changes) -> OutcomeDefinition:
    base = OutcomeDefinition(statement=statement, criteria="Inlämnad notebook körs och städar datan.",
                             rubric_levels=LEVELS, esco_skill="http://data.europa.eu/esco/skill/ccd0a1d9")
    return dataclasses.replace(base, **changes)


def complete(**changes) -> AchievementDefinition:
    base = AchievementDefinition(
        title="Grundläggande dataanalys med Python",
        description="Datahantering, visualisering och rapportering med Python.",
        learning_outcomes=(outcome(), outcome("Visualisera data och tolka diagram", esco_skill=None)),
        standalone_value="Kan självständigt analysera en datamängd.",
        target_group="Yrkesverksamma",
        stackability="stackable",
        counts_towards=("Dataanalytiker, 30 hp",),
        workload_hours=Decimal("80"),
        credit_points=Decimal("3"),
        credit_unit="hogskolepoang",
        eqf_level=6,
        assessment_types=("assignment",),
        participation_form="online",
        qa_types=("internal-review", "national-oversight"),
        qa_internal="Utbildningsnämnden granskar kursplanen.",
        qa_external="UKÄ granskar högskolans kvalitetssäkring.",
        qa_body="Universitetskanslersämbetet",
        issuer_country="SE",
        awarding_body="Högskolan i Exempelstad",
        awarding_body_id="https://www.hogskolan-exempelstad.example",
    )
    return dataclasses.replace(base, **changes)


def missing_keys(definition: AchievementDefinition, key: str) -> list[str]:
    criterion = scorecard(definition)[key]
    assert criterion.met is (not criterion.missing)
    return [message.key for message in criterion.missing]


def test_a_complete_definition_is_publishable_with_every_criterion_in_order():
    card = scorecard(complete())

    assert [c.key for c in card.criteria] == PRINCIPLES + EU_ELEMENTS
    assert [c.key for c in card.principles] == PRINCIPLES and [c.key for c in card.eu_elements] == EU_ELEMENTS
    assert all(c.met for c in card.criteria) and card.publishable


def test_an_empty_definition_is_not_publishable_and_says_what_to_add():
    card = scorecard(AchievementDefinition())

    assert not card.publishable
    unmet = [c.key for c in card.criteria if not c.met]
    assert unmet == [k for k in PRINCIPLES + EU_ELEMENTS if k not in ("learner_identification", "date_of_issuing")]
    assert all(m.key.startswith("scorecard.") and m.text for c in card.criteria for m in c.missing)


def test_the_scorecard_is_deterministic():
    assert scorecard(complete()) == scorecard(complete())
    assert scorecard(AchievementDefinition()) == scorecard(AchievementDefinition())


def test_one_unmet_criterion_blocks_publishing():
    assert not scorecard(complete(participation_form=None)).publishable


def test_unknown_key_raises():
    with pytest.raises(KeyError):
        scorecard(complete())["nonsense"]


def test_messages_carry_a_key_an_english_default_and_parameters():
    message = Message("scorecard.outcome.criteria", "Learning outcome {n}: add the assessment criteria.", {"n": 2})
    assert message.text == "Learning outcome 2: add the assessment criteria."


# --- principle 1: measurable learning outcomes with assessment criteria ----------------------------

@pytest.mark.parametrize(("change", "expected"), [
    ({"learning_outcomes": ()}, ["scorecard.outcomes.none"]),
    ({"learning_outcomes": (outcome(" "),)}, ["scorecard.outcome.statement"]),
    ({"learning_outcomes": (outcome("Förstå grundläggande statistik"),)}, ["scorecard.outcome.vague"]),
    ({"learning_outcomes": (outcome(criteria=""),)}, ["scorecard.outcome.criteria"]),
    ({"learning_outcomes": (outcome(rubric_levels=LEVELS[:1]),)}, ["scorecard.outcome.rubric"]),
    ({"learning_outcomes": (outcome(rubric_levels=(LEVELS[0], RubricLevel("Godkänd", passing=True))),)},
     ["scorecard.outcome.rubric_descriptions"]),
    ({"learning_outcomes": (outcome(rubric_levels=(LEVELS[0], RubricLevel("G", "Uppfyller"))),)},
     ["scorecard.outcome.pass_level"]),
])
def test_measurable_outcomes_missing(change, expected):
    assert missing_keys(complete(**change), "measurable_outcomes") == expected


def test_measurable_outcome_problems_name_the_outcome_number():
    card = scorecard(complete(learning_outcomes=(outcome(), outcome(criteria=""))))
    (message,) = card["measurable_outcomes"].missing
    assert message.params == {"n": 2} and message.text.startswith("Learning outcome 2:")


def test_measurable_outcomes_met():
    assert missing_keys(complete(), "measurable_outcomes") == []


@pytest.mark.parametrize("statement", [
    "Understand linear regression", "The learner can understand SQL joins", "know the GDPR basics",
    "Be familiar with pandas", "Have an understanding of statistics", "Learners will be able to appreciate art",
    "Studenten ska kunna förstå regression", "Känna till dataskyddsförordningen", "Ha kunskap om SQL",
    "Efter kursen ska deltagaren kunna lära sig pandas", "Efter kursen, känna till SQL",
    "Deltagaren kan få insikt i etik", "On completion of the course, the student can understand joins",
])
def test_vague_outcomes_are_detected(statement):
    assert is_vague_outcome(statement)


@pytest.mark.parametrize("statement", [
    "Explain linear regression", "The learner can build a dashboard", "Clean a dataset to understand it",
    "Studenten ska kunna redogöra för regression", "Analysera data med pandas", "Knowledgeably select tests",
    "Efter kursen ska deltagaren kunna visualisera data", "Undersöka ett dataset",
    "Efter avslutad kurs kan studenten tillämpa regression", "Förklara varför modellen överanpassar",
])
def test_observable_outcomes_are_accepted(statement):
    assert not is_vague_outcome(statement)


# --- principle 2: standalone value -----------------------------------------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    ({"description": ""}, ["scorecard.description"]),
    ({"standalone_value": "  "}, ["scorecard.standalone_value"]),
    ({"target_group": ""}, ["scorecard.target_group"]),
    ({"description": "", "standalone_value": "", "target_group": ""},
     ["scorecard.description", "scorecard.standalone_value", "scorecard.target_group"]),
])
def test_standalone_value_missing(change, expected):
    assert missing_keys(complete(**change), "standalone_value") == expected


def test_standalone_value_met():
    assert missing_keys(complete(), "standalone_value") == []


# --- principle 3: combinable into larger qualifications -------------------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    ({"stackability": None}, ["scorecard.stackability"]),
    ({"stackability": "stacked"}, ["scorecard.stackability.invalid"]),
    ({"counts_towards": ()}, ["scorecard.counts_towards"]),
    ({"stackability": "integrated", "counts_towards": (" ",)}, ["scorecard.counts_towards"]),
    ({"credit_points": None}, ["scorecard.credits"]),
    ({"credit_points": Decimal(0)}, ["scorecard.credits"]),
    ({"credit_unit": None}, ["scorecard.credits"]),
    ({"credit_unit": "poäng"}, ["scorecard.credit_unit.invalid"]),
])
def test_combinable_missing(change, expected):
    assert missing_keys(complete(**change), "combinable") == expected


@pytest.mark.parametrize("change", [{}, {"stackability": "standalone", "counts_towards": ()},
                                    {"credit_unit": "other"}, {"credit_points": 15}])
def test_combinable_met(change):
    assert missing_keys(complete(**change), "combinable") == []


# --- principle 4: transferable and stackable ------------------------------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    ({"eqf_level": None}, ["scorecard.transfer.eqf_level"]),
    ({"eqf_level": 9}, ["scorecard.transfer.eqf_level"]),
    ({"eqf_level": True}, ["scorecard.transfer.eqf_level"]),
    ({"credit_unit": "other"}, ["scorecard.transfer.credits"]),
    ({"credit_points": None}, ["scorecard.transfer.credits"]),
    ({"learning_outcomes": (outcome(esco_skill=None),)}, ["scorecard.transfer.esco"]),
    ({"learning_outcomes": (outcome(esco_skill="https://example.org/skill/1"),)}, ["scorecard.transfer.esco"]),
])
def test_transferable_missing(change, expected):
    assert missing_keys(complete(**change), "transferable") == expected


@pytest.mark.parametrize("unit", ["ECTS", "hogskolepoang", "yh-poang"])
def test_transferable_met(unit):
    assert missing_keys(complete(credit_unit=unit), "transferable") == []


# --- principle 5: quality-assured with internal and external review -------------------------------

@pytest.mark.parametrize(("change", "expected"), [
    ({"qa_internal": ""}, ["scorecard.qa.internal"]),
    ({"qa_external": ""}, ["scorecard.qa.external"]),
    ({"qa_body": " "}, ["scorecard.qa.body"]),
])
def test_quality_assured_missing(change, expected):
    assert missing_keys(complete(**change), "quality_assured") == expected


def test_quality_assured_met():
    assert missing_keys(complete(), "quality_assured") == []


# --- principle 6: owned by the learner, digital, shareable, unforgeable ---------------------------

@pytest.mark.parametrize("change", [{"awarding_body_id": ""}, {"awarding_body": ""}])
def test_learner_owned_missing(change):
    assert missing_keys(complete(**change), "learner_owned") == ["scorecard.awarding_body.identity"]


def test_learner_owned_met_with_a_note_on_what_issuance_adds():
    criterion = scorecard(complete())["learner_owned"]
    assert criterion.met and criterion.note and criterion.note.key == "scorecard.note.signed_at_issue"


# --- the eleven EU elements -----------------------------------------------------------------------

@pytest.mark.parametrize("key", ["learner_identification", "date_of_issuing"])
def test_learner_and_date_are_added_when_issued(key):
    criterion = scorecard(AchievementDefinition())[key]
    assert criterion.met and criterion.missing == ()
    assert criterion.note and criterion.note.key == "scorecard.note.added_when_issued"
    assert criterion.note.text == "Added when issued."


@pytest.mark.parametrize(("key", "change", "expected"), [
    ("title", {"title": " "}, "scorecard.title"),
    ("issuer_country", {"issuer_country": None}, "scorecard.issuer_country"),
    ("issuer_country", {"issuer_country": "Sverige"}, "scorecard.issuer_country"),
    ("issuer_country", {"issuer_country": "se"}, "scorecard.issuer_country"),
    ("awarding_body", {"awarding_body": ""}, "scorecard.awarding_body"),
    ("learning_outcomes", {"learning_outcomes": ()}, "scorecard.outcomes.none"),
    ("learning_outcomes", {"learning_outcomes": (outcome(""),)}, "scorecard.outcomes.none"),
    ("workload", {"workload_hours": None, "credit_points": None}, "scorecard.workload"),
    ("workload", {"workload_hours": Decimal(0), "credit_points": None}, "scorecard.workload"),
    ("level", {"eqf_level": None}, "scorecard.level"),
    ("level", {"eqf_level": 0, "seqf_level": 9}, "scorecard.level"),
    ("assessment_type", {"assessment_types": ()}, "scorecard.assessment_type"),
    ("assessment_type", {"assessment_types": ("exam",)}, "scorecard.assessment_type.invalid"),
    ("participation_form", {"participation_form": None}, "scorecard.participation_form"),
    ("participation_form", {"participation_form": "distance"}, "scorecard.participation_form"),
    ("quality_assurance", {"qa_types": ()}, "scorecard.qa_type"),
    ("quality_assurance", {"qa_types": ("ISO 9001",)}, "scorecard.qa_type.invalid"),
])
def test_eu_element_missing(key, change, expected):
    assert missing_keys(complete(**change), key) == [expected]


def test_invalid_values_are_named_in_the_message():
    (message,) = scorecard(complete(assessment_types=("exam", "portfolio")))["assessment_type"].missing
    assert message.params == {"value": "exam"} and message.text == "Unknown assessment type: exam."


@pytest.mark.parametrize(("key", "change"), [
    ("title", {}),
    ("issuer_country", {"issuer_country": "FI"}),
    ("awarding_body", {}),
    ("learning_outcomes", {"learning_outcomes": (outcome("Understand X", criteria=""),)}),  # vague, yet present
    ("workload", {"workload_hours": None}),  # credits alone
    ("workload", {"credit_points": None}),  # hours alone
    ("level", {"eqf_level": None, "seqf_level": 5}),
    ("level", {"eqf_level": None, "level_not_applicable": True}),
    ("assessment_type", {"assessment_types": ("portfolio", "ext:Hackathon")}),
    ("participation_form", {"participation_form": "blended"}),
    ("quality_assurance", {"qa_types": ("ext:ISO21001",)}),
])
def test_eu_element_met(key, change):
    assert missing_keys(complete(**change), key) == []
