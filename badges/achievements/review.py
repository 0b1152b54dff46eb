"""Quality review of a definition: submitting it, a reviewer who is not its author approving it or sending
it back, and recording what external reviewers concluded (Kompetenspasset's fifth principle)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from badges.achievements.queue_notices import publishers_notify, reviewers_notify
from badges.achievements.workflow import (
    Kind,
    Status,
    achievement_audit_record,
    achievement_for_editing,
    achievement_lock,
    achievement_scorecard,
    achievement_status_check,
    achievement_status_set,
)
from badges.models import Achievement, ExternalReview
from issuers.roles import Capability
from kernel.errors import ApplicationError

if TYPE_CHECKING:
    from kernel.users import User


@transaction.atomic
def achievement_submit_for_review(*, achievement: Achievement, by: User) -> Achievement:
    """Send a draft to quality review. Refused, with everything still missing, unless the scorecard passes."""
    locked = achievement_for_editing(achievement, by)
    card = achievement_scorecard(achievement=locked)
    if not card.publishable:
        missing = tuple(message.text for criterion in card.criteria for message in criterion.missing)
        raise ApplicationError(
            "not_publishable",
            _("The definition is not complete yet. Still missing:"),
            details=missing,
        )
    locked.submitted_by = by
    achievement_status_set(locked, Status.IN_REVIEW, "submitted_by")
    achievement_audit_record(achievement=locked, kind=Kind.SUBMITTED, actor=by)
    reviewers_notify(locked, by=by)
    return locked


def _check_not_author(achievement: Achievement, by: User) -> None:
    # Four eyes: whoever wrote or submitted the definition cannot also be its quality reviewer.
    if by.pk in {achievement.created_by_id, achievement.submitted_by_id}:
        raise ApplicationError(
            "own_work", _("You wrote or submitted this definition, so someone else has to review it.")
        )


@transaction.atomic
def achievement_review_approve(*, achievement: Achievement, by: User, comment: str = "") -> Achievement:
    locked = achievement_lock(achievement, by=by, capability=Capability.REVIEW_ACHIEVEMENTS)
    achievement_status_check(locked, Status.IN_REVIEW)
    _check_not_author(locked, by)
    achievement_status_set(locked, Status.APPROVED)
    achievement_audit_record(achievement=locked, kind=Kind.APPROVED, actor=by, comment=comment)
    publishers_notify(locked, by=by)
    return locked


@transaction.atomic
def achievement_review_request_changes(
    *, achievement: Achievement, by: User, comment: str
) -> Achievement:
    """Send it back to draft; the comment says what to change, so it is required."""
    if not comment.strip():
        raise ApplicationError("comment_required", _("Say what should be changed."))
    locked = achievement_lock(achievement, by=by, capability=Capability.REVIEW_ACHIEVEMENTS)
    achievement_status_check(locked, Status.IN_REVIEW, Status.APPROVED)
    achievement_status_set(locked, Status.DRAFT)
    achievement_audit_record(achievement=locked, kind=Kind.CHANGES_REQUESTED, actor=by, comment=comment)
    return locked


@transaction.atomic
def achievement_external_review_record(
    *,
    achievement: Achievement,
    by: User,
    reviewer: str,
    body: str,
    date: date,
    statement: str,
) -> ExternalReview:
    """Record what an external reviewer concluded. It adds evidence and changes no definition field,
    so it is allowed in every status, also after publishing."""
    locked = achievement_lock(achievement, by=by, capability=Capability.RECORD_EXTERNAL_REVIEWS)
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
