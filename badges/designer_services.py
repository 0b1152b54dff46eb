"""Editing a draft's learning outcomes and badge image: the designer's steps beyond `achievement_update`.

The same rules as badges.achievement_services: owners and designers only, drafts only, one audit event
per change, and the row locked while it changes.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import transaction

from badges import images
from badges.achievement_services import (
    RubricLevelInput,
    _check_role,
    _lock,
    achievement_audit_record,
    achievement_check_editable,
)
from badges.image_uploads import BadgeImage
from badges.models import Achievement, AchievementAuditEvent, LearningOutcome, RubricLevel
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
