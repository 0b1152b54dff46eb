"""Revoking and re-issuing credentials, the issuer's list of what it has issued, and telling the learner."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from badges.errors import ApplicationError
from badges.events import credential_event_record
from badges.models import Credential, CredentialEvent
from badges.services import credential_issue
from badges.status_lists import status_list_set_revoked, status_list_sign
from issuers.access import access_membership_for_user
from issuers.models import Issuer, IssuerMember, Role
from issuers.signing import NoActiveSigningKey

logger = logging.getLogger(__name__)

REASON_MAX_LENGTH = 1000
# Who may revoke and re-issue: the people who award credentials, and the owners.
MANAGING_ROLES = (Role.OWNER, Role.ASSESSOR)


# --- Gates ---------------------------------------------------------------------------------------------
def access_issuer_for_credential_manager(user: AbstractBaseUser | AnonymousUser, issuer_slug: str) -> IssuerMember:
    """404 for non-members and unknown issuers; 403 for members who are neither owner nor assessor."""
    member = access_membership_for_user(user, issuer_slug)
    if not any(member.has_role(role) for role in MANAGING_ROLES):
        raise PermissionDenied
    return member


def access_credential_for_issuer(issuer: Issuer, credential_public_id: str) -> Credential:
    """A credential of an issuer the caller already passed a gate for; never one of another issuer."""
    try:
        credential = (
            Credential.objects.select_related("issuer", "achievement")
            .filter(issuer=issuer, public_id=credential_public_id)
            .first()
        )
    except ValidationError:  # not a UUID
        raise Http404 from None
    if credential is None:
        raise Http404
    return credential


def _check_manager(credential: Credential, by: AbstractBaseUser) -> None:
    member = IssuerMember.objects.filter(issuer_id=credential.issuer_id, user=by).first()
    if member is None or not any(member.has_role(role) for role in MANAGING_ROLES):
        raise ApplicationError("not_allowed", _("Only the issuer's owners and assessors can do this."))


# --- Selectors -----------------------------------------------------------------------------------------
def credential_list_for_issuer(
    *, issuer: Issuer, search: str = "", state: str = "", now: datetime | None = None
) -> QuerySet[Credential]:
    """The issuer's credentials, newest first; `search` matches name, e-mail or achievement,
    `state` is "" (all), "valid", "expired" or "revoked"."""
    now = now or timezone.now()
    credentials = Credential.objects.filter(issuer=issuer).select_related("achievement").order_by("-created_at", "-pk")
    search = search.strip()
    if search:
        credentials = credentials.filter(
            Q(recipient_name__icontains=search) | Q(recipient_email__icontains=search.lower())
            | Q(achievement__name__icontains=search)
        )
    if state == "revoked":
        credentials = credentials.filter(status=Credential.Status.REVOKED)
    elif state == "expired":
        credentials = credentials.filter(status=Credential.Status.ISSUED, valid_until__lte=now)
    elif state == "valid":
        credentials = credentials.filter(status=Credential.Status.ISSUED).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now)
        )
    return credentials


# --- Revoking ------------------------------------------------------------------------------------------
def credential_revoke(*, credential: Credential, by: AbstractBaseUser, reason: str) -> Credential:
    """Revoke an issued credential: record why, set its bit in the issuer's status list, re-sign the list
    and tell the learner. Verifiers see it within the list's cache time (a minute)."""
    from badges.tasks import credential_revocation_notify_task  # tasks import services

    _check_manager(credential, by)
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError("reason_required", _("Write the reason for revoking. The holder and employers see it."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ApplicationError(
            "reason_too_long", _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}
        )
    if credential.status == Credential.Status.REVOKED:
        raise ApplicationError("already_revoked", _("This credential is already revoked."))
    if credential.status != Credential.Status.ISSUED or credential.status_list_id is None:
        raise ApplicationError("not_issued", _("Only an issued credential can be revoked."))

    now = timezone.now()
    with transaction.atomic():
        # Conditional, so two people revoking at once record one revocation.
        revoked = Credential.objects.filter(pk=credential.pk, status=Credential.Status.ISSUED).update(
            status=Credential.Status.REVOKED, revoked_at=now, revocation_reason=reason, updated_at=now
        )
        if not revoked:
            raise ApplicationError("already_revoked", _("This credential is already revoked."))
        status_list_set_revoked(status_list_id=credential.status_list_id, index=credential.status_list_index)
        credential_event_record(credential=credential, kind=CredentialEvent.Kind.REVOKED, actor=by, reason=reason)
        transaction.on_commit(lambda: credential_revocation_notify_task.delay(credential.pk))
    credential.refresh_from_db()
    try:
        status_list_sign(status_list=credential.status_list)
    except NoActiveSigningKey:
        # The bit is stored; the list is signed when it is next served, once the issuer has a key again.
        logger.warning("status list not re-signed: no active key", extra={"credential_id": credential.pk})
    logger.info("credential revoked", extra={"credential_id": credential.pk})
    return credential


def credential_revocation_notify(*, credential_id: int) -> None:
    """E-mail the learner that their credential was revoked, and why."""
    credential = Credential.objects.select_related("issuer", "achievement").get(pk=credential_id)
    if credential.status != Credential.Status.REVOKED:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {"credential": credential}
        subject = _("Your micro-credential “%(name)s” has been revoked") % {"name": credential.achievement.name}
        body = render_to_string("badges/verification/email/revoked.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [credential.recipient_email])


# --- Re-issuing ----------------------------------------------------------------------------------------
def credential_reissue(*, credential: Credential, by: AbstractBaseUser) -> Credential:
    """Issue the same achievement to the same person again, for a new validity period. The award date
    stays the original one, and the new credential points at the one it renews."""
    _check_manager(credential, by)
    if credential.status != Credential.Status.ISSUED:
        raise ApplicationError(
            "not_reissuable", _("Only an issued credential that is not revoked can be issued again.")
        )
    renewal_pending = credential.renewals.exclude(status=Credential.Status.FAILED).exists()
    if renewal_pending:
        raise ApplicationError("already_reissued", _("This credential has already been issued again."))
    with transaction.atomic():
        renewal = credential_issue(
            achievement=credential.achievement,
            recipient_email=credential.recipient_email,
            recipient_name=credential.recipient_name or None,
            issued_by=by,
            results=credential.results,
            evidence=credential.evidence,
            recipient_did=credential.recipient_did,
            replaces=credential,
        )
        credential_event_record(
            credential=credential, kind=CredentialEvent.Kind.REISSUED, actor=by, renewal=str(renewal.public_id)
        )
    return renewal
