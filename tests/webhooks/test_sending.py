"""Deliveries: signed per Standard Webhooks to a real local HTTPS receiver, retried with backoff, logged,
replayable, refused for private addresses and redirects, and an endpoint disabled after a day of failures."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from celery.exceptions import Retry
from django.core import mail
from freezegun import freeze_time

from issuers.models import Role
from tests.factories import make_member
from tests.webhooks.conftest import Receiver, standard_webhooks_verify
from webhooks.deliveries import webhook_delivery_replay
from webhooks.emitting import webhook_event_emit
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.sending import MAX_ATTEMPTS, delivery_claim, webhook_delivery_send

pytestmark = pytest.mark.django_db

DATA = {"credential": {"id": "6c0c7f0e-5b7c-4d3f-9a55-0f9f3c1e2b11"}}


def emit(issuer, capture, event_type="credential.issued"):
    with capture(execute=False):  # the test runs the task's work itself, when it chooses
        return webhook_event_emit(issuer_id=issuer.pk, event_type=event_type, data=DATA)


def test_a_delivery_reaches_the_receiver_signed_per_standard_webhooks(
    issuer, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint, secret = endpoint_for(receiver)
    assert secret.startswith("whsec_")
    event = emit(issuer, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get(event=event, endpoint=endpoint)
    assert webhook_delivery_send(delivery_id=delivery.pk) is None
    [(headers, body)] = Receiver.received
    assert standard_webhooks_verify(secret, headers, body)
    assert not standard_webhooks_verify(secret, headers, body + b" ")
    assert headers["webhook-id"] == event.event_id and headers["content-type"] == "application/json"
    payload = json.loads(body)
    assert payload == {"id": event.event_id, "type": "credential.issued", "timestamp": payload["timestamp"],
                       "issuer": issuer.slug, "data": DATA}
    delivery.refresh_from_db()
    [attempt] = delivery.attempts.all()
    assert delivery.state == "succeeded" and attempt.status_code == 200 and attempt.response_excerpt == "ok"
    # Run twice (a redelivered task): nothing is sent again.
    assert webhook_delivery_send(delivery_id=delivery.pk) is None
    assert len(Receiver.received) == 1


def test_a_rotated_secret_signs_the_next_attempt(issuer, owner, receiver, endpoint_for,
                                                 django_capture_on_commit_callbacks):
    from webhooks.endpoints import webhook_endpoint_secret_rotate

    endpoint, old = endpoint_for(receiver)
    new = webhook_endpoint_secret_rotate(endpoint=endpoint, by=owner.user)
    emit(issuer, django_capture_on_commit_callbacks)
    webhook_delivery_send(delivery_id=WebhookDelivery.objects.get().pk)
    [(headers, body)] = Receiver.received
    assert standard_webhooks_verify(new, headers, body) and not standard_webhooks_verify(old, headers, body)


def test_failures_are_retried_with_exponential_backoff_and_each_attempt_logged(
    issuer, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    Receiver.answer = (500, {"Content-Type": "text/plain"}, b"x" * 5000)
    with freeze_time("2025-03-03 10:00:00") as clock:
        emit(issuer, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        waits = []
        for _ in range(MAX_ATTEMPTS):
            waits.append(webhook_delivery_send(delivery_id=delivery.pk))
            if waits[-1] is None:
                break
            assert webhook_delivery_send(delivery_id=delivery.pk) is None  # not due yet: nothing sent
            clock.tick(timedelta(seconds=waits[-1]))
    assert waits == [30, 120, 480, 1920, 7680, 30720, 86400, None]
    delivery.refresh_from_db()
    attempts = list(delivery.attempts.all())
    assert delivery.state == "failed" and len(attempts) == MAX_ATTEMPTS == len(Receiver.received)
    assert {attempt.status_code for attempt in attempts} == {500}
    assert all(len(attempt.response_excerpt) == 1024 for attempt in attempts)  # an excerpt, not the answer
    # The same event every time: a receiver de-duplicates by webhook-id.
    assert len({headers["webhook-id"] for headers, _body in Receiver.received}) == 1


def test_an_endpoint_failing_for_over_a_day_is_disabled_and_its_owners_told(
    issuer, owner, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    second_owner = make_member(issuer, "owner2", Role.OWNER)
    make_member(issuer, "designer", Role.DESIGNER)
    endpoint, _secret = endpoint_for(receiver)
    Receiver.answer = (503, {}, b"")
    mail.outbox.clear()
    with freeze_time("2025-03-03 10:00:00") as clock:
        emit(issuer, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):  # the owners' e-mails go once this commits
            while (wait := webhook_delivery_send(delivery_id=delivery.pk)) is not None:
                endpoint.refresh_from_db()
                assert endpoint.enabled  # not before a day has passed
                clock.tick(timedelta(seconds=wait))
    endpoint.refresh_from_db()
    assert not endpoint.enabled and endpoint.disabled_because == "failures"
    assert sorted(message.to[0] for message in mail.outbox) == sorted([owner.user.email, second_owner.user.email])
    assert endpoint.url in mail.outbox[0].body
    # A disabled endpoint gets no new deliveries.
    assert emit(issuer, django_capture_on_commit_callbacks) is None


def test_a_delivery_is_replayed_as_a_new_attempt_of_the_same_event(
    issuer, owner, receiver, endpoint_for, django_capture_on_commit_callbacks
):
    endpoint_for(receiver)
    emit(issuer, django_capture_on_commit_callbacks)
    first = WebhookDelivery.objects.get()
    webhook_delivery_send(delivery_id=first.pk)
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        replay = webhook_delivery_replay(delivery=first, by=owner.user)
    webhook_delivery_send(delivery_id=replay.pk)
    (headers_1, body_1), (headers_2, body_2) = Receiver.received
    assert headers_1["webhook-id"] == headers_2["webhook-id"] and body_1 == body_2
    assert replay.replay_of == first and WebhookDelivery.objects.get(pk=replay.pk).state == "succeeded"


def test_a_claimed_delivery_is_not_sent_twice_at_once(issuer, receiver, endpoint_for,
                                                     django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    emit(issuer, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert delivery_claim(delivery.pk)
    assert webhook_delivery_send(delivery_id=delivery.pk) is None  # another run holds it
    assert Receiver.received == []
    with freeze_time(delivery.created_at + timedelta(minutes=6)):  # its worker died: taken over
        webhook_delivery_send(delivery_id=delivery.pk)
    assert len(Receiver.received) == 1


@pytest.mark.parametrize("url", ["https://10.0.0.5/hook", "https://169.254.169.254/latest", "https://[::1]/x",
                                 "https://127.0.0.1/hook"])
def test_private_addresses_are_refused(issuer, endpoint_for, url, django_capture_on_commit_callbacks):
    endpoint_for(url)  # the platform's own fetcher, not the test's
    emit(issuer, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_send(delivery_id=delivery.pk) == 30
    [attempt] = delivery.attempts.all()
    assert attempt.status_code is None and "private or reserved" in attempt.error


def test_a_redirect_is_not_followed(issuer, receiver, endpoint_for, django_capture_on_commit_callbacks):
    endpoint_for(receiver)
    Receiver.answer = (307, {"Location": "https://169.254.169.254/latest"}, b"")
    emit(issuer, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    webhook_delivery_send(delivery_id=delivery.pk)
    [attempt] = delivery.attempts.all()
    assert not attempt.succeeded and attempt.status_code == 307 and "redirect" in attempt.error
    assert len(Receiver.received) == 1


def test_only_subscribed_enabled_endpoints_get_the_event(issuer, owner, endpoint_for,
                                                         django_capture_on_commit_callbacks):
    from webhooks.endpoints import webhook_endpoint_update

    issued, _ = endpoint_for("https://a.example/hook", events=["credential.issued"])
    endpoint_for("https://b.example/hook", events=["credential.revoked"])
    paused, _ = endpoint_for("https://c.example/hook", events=["credential.issued"])
    webhook_endpoint_update(endpoint=paused, by=owner.user, url=paused.url, description="", enabled=False,
                            event_types=paused.event_types)
    event = emit(issuer, django_capture_on_commit_callbacks)
    assert [delivery.endpoint for delivery in event.deliveries.all()] == [issued]
    assert WebhookEndpoint.objects.get(pk=paused.pk).disabled_because == "member"


def test_the_task_asks_celery_to_retry_after_the_backoff(issuer, receiver, endpoint_for, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    from webhooks.tasks import webhook_delivery_send_task

    endpoint_for(receiver)
    Receiver.answer = (500, {}, b"")
    emit(issuer, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    # Celery's retry itself is Celery's to test; ours is to hand it the service's backoff.
    monkeypatch.setattr(webhook_delivery_send_task, "retry", lambda countdown: Retry(when=countdown))
    with pytest.raises(Retry) as retry:
        webhook_delivery_send_task.run(delivery.pk)
    assert retry.value.when == 30
    assert WebhookDelivery.objects.get(pk=delivery.pk).attempt_count == 1
