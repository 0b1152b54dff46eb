"""Reading an endpoint's deliveries and replaying one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from issuers.access import capability_check
from issuers.audit import AuditKind, issuer_audit_record
from issuers.roles import Capability
from kernel.errors import ApplicationError
from webhooks.emitting import webhook_delivery_queue
from webhooks.models import WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from kernel.users import User


def webhook_deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint).select_related("event").prefetch_related("attempts")


@transaction.atomic
def webhook_delivery_replay(*, delivery: WebhookDelivery, by: User) -> WebhookDelivery:
    """Send the same event (same `webhook-id` and body) to the endpoint again, as a new delivery."""
    capability_check(issuer_id=delivery.endpoint.issuer_id, user=by, capability=Capability.MANAGE_MEMBERS)
    endpoint = WebhookEndpoint.objects.get(pk=delivery.endpoint_id)
    if not endpoint.enabled:
        raise ApplicationError("endpoint_disabled", _("Enable the endpoint before you replay a delivery to it."))
    if delivery.state in (WebhookDelivery.State.PENDING, WebhookDelivery.State.SENDING):
        raise ApplicationError("delivery_in_progress", _("This delivery is still being tried; wait for it to finish."))
    replay = WebhookDelivery.objects.create(
        endpoint=endpoint, event_id=delivery.event_id, replay_of=delivery, next_attempt_at=timezone.now()
    )
    issuer_audit_record(issuer_id=endpoint.issuer_id, kind=AuditKind.WEBHOOK_DELIVERY_REPLAYED, by=by,
                        subject=endpoint.url, endpoint=str(endpoint.public_id), delivery=str(delivery.public_id))
    webhook_delivery_queue(replay.pk)
    return replay
