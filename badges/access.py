"""Security gate for console work on one achievement: membership of the achievement's issuer decides."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404

from badges.models import Achievement, LearningOutcome
from issuers.access import access_membership_for_user


def access_achievement_for_member(
    user: AbstractBaseUser | AnonymousUser, achievement_public_id: str, *, role: str | None = None
) -> Achievement:
    """404 for unknown achievements and for non-members of its issuer alike; 403 for a missing role."""
    if not user.is_authenticated:
        raise Http404
    try:
        achievement = Achievement.objects.select_related("issuer").filter(public_id=achievement_public_id).first()
    except ValidationError:  # not a UUID
        raise Http404 from None
    if achievement is None:
        raise Http404
    access_membership_for_user(user, achievement.issuer.slug, role=role)
    return achievement


def access_outcome_of_achievement(achievement: Achievement, outcome_public_id: str) -> LearningOutcome:
    """A learning outcome of an achievement the caller already passed a gate for; never one of another."""
    try:
        outcome = LearningOutcome.objects.filter(achievement=achievement, public_id=outcome_public_id).first()
    except ValidationError:  # not a UUID
        raise Http404 from None
    if outcome is None:
        raise Http404
    return outcome
