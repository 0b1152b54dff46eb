"""Telling an issuer's owners that one of their webhook endpoints was disabled."""

from __future__ import annotations

from django.urls import reverse

from issuers.models import IssuerMember, Role
from kernel.public_urls import public_url
from notifications.sending import notice_send
from webhooks.models import WebhookEndpoint


def endpoint_disabled_notify(endpoint: WebhookEndpoint) -> None:
    """One e-mail per owner, each in their own language; sent once the transaction commits."""
    issuer = endpoint.issuer
    page = public_url(reverse("webhooks_console:detail", args=[issuer.slug, endpoint.public_id]))
    owners = IssuerMember.objects.filter(IssuerMember.role_filter(Role.OWNER), issuer=issuer).select_related("user")
    for owner in owners:
        notice_send(
            kind="webhook_endpoint_disabled", template="webhooks/email/endpoint_disabled",
            context={"endpoint": endpoint, "issuer": issuer, "page_url": page}, user=owner.user,
        )
