"""The credential events integrators receive by webhook: their data is ids and public addresses only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.urls import reverse

from badges.models import Credential
from kernel.public_urls import public_url
from webhooks.emitting import webhook_event_emit, webhook_events_emit
from webhooks.events import EventType


def webhook_time(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def credential_webhook_data(credential: Credential, **moments: datetime | None) -> dict[str, Any]:
    achievement = credential.achievement
    return {"credential": {
        "id": str(credential.public_id),
        "url": public_url(reverse("verification:credential", args=[credential.public_id])),
        "achievement": {"id": str(achievement.public_id), "url": achievement.uri},
        "valid_from": webhook_time(credential.valid_from), "valid_until": webhook_time(credential.valid_until),
        **{name: webhook_time(moment) for name, moment in moments.items()},
    }}


def credential_webhook_emit(credential: Credential, event_type: EventType, **moments: datetime | None) -> None:
    """Inside the transaction that changed the credential, once per change."""
    webhook_event_emit(
        issuer_id=credential.issuer_id, event_type=event_type, data=credential_webhook_data(credential, **moments)
    )


def credential_webhooks_emit(credentials: Sequence[Credential], event_type: EventType) -> None:
    """credential_webhook_emit for a chunk of credentials changed in one transaction: one event each."""
    by_issuer: dict[int, list[Credential]] = defaultdict(list)
    for credential in credentials:
        by_issuer[credential.issuer_id].append(credential)
    for issuer_id, group in by_issuer.items():
        webhook_events_emit(
            issuer_id=issuer_id, event_type=event_type, data=[credential_webhook_data(c) for c in group]
        )
