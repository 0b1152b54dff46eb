"""E-mails that put an application in an assessor's queue: submitted or sent again (to each assessor of
the issuer) and approved once where a second approval is required (to the assessors who may give it).

"Work waiting for you" notices (can_wait=True: the daily digest gathers them for those who chose it), each
in the recipient's language. The learner is never told as an assessor, even if they are one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from assessment.models import Application, Submission
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.public_urls import public_url
from notifications.sending import notice_send

if TYPE_CHECKING:
    from kernel.users import User


def _assessors_notify(application: Application, *, template: str, skip: set[int], **context: object) -> None:
    issuer = application.achievement.issuer
    assessors = (
        IssuerMember.objects.filter(IssuerMember.capability_filter(Capability.ASSESS_APPLICATIONS), issuer=issuer)
        .exclude(user_id__in=[user_id for user_id in {application.learner_id, *skip} if user_id is not None])
        .select_related("user")
        .order_by("pk")
    )
    context = {
        "application": application,
        "achievement": application.achievement,
        "issuer": issuer,
        "assess_url": public_url(reverse("assessment:assess", args=[issuer.slug, application.public_id])),
        "queue_url": public_url(reverse("assessment:queue", args=[issuer.slug])),
        **context,
    }
    for member in assessors:
        notice_send(
            kind=f"application_{template}", template=f"assessment/email/{template}", context=context,
            user=member.user, can_wait=True,
        )


def assessors_notify_submitted(application: Application, *, submission: Submission) -> None:
    """A round waits for its first assessment: tell every assessor of the issuer."""
    _assessors_notify(application, template="assessment_waiting", skip=set(), submission=submission)


def assessors_notify_second_approval(application: Application, *, first_approver: User) -> None:
    """One approval is in and the policy wants another: tell the assessors who may give it."""
    _assessors_notify(
        application, template="second_approval_waiting", skip={first_approver.pk},
        first_approver=first_approver.get_full_name() or first_approver.get_username(),
    )
