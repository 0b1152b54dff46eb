"""Security gates for console work on one achievement: membership of the achievement's issuer decides."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from badges.models import Achievement, LearningOutcome
from issuers.access import access_membership_for_user
from issuers.roles import Capability
from kernel.lookups import first_or_404

if TYPE_CHECKING:
    from kernel.users import AnyUser


def access_achievement_for_member(
    user: AnyUser, achievement_public_id: str, *, capability: Capability | None = None
) -> Achievement:
    """404 for unknown achievements and for non-members of its issuer alike; 403 without the capability."""
    if not user.is_authenticated:
        raise Http404
    achievement = first_or_404(Achievement.objects.select_related("issuer"), public_id=achievement_public_id)
    access_membership_for_user(user, achievement.issuer.slug, capability=capability)
    return achievement


def access_outcome_of_achievement(achievement: Achievement, outcome_public_id: str) -> LearningOutcome:
    """A learning outcome of an achievement the caller already passed a gate for; never one of another."""
    return first_or_404(LearningOutcome.objects.filter(achievement=achievement), public_id=outcome_public_id)
