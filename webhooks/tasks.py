"""Celery entry points for webhook deliveries. The names are part of a deployment and never change."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from webhooks.sending import webhook_deliveries_sweep, webhook_delivery_send


@shared_task(name="webhooks.tasks.webhook_delivery_send_task", bind=True, acks_late=True, max_retries=None)
def webhook_delivery_send_task(self: Any, delivery_id: int) -> None:
    """One attempt; a failure is retried by Celery after the backoff the service chose (exponential)."""
    retry_in = webhook_delivery_send(delivery_id=delivery_id)
    if retry_in is not None:
        raise self.retry(countdown=retry_in)


@shared_task(name="webhooks.tasks.webhook_deliveries_sweep_task", acks_late=True)
def webhook_deliveries_sweep_task() -> None:
    webhook_deliveries_sweep()
