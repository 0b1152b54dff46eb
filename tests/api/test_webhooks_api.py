"""/api/v1/issuers/<slug>/webhooks/…: every answer checked against the schema."""

from __future__ import annotations

import pytest

from api.scopes import Scope
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient
from tests.factories import make_issuer, make_member
from webhooks.emitting import webhook_event_emit
from webhooks.endpoints import MAX_ENDPOINTS_PER_ISSUER, webhook_endpoint_create
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

NEW = {"url": "https://hooks.example.org/in", "description": "Studieadministration",
       "event_types": ["credential.issued", "credential.revoked"]}


def client_with(secret: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def base(issuer) -> str:
    return f"/api/v1/issuers/{issuer.slug}/webhooks/"


def test_creating_an_endpoint_shows_its_secret_once(api, issuer):
    response = api.post(base(issuer), NEW, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_") and body["enabled"] is True
    assert body["event_types"] == ["credential.issued", "credential.revoked"]
    read = api.get(f"{base(issuer)}{body['id']}/")
    assert read.status_code == 200 and "secret" not in read.json()
    assert api.get(f"{base(issuer)}{body['id']}/", HTTP_IF_NONE_MATCH=read["ETag"]).status_code == 304
    listed = api.get(base(issuer)).json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_field_errors_come_from_the_consoles_form(api, issuer):
    response = api.post(base(issuer), {"url": "http://hooks.example.org/in", "event_types": ["nope"]},
                        format="json")
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"url", "event_types"}
    assert not WebhookEndpoint.objects.exists()


def test_too_many_endpoints_is_a_business_refusal(api, issuer, owner):
    for number in range(MAX_ENDPOINTS_PER_ISSUER):
        webhook_endpoint_create(issuer=issuer, by=owner.user, url=f"https://h{number}.example.org/",
                                description="", event_types=["credential.issued"])
    response = api.post(base(issuer), NEW, format="json")
    assert response.status_code == 422 and response.json()["code"] == "too_many_endpoints"


def test_update_rotate_and_delete(api, issuer):
    created = api.post(base(issuer), NEW, format="json").json()
    url = f"{base(issuer)}{created['id']}/"
    changed = api.patch(url, {"enabled": False, "description": "Paus"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["enabled"] is False and changed.json()["disabled_because"] == "member"
    assert changed.json()["url"] == NEW["url"]  # fields not sent keep their values
    rotated = api.post(f"{url}rotate-secret/", format="json")
    assert rotated.status_code == 200 and rotated.json()["secret"] != created["secret"]
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_deliveries_are_listed_in_pages_and_replayed(api, issuer, owner, django_capture_on_commit_callbacks):
    created = api.post(base(issuer), NEW, format="json").json()
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(3):
            webhook_event_emit(issuer_id=issuer.pk, event_type="credential.issued", data={"credential": {}})
    url = f"{base(issuer)}{created['id']}/deliveries/"
    page = api.get(f"{url}?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    first = page["results"][0]
    assert first["state"] == "pending" and first["event_type"] == "credential.issued" and first["attempts"] == []
    refused = api.post(f"{url}{first['id']}/replay/", format="json")
    assert refused.status_code == 422 and refused.json()["code"] == "delivery_in_progress"
    WebhookDelivery.objects.filter(public_id=first["id"]).update(state="failed")
    with django_capture_on_commit_callbacks(execute=False):
        replayed = api.post(f"{url}{first['id']}/replay/", format="json", HTTP_IDEMPOTENCY_KEY="r-1")
        again = api.post(f"{url}{first['id']}/replay/", format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert replayed.status_code == 202 and replayed.json()["event_id"] == first["event_id"]
    assert replayed.json()["replay_of"] == first["id"]
    assert again.json() == replayed.json() and again["Idempotent-Replayed"] == "true"
    assert WebhookDelivery.objects.count() == 4


def test_creating_twice_with_one_idempotency_key_creates_once(api, issuer):
    first = api.post(base(issuer), NEW, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    replay = api.post(base(issuer), NEW, format="json", HTTP_IDEMPOTENCY_KEY="w-1")
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    assert WebhookEndpoint.objects.count() == 1


def test_the_scope_and_the_owner_role_are_both_needed(token_for, issuer):
    _token, secret = token_for(Scope.READ)
    response = client_with(secret).get(base(issuer))
    assert response.status_code == 403 and "webhooks" in response.json()["title"]
    designer = make_member(issuer, "designer", Role.DESIGNER)
    owner_member = issuer.members.get(user__username="owner")
    _token, secret = token_for(Scope.WEBHOOKS)
    owner_member.set_roles([Role.DESIGNER])
    owner_member.save()
    assert client_with(secret).post(base(issuer), NEW, format="json").status_code == 403
    assert designer and not WebhookEndpoint.objects.exists()


def test_another_issuers_endpoints_are_not_found(api, issuer):
    other = make_issuer("annanskola")
    stranger = make_member(other, "olle", Role.OWNER)
    endpoint, _secret = webhook_endpoint_create(issuer=other, by=stranger.user, url="https://o.example.org/",
                                                description="", event_types=["credential.issued"])
    assert api.get(base(other)).status_code == 404
    # Their endpoint, asked for under our own issuer: not found either.
    assert api.get(f"{base(issuer)}{endpoint.public_id}/").status_code == 404
    assert api.delete(f"{base(issuer)}{endpoint.public_id}/").status_code == 404
    assert api.post(f"{base(issuer)}{endpoint.public_id}/rotate-secret/", format="json").status_code == 404
    assert api.get(f"{base(issuer)}{endpoint.public_id}/deliveries/").status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_the_schema_documents_each_events_body(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    assert set(schema["webhooks"]) == {
        "credential.issued", "credential.claimed", "credential.revoked", "application.submitted",
        "application.decided", "award_job.finished",
    }
