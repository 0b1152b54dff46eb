"""Editing a draft's learning outcomes and badge image: the designer's steps beyond `achievement_update`.

The same rules as badges.achievement_services: owners and designers only, drafts only, one audit event
per change, and the row locked while it changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from badges import images
from badges.achievement_services import (
    RubricLevelInput,
    _check_role,
    _lock,
    achievement_audit_record,
    achievement_check_editable,
)
from badges.errors import ApplicationError
from badges.image_uploads import BadgeImage
from badges.models import (
    Achievement,
    AchievementAuditEvent,
    AchievementTranslation,
    LearningOutcome,
    LearningOutcomeTranslation,
    RubricLevel,
    RubricLevelTranslation,
)
from issuers.models import Role

Kind = AchievementAuditEvent.Kind
EDITORS = {Role.OWNER, Role.DESIGNER}


def _check_editor(achievement: Achievement, by: AbstractBaseUser) -> Achievement:
    locked = _lock(achievement)
    _check_role(locked, by, EDITORS)
    achievement_check_editable(locked)
    return locked


def _renumber(achievement: Achievement) -> None:
    for position, outcome in enumerate(achievement.learning_outcomes.order_by("position", "pk")):
        if outcome.position != position:
            outcome.position = position
            outcome.save(update_fields=["position"])


@transaction.atomic
def achievement_outcome_update(
    *,
    outcome: LearningOutcome,
    by: AbstractBaseUser,
    statement: str,
    kind: str = "",
    esco_skill_uri: str = "",
    assessment_criteria: str = "",
    rubric_levels: Sequence[RubricLevelInput] = (),
) -> LearningOutcome:
    """Change an outcome of a draft; its rubric is replaced by `rubric_levels` (lowest level first)."""
    locked = _check_editor(outcome.achievement, by)
    outcome = LearningOutcome.objects.get(pk=outcome.pk, achievement=locked)
    outcome.statement, outcome.kind = statement, kind
    outcome.esco_skill_uri, outcome.assessment_criteria = esco_skill_uri, assessment_criteria
    outcome.full_clean()
    outcome.save(update_fields=["statement", "kind", "esco_skill_uri", "assessment_criteria"])
    # The rubric is replaced; a level whose name stays the same keeps its translations.
    kept_translations = {
        level.name: list(level.translations.all()) for level in outcome.rubric_levels.prefetch_related("translations")
    }
    outcome.rubric_levels.all().delete()
    RubricLevel.objects.bulk_create(
        RubricLevel(
            outcome=outcome,
            position=position,
            name=level.name,
            description=level.description,
            is_pass_level=level.is_pass_level,
        )
        for position, level in enumerate(rubric_levels)
    )
    RubricLevelTranslation.objects.bulk_create(
        RubricLevelTranslation(level=level, language=row.language, name=row.name, description=row.description)
        for level in outcome.rubric_levels.all()
        for row in kept_translations.get(level.name, ())
    )
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, outcome_changed=str(outcome.public_id))
    return outcome


@transaction.atomic
def achievement_outcome_remove(*, outcome: LearningOutcome, by: AbstractBaseUser) -> None:
    locked = _check_editor(outcome.achievement, by)
    public_id = str(outcome.public_id)
    LearningOutcome.objects.filter(pk=outcome.pk, achievement=locked).delete()
    _renumber(locked)
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, outcome_removed=public_id)


@transaction.atomic
def achievement_outcome_move(*, outcome: LearningOutcome, by: AbstractBaseUser, offset: int) -> None:
    """Move an outcome `offset` places up (negative) or down the list; the ends stay where they are."""
    locked = _check_editor(outcome.achievement, by)
    _renumber(locked)
    ordered = list(locked.learning_outcomes.order_by("position", "pk"))
    index = next(i for i, item in enumerate(ordered) if item.pk == outcome.pk)
    target = max(0, min(len(ordered) - 1, index + offset))
    if target == index:
        return
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
    achievement_audit_record(
        achievement=locked, kind=Kind.UPDATED, actor=by, outcome_moved=str(outcome.public_id), position=target + 1
    )


def _file_name(achievement: Achievement, extension: str) -> str:
    # A fresh name each time: earlier versions of the achievement may still share the previous file.
    return f"{achievement.public_id}-{uuid.uuid4().hex[:8]}.{extension}"


@transaction.atomic
def achievement_image_set(*, achievement: Achievement, by: AbstractBaseUser, image: BadgeImage) -> Achievement:
    """Use an uploaded (already checked) image; an SVG upload keeps the sanitised SVG for SVG baking."""
    locked = _check_editor(achievement, by)
    locked.image.save(_file_name(locked, "png"), ContentFile(image.png), save=False)
    svg = image.svg if image.svg is not None else images.svg_wrapping_png(image.png, locked.name)
    locked.image_svg.save(_file_name(locked, "svg"), ContentFile(svg), save=False)
    locked.save(update_fields=["image", "image_svg", "updated_at"])
    achievement_audit_record(
        achievement=locked, kind=Kind.UPDATED, actor=by, fields=["image"], image="svg" if image.svg else "png"
    )
    return locked


@transaction.atomic
def achievement_image_generate(*, achievement: Achievement, by: AbstractBaseUser) -> Achievement:
    """Draw the default badge again from the current title and colour."""
    locked = _check_editor(achievement, by)
    locked.image.save(
        _file_name(locked, "png"), ContentFile(images.default_badge_png(locked.name, locked.colour)), save=False
    )
    locked.image_svg.save(
        _file_name(locked, "svg"), ContentFile(images.default_badge_svg(locked.name, locked.colour)), save=False
    )
    locked.save(update_fields=["image", "image_svg", "updated_at"])
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, fields=["image"], image="generated")
    return locked


# --- the second language -------------------------------------------------------------------------------
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


def _set_or_clear(model: type, owner: dict, language: str, **texts: str) -> None:
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
    by: AbstractBaseUser,
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
    locked = _check_editor(achievement, by)
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
def achievement_translation_remove(*, achievement: Achievement, by: AbstractBaseUser, language: str) -> None:
    """Remove a draft's texts in `language`, outcomes and rubric levels included."""
    locked = _check_editor(achievement, by)
    _check_translation_language(locked, language)
    AchievementTranslation.objects.filter(achievement=locked, language=language).delete()
    LearningOutcomeTranslation.objects.filter(outcome__achievement=locked, language=language).delete()
    RubricLevelTranslation.objects.filter(level__outcome__achievement=locked, language=language).delete()
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, translation_removed=language)
