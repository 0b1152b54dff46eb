"""Reminding holders before their credentials expire, and telling them how to renew.

Renewing means one of two things on this platform: the holder applies again for the micro-credential
(its newest published version, through its public page and the catalogue), or the issuer issues it again
(badges.credentials.revocation.credential_reissue, for a new validity period). The reminder offers both.

Runs once a day (config/celery.py). Each credential is reminded once: it is claimed with a conditional
UPDATE of `expiry_reminded_at`, so two workers or two runs on the same day send one e-mail.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from badges.models import Achievement, Credential
from kernel.public_urls import public_url
from notifications.sending import notice_send

logger = logging.getLogger(__name__)

# A renewal that has not failed replaces the credential: its holder is not reminded of the old one.
LIVE_RENEWAL = (Credential.Status.PENDING, Credential.Status.SIGNING, Credential.Status.ISSUED)


def credentials_due_for_expiry_reminder(*, now: datetime) -> QuerySet[Credential]:
    """Issued, unrevoked credentials not reminded yet whose valid_until falls within their achievement's
    expiry_reminder_days from `now`, and that the holder has not already renewed."""
    reminder_days = set(
        Achievement.objects.filter(expiry_reminder_days__gt=0).values_list("expiry_reminder_days", flat=True)
    )
    if not reminder_days:
        return Credential.objects.none()
    # One condition per distinct setting keeps the arithmetic in Python, the same on SQLite and PostgreSQL.
    within = Q()
    for days in reminder_days:
        within |= Q(achievement__expiry_reminder_days=days, valid_until__lte=now + timedelta(days=days))
    renewed_since = Credential.objects.filter(
        Q(achievement=OuterRef("achievement")) | Q(achievement__previous_version=OuterRef("achievement")),
        issuer=OuterRef("issuer"),
        recipient_email=OuterRef("recipient_email"),  # both stored lower-cased (credential_issue)
        created_at__gt=OuterRef("created_at"),
        status__in=LIVE_RENEWAL,
    )
    return (
        # The outer bound repeats what `within` implies, so the reminder index is read for that range only.
        Credential.objects.filter(within, status=Credential.Status.ISSUED, expiry_reminded_at__isnull=True,
                                  valid_until__gt=now, valid_until__lte=now + timedelta(days=max(reminder_days)))
        .exclude(renewals__status__in=LIVE_RENEWAL)
        .exclude(Exists(renewed_since))
        .select_related("issuer", "achievement")
        .order_by("valid_until", "pk")
    )


def achievement_open_for_renewal(achievement: Achievement) -> Achievement | None:
    """The newest published version of the achievement (it or a later one), where the holder may apply
    again; None when none is open."""
    found = achievement if achievement.status == Achievement.Status.PUBLISHED else None
    current: Achievement | None = achievement
    while current is not None:
        current = Achievement.objects.filter(previous_version=current).first()
        if current is not None and current.status == Achievement.Status.PUBLISHED:
            found = current
    return found


def credential_expiry_remind(*, credential: Credential, now: datetime) -> bool:
    """Remind the holder of one credential, unless someone already did. True if this call sent it."""
    with transaction.atomic():
        claimed = Credential.objects.filter(
            pk=credential.pk, status=Credential.Status.ISSUED, expiry_reminded_at__isnull=True
        ).update(expiry_reminded_at=now)
        if not claimed:
            return False
        open_version = achievement_open_for_renewal(credential.achievement)
        notice_send(
            kind="credential_expiry_reminder",
            template="badges/credentials/email/expiry_reminder",
            context={
                "credential": credential,
                "apply_url": public_url(f"/a/{open_version.public_id}") if open_version else "",
            },
            email=credential.recipient_email,
            fallback_language=credential.achievement.in_language or None,
        )
    return True


def credential_expiry_reminders_send(*, now: datetime | None = None) -> int:
    """The daily run: remind every holder whose credential is due. Returns how many were reminded."""
    now = now or timezone.now()
    sent = 0
    for credential in list(credentials_due_for_expiry_reminder(now=now)):
        if credential_expiry_remind(credential=credential, now=now):
            sent += 1
    logger.info("expiry reminders sent", extra={"count": sent})
    return sent
