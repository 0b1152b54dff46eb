"""E-mails that put a definition in someone's queue: submitted for quality review (to each reviewer but
its author) and approved (to each member who may publish it, but the approver).

They are "work waiting for you" notices (can_wait=True): people who chose the daily digest get them there.
Each goes in the recipient's own language (notice_send with user=…).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from badges.models import Achievement
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.public_urls import public_url
from notifications.sending import notice_send

if TYPE_CHECKING:
    from kernel.users import User


def members_who_can(achievement: Achievement, capability: Capability) -> list[IssuerMember]:
    """The issuer's members whose roles grant `capability`, with their accounts, in a stable order."""
    return list(
        IssuerMember.objects.filter(IssuerMember.capability_filter(capability), issuer_id=achievement.issuer_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email", "pk")
    )


def _queue_notify(achievement: Achievement, *, capability: Capability, skip: set[int | None], template: str,
                  by: User) -> None:
    context = {
        "achievement": achievement,
        "issuer": achievement.issuer,
        "by": by.get_full_name() or by.get_username(),
        "achievement_url": public_url(
            reverse("achievements_console:detail", args=[achievement.issuer.slug, achievement.public_id])
        ),
        "queue_url": public_url(reverse("achievements_console:review-queue", args=[achievement.issuer.slug])),
    }
    for member in members_who_can(achievement, capability):
        if member.user_id in skip:
            continue
        notice_send(
            kind=f"achievement_{template}", template=f"badges/achievements/email/{template}", context=context,
            user=member.user, can_wait=True,
        )


def reviewers_notify(achievement: Achievement, *, by: User) -> None:
    """A definition waits for quality review: tell each reviewer who is allowed to review it (four eyes)."""
    _queue_notify(
        achievement, capability=Capability.REVIEW_ACHIEVEMENTS, template="review_waiting", by=by,
        skip={achievement.created_by_id, achievement.submitted_by_id},
    )


def publishers_notify(achievement: Achievement, *, by: User) -> None:
    """An approved definition waits to be published: tell each member who may publish, but the approver."""
    _queue_notify(
        achievement, capability=Capability.PUBLISH_ACHIEVEMENTS, template="publish_waiting", by=by, skip={by.pk}
    )
