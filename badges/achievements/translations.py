"""A draft's texts in its second language: the definition, its outcomes and their rubric levels.

What is not translated falls back to the primary language when a page or a credential is shown in the
other one (badges.achievements.editions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from badges.achievements.workflow import Kind, achievement_audit_record, achievement_for_editing
from badges.models import Achievement, AchievementTranslation, LearningOutcomeTranslation, RubricLevelTranslation
from kernel.errors import ApplicationError

if TYPE_CHECKING:
    from kernel.users import User


@dataclass(frozen=True)
class LevelTranslationInput:
    level_id: str  # the rubric level's public_id
    name: str
    description: str = ""


@dataclass(frozen=True)
class OutcomeTranslationInput:
    outcome_id: str  # the learning outcome's public_id
    statement: str
    assessment_criteria: str = ""
    levels: tuple[LevelTranslationInput, ...] = ()


def _check_translation_language(achievement: Achievement, language: str) -> None:
    if language not in Achievement.Language.values or language == achievement.in_language:
        raise ApplicationError(
            "wrong_language",
            _("A translation is for a language other than the one the achievement is written in."),
        )


def _set_or_clear(
    model: type[LearningOutcomeTranslation] | type[RubricLevelTranslation], owner: dict, language: str, **texts: str
) -> None:
    """Save the translation of one outcome or level; an empty main text removes it (it falls back)."""
    main = next(iter(texts.values())).strip()
    if not main:
        model.objects.filter(language=language, **owner).delete()
        return
    model.objects.update_or_create(
        language=language, **owner, defaults={key: value.strip() for key, value in texts.items()}
    )


@transaction.atomic
def achievement_translation_save(
    *,
    achievement: Achievement,
    by: User,
    language: str,
    name: str,
    description: str,
    criteria_narrative: str,
    target_group: str = "",
    standalone_value: str = "",
    prerequisites: str = "",
    image_alt: str = "",
    outcomes: Sequence[OutcomeTranslationInput] = (),
) -> AchievementTranslation:
    """Write a draft's texts in its second language. Outcomes and levels not listed keep what they had;
    an outcome or level given an empty text loses its translation, and its primary text is shown."""
    locked = achievement_for_editing(achievement, by)
    _check_translation_language(locked, language)
    own_outcomes = {
        str(outcome.public_id): outcome for outcome in locked.learning_outcomes.prefetch_related("rubric_levels")
    }
    unknown = [item.outcome_id for item in outcomes if str(item.outcome_id) not in own_outcomes]
    if unknown:
        raise ValueError(f"not outcomes of this achievement: {unknown}")
    translation = AchievementTranslation.objects.filter(achievement=locked, language=language).first()
    translation = translation or AchievementTranslation(achievement=locked, language=language)
    translation.name, translation.description = name.strip(), description.strip()
    translation.criteria_narrative, translation.target_group = criteria_narrative.strip(), target_group.strip()
    translation.standalone_value, translation.prerequisites = standalone_value.strip(), prerequisites.strip()
    translation.image_alt = image_alt.strip()
    translation.full_clean()
    translation.save()
    for item in outcomes:
        outcome = own_outcomes[str(item.outcome_id)]
        _set_or_clear(
            LearningOutcomeTranslation, {"outcome": outcome}, language,
            statement=item.statement, assessment_criteria=item.assessment_criteria,
        )
        own_levels = {str(level.public_id): level for level in outcome.rubric_levels.all()}
        for level_item in item.levels:
            level = own_levels.get(str(level_item.level_id))
            if level is None:
                raise ValueError(f"not a rubric level of this outcome: {level_item.level_id}")
            _set_or_clear(
                RubricLevelTranslation, {"level": level}, language,
                name=level_item.name, description=level_item.description,
            )
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, translation=language)
    return translation


@transaction.atomic
def achievement_translation_remove(*, achievement: Achievement, by: User, language: str) -> None:
    """Remove a draft's texts in `language`, outcomes and rubric levels included."""
    locked = achievement_for_editing(achievement, by)
    _check_translation_language(locked, language)
    AchievementTranslation.objects.filter(achievement=locked, language=language).delete()
    LearningOutcomeTranslation.objects.filter(outcome__achievement=locked, language=language).delete()
    RubricLevelTranslation.objects.filter(level__outcome__achievement=locked, language=language).delete()
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, translation_removed=language)
