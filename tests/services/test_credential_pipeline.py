"""The credential pipeline on real PostgreSQL, Redis and `celery worker` processes, crashes included."""

from __future__ import annotations

import pytest
from django.conf import settings

from badges.credentials.issuing import credential_issue
from badges.credentials.sweeping import credential_sweep_stale
from badges.models import Credential, CredentialEvent, LearningOutcome
from tests.factories import make_achievement, make_issuer
from tests.services.support import (
    age,
    assert_issued_exactly_once,
    count_with_status,
    events_per_credential,
    issue,
    published,
    table_locked,
    unused_port,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PENDING, SIGNING, ISSUED = Credential.Status.PENDING, Credential.Status.SIGNING, Credential.Status.ISSUED
STALE_MINUTES = settings.CREDENTIAL_SIGNING_STALE_MINUTES + 1


@pytest.fixture
def achievement(media_root):
    return make_achievement(make_issuer())


def test_it_issues_verifiable_credentials_through_a_real_worker(achievement, broker, start_worker, client, media_root):
    worker = start_worker(broker, pool="prefork", concurrency=2)

    ids = issue(achievement, 10, label="amina")

    wait_for(lambda: count_with_status(ISSUED) == 10, what="10 credentials ISSUED", workers=[worker])
    assert_issued_exactly_once(ids, documents=published(client), media_root=media_root)
    assert events_per_credential(CredentialEvent.Kind.ISSUED) == {pk: 1 for pk in ids}


def test_it_issues_every_credential_once_after_the_worker_is_killed_mid_batch(
    achievement, broker, start_worker, client, media_root
):
    first = start_worker(broker, pool="prefork", concurrency=2)
    ids = issue(achievement, 5, label="bo")
    wait_for(lambda: count_with_status(ISSUED) == 5, what="the first 5 credentials ISSUED", workers=[first])
    with table_locked(LearningOutcome):
        # Both pool processes claim a credential (and give it its status-list index), then wait for the
        # micro-credential's learning outcomes to build its draft: killed mid-signing.
        ids += issue(achievement, 25, label="cy")
        wait_for(lambda: count_with_status(SIGNING) == 2, what="both pool processes mid-signing", workers=[first])
        first.kill()

    interrupted = set(Credential.objects.filter(status=SIGNING).values_list("pk", flat=True))
    unfinished = list(Credential.objects.exclude(status=ISSUED).values_list("pk", flat=True))
    assert len(unfinished) == 25
    # Production gives a claim CREDENTIAL_SIGNING_STALE_MINUTES before treating it as abandoned, and the
    # unacked messages come back only after Redis's visibility timeout; move the clocks instead of waiting.
    age(unfinished, minutes=STALE_MINUTES)
    assert credential_sweep_stale() == 25
    second = start_worker(broker, pool="prefork", concurrency=2)

    wait_for(lambda: count_with_status(ISSUED) == 30, what="all 30 credentials ISSUED", workers=[first, second])
    assert_issued_exactly_once(ids, documents=published(client), media_root=media_root)
    # Re-queued messages for credentials already signed were dropped by the claim: one signature each.
    assert events_per_credential(CredentialEvent.Kind.ISSUED) == dict.fromkeys(ids, 1)
    started = events_per_credential(CredentialEvent.Kind.SIGNING_STARTED)
    assert {pk for pk, n in started.items() if n > 1} == interrupted


def test_it_issues_every_credential_once_after_the_broker_goes_away(
    achievement, use_broker, private_redis, start_worker, client, media_root
):
    broker = use_broker(private_redis.url)
    worker = start_worker(broker)
    ids = issue(achievement, 5, label="dana")
    wait_for(lambda: count_with_status(ISSUED) == 5, what="the first 5 credentials ISSUED", workers=[worker])
    with table_locked(LearningOutcome):  # the worker claims a credential, then waits to build its draft
        ids += issue(achievement, 10, label="eli")
        wait_for(lambda: count_with_status(SIGNING) == 1, what="the worker mid-signing", workers=[worker])
        private_redis.kill()  # nothing persisted: the 9 messages still queued are lost with it

        for n in range(5):
            credential_issue(achievement=achievement, recipient_email=f"fatima-{n}@example.org")
    during = list(Credential.objects.filter(recipient_email__startswith="fatima-").values_list("pk", flat=True))
    assert count_with_status(PENDING, during) == 5

    private_redis.start()
    wait_for(lambda: count_with_status(SIGNING) == 0, what="the worker to finish its task", workers=[worker])
    pending = list(Credential.objects.filter(status=PENDING).values_list("pk", flat=True))
    assert len(pending) == 9 + 5
    age(pending, minutes=STALE_MINUTES)
    assert credential_sweep_stale() == len(pending)

    ids += during
    wait_for(lambda: count_with_status(ISSUED) == 20, what="all 20 credentials ISSUED", workers=[worker])
    assert_issued_exactly_once(ids, documents=published(client), media_root=media_root)
    assert events_per_credential(CredentialEvent.Kind.ISSUED) == dict.fromkeys(ids, 1)


def test_it_accepts_an_issuing_request_while_the_broker_is_down(achievement, use_broker):
    use_broker(f"redis://127.0.0.1:{unused_port()}/0")

    credential = credential_issue(achievement=achievement, recipient_email="eli@example.org")

    assert Credential.objects.get(pk=credential.pk).status == Credential.Status.PENDING
