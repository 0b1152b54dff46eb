"""Mentors: people the learner invites by e-mail to read a draft application and comment on it.

An invitation is a one-time link, kept only as its hash, for a person who signs in with the invited
(verified) address. Mentors read and comment only while the learner can still change the application.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.models import Application, AssessmentAuditEvent, MentorComment, MentorInvitation
from assessment.workflow import application_check_editable, application_check_learner, application_lock, audit_record
from kernel.emails import all_emails, has_verified_email
from kernel.errors import ApplicationError
from kernel.tokens import secret_token, secret_token_hash
from notifications.sending import notice_send

if TYPE_CHECKING:
    from kernel.users import User

Kind = AssessmentAuditEvent.Kind


@transaction.atomic
def mentor_invite(*, application: Application, by: User, email: str) -> MentorInvitation:
    application_check_learner(application, by)
    application = application_lock(application)
    application_check_editable(application)
    email = email.strip().lower()
    if email in all_emails(by):
        raise ApplicationError("self_mentor", _("Invite someone else: this is your own e-mail address."))
    token = secret_token()
    invitation = MentorInvitation.objects.create(
        application=application,
        email=email,
        token_hash=secret_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.MENTOR_INVITATION_DAYS),
    )
    context = {
        "invitation": invitation,
        "application": application,
        "achievement": application.achievement,
        "learner_name": by.get_full_name() or by.email,
        "accept_url": settings.PUBLIC_BASE_URL + reverse("applications:mentor-accept", args=[token]),
    }
    # In the learner's language: they chose whom to invite and know what language they share.
    notice_send(
        kind="mentor_invitation", template="assessment/email/mentor_invitation", context=context, email=email,
        language=translation.get_language(),
    )
    audit_record(
        achievement=application.achievement, application=application, kind=Kind.MENTOR_INVITED, actor=by, email=email
    )
    return invitation


def mentor_invitation_check(*, token: str, user: User, lock: bool = False) -> MentorInvitation:
    """The open invitation behind a link, for a signed-in person with a verified matching address."""
    invitations = MentorInvitation.objects.select_related("application__achievement__issuer", "application__learner")
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the learner.
    invitation = (invitations.select_for_update(of=("self",)) if lock else invitations).filter(
        token_hash=secret_token_hash(token), accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None or not invitation.application.is_editable:
        raise ApplicationError("invalid", _("This invitation link is not valid or has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ApplicationError("expired", _("This invitation has expired. Ask the learner to invite you again."))
    if invitation.application.learner_id == user.pk:
        raise ApplicationError("own_application", _("This is an invitation to your own application."))
    if not has_verified_email(user, invitation.email):
        raise ApplicationError(
            "wrong_email",
            _("This invitation was sent to %(email)s. Sign in with that address, or add and verify it in your account.")
            % {"email": invitation.email},
        )
    return invitation


@transaction.atomic
def mentor_invitation_accept(*, token: str, user: User) -> Application:
    invitation = mentor_invitation_check(token=token, user=user, lock=True)
    invitation.accepted_at = timezone.now()
    invitation.mentor = user
    invitation.save(update_fields=["accepted_at", "mentor"])
    application = invitation.application
    audit_record(achievement=application.achievement, application=application, kind=Kind.MENTOR_JOINED, actor=user)
    return application


@transaction.atomic
def mentor_comment_add(*, application: Application, by: User, body: str) -> MentorComment:
    """A comment by an invited mentor, or the learner's answer; kept with the application."""
    application = application_lock(application)
    application_check_editable(application)
    is_mentor = application.mentor_invitations.filter(mentor=by, revoked_at__isnull=True).exists()
    if not is_mentor and application.learner_id != by.pk:
        raise ApplicationError("not_mentor", _("Only the learner and their mentors can comment."))
    body = body.strip()
    if not body:
        raise ApplicationError("empty_comment", _("Write a comment first."))
    comment = MentorComment.objects.create(application=application, author=by, body=body)
    audit_record(
        achievement=application.achievement, application=application, kind=Kind.MENTOR_COMMENTED, actor=by
    )
    return comment
