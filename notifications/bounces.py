"""Bounces reported after an e-mail left us: a mail provider's webhook names the address that bounced."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from notifications.models import Notice

# A bounce report names an address, not a message: it concerns what we sent there recently.
BOUNCE_WINDOW = timedelta(days=7)


def notice_bounce_record(*, email: str, reason: str) -> int:
    """Mark what was recently sent to `email` as bounced; returns how many notices that was."""
    return Notice.objects.filter(
        email__iexact=email.strip(), state=Notice.State.SENT, sent_at__gte=timezone.now() - BOUNCE_WINDOW
    ).update(state=Notice.State.BOUNCED, failed_at=timezone.now(), failure=reason[:500])
