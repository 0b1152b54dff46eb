"""Who works for an issuer, in which roles: invitations, accepting them, changing roles, removing.

Every change takes a lock on the issuer row first, so two owners acting at once cannot together
remove the last owner.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from issuers.audit import AuditKind, issuer_audit_record
from issuers.errors import MembershipRefused
from issuers.models import Issuer, IssuerInvitation, IssuerMember, Role
from kernel.emails import has_verified_email
from kernel.tokens import secret_token, secret_token_hash
from notifications.sending import notice_send

if TYPE_CHECKING:
    from kernel.users import User

logger = logging.getLogger(__name__)



def _check_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    if not chosen:
        raise MembershipRefused("no_role", _("Choose at least one role."))
    unknown = chosen - set(Role.values)
    if unknown:
        raise MembershipRefused("unknown_role", _("Unknown role: %(roles)s.") % {"roles": ", ".join(sorted(unknown))})
    return chosen


def _lock_issuer(issuer_id: int) -> Issuer:
    return Issuer.objects.select_for_update().get(pk=issuer_id)


def _check_not_last_owner(member: IssuerMember) -> None:
    other_owners = IssuerMember.objects.filter(IssuerMember.role_filter(Role.OWNER), issuer_id=member.issuer_id)
    if not other_owners.exclude(pk=member.pk).exists():
        raise MembershipRefused(
            "last_owner", _("An organisation needs at least one owner. Make someone else an owner first.")
        )


@transaction.atomic
def issuer_member_add(*, issuer: Issuer, user: User, roles: Iterable[str]) -> IssuerMember:
    """Give `user` these roles (on top of any they hold). For set-up and tests; people join by invitation."""
    chosen = _check_roles(roles)
    _lock_issuer(issuer.pk)
    member = IssuerMember.objects.filter(issuer=issuer, user=user).first() or IssuerMember(issuer=issuer, user=user)
    member.set_roles(member.roles | chosen)
    member.save()
    logger.info("issuer member added", extra={"issuer": issuer.slug, "user_id": user.pk, "roles": sorted(chosen)})
    return member


@transaction.atomic
def issuer_member_invite(
    *, issuer: Issuer, invited_by: User, email: str, roles: Iterable[str]
) -> IssuerInvitation:
    """Invite `email` to join with `roles`; a newer invitation to the same address replaces older ones."""
    chosen = _check_roles(roles)
    email = email.strip().lower()
    _lock_issuer(issuer.pk)
    by_email = Q(user__email__iexact=email) | Q(user__emailaddress__email__iexact=email)
    if IssuerMember.objects.filter(by_email, issuer=issuer).exists():
        raise MembershipRefused("already_member", _("%(email)s is already a member.") % {"email": email})
    IssuerInvitation.objects.filter(issuer=issuer, email=email, accepted_at__isnull=True).delete()
    token = secret_token()
    invitation = IssuerInvitation.objects.create(
        issuer=issuer,
        email=email,
        roles=sorted(chosen),
        token_hash=secret_token_hash(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.ISSUER_INVITATION_DAYS),
    )
    # In the inviting owner's language: they know whom they invite.
    accept_url = settings.PUBLIC_BASE_URL + reverse("invitation-accept", args=[token])
    notice_send(
        kind="member_invitation", template="issuers/email/invitation", email=email,
        context={"invitation": invitation, "accept_url": accept_url}, language=translation.get_language(),
    )
    issuer_audit_record(issuer_id=issuer.pk, kind=AuditKind.MEMBER_INVITED, by=invited_by, subject=email,
                        roles=sorted(chosen))
    logger.info("issuer member invited", extra={"issuer": issuer.slug, "invitation_id": invitation.pk})
    return invitation


def issuer_invitation_for_token(token: str, *, lock: bool = False) -> IssuerInvitation | None:
    """The open invitation a link points at, or None if the link is unknown or already used."""
    invitations = IssuerInvitation.objects.filter(token_hash=secret_token_hash(token), accepted_at__isnull=True)
    # Under the lock the database re-checks `accepted_at`, so a link clicked twice at once is used once.
    return (invitations.select_for_update() if lock else invitations.select_related("issuer")).first()


def check_invitation_acceptable(invitation: IssuerInvitation | None, user: User) -> IssuerInvitation:
    if invitation is None:
        raise MembershipRefused("invalid", _("This invitation link is not valid or has already been used."))
    if invitation.expires_at <= timezone.now():
        raise MembershipRefused("expired", _("This invitation has expired. Ask the owner to invite you again."))
    if not has_verified_email(user, invitation.email):
        raise MembershipRefused(
            "wrong_email",
            _(
                "This invitation was sent to another e-mail address. Sign in with that address, or add and "
                "verify it in your account settings."
            ),
        )
    return invitation


@transaction.atomic
def issuer_invitation_accept(*, token: str, user: User) -> IssuerMember:
    invitation = check_invitation_acceptable(issuer_invitation_for_token(token, lock=True), user)
    member = issuer_member_add(issuer=invitation.issuer, user=user, roles=invitation.roles)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    issuer_audit_record(issuer_id=invitation.issuer_id, kind=AuditKind.MEMBER_JOINED, by=user,
                        subject=invitation.email, roles=sorted(invitation.roles))
    logger.info("issuer invitation accepted", extra={"issuer": invitation.issuer.slug, "invitation_id": invitation.pk})
    return member


@transaction.atomic
def issuer_member_roles_set(*, member: IssuerMember, roles: Iterable[str], by: User | None = None) -> IssuerMember:
    chosen = _check_roles(roles)
    _lock_issuer(member.issuer_id)
    member.refresh_from_db()
    before = sorted(member.roles)
    if member.is_owner and Role.OWNER not in chosen:
        _check_not_last_owner(member)
    changed = member.set_roles(chosen)
    if changed:
        member.save(update_fields=changed)
        issuer_audit_record(issuer_id=member.issuer_id, kind=AuditKind.MEMBER_ROLES_CHANGED, by=by,
                            subject=member.user.email, before=before, after=sorted(chosen))
    logger.info("issuer member roles set", extra={"member_id": member.pk, "roles": sorted(chosen)})
    return member


@transaction.atomic
def issuer_member_remove(*, member: IssuerMember, by: User | None = None) -> None:
    _lock_issuer(member.issuer_id)
    member.refresh_from_db()
    if member.is_owner:
        _check_not_last_owner(member)
    roles = sorted(member.roles)
    member.delete()
    issuer_audit_record(issuer_id=member.issuer_id, kind=AuditKind.MEMBER_REMOVED, by=by,
                        subject=member.user.email, roles=roles)
    logger.info("issuer member removed", extra={"issuer_id": member.issuer_id, "user_id": member.user_id})
