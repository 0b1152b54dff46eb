"""The application events integrators receive by webhook: ids, the decision and public addresses only."""

from __future__ import annotations

from typing import Any

from assessment.models import Application
from badges.credentials.webhook_events import webhook_time
from webhooks.emitting import webhook_event_emit
from webhooks.events import EventType


def application_webhook_emit(application: Application, event_type: EventType, **extra: Any) -> None:
    """Inside the transaction that changed the application, once per change."""
    achievement = application.achievement
    data = {"application": {
        "id": str(application.public_id),
        "achievement": {"id": str(achievement.public_id), "url": achievement.uri},
        "submitted_at": webhook_time(application.submitted_at),
        **extra,
    }}
    webhook_event_emit(issuer_id=achievement.issuer_id, event_type=event_type, data=data)
