"""Sending a delivery: claim it, POST it signed through the SSRF-safe fetcher, log the attempt, and
decide whether to try again, give up, or disable an endpoint that keeps failing.

Retries back off exponentially: 30 s × 4ⁿ (30 s, 2 min, 8 min, 32 min, about 2 h, 8.5 h, then 24 h), at
most MAX_ATTEMPTS attempts (about 35 hours in all). An endpoint is disabled — and its owners told by
e-mail — when at least DISABLE_AFTER_FAILURES attempts in a row failed over more than DISABLE_AFTER
(a day), with no success in between.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kernel import fetch
from safefetch import FetchError, PostAnswer
from webhooks.emitting import webhook_delivery_queue
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.notices import endpoint_disabled_notify
from webhooks.secrets import SecretUnreadable, webhook_secret_open, webhook_signature

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY_SECONDS = 30
RETRY_FACTOR = 4
LONGEST_WAIT_SECONDS = 24 * 3600
DISABLE_AFTER_FAILURES = 5
DISABLE_AFTER = timedelta(days=1)
# Longer than any POST can take (safefetch's total timeout): a claim this old belongs to a worker that died.
CLAIM_STALE_AFTER = timedelta(minutes=5)
# Celery's countdown and our clock may differ by a little: a retry a few seconds early still goes.
DUE_TOLERANCE = timedelta(seconds=5)
EXCERPT_CHARS = 1024


def retry_wait_seconds(attempt_number: int) -> int:
    """How long to wait after failed attempt number `attempt_number` (1, 2, …)."""
    return min(FIRST_RETRY_SECONDS * RETRY_FACTOR ** (attempt_number - 1), LONGEST_WAIT_SECONDS)


@dataclass(frozen=True)
class Outcome:
    succeeded: bool
    status_code: int | None
    excerpt: str
    error: str
    duration_ms: int


def delivery_claim(delivery_id: int) -> bool:
    """Take the delivery for this run: one conditional UPDATE, so two runs never send it at once."""
    now = timezone.now()
    due = Q(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now + DUE_TOLERANCE)
    abandoned = Q(state=WebhookDelivery.State.SENDING, claimed_at__lt=now - CLAIM_STALE_AFTER)
    return bool(WebhookDelivery.objects.filter(due | abandoned, pk=delivery_id).update(
        state=WebhookDelivery.State.SENDING, claimed_at=now
    ))


def _post(delivery: WebhookDelivery) -> Outcome:
    endpoint, event = delivery.endpoint, delivery.event
    started = time.monotonic()
    answer: PostAnswer | None = None
    error = ""
    try:
        secret = webhook_secret_open(endpoint.secret_sealed, kek_id=endpoint.secret_kek_id)
        timestamp = int(timezone.now().timestamp())
        headers = {
            "webhook-id": event.event_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": webhook_signature(secret, message_id=event.event_id, timestamp=timestamp,
                                                   body=event.body),
        }
        answer = fetch.webhook_fetcher().post(endpoint.url, event.body.encode(), headers=headers)
    except (FetchError, SecretUnreadable) as exc:
        error = str(exc)
    duration_ms = int((time.monotonic() - started) * 1000)
    if answer is None:
        return Outcome(False, None, "", error, duration_ms)
    excerpt = answer.body.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    succeeded = 200 <= answer.status < 300
    if 300 <= answer.status < 400:
        error = "the receiver redirected; redirects are not followed"
    return Outcome(succeeded, answer.status, excerpt, error, duration_ms)


def webhook_delivery_send(*, delivery_id: int) -> int | None:
    """One attempt of the delivery, if it is due and no other run has it. Returns the seconds until the
    next attempt, or None when there is none to schedule. Safe to run twice."""
    if not delivery_claim(delivery_id):
        return None
    delivery = WebhookDelivery.objects.select_related("endpoint__issuer", "event").get(pk=delivery_id)
    if not delivery.endpoint.enabled:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            state=WebhookDelivery.State.FAILED, claimed_at=None, finished_at=timezone.now()
        )
        return None
    started_at = timezone.now()
    outcome = _post(delivery)
    return _record(delivery, outcome, started_at=started_at)


def _record(delivery: WebhookDelivery, outcome: Outcome, *, started_at) -> int | None:
    number = delivery.attempt_count + 1
    now = timezone.now()
    wait = None if outcome.succeeded or number >= MAX_ATTEMPTS else retry_wait_seconds(number)
    if outcome.succeeded:
        state = WebhookDelivery.State.SUCCEEDED
    else:
        state = WebhookDelivery.State.FAILED if wait is None else WebhookDelivery.State.PENDING
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, number=number, started_at=started_at, duration_ms=outcome.duration_ms,
            status_code=outcome.status_code, response_excerpt=outcome.excerpt, error=outcome.error,
            succeeded=outcome.succeeded,
        )
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            state=state, attempt_count=number, claimed_at=None,
            next_attempt_at=now + timedelta(seconds=wait) if wait is not None else None,
            finished_at=None if wait is not None else now,
        )
        _streak_update(delivery.endpoint, succeeded=outcome.succeeded, now=now)
    logger.info("webhook attempt", extra={"delivery": delivery.pk, "attempt": number, "state": state,
                                          "status_code": outcome.status_code})
    return wait


def _streak_update(endpoint: WebhookEndpoint, *, succeeded: bool, now) -> None:
    endpoints = WebhookEndpoint.objects.filter(pk=endpoint.pk)
    if succeeded:
        endpoints.update(failing_since=None, consecutive_failures=0)
        return
    endpoints.update(
        failing_since=Coalesce(F("failing_since"), now), consecutive_failures=F("consecutive_failures") + 1
    )
    disabled = endpoints.filter(
        enabled=True, consecutive_failures__gte=DISABLE_AFTER_FAILURES, failing_since__lt=now - DISABLE_AFTER
    ).update(
        enabled=False, disabled_because=WebhookEndpoint.DisabledBecause.FAILURES, disabled_at=now, updated_at=now
    )
    if disabled:  # once: the conditional UPDATE lets one run through
        endpoint.refresh_from_db()
        logger.warning("webhook endpoint disabled after failures", extra={"endpoint": str(endpoint.public_id)})
        endpoint_disabled_notify(endpoint)


def webhook_deliveries_sweep() -> int:
    """Queue the deliveries that are due but whose task was lost (a broker outage, a worker that died)."""
    now = timezone.now()
    ids = list(WebhookDelivery.objects.filter(
        Q(state=WebhookDelivery.State.PENDING, next_attempt_at__lte=now - CLAIM_STALE_AFTER)
        | Q(state=WebhookDelivery.State.SENDING, claimed_at__lt=now - CLAIM_STALE_AFTER)
    ).values_list("pk", flat=True)[:500])
    for delivery_id in ids:
        webhook_delivery_queue(delivery_id)
    return len(ids)
