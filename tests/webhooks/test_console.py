"""The console's webhook pages: an owner adds an endpoint and sees its secret once, changes and removes it."""

import pytest
from django.urls import reverse

from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def test_an_owner_adds_an_endpoint_and_sees_the_secret_once(client, owner):
    client.force_login(owner.user)
    slug = owner.issuer.slug
    refused = client.post(reverse("webhooks_console:new", args=[slug]), {"url": "http://x.example.org/"})
    assert refused.status_code == 400 and not WebhookEndpoint.objects.exists()
    response = client.post(reverse("webhooks_console:new", args=[slug]), {
        "url": "https://hooks.example.org/in", "event_types": ["credential.issued"], "enabled": "on",
    }, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("whsec_") and secret in response.content.decode()
    endpoint = WebhookEndpoint.objects.get()
    detail = client.get(reverse("webhooks_console:detail", args=[slug, endpoint.public_id]))
    assert detail.status_code == 200 and secret not in detail.content.decode()
    listing = client.get(reverse("webhooks_console:list", args=[slug])).content.decode()
    assert "https://hooks.example.org/in" in listing
    client.post(reverse("webhooks_console:detail", args=[slug, endpoint.public_id]), {
        "url": "https://hooks.example.org/in", "event_types": ["credential.revoked"],
    })
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["credential.revoked"] and not endpoint.enabled
    client.post(reverse("webhooks_console:delete", args=[slug, endpoint.public_id]))
    assert not WebhookEndpoint.objects.exists()
