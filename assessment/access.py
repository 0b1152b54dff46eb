"""The security gates for applications, evidence and direct awards. Every view reaches them through these.

Whoever may not see something gets the same 404 as for something that does not exist, so the gates never
confirm that an application or a piece of evidence is there. Evidence is private to the learner, the
mentors they invited (while the application is a draft) and the assessors of the achievement's issuer
(once it has been submitted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404

from assessment.models import Application, AwardBatch, Evidence
from badges.models import Achievement
from issuers.access import access_membership_for_user
from issuers.models import IssuerMember
from issuers.roles import Capability
from kernel.lookups import first_or_404

if TYPE_CHECKING:
    from kernel.users import AnyUser, User


def _signed_in(user: AnyUser) -> User:
    """The user, once known to be signed in and active; 404 for anyone else."""
    if not user.is_authenticated or not user.is_active:
        raise Http404
    return user


def access_achievement_to_apply_for(user: AnyUser, achievement_public_id: str) -> Achievement:
    """Any signed-in person may apply for a published achievement."""
    _signed_in(user)
    achievements = Achievement.objects.select_related("issuer").filter(status=Achievement.Status.PUBLISHED)
    return first_or_404(achievements, public_id=achievement_public_id)


def access_application_for_learner(user: AnyUser, application_public_id: str) -> Application:
    user = _signed_in(user)
    applications = Application.objects.select_related("achievement__issuer", "credential")
    return first_or_404(applications, public_id=application_public_id, learner=user)


def access_application_for_mentor(user: AnyUser, application_public_id: str) -> Application:
    """A mentor reads (and comments on) an application only while the learner is still working on it."""
    user = _signed_in(user)
    applications = Application.objects.select_related("achievement__issuer", "learner").filter(
        status__in=Application.EDITABLE,
        mentor_invitations__mentor=user,
        mentor_invitations__revoked_at__isnull=True,
    )
    return first_or_404(applications.distinct(), public_id=application_public_id)


def access_assessor_membership(user: AnyUser, issuer_slug: str) -> IssuerMember:
    return access_membership_for_user(user, issuer_slug, capability=Capability.ASSESS_APPLICATIONS)


def access_application_for_assessor(
    user: AnyUser, issuer_slug: str, application_public_id: str
) -> tuple[IssuerMember, Application]:
    """An assessor of the issuer, and an application for one of its achievements that has been submitted."""
    member = access_assessor_membership(user, issuer_slug)
    applications = Application.objects.select_related("achievement__issuer", "learner", "credential").filter(
        achievement__issuer=member.issuer, submitted_at__isnull=False
    )
    return member, first_or_404(applications, public_id=application_public_id)


def access_evidence_file_for_user(user: AnyUser, evidence_public_id: str) -> Evidence:
    """A private evidence file, for its learner, an invited mentor (draft) or an assessor (submitted)."""
    user = _signed_in(user)
    evidence = first_or_404(
        Evidence.objects.select_related("application__achievement__issuer").exclude(file=""),
        public_id=evidence_public_id,
    )
    application = evidence.application
    if application.learner_id == user.pk and evidence.removed_at is None:
        return evidence
    if evidence.submitted and IssuerMember.objects.filter(
        IssuerMember.capability_filter(Capability.ASSESS_APPLICATIONS), issuer=application.achievement.issuer, user=user
    ).exists():
        return evidence
    if (
        evidence.removed_at is None
        and application.status in Application.EDITABLE
        and application.mentor_invitations.filter(mentor=user, revoked_at__isnull=True).exists()
    ):
        return evidence
    raise Http404


def access_public_evidence(share_id: str) -> Evidence:
    """Evidence the learner made public, once it is part of an issued credential; anyone may see it."""
    evidence = Evidence.objects.select_related("application")
    return first_or_404(
        evidence,
        share_id=share_id,
        is_public=True,
        removed_at__isnull=True,
        application__credential__isnull=False,
    )


def access_award_membership(user: AnyUser, issuer_slug: str) -> IssuerMember:
    """Members who may award directly (issuers.roles); other members get 403, everyone else 404."""
    return access_membership_for_user(user, issuer_slug, capability=Capability.AWARD_CREDENTIALS)


def access_award_batch_for_member(
    user: AnyUser, issuer_slug: str, batch_public_id: str
) -> tuple[IssuerMember, AwardBatch]:
    member = access_award_membership(user, issuer_slug)
    batches = AwardBatch.objects.select_related("achievement", "issuer").filter(issuer=member.issuer)
    return member, first_or_404(batches, public_id=batch_public_id)


def access_published_achievement_of_issuer(member: IssuerMember, achievement_public_id: str) -> Achievement:
    """A published achievement of an issuer the caller already passed a gate for."""
    achievements = Achievement.objects.filter(issuer=member.issuer, status=Achievement.Status.PUBLISHED)
    return first_or_404(achievements, public_id=achievement_public_id)
