"""Re-queueing what got stuck: credentials nobody signed, or whose worker vanished mid-signing."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from badges.credentials.events import credential_event_record
from badges.credentials.queue import credential_signing_queue
from badges.credentials.signing import claim_is_stale_before
from badges.models import Credential, CredentialEvent

logger = logging.getLogger(__name__)

SWEEP_BATCH_SIZE = 500


# --- Sweeping ------------------------------------------------------------------------------------------
def credentials_stuck(*, stale_before: datetime) -> QuerySet[Credential]:
    """The next batch to sweep, oldest first: PENDING rows untouched and SIGNING rows claimed before
    `stale_before` (the index `credential_in_flight` holds only rows in these two states)."""
    return Credential.objects.filter(
        Q(status=Credential.Status.PENDING, updated_at__lt=stale_before)
        | Q(status=Credential.Status.SIGNING, claimed_at__lt=stale_before)
    ).order_by("pk")[:SWEEP_BATCH_SIZE]


def credential_sweep_stale() -> int:
    """Queue again what got stuck: PENDING rows nobody signed, SIGNING rows whose worker vanished.
    Rows that used up their attempts are marked FAILED instead. Returns how many were re-queued."""
    now = timezone.now()
    stale_before = claim_is_stale_before(now)
    stuck = credentials_stuck(stale_before=stale_before)
    requeued = 0
    for credential_id, status, attempts in stuck.values_list("pk", "status", "attempts"):
        with transaction.atomic():
            # Conditional, so a row a worker claimed or finished since the query above is left alone.
            still_stuck = Credential.objects.filter(pk=credential_id, status=status, updated_at__lt=stale_before)
            if attempts >= settings.CREDENTIAL_SIGNING_MAX_ATTEMPTS:
                if still_stuck.update(status=Credential.Status.FAILED, updated_at=now):
                    credential_event_record(
                        credential=credential_id,
                        kind=CredentialEvent.Kind.FAILED,
                        code="too_many_attempts",
                        reason=f"gave up after {attempts} signing attempts",
                    )
                continue
            # Touching updated_at spaces out re-queues of a PENDING row while no worker is running.
            if still_stuck.update(updated_at=now):
                credential_event_record(credential=credential_id, kind=CredentialEvent.Kind.REQUEUED)
                credential_signing_queue(credential_id)
                requeued += 1
    if requeued:
        logger.info("re-queued stale credentials", extra={"count": requeued})
    return requeued
