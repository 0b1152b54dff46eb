"""Emitting an event: one delivery row per subscribed endpoint, recorded in the caller's transaction and
sent by a task once it commits. A rolled-back change therefore tells nobody anything."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from celery import current_app
from django.db import transaction
from django.utils import timezone

from issuers.models import Issuer
from webhooks.events import EventType
from webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

SEND = "webhooks.tasks.webhook_delivery_send_task"  # part of a deployment: never renamed


def webhook_delivery_queue(delivery_id: int) -> None:
    """Send the delivery once the transaction commits. robust: a broker outage must not undo the caller's
    change; the row stays pending and the sweeper (webhooks.sending) queues it later."""
    transaction.on_commit(lambda: current_app.tasks[SEND].delay(delivery_id), robust=True)


def webhook_event_body(*, event_id: str, event_type: str, issuer_slug: str, data: dict[str, Any]) -> str:
    timestamp = timezone.now().isoformat(timespec="seconds").replace("+00:00", "Z")
    envelope = {"id": event_id, "type": event_type, "timestamp": timestamp, "issuer": issuer_slug, "data": data}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def webhook_event_emit(*, issuer_id: int, event_type: str, data: dict[str, Any]) -> WebhookEvent | None:
    """Record `event_type` with `data` (small JSON: ids and public URLs) for each enabled endpoint of the
    issuer that subscribed to it. Call it inside the transaction that makes the change, once per change."""
    event_type = EventType(event_type).value
    endpoints = [
        endpoint for endpoint in WebhookEndpoint.objects.filter(issuer_id=issuer_id, enabled=True)
        if event_type in endpoint.event_types  # a short list per issuer; JSON containment differs per database
    ]
    if not endpoints:
        return None
    event_id = f"msg_{uuid.uuid4().hex}"
    slug = Issuer.objects.values_list("slug", flat=True).get(pk=issuer_id)
    event = WebhookEvent.objects.create(
        event_id=event_id, issuer_id=issuer_id, event_type=event_type,
        body=webhook_event_body(event_id=event_id, event_type=event_type, issuer_slug=slug, data=data),
    )
    now = timezone.now()
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, next_attempt_at=now)
        webhook_delivery_queue(delivery.pk)
    return event


def webhook_events_emit(*, issuer_id: int, event_type: str, data: Sequence[dict[str, Any]]) -> list[WebhookEvent]:
    """webhook_event_emit for many changes at once (a chunk of a cohort's credentials): one event per item
    of `data`, the same deliveries, in a constant number of statements."""
    event_type = EventType(event_type).value
    endpoints = [
        endpoint for endpoint in WebhookEndpoint.objects.filter(issuer_id=issuer_id, enabled=True)
        if event_type in endpoint.event_types
    ]
    if not endpoints or not data:
        return []
    slug = Issuer.objects.values_list("slug", flat=True).get(pk=issuer_id)
    events = []
    for item in data:
        event_id = f"msg_{uuid.uuid4().hex}"
        events.append(WebhookEvent(
            event_id=event_id, issuer_id=issuer_id, event_type=event_type,
            body=webhook_event_body(event_id=event_id, event_type=event_type, issuer_slug=slug, data=item),
        ))
    events = WebhookEvent.objects.bulk_create(events, batch_size=500)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(endpoint=endpoint, event=event, next_attempt_at=now) for event in events
         for endpoint in endpoints],
        batch_size=500,
    )
    ids = [delivery.pk for delivery in deliveries]

    def queue() -> None:
        for delivery_id in ids:
            current_app.tasks[SEND].delay(delivery_id)

    transaction.on_commit(queue, robust=True)  # as webhook_delivery_queue: the sweeper sends what is left
    return events
