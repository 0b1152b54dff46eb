"""What the achievements API answers (and the input shapes it documents), and how an achievement becomes
that answer. Input is validated by the designer's own forms (api.achievement_views); these only describe.

The scorecard is the console's: badges.achievements.workflow.achievement_scorecard, in words from
badges.achievements.scorecard_text, so an integrator reads what a designer reads in the console.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from rest_framework import serializers
from rest_framework.request import Request

from badges.achievements.definition_forms import AchievementForm
from badges.achievements.scorecard_text import CRITERIA, FIELDS, message_text
from badges.achievements.workflow import achievement_scorecard
from badges.models import (
    Achievement,
    AssessmentType,
    LearningOutcome,
    QualityAssuranceType,
    RubricLevel,
)
from ob3.scorecard import Criterion

# The definition fields, in the designer's order; the same list the designer's form edits.
DEFINITION_FIELDS: tuple[str, ...] = tuple(AchievementForm.Meta.fields)


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(allow_blank=True, **kwargs)


def _choice(choices: Any, **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=choices, allow_blank=True, **kwargs)


def _level() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=8, allow_null=True)


class AchievementDefinitionSerializer(serializers.Serializer):
    """The fields a draft's editors change (PATCH sends any of them; the others keep their values)."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField()
    criteria_narrative = serializers.CharField(help_text="What the learner must show (Markdown).")
    in_language = serializers.ChoiceField(choices=Achievement.Language.choices)
    human_code = _text(max_length=40)
    field_of_study = _text(max_length=120)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", help_text="A hex colour such as #1f5f8b.")
    image_alt = _text(max_length=300, help_text="The text alternative of the badge image.")
    target_group = _text()
    standalone_value = _text()
    occupation_uris = serializers.ListField(
        child=serializers.URLField(), help_text="ESCO occupation addresses (http://data.europa.eu/esco/occupation/…)."
    )
    workload_hours = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    credit_points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    credit_unit = _choice(Achievement.CreditUnit.choices)
    credit_unit_label = _text(max_length=60, help_text="Only for the unit `other`.")
    eqf_level = _level()
    seqf_level = _level()
    level_not_applicable = serializers.BooleanField()
    assessment_types = serializers.ListField(child=serializers.ChoiceField(choices=AssessmentType.choices))
    participation_form = _choice(Achievement.ParticipationForm.choices)
    supervision = _choice(Achievement.Supervision.choices)
    prerequisites = _text()
    validity_months = serializers.IntegerField(min_value=0, allow_null=True, help_text="Empty: never expires.")
    expiry_reminder_days = serializers.IntegerField(min_value=0, max_value=365)
    qa_types = serializers.ListField(child=serializers.ChoiceField(choices=QualityAssuranceType.choices))
    qa_internal_process = _text()
    qa_external_process = _text()
    qa_responsible_body = _text(max_length=200)
    qa_responsible_body_url = _text(max_length=200)
    stackability = _choice(Achievement.Stackability.choices)
    counts_towards = _text()
    counts_towards_url = _text(max_length=200)


class AchievementCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField()
    criteria_narrative = serializers.CharField()
    in_language = serializers.ChoiceField(choices=Achievement.Language.choices, required=False)
    colour = serializers.RegexField(r"^#[0-9a-fA-F]{6}$", required=False)


class RubricLevelSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=100)
    description = _text(required=False)
    is_pass_level = serializers.BooleanField(required=False)


class LearningOutcomeSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    statement = serializers.CharField()
    kind = serializers.ChoiceField(choices=LearningOutcome.Kind.choices)
    esco_skill_uri = _text(max_length=200, required=False)
    assessment_criteria = _text(required=False)
    rubric_levels = RubricLevelSerializer(many=True, required=False, help_text="Lowest level first; at most 8.")


class LevelTranslationSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The rubric level's id.")
    name = _text(max_length=100)
    description = _text(required=False)


class OutcomeTranslationSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The learning outcome's id.")
    statement = _text()
    assessment_criteria = _text(required=False)
    levels = LevelTranslationSerializer(many=True, required=False)


class TranslationSerializer(serializers.Serializer):
    language = serializers.CharField(read_only=True, help_text="The language of these texts: `sv` or `en`.")
    name = serializers.CharField(max_length=200)
    description = serializers.CharField()
    criteria_narrative = serializers.CharField()
    target_group = _text(required=False)
    standalone_value = _text(required=False)
    prerequisites = _text(required=False)
    image_alt = _text(max_length=300, required=False)
    outcomes = OutcomeTranslationSerializer(
        many=True, required=False,
        help_text="Each outcome's and level's texts; one left out (or empty) shows its primary text.",
    )


class ScorecardMissingSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    field = serializers.CharField(allow_null=True, help_text="The definition field that fixes it, if one does.")


class ScorecardCriterionSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    meaning = serializers.CharField()
    met = serializers.BooleanField()
    missing = ScorecardMissingSerializer(many=True)
    note = serializers.CharField(allow_null=True)


class ScorecardSerializer(serializers.Serializer):
    publishable = serializers.BooleanField(help_text="Every principle and every EU element is met.")
    missing_count = serializers.IntegerField()
    principles = ScorecardCriterionSerializer(many=True, help_text="The six Kompetenspasset principles.")
    eu_elements = ScorecardCriterionSerializer(many=True, help_text="The eleven EU standard elements.")


class AchievementSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    uri = serializers.URLField(help_text="Its Open Badges id: the public page once published.")
    name = serializers.CharField()
    status = serializers.ChoiceField(choices=Achievement.Status.choices)
    version = serializers.IntegerField()
    in_language = serializers.ChoiceField(choices=Achievement.Language.choices)
    human_code = serializers.CharField(allow_blank=True)
    image = serializers.URLField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AchievementSerializer(AchievementSummarySerializer, AchievementDefinitionSerializer):
    achievement_type = serializers.CharField()
    image_svg = serializers.URLField(allow_null=True)
    previous_version = serializers.UUIDField(allow_null=True)
    next_version = serializers.UUIDField(allow_null=True)
    learning_outcomes = LearningOutcomeSerializer(many=True)
    translations = TranslationSerializer(many=True)
    scorecard = ScorecardSerializer()


class AchievementImageSerializer(serializers.Serializer):
    image_upload = serializers.FileField(required=False, help_text="A PNG (≤ 1 MB, ≤ 2048 px) or an SVG (≤ 512 kB).")
    use_generated_image = serializers.BooleanField(required=False, help_text="Draw the badge from title and colour.")


class AchievementImageResultSerializer(serializers.Serializer):
    image = serializers.URLField()
    image_svg = serializers.URLField()
    image_alt = serializers.CharField(allow_blank=True)
    svg_parts_removed = serializers.ListField(
        child=serializers.CharField(), help_text="Parts of an uploaded SVG taken out as unsafe; check the image."
    )


class ReviewDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "request_changes"])
    comment = _text(required=False, help_text="Required when requesting changes: what should change.")


# --- the representation ----------------------------------------------------------------------------------
def achievement_loaded(achievement: Achievement) -> Achievement:
    """The achievement with everything its representation reads, in a fixed number of queries."""
    return (
        Achievement.objects.select_related("issuer", "previous_version")
        .prefetch_related(
            "translations", "next_versions",
            Prefetch("learning_outcomes", LearningOutcome.objects.prefetch_related(
                "translations", Prefetch("rubric_levels", RubricLevel.objects.prefetch_related("translations")),
            )),
        )
        .get(pk=achievement.pk)
    )


def file_url(request: Request, field: Any) -> str | None:
    return request.build_absolute_uri(field.url) if field else None


def achievement_summary_data(request: Request, achievement: Achievement) -> dict[str, Any]:
    return {
        "id": achievement.public_id, "uri": achievement.uri, "name": achievement.name, "status": achievement.status,
        "version": achievement.version, "in_language": achievement.in_language, "human_code": achievement.human_code,
        "image": file_url(request, achievement.image),
        "created_at": achievement.created_at, "updated_at": achievement.updated_at,
    }


def _criterion_data(criterion: Criterion) -> dict[str, Any]:
    name, meaning = CRITERIA.get(criterion.key, (criterion.key, ""))
    return {
        "key": criterion.key, "name": str(name), "meaning": str(meaning), "met": criterion.met,
        "missing": [
            {"key": message.key, "text": message_text(message), "field": FIELDS.get(message.key)}
            for message in criterion.missing
        ],
        "note": message_text(criterion.note) if criterion.note else None,
    }


def scorecard_data(achievement: Achievement) -> dict[str, Any]:
    card = achievement_scorecard(achievement=achievement)
    return {
        "publishable": card.publishable,
        "missing_count": sum(not criterion.met for criterion in card.criteria),
        "principles": [_criterion_data(criterion) for criterion in card.principles],
        "eu_elements": [_criterion_data(criterion) for criterion in card.eu_elements],
    }


def _outcome_data(outcome: LearningOutcome) -> dict[str, Any]:
    return {
        "id": outcome.public_id, "position": outcome.position, "statement": outcome.statement, "kind": outcome.kind,
        "esco_skill_uri": outcome.esco_skill_uri, "assessment_criteria": outcome.assessment_criteria,
        "rubric_levels": [
            {"id": level.public_id, "position": level.position, "name": level.name,
             "description": level.description, "is_pass_level": level.is_pass_level}
            for level in outcome.rubric_levels.all()
        ],
    }


def _translations_data(achievement: Achievement) -> list[dict[str, Any]]:
    rows = []
    for translation in achievement.translations.all():
        if translation.language == achievement.in_language:
            continue  # a row in the primary language itself is ignored everywhere
        language = translation.language
        outcomes = []
        for outcome in achievement.learning_outcomes.all():
            texts = next((row for row in outcome.translations.all() if row.language == language), None)
            levels = [
                {"id": level.public_id, "name": row.name, "description": row.description}
                for level in outcome.rubric_levels.all() for row in level.translations.all() if row.language == language
            ]
            if texts or levels:
                outcomes.append({
                    "id": outcome.public_id, "statement": texts.statement if texts else "",
                    "assessment_criteria": texts.assessment_criteria if texts else "", "levels": levels,
                })
        rows.append({
            "language": language, "name": translation.name, "description": translation.description,
            "criteria_narrative": translation.criteria_narrative, "target_group": translation.target_group,
            "standalone_value": translation.standalone_value, "prerequisites": translation.prerequisites,
            "image_alt": translation.image_alt, "outcomes": outcomes,
        })
    return rows


def achievement_data(request: Request, achievement: Achievement) -> dict[str, Any]:
    """The whole definition as the API answers it: plain JSON (decimals as strings), ready to be stored
    by the idempotency record and hashed into an ETag."""
    achievement = achievement_loaded(achievement)
    following = next(iter(achievement.next_versions.all()), None)
    data = {
        **achievement_summary_data(request, achievement),
        **{name: getattr(achievement, name) for name in DEFINITION_FIELDS},
        "achievement_type": achievement.achievement_type,
        "image_svg": file_url(request, achievement.image_svg),
        "previous_version": achievement.previous_version.public_id if achievement.previous_version else None,
        "next_version": following.public_id if following else None,
        "learning_outcomes": [_outcome_data(outcome) for outcome in achievement.learning_outcomes.all()],
        "translations": _translations_data(achievement),
        "scorecard": scorecard_data(achievement),
    }
    return dict(AchievementSerializer(data).data)
