"""A draft's learning outcomes and their rubrics (the levels an assessor chooses from, lowest first)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from badges.achievements.workflow import Kind, achievement_audit_record, achievement_for_editing
from badges.models import Achievement, LearningOutcome, RubricLevel, RubricLevelTranslation

if TYPE_CHECKING:
    from kernel.users import User


@dataclass(frozen=True)
class RubricLevelInput:
    name: str
    description: str = ""
    is_pass_level: bool = False


def rubric_levels_create(*, outcome: LearningOutcome, levels: Sequence[RubricLevelInput]) -> list[RubricLevel]:
    """The outcome's rubric, lowest level first; the one way rubric levels are made."""
    return RubricLevel.objects.bulk_create(
        RubricLevel(outcome=outcome, position=position, name=level.name, description=level.description,
                    is_pass_level=level.is_pass_level)
        for position, level in enumerate(levels)
    )


@transaction.atomic
def achievement_outcome_add(
    *,
    achievement: Achievement,
    by: User,
    statement: str,
    kind: str = "",
    esco_skill_uri: str = "",
    assessment_criteria: str = "",
    rubric_levels: Sequence[RubricLevelInput] = (),
) -> LearningOutcome:
    """Add a learning outcome, with its rubric (lowest level first), at the end of a draft's list."""
    locked = achievement_for_editing(achievement, by)
    outcome = LearningOutcome(
        achievement=locked,
        position=locked.learning_outcomes.count(),
        statement=statement,
        kind=kind,
        esco_skill_uri=esco_skill_uri,
        assessment_criteria=assessment_criteria,
    )
    outcome.full_clean()
    outcome.save()
    rubric_levels_create(outcome=outcome, levels=rubric_levels)
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, outcome_added=str(outcome.public_id))
    return outcome


def _renumber(achievement: Achievement) -> None:
    for position, outcome in enumerate(achievement.learning_outcomes.order_by("position", "pk")):
        if outcome.position != position:
            outcome.position = position
            outcome.save(update_fields=["position"])


@transaction.atomic
def achievement_outcome_update(
    *,
    outcome: LearningOutcome,
    by: User,
    statement: str,
    kind: str = "",
    esco_skill_uri: str = "",
    assessment_criteria: str = "",
    rubric_levels: Sequence[RubricLevelInput] = (),
) -> LearningOutcome:
    """Change an outcome of a draft; its rubric is replaced by `rubric_levels` (lowest level first)."""
    locked = achievement_for_editing(outcome.achievement, by)
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
    RubricLevelTranslation.objects.bulk_create(
        RubricLevelTranslation(level=level, language=row.language, name=row.name, description=row.description)
        for level in rubric_levels_create(outcome=outcome, levels=rubric_levels)
        for row in kept_translations.get(level.name, ())
    )
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, outcome_changed=str(outcome.public_id))
    return outcome


@transaction.atomic
def achievement_outcome_remove(*, outcome: LearningOutcome, by: User) -> None:
    locked = achievement_for_editing(outcome.achievement, by)
    public_id = str(outcome.public_id)
    LearningOutcome.objects.filter(pk=outcome.pk, achievement=locked).delete()
    _renumber(locked)
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, outcome_removed=public_id)


@transaction.atomic
def achievement_outcome_move(*, outcome: LearningOutcome, by: User, offset: int) -> None:
    """Move an outcome `offset` places up (negative) or down the list; the ends stay where they are."""
    locked = achievement_for_editing(outcome.achievement, by)
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
