"""Registering, changing and removing webhook endpoints; the signing secret is shown once and rotatable."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from issuers.access import capability_check
from issuers.audit import AuditKind, issuer_audit_record
from issuers.models import Issuer
from issuers.roles import Capability
from kernel.errors import ApplicationError
from webhooks.models import WebhookEndpoint
from webhooks.secrets import webhook_secret_new, webhook_secret_seal

if TYPE_CHECKING:
    from kernel.users import User

logger = logging.getLogger(__name__)

MAX_ENDPOINTS_PER_ISSUER = 10


def _check_manager(issuer_id: int, by: User) -> None:
    capability_check(issuer_id=issuer_id, user=by, capability=Capability.MANAGE_MEMBERS)


def _secret_fields() -> tuple[str, dict[str, object]]:
    secret = webhook_secret_new()
    kek_id, sealed = webhook_secret_seal(secret)
    return secret, {"secret_kek_id": kek_id, "secret_sealed": sealed, "secret_rotated_at": timezone.now()}


def _enabled_fields(enabled: bool) -> dict[str, object]:
    if enabled:  # enabling again starts a new failure count
        return {"enabled": True, "disabled_because": "", "disabled_at": None, "failing_since": None,
                "consecutive_failures": 0}
    return {"enabled": False, "disabled_because": WebhookEndpoint.DisabledBecause.BY_MEMBER,
            "disabled_at": timezone.now()}


@transaction.atomic
def webhook_endpoint_create(
    *, issuer: Issuer, by: User, url: str, description: str, event_types: list[str], enabled: bool = True
) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret, which is returned only this once."""
    _check_manager(issuer.pk, by)
    Issuer.objects.select_for_update().filter(pk=issuer.pk).first()  # counts endpoints one creator at a time
    if WebhookEndpoint.objects.filter(issuer=issuer).count() >= MAX_ENDPOINTS_PER_ISSUER:
        raise ApplicationError("too_many_endpoints", _(
            "An issuer can have at most %(count)d webhook endpoints. Remove one you no longer use."
        ) % {"count": MAX_ENDPOINTS_PER_ISSUER})
    secret, sealed = _secret_fields()
    endpoint = WebhookEndpoint.objects.create(
        issuer=issuer, url=url, description=description, event_types=event_types, **sealed,
        **_enabled_fields(enabled),
    )
    issuer_audit_record(issuer_id=issuer.pk, kind=AuditKind.WEBHOOK_ENDPOINT_CREATED, by=by, subject=url,
                        endpoint=str(endpoint.public_id), event_types=event_types, enabled=enabled)
    logger.info("webhook endpoint created", extra={"issuer": issuer.slug, "endpoint": str(endpoint.public_id)})
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *, endpoint: WebhookEndpoint, by: User, url: str, description: str, event_types: list[str], enabled: bool
) -> WebhookEndpoint:
    _check_manager(endpoint.issuer_id, by)
    fields: dict[str, object] = {"url": url, "description": description, "event_types": event_types}
    if enabled != endpoint.enabled:
        fields |= _enabled_fields(enabled)
    for name, value in fields.items():
        setattr(endpoint, name, value)
    endpoint.save(update_fields=[*fields, "updated_at"])
    issuer_audit_record(issuer_id=endpoint.issuer_id, kind=AuditKind.WEBHOOK_ENDPOINT_CHANGED, by=by, subject=url,
                        endpoint=str(endpoint.public_id), event_types=event_types, enabled=enabled)
    return endpoint


@transaction.atomic
def webhook_endpoint_secret_rotate(*, endpoint: WebhookEndpoint, by: User) -> str:
    """A new signing secret, from the next attempt on; returned only this once. The old one stops working."""
    _check_manager(endpoint.issuer_id, by)
    secret, sealed = _secret_fields()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(**sealed, updated_at=timezone.now())
    endpoint.refresh_from_db()
    issuer_audit_record(issuer_id=endpoint.issuer_id, kind=AuditKind.WEBHOOK_SECRET_ROTATED, by=by,
                        subject=endpoint.url, endpoint=str(endpoint.public_id))
    logger.info("webhook secret rotated", extra={"endpoint": str(endpoint.public_id)})
    return secret


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, by: User) -> None:
    """Remove the endpoint with its deliveries and their log."""
    _check_manager(endpoint.issuer_id, by)
    issuer_audit_record(issuer_id=endpoint.issuer_id, kind=AuditKind.WEBHOOK_ENDPOINT_DELETED, by=by,
                        subject=endpoint.url, endpoint=str(endpoint.public_id))
    endpoint.delete()
