"""Telling a recipient about their credential and letting them take it into their wallet (claim it).

Once a credential is signed (signing.py, its ISSUED step) the recipient gets one e-mail with a
single-use link /claim/<token>; only an account that has the address verified may claim it. A renewal of
a credential its holder already claimed is claimed for them at once, and they are told it was renewed.
Only the token's hash is stored (kernel.tokens); sending a new link replaces it, so the old one stops
working.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from badges.credentials.events import credential_event_record
from badges.credentials.webhook_events import credential_webhook_emit
from badges.models import Credential, CredentialClaim, CredentialEvent
from issuers.access import capability_check
from issuers.roles import Capability
from kernel.emails import has_verified_email, verified_emails
from kernel.errors import ApplicationError
from kernel.tokens import secret_token, secret_token_hash
from notifications.sending import notice_send, notices_send_to_addresses
from webhooks.events import EventType

if TYPE_CHECKING:
    from kernel.users import AnyUser, User

CLAIM_NOTICE_KIND = "credential_claim"
RENEWED_NOTICE_KIND = "credential_renewed"
# A recipient asking for a new link again and again gets one e-mail in this time, not one per click.
NEW_LINK_COOLDOWN = timedelta(minutes=5)


class ClaimRefused(ApplicationError):
    """The link cannot be used now; `code` says why (unknown, expired, claimed, wrong_account, …)."""


def claim_url(token: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("learners:claim", args=[token])


def wallet_url(credential: Credential) -> str:
    return settings.PUBLIC_BASE_URL + reverse("learners:credential", args=[credential.public_id])


def email_mask(email: str) -> str:
    """Enough of an address for its owner to recognise it, not enough to give it away: a…@example.org."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}" if domain else "…"


def _claim_expiry(now: datetime) -> datetime:
    return now + timedelta(days=settings.CLAIM_LINK_DAYS)


# --- When a credential is issued -----------------------------------------------------------------------
def credential_claim_offer(*, credential: Credential) -> CredentialClaim | None:
    """Called in the signing transaction when a credential becomes ISSUED: tell its recipient.

    The e-mail is rendered now and sent after the commit. Safe to call twice (a second call finds the
    claim and does nothing). A credential whose address was erased gets no claim.
    """
    if not credential.recipient_email or CredentialClaim.objects.filter(credential=credential).exists():
        return None
    credential = Credential.objects.select_related("issuer", "achievement", "replaces__claim").get(pk=credential.pk)
    previous = getattr(credential.replaces, "claim", None) if credential.replaces else None
    if previous is not None and previous.claimed_at is not None and previous.email == credential.recipient_email:
        return _claim_renewal(credential, previous=previous)
    now = timezone.now()
    token = secret_token()
    claim = CredentialClaim.objects.create(
        credential=credential, email=credential.recipient_email, token_hash=secret_token_hash(token),
        expires_at=_claim_expiry(now),
    )
    _claim_send(claim, token=token, now=now)
    return claim


def credential_claims_offer(*, credentials: Sequence[Credential]) -> None:
    """credential_claim_offer for a chunk of credentials signed together, in a constant number of queries:
    each recipient gets their own link and e-mail. Renewals (rare in a cohort) take the one-by-one path."""
    offered = [credential for credential in credentials if credential.recipient_email]
    if not offered:
        return
    have_claim = set(
        CredentialClaim.objects.filter(credential__in=offered).values_list("credential_id", flat=True)
    )
    fresh = [credential for credential in offered if credential.pk not in have_claim]
    for renewal in (credential for credential in fresh if credential.replaces_id is not None):
        credential_claim_offer(credential=renewal)
    first_awards = [credential for credential in fresh if credential.replaces_id is None]
    if not first_awards:
        return
    now = timezone.now()
    with_account = _addresses_with_account({credential.recipient_email for credential in first_awards})
    claims, messages = [], []
    for credential in first_awards:
        token = secret_token()
        claim = CredentialClaim(
            credential=credential, email=credential.recipient_email, token_hash=secret_token_hash(token),
            expires_at=_claim_expiry(now), sent_count=1, last_sent_at=now,
        )
        claims.append(claim)
        context = {"credential": credential, "claim": claim, "claim_url": claim_url(token),
                   "has_account": credential.recipient_email.lower() in with_account}
        messages.append((claim.email, context, credential.achievement.in_language or None))
    notices = notices_send_to_addresses(kind=CLAIM_NOTICE_KIND, template="badges/credentials/email/claim",
                                        messages=messages)
    for claim, notice in zip(claims, notices, strict=True):
        claim.notice = notice
    CredentialClaim.objects.bulk_create(claims, batch_size=500)


def _addresses_with_account(emails: set[str]) -> set[str]:
    """Which of the addresses a person has verified (stored lowercased by allauth, so `in` uses its index)."""
    wanted = {email.lower() for email in emails}
    return set(EmailAddress.objects.filter(email__in=wanted, verified=True).values_list("email", flat=True))


def _claim_renewal(credential: Credential, *, previous: CredentialClaim) -> CredentialClaim:
    """The holder already took the credential this one renews: it is theirs at once; they are only told."""
    now = timezone.now()
    claim = CredentialClaim.objects.create(
        credential=credential, email=credential.recipient_email,
        # Nobody gets this token: it only fills the unique column of a claim that is already used.
        token_hash=secret_token_hash(secret_token()),
        expires_at=now, claimed_at=now, claimed_by_id=previous.claimed_by_id,
    )
    claim.notice = notice_send(
        kind=RENEWED_NOTICE_KIND, template="badges/credentials/email/renewed",
        context={"credential": credential, "wallet_url": wallet_url(credential)},
        email=claim.email, fallback_language=credential.achievement.in_language or None,
    )
    claim.sent_count, claim.last_sent_at = 1, now
    claim.save(update_fields=["notice", "sent_count", "last_sent_at"])
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.CLAIMED, renewal_of=str(
        credential.replaces.public_id if credential.replaces else ""))
    return claim


def _claim_send(claim: CredentialClaim, *, token: str, now: datetime, by: User | None = None) -> None:
    """E-mail the link (with a fresh token already stored) to the address the credential was issued to."""
    credential = claim.credential
    context = {
        "credential": credential,
        "claim": claim,
        "claim_url": claim_url(token),
        # An account already holding the address (e.g. the learner whose application was approved, who has
        # just been told so) hears that the credential is ready, not that it was awarded a second time.
        "has_account": _address_has_account(claim.email),
    }
    claim.notice = notice_send(
        kind=CLAIM_NOTICE_KIND, template="badges/credentials/email/claim", context=context, email=claim.email,
        fallback_language=credential.achievement.in_language or None,
    )
    claim.sent_count += 1
    claim.last_sent_at = now
    claim.save(update_fields=["notice", "sent_count", "last_sent_at", "token_hash", "expires_at"])
    if claim.sent_count > 1:  # the first e-mail is part of issuing; a new link is worth its own line
        credential_event_record(credential=credential, kind=CredentialEvent.Kind.CLAIM_RESENT, actor=by,
                                times=claim.sent_count)


def _address_has_account(email: str) -> bool:
    return EmailAddress.objects.filter(email__iexact=email, verified=True).exists()


# --- A new link ----------------------------------------------------------------------------------------
def _claim_new_link(claim: CredentialClaim, *, by: User | None = None) -> None:
    """Replace the token (the old link stops working), extend the expiry and send the link again."""
    now = timezone.now()
    token = secret_token()
    claim.token_hash = secret_token_hash(token)
    claim.expires_at = _claim_expiry(now)
    _claim_send(claim, token=token, now=now, by=by)


@transaction.atomic
def credential_claim_resend(*, credential: Credential, by: User) -> CredentialClaim:
    """The issuer sends the recipient a new claim link (an unclaimed, issued credential only)."""
    capability_check(issuer_id=credential.issuer_id, user=by, capability=Capability.MANAGE_CREDENTIALS)
    claim = (
        CredentialClaim.objects.select_for_update().select_related("credential__issuer", "credential__achievement")
        .filter(credential=credential).first()
    )
    if claim is None or claim.credential.status != Credential.Status.ISSUED:
        raise ClaimRefused("not_issued", _("A link can be sent once the credential has been issued."))
    if claim.claimed_at is not None:
        raise ClaimRefused("claimed", _("The holder has already received this credential."))
    _claim_new_link(claim, by=by)
    return claim


@transaction.atomic
def credential_claim_link_renew(*, token: str) -> CredentialClaim:
    """The recipient's expired link asks for a new one: sent only to the address of the original e-mail,
    at most once in NEW_LINK_COOLDOWN."""
    claim = (
        CredentialClaim.objects.select_for_update().select_related("credential__issuer", "credential__achievement")
        .filter(token_hash=secret_token_hash(token)).first()
    )
    if claim is None or claim.claimed_at is not None:
        raise ClaimRefused("unknown", _("This link is not valid."))
    now = timezone.now()
    if claim.last_sent_at is not None and claim.last_sent_at > now - NEW_LINK_COOLDOWN:
        raise ClaimRefused(
            "too_soon", _("A new link was sent a moment ago. Please look in your inbox, and in your spam folder.")
        )
    _claim_new_link(claim)
    return claim


# --- Claiming ------------------------------------------------------------------------------------------
def claim_for_token(token: str) -> CredentialClaim | None:
    return (
        CredentialClaim.objects.select_related("credential__issuer", "credential__achievement")
        .filter(token_hash=secret_token_hash(token)).first()
    )


def claim_belongs_to(claim: CredentialClaim, user: AnyUser) -> bool:
    """Whether the signed-in person holds the credential: the address it was issued to is theirs, verified."""
    return user.is_authenticated and claim.credential.recipient_email.lower() in verified_emails(user)


def credential_claim_accept(*, token: str, user: User) -> Credential:
    """Take the credential into the wallet of `user`, who must have the address it was sent to verified.

    One conditional UPDATE: a double click, or two tabs, claim it once. Claiming again what one already
    claimed is not an error (it answers with the credential)."""
    claim = claim_for_token(token)
    if claim is None:
        raise ClaimRefused("unknown", _("This link is not valid."))
    if claim.claimed_at is not None:
        if claim_belongs_to(claim, user):
            return claim.credential
        raise ClaimRefused("claimed", _("This link has already been used."))
    if claim.expires_at <= timezone.now():
        raise ClaimRefused("expired", _("This link has expired."))
    if not has_verified_email(user, claim.email):
        raise ClaimRefused("wrong_account", _(
            "This credential was sent to %(email)s, which is not a verified address of the account you are "
            "signed in with. Sign in with the account that has that address, or add and verify it in your "
            "account's e-mail settings.") % {"email": email_mask(claim.email)})
    now = timezone.now()
    with transaction.atomic():
        taken = CredentialClaim.objects.filter(
            pk=claim.pk, token_hash=claim.token_hash, claimed_at__isnull=True, expires_at__gt=now
        ).update(claimed_at=now, claimed_by=user)
        if taken:
            credential_event_record(credential=claim.credential, kind=CredentialEvent.Kind.CLAIMED, actor=user)
            credential_webhook_emit(claim.credential, EventType.CREDENTIAL_CLAIMED, claimed_at=now)
    if not taken:
        claim.refresh_from_db()
        if claim.claimed_at is not None and claim_belongs_to(claim, user):
            return claim.credential  # the other click won; it is theirs all the same
        if claim.claimed_at is None and claim.expires_at <= now:
            raise ClaimRefused("expired", _("This link has expired."))
        raise ClaimRefused("claimed", _("This link has already been used."))
    return claim.credential
