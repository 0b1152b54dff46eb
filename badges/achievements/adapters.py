"""Achievement rows -> ob3 value objects (the definition, its EU elements, its scorecard input). No
decisions, no I/O."""

from __future__ import annotations

from django.urls import reverse

from badges.achievements.editions import OutcomeEdition, achievement_edition
from badges.models import Achievement, LearningOutcome
from kernel.public_urls import public_url
from ob3 import eu, scorecard
from ob3.model import Achievement as Ob3Achievement
from ob3.model import (
    Alignment,
    Criteria,
    Image,
    Related,
    ResultDescription,
    RubricCriterionLevel,
)

CREDIT_UNITS: dict[str, str] = {
    Achievement.CreditUnit.ECTS: "ECTS",
    Achievement.CreditUnit.HP: "hogskolepoang",
    Achievement.CreditUnit.YH: "yh-poang",
    Achievement.CreditUnit.OTHER: "other",
}


OUTCOME_KINDS: dict[str, str] = {
    LearningOutcome.Kind.KNOWLEDGE: "knowledge",
    LearningOutcome.Kind.SKILL: "skill",
    LearningOutcome.Kind.RESPONSIBILITY_AUTONOMY: "responsibility-autonomy",
}


def _outcomes(achievement: Achievement) -> list[LearningOutcome]:
    # prefetch_related("learning_outcomes__rubric_levels") keeps this at two queries.
    return list(achievement.learning_outcomes.all())


def result_description(edition: OutcomeEdition) -> ResultDescription:
    """The outcome's rubric as an OB ResultDescription; a credential's Results point at its levels.

    Every language edition keeps the same ids, so a Result points at the same levels in each."""
    outcome = edition.outcome
    passing = next((item.level for item in edition.levels if item.is_pass_level), None)
    alignments: tuple[Alignment, ...] = ()
    if outcome.esco_skill_uri:
        alignments = (
            Alignment(
                target_name=str(edition.statement), target_url=outcome.esco_skill_uri, target_type="ext:ESCOSkill"
            ),
        )
    return ResultDescription(
        id=outcome.uri,
        name=str(edition.statement),
        result_type="RubricCriterionLevel",
        allowed_values=tuple(str(item.name) for item in edition.levels),
        required_level=passing.uri if passing else None,
        levels=tuple(
            RubricCriterionLevel(id=item.level.uri, name=str(item.name), description=str(item.description) or None)
            for item in edition.levels
        ),
        alignments=alignments,
    )


def achievement_value(achievement: Achievement, *, language: str | None = None) -> Ob3Achievement:
    """The achievement as an OB Achievement in one language edition (the primary one unless `language`
    names a translation), with `related` pointing at each other edition."""
    edition = achievement_edition(achievement, language or achievement.in_language)
    image = None
    if achievement.image:
        image = Image(
            id=public_url(reverse("achievements_public:image", args=[achievement.public_id, "png"])),
            caption=str(edition.image_alt) or None,
        )
    return Ob3Achievement(
        id=edition.uri,
        name=str(edition.name),
        description=str(edition.description),
        criteria=Criteria(narrative=str(edition.criteria_narrative)),
        achievement_type=achievement.achievement_type or None,
        image=image,
        result_descriptions=tuple(result_description(outcome) for outcome in edition.outcomes),
        in_language=edition.language or None,
        human_code=achievement.human_code or None,
        field_of_study=achievement.field_of_study or None,
        version=str(achievement.version),
        related=tuple(
            Related(id=other.uri, in_language=other.language, version=str(achievement.version))
            for other in edition.others
        ),
    )


def _awarding_body_id(achievement: Achievement) -> str:
    return achievement.issuer.url or achievement.issuer.official_identifier


def achievement_definition(achievement: Achievement) -> scorecard.AchievementDefinition:
    """What the scorecard judges: the definition as filled in, plus who awards it."""
    return scorecard.AchievementDefinition(
        title=achievement.name,
        description=achievement.description,
        learning_outcomes=tuple(
            scorecard.OutcomeDefinition(
                statement=outcome.statement,
                criteria=outcome.assessment_criteria,
                rubric_levels=tuple(
                    scorecard.RubricLevel(name=level.name, description=level.description, passing=level.is_pass_level)
                    for level in outcome.rubric_levels.all()
                ),
                esco_skill=outcome.esco_skill_uri or None,
            )
            for outcome in _outcomes(achievement)
        ),
        standalone_value=achievement.standalone_value,
        target_group=achievement.target_group,
        stackability=achievement.stackability or None,
        counts_towards=tuple(filter(None, [achievement.counts_towards.strip()])),
        workload_hours=achievement.workload_hours,
        credit_points=achievement.credit_points,
        credit_unit=CREDIT_UNITS.get(achievement.credit_unit),
        eqf_level=achievement.eqf_level,
        seqf_level=achievement.seqf_level,
        level_not_applicable=achievement.level_not_applicable,
        assessment_types=tuple(achievement.assessment_types),
        participation_form=achievement.participation_form or None,
        qa_types=tuple(achievement.qa_types),
        qa_internal=achievement.qa_internal_process,
        qa_external=achievement.qa_external_process,
        qa_body=achievement.qa_responsible_body,
        issuer_country=achievement.issuer.country_code or None,
        awarding_body=achievement.issuer.name,
        awarding_body_id=_awarding_body_id(achievement),
    )


def eu_elements(achievement: Achievement, *, language: str | None = None) -> eu.EuElements:
    """The EU elements OB 3.0 has no property for, as the Mikromerit extension carries them; the texts
    that have a translation are in `language`'s edition (quality assurance texts are only in the primary)."""
    edition = achievement_edition(achievement, language or achievement.in_language)
    credit_points = None
    if achievement.credit_points is not None and achievement.credit_unit:
        credit_points = eu.CreditPoints(
            value=achievement.credit_points,
            unit=CREDIT_UNITS[achievement.credit_unit],
            unit_label=achievement.credit_unit_label or None,
        )
    quality_assurance = eu.QualityAssurance(
        qa_types=tuple(achievement.qa_types),
        internal_process=achievement.qa_internal_process or None,
        external_process=achievement.qa_external_process or None,
        responsible_body=achievement.qa_responsible_body or None,
        responsible_body_url=achievement.qa_responsible_body_url or None,
    )
    stackability = None
    if achievement.stackability:
        towards: tuple[eu.QualificationRef, ...] = ()
        if achievement.counts_towards_url:
            towards = (
                eu.QualificationRef(id=achievement.counts_towards_url, title=achievement.counts_towards or None),
            )
        stackability = eu.Stackability(option=achievement.stackability, counts_towards=towards)
    return eu.EuElements(
        workload_hours=achievement.workload_hours,
        credit_points=credit_points,
        eqf_level=achievement.eqf_level,
        seqf_level=achievement.seqf_level,
        assessment_types=tuple(achievement.assessment_types),
        participation_form=achievement.participation_form or None,
        supervision=achievement.supervision or None,
        quality_assurance=quality_assurance,
        prerequisites=str(edition.prerequisites) or None,
        target_group=str(edition.target_group) or None,
        standalone_value=str(edition.standalone_value) or None,
        occupations=tuple(achievement.occupation_uris),
        stackability=stackability,
        learning_outcomes=tuple(
            eu.LearningOutcome(
                statement=str(item.statement),
                kind=OUTCOME_KINDS.get(item.outcome.kind),
                esco_skill=item.outcome.esco_skill_uri or None,
                assessed_by=item.outcome.uri,
            )
            for item in edition.outcomes
        ),
    )
