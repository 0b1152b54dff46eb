"""Micro-credential definitions: editing drafts and the quality review that publishes them.

    draft ──submit──► in_review ──approve──► approved ──publish──► published
      ▲                  │                                            │
      └─request changes──┘                        new version (a copy, as a draft, version + 1)

Only drafts change. A published achievement is never edited, because credentials already signed
point at it; `achievement_new_version` starts its successor instead. Every step is recorded in the
append-only `AchievementAuditEvent`. Each service checks first (role, status, scorecard) and only
then changes anything, in one transaction with the achievement row locked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from badges import adapters
from badges.errors import ApplicationError
from badges.models import (
    Achievement,
    AchievementAuditEvent,
    AchievementTranslation,
    ExternalReview,
    LearningOutcome,
    LearningOutcomeTranslation,
    RubricLevel,
    RubricLevelTranslation,
)
from badges.services import achievement_images_ensure
from issuers.models import IssuerMember, Role
from ob3.scorecard import Scorecard, scorecard

Status = Achievement.Status
Kind = AchievementAuditEvent.Kind

# The definition fields a draft's editors may change; everything else moves only through the workflow.
EDITABLE_FIELDS = frozenset({
    "name", "description", "criteria_narrative", "in_language", "human_code", "field_of_study", "colour",
    "image_alt", "target_group", "standalone_value", "occupation_uris", "workload_hours", "credit_points",
    "credit_unit", "credit_unit_label", "eqf_level", "seqf_level", "level_not_applicable", "assessment_types",
    "participation_form", "supervision", "prerequisites", "validity_months", "qa_types", "qa_internal_process",
    "qa_external_process", "qa_responsible_body", "qa_responsible_body_url", "stackability", "counts_towards",
    "counts_towards_url",
})


@dataclass(frozen=True)
class RubricLevelInput:
    name: str
    description: str = ""
    is_pass_level: bool = False


def achievement_audit_record(
    *, achievement: Achievement, kind: str, actor: AbstractBaseUser | None = None, comment: str = "", **data: Any
) -> AchievementAuditEvent:
    return AchievementAuditEvent.objects.create(
        achievement=achievement, kind=kind, actor=actor, comment=comment, data=data
    )


def achievement_scorecard(*, achievement: Achievement) -> Scorecard:
    return scorecard(adapters.achievement_definition(achievement))


# --- checks --------------------------------------------------------------------------------------------
def _lock(achievement: Achievement) -> Achievement:
    """Re-read the row under a lock, so two reviewers acting at once cannot both move it on."""
    return Achievement.objects.select_for_update().select_related("issuer").get(pk=achievement.pk)


def _check_role(achievement: Achievement, by: AbstractBaseUser, roles: set[str]) -> None:
    member = IssuerMember.objects.filter(issuer_id=achievement.issuer_id, user_id=by.pk).first()
    if member is None or not any(member.has_role(role) for role in roles):
        labels = ", ".join(sorted(str(Role(role).label) for role in roles))
        raise ApplicationError("forbidden", _("This needs one of these roles: %(roles)s.") % {"roles": labels})


def _check_status(achievement: Achievement, *allowed: str) -> None:
    if achievement.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("Not possible while the achievement is %(status)s.") % {"status": achievement.get_status_display()},
        )


def achievement_check_editable(achievement: Achievement) -> None:
    """The immutability guard: only drafts change. Published ones change by a new version."""
    if achievement.status == Status.PUBLISHED:
        raise ApplicationError(
            "published_is_immutable",
            _("A published achievement cannot be changed. Start a new version instead."),
        )
    _check_status(achievement, Status.DRAFT)


def _set_status(achievement: Achievement, status: str, *extra_fields: str) -> None:
    achievement.status = status
    achievement.save(update_fields=["status", *extra_fields, "updated_at"])


# --- editing drafts ------------------------------------------------------------------------------------
@transaction.atomic
def achievement_update(*, achievement: Achievement, by: AbstractBaseUser, changes: Mapping[str, Any]) -> Achievement:
    """Change definition fields of a draft (owner or designer). Unknown or workflow fields are refused."""
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    locked = _lock(achievement)
    _check_role(locked, by, {Role.OWNER, Role.DESIGNER})
    achievement_check_editable(locked)
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.full_clean()
    locked.save(update_fields=[*changes, "updated_at"])
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, fields=sorted(changes))
    return locked


@transaction.atomic
def achievement_outcome_add(
    *,
    achievement: Achievement,
    by: AbstractBaseUser,
    statement: str,
    kind: str = "",
    esco_skill_uri: str = "",
    assessment_criteria: str = "",
    rubric_levels: Sequence[RubricLevelInput] = (),
) -> LearningOutcome:
    """Add a learning outcome, with its rubric (lowest level first), at the end of a draft's list."""
    locked = _lock(achievement)
    _check_role(locked, by, {Role.OWNER, Role.DESIGNER})
    achievement_check_editable(locked)
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
    for position, level in enumerate(rubric_levels):
        RubricLevel.objects.create(
            outcome=outcome,
            position=position,
            name=level.name,
            description=level.description,
            is_pass_level=level.is_pass_level,
        )
    achievement_audit_record(achievement=locked, kind=Kind.UPDATED, actor=by, outcome_added=str(outcome.public_id))
    return outcome


# --- the review workflow -------------------------------------------------------------------------------
@transaction.atomic
def achievement_submit_for_review(*, achievement: Achievement, by: AbstractBaseUser) -> Achievement:
    """Send a draft to quality review. Refused, with everything still missing, unless the scorecard passes."""
    locked = _lock(achievement)
    _check_role(locked, by, {Role.OWNER, Role.DESIGNER})
    achievement_check_editable(locked)
    card = achievement_scorecard(achievement=locked)
    if not card.publishable:
        missing = tuple(message.text for criterion in card.criteria for message in criterion.missing)
        raise ApplicationError(
            "not_publishable",
            _("The definition is not complete yet. Still missing:"),
            details=missing,
        )
    locked.submitted_by = by
    _set_status(locked, Status.IN_REVIEW, "submitted_by")
    achievement_audit_record(achievement=locked, kind=Kind.SUBMITTED, actor=by)
    return locked


def _check_not_author(achievement: Achievement, by: AbstractBaseUser) -> None:
    # Four eyes: whoever wrote or submitted the definition cannot also be its quality reviewer.
    if by.pk in {achievement.created_by_id, achievement.submitted_by_id}:
        raise ApplicationError(
            "own_work", _("You wrote or submitted this definition, so someone else has to review it.")
        )


@transaction.atomic
def achievement_review_approve(*, achievement: Achievement, by: AbstractBaseUser, comment: str = "") -> Achievement:
    locked = _lock(achievement)
    _check_role(locked, by, {Role.QA_REVIEWER})
    _check_status(locked, Status.IN_REVIEW)
    _check_not_author(locked, by)
    _set_status(locked, Status.APPROVED)
    achievement_audit_record(achievement=locked, kind=Kind.APPROVED, actor=by, comment=comment)
    return locked


@transaction.atomic
def achievement_review_request_changes(
    *, achievement: Achievement, by: AbstractBaseUser, comment: str
) -> Achievement:
    """Send it back to draft; the comment says what to change, so it is required."""
    if not comment.strip():
        raise ApplicationError("comment_required", _("Say what should be changed."))
    locked = _lock(achievement)
    _check_role(locked, by, {Role.QA_REVIEWER})
    _check_status(locked, Status.IN_REVIEW, Status.APPROVED)
    _set_status(locked, Status.DRAFT)
    achievement_audit_record(achievement=locked, kind=Kind.CHANGES_REQUESTED, actor=by, comment=comment)
    return locked


@transaction.atomic
def achievement_external_review_record(
    *,
    achievement: Achievement,
    by: AbstractBaseUser,
    reviewer: str,
    body: str,
    date: date,
    statement: str,
) -> ExternalReview:
    """Record what an external reviewer concluded. It adds evidence and changes no definition field,
    so it is allowed in every status, also after publishing."""
    locked = _lock(achievement)
    _check_role(locked, by, {Role.OWNER, Role.QA_REVIEWER})
    review = ExternalReview(
        achievement=locked, reviewer=reviewer, body=body, reviewed_on=date, statement=statement, recorded_by=by
    )
    review.full_clean()
    review.save()
    achievement_audit_record(
        achievement=locked,
        kind=Kind.EXTERNAL_REVIEW,
        actor=by,
        comment=statement,
        reviewer=reviewer,
        body=body,
        date=date.isoformat(),
    )
    return review


@transaction.atomic
def achievement_publish(*, achievement: Achievement, by: AbstractBaseUser) -> Achievement:
    locked = _lock(achievement)
    _check_role(locked, by, {Role.OWNER, Role.QA_REVIEWER})
    _check_status(locked, Status.APPROVED)
    _set_status(locked, Status.PUBLISHED)
    achievement_audit_record(achievement=locked, kind=Kind.PUBLISHED, actor=by, version=locked.version)
    return locked


# --- versions ------------------------------------------------------------------------------------------
_NOT_COPIED = {
    "id", "public_id", "status", "version", "previous_version", "created_by", "submitted_by", "created_at",
    "updated_at", "image", "image_svg",
}
_TRANSLATED_FIELDS = (
    "language", "name", "description", "criteria_narrative", "target_group", "standalone_value", "prerequisites",
    "image_alt",
)


@transaction.atomic
def achievement_new_version(*, achievement: Achievement, by: AbstractBaseUser) -> Achievement:
    """A draft copy of a published achievement (outcomes, rubrics and translations included) as version + 1.

    Credentials keep pointing at the version they were issued for. One successor per version: the
    unique constraint on `previous_version` settles a race between two people starting one.
    """
    locked = _lock(achievement)
    _check_role(locked, by, {Role.OWNER, Role.DESIGNER})
    _check_status(locked, Status.PUBLISHED)
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
    outcomes = locked.learning_outcomes.prefetch_related("translations", "rubric_levels__translations")
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
        for level in outcome.rubric_levels.all():
            new_level = RubricLevel.objects.create(
                outcome=new_outcome,
                position=level.position,
                name=level.name,
                description=level.description,
                is_pass_level=level.is_pass_level,
            )
            RubricLevelTranslation.objects.bulk_create(
                RubricLevelTranslation(
                    level=new_level, language=row.language, name=row.name, description=row.description
                )
                for row in level.translations.all()
            )
    achievement_images_ensure(achievement=copy)
    achievement_audit_record(achievement=locked, kind=Kind.NEW_VERSION, actor=by, next=str(copy.public_id))
    achievement_audit_record(
        achievement=copy, kind=Kind.CREATED, actor=by, previous=str(locked.public_id), version=copy.version
    )
    return copy
