"""What every console page of the designer and the quality review shares: the gates (the member, the
achievement of the issuer in the address, the capability the page needs) and the template context."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse

from badges.achievements.access import access_achievement_for_member
from badges.achievements.scorecard_text import ScorecardView, scorecard_view
from badges.achievements.workflow import achievement_scorecard
from badges.models import Achievement, LearningOutcome
from issuers.access import access_membership_for_user
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.errors import ApplicationError

Status = Achievement.Status


# --- gates -----------------------------------------------------------------------------------------------
def console_member(request: HttpRequest, issuer_slug: str, capability: Capability) -> IssuerMember:
    """The signed-in member of the issuer in the address, if they hold `capability` (404 / 403 otherwise)."""
    return access_membership_for_user(request.user, issuer_slug, capability=capability)


def console_achievement(
    request: HttpRequest, issuer_slug: str, public_id: UUID, capability: Capability
) -> tuple[IssuerMember, Achievement]:
    """The member and the achievement, which must belong to the issuer named in the address."""
    member = access_membership_for_user(request.user, issuer_slug)
    achievement = access_achievement_for_member(request.user, str(public_id))
    if achievement.issuer_id != member.issuer_id:
        raise Http404
    if not member.can(capability):
        raise PermissionDenied
    return member, achievement


# --- what pages share ------------------------------------------------------------------------------------
def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def achievement_page_context(member: IssuerMember, achievement: Achievement | None = None,
                             **extra: object) -> dict[str, Any]:
    return {
        "member": member,
        "issuer": member.issuer,
        "achievement": achievement,
        "section": "achievements",
        "can_edit": member.can(Capability.EDIT_ACHIEVEMENTS),
        "can_publish": member.can(Capability.PUBLISH_ACHIEVEMENTS),
        "can_review": member.can(Capability.REVIEW_ACHIEVEMENTS),
        **extra,
    }


def with_outcomes(achievement: Achievement) -> Achievement:
    return (
        Achievement.objects.select_related("issuer", "previous_version", "created_by", "submitted_by")
        .prefetch_related(
            Prefetch("learning_outcomes", LearningOutcome.objects.prefetch_related("rubric_levels")),
        )
        .get(pk=achievement.pk)
    )


def refused(request: HttpRequest, error: ApplicationError) -> None:
    messages.error(request, " ".join([error.message, *error.details]))


def scorecard_for(achievement: Achievement) -> ScorecardView:
    return scorecard_view(achievement_scorecard(achievement=achievement))


def edit_url(member: IssuerMember, achievement: Achievement) -> str:
    return reverse("achievements_console:edit", args=[member.issuer.slug, achievement.public_id])
