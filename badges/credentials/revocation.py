"""Revoking a credential, telling its holder, and re-issuing one for a new validity period."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.credentials.events import credential_event_record
from badges.credentials.issuing import credential_issue
from badges.credentials.status_lists import status_list_set_revoked, status_list_sign
from badges.credentials.verdict_cache import verdict_cache_forget
from badges.credentials.webhook_events import credential_webhook_emit
from badges.models import Credential, CredentialEvent
from issuers.access import capability_check
from issuers.audit import AuditKind, issuer_audit_record
from issuers.roles import Capability
from issuers.signing import NoActiveSigningKey
from kernel.errors import ApplicationError
from notifications.sending import notice_send
from webhooks.events import EventType

if TYPE_CHECKING:
    from kernel.users import User

logger = logging.getLogger(__name__)


REASON_MAX_LENGTH = 1000


def _check_manager(credential: Credential, by: User) -> None:
    capability_check(issuer_id=credential.issuer_id, user=by, capability=Capability.MANAGE_CREDENTIALS)


# --- Revoking ------------------------------------------------------------------------------------------
def credential_revoke(*, credential: Credential, by: User, reason: str) -> Credential:
    """Revoke an issued credential: record why, set its bit in the issuer's status list, re-sign the list
    and tell the learner. Its page says so at once (its stored verdict is dropped); verifiers and visitors
whose copy came from a cache see it within settings.PUBLIC_CACHE_SECONDS (a minute)."""
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
        issuer_audit_record(issuer_id=credential.issuer_id, kind=AuditKind.CREDENTIAL_REVOKED, by=by,
                            subject=credential.recipient_email, credential=str(credential.public_id), reason=reason)
        credential_revocation_notify(credential_id=credential.pk)  # sent once this commits
        credential_webhook_emit(credential, EventType.CREDENTIAL_REVOKED, revoked_at=now)
    credential.refresh_from_db()
    # Its page's stored verdict would not be believed anyway (it names the list's old version): drop it.
    verdict_cache_forget(credential.pk)
    try:
        status_list_sign(status_list=credential.status_list)
    except NoActiveSigningKey:
        # The bit is stored; the list is signed when it is next served, once the issuer has a key again.
        logger.warning("status list not re-signed: no active key", extra={"credential_id": credential.pk})
    logger.info("credential revoked", extra={"credential_id": credential.pk})
    return credential


def credential_revocation_notify(*, credential_id: int) -> None:
    """Tell the holder, by e-mail in their language, that their credential was revoked and why (the notice is
    rendered now and sent after the commit)."""
    credential = Credential.objects.select_related("issuer", "achievement").get(pk=credential_id)
    if credential.status != Credential.Status.REVOKED:
        return
    notice_send(
        kind="credential_revoked", template="badges/credentials/email/revoked", context={"credential": credential},
        email=credential.recipient_email, fallback_language=credential.achievement.in_language or None,
    )


# --- Re-issuing ----------------------------------------------------------------------------------------
def credential_reissue(*, credential: Credential, by: User) -> Credential:
    """Issue the same achievement to the same person again, for a new validity period. The award date
    stays the original one, and the new credential points at the one it renews.

    Once only: the original row is locked while its renewals are counted, and a unique constraint on
    live renewals (Credential.Meta) settles a race the lock cannot see (two databases' isolation differs).
    """
    _check_manager(credential, by)
    try:
        with transaction.atomic():
            locked = Credential.objects.select_for_update().get(pk=credential.pk)
            if locked.status != Credential.Status.ISSUED:
                raise ApplicationError(
                    "not_reissuable", _("Only an issued credential that is not revoked can be issued again.")
                )
            if locked.renewals.exclude(status=Credential.Status.FAILED).exists():
                raise _already_reissued()
            renewal = credential_issue(
                achievement=locked.achievement,
                recipient_email=locked.recipient_email,
                recipient_name=locked.recipient_name or None,
                issued_by=by,
                results=locked.results,
                evidence=locked.evidence,
                recipient_did=locked.recipient_did,
                replaces=locked,
            )
            credential_event_record(
                credential=locked, kind=CredentialEvent.Kind.REISSUED, actor=by, renewal=str(renewal.public_id)
            )
            issuer_audit_record(issuer_id=locked.issuer_id, kind=AuditKind.CREDENTIAL_REISSUED, by=by,
                                subject=locked.recipient_email, credential=str(locked.public_id),
                                renewal=str(renewal.public_id))
    except IntegrityError:
        raise _already_reissued() from None
    return renewal


def _already_reissued() -> ApplicationError:
    return ApplicationError("already_reissued", _("This credential has already been issued again."))
