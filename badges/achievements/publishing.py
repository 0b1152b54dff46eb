"""Publishing an approved definition, and starting the next version of a published one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from badges.achievements.drafting import achievement_images_ensure
from badges.achievements.outcomes import RubricLevelInput, rubric_levels_create
from badges.achievements.workflow import (
    Kind,
    Status,
    achievement_audit_record,
    achievement_lock,
    achievement_status_check,
    achievement_status_set,
)
from badges.models import (
    Achievement,
    AchievementTranslation,
    LearningOutcome,
    LearningOutcomeTranslation,
    RubricLevelTranslation,
)
from issuers.roles import Capability
from kernel.errors import ApplicationError


@transaction.atomic
def achievement_publish(*, achievement: Achievement, by: User) -> Achievement:
    locked = achievement_lock(achievement, by=by, capability=Capability.PUBLISH_ACHIEVEMENTS)
    achievement_status_check(locked, Status.APPROVED)
    achievement_status_set(locked, Status.PUBLISHED)
    achievement_audit_record(achievement=locked, kind=Kind.PUBLISHED, actor=by, version=locked.version)
    return locked


_NOT_COPIED = {
    "id", "public_id", "status", "version", "previous_version", "created_by", "submitted_by", "created_at",
    "updated_at", "image", "image_svg",
}
_TRANSLATED_FIELDS = (
    "language", "name", "description", "criteria_narrative", "target_group", "standalone_value", "prerequisites",
    "image_alt",
)

if TYPE_CHECKING:
    from kernel.users import User


@transaction.atomic
def achievement_new_version(*, achievement: Achievement, by: User) -> Achievement:
    """A draft copy of a published achievement (outcomes, rubrics and translations included) as version + 1.

    Credentials keep pointing at the version they were issued for. One successor per version: the
    unique constraint on `previous_version` settles a race between two people starting one.
    """
    locked = achievement_lock(achievement, by=by, capability=Capability.EDIT_ACHIEVEMENTS)
    achievement_status_check(locked, Status.PUBLISHED)
    if locked.next_versions.exists():
        raise ApplicationError("has_next_version", _("A newer version of this achievement already exists."))
    copy = Achievement(
        **{
            field.attname: getattr(locked, field.attname)
            for field in Achievement._meta.concrete_fields
            if field.name not in _NOT_COPIED
        },
        version=locked.version + 1,
        previous_version=locked,
        created_by=by,
    )
    # The copy shares the image files; a new upload replaces them for the copy only.
    copy.image, copy.image_svg = locked.image.name, locked.image_svg.name
    copy.save()
    AchievementTranslation.objects.bulk_create(
        AchievementTranslation(
            achievement=copy,
            **{field: getattr(row, field) for field in _TRANSLATED_FIELDS},
        )
        for row in locked.translations.all()
    )
    _outcomes_copy(locked, copy)
    achievement_images_ensure(achievement=copy)
    achievement_audit_record(achievement=locked, kind=Kind.NEW_VERSION, actor=by, next=str(copy.public_id))
    achievement_audit_record(
        achievement=copy, kind=Kind.CREATED, actor=by, previous=str(locked.public_id), version=copy.version
    )
    return copy


def _outcomes_copy(source: Achievement, copy: Achievement) -> None:
    """Each learning outcome of `source`, with its rubric and the translations of both, onto `copy`."""
    outcomes = source.learning_outcomes.prefetch_related("translations", "rubric_levels__translations")
    for outcome in outcomes:
        new_outcome = LearningOutcome.objects.create(
            achievement=copy,
            position=outcome.position,
            statement=outcome.statement,
            kind=outcome.kind,
            esco_skill_uri=outcome.esco_skill_uri,
            assessment_criteria=outcome.assessment_criteria,
        )
        LearningOutcomeTranslation.objects.bulk_create(
            LearningOutcomeTranslation(
                outcome=new_outcome, language=row.language, statement=row.statement,
                assessment_criteria=row.assessment_criteria,
            )
            for row in outcome.translations.all()
        )
        levels = list(outcome.rubric_levels.all())
        copies = rubric_levels_create(outcome=new_outcome, levels=[
            RubricLevelInput(name=level.name, description=level.description, is_pass_level=level.is_pass_level)
            for level in levels
        ])
        RubricLevelTranslation.objects.bulk_create(
            RubricLevelTranslation(level=new_level, language=row.language, name=row.name, description=row.description)
            for level, new_level in zip(levels, copies, strict=True)
            for row in level.translations.all()
        )
