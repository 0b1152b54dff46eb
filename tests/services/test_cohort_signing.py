"""Signing a cohort in chunks on real PostgreSQL, Redis and `celery worker` processes: status-list indexes
allocated in blocks by chunks running at once, and a chunk whose worker is killed before it finishes."""

from __future__ import annotations

import threading

import psycopg
import pytest
from django.db import connection

from badges.credentials.issuing import NewRecipient, credentials_issue
from badges.credentials.signing import credentials_sign
from badges.credentials.sweeping import credential_sweep_stale
from badges.models import Credential, CredentialClaim, CredentialEvent, StatusList
from ob3.status_list import get_bit
from tests.factories import make_achievement, make_issuer
from tests.services.support import (
    age,
    assert_issued_exactly_once,
    count_with_status,
    events_per_credential,
    published,
    table_locked,
    wait_for,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ISSUED = Credential.Status.ISSUED
SIGNING = Credential.Status.SIGNING


@pytest.fixture
def achievement(media_root):
    return make_achievement(make_issuer())


def cohort(achievement, size: int, *, label: str) -> list[int]:
    recipients = [NewRecipient(email=f"{label}{n}@example.org", name=f"{label} {n}") for n in range(size)]
    return [credential.pk for credential in credentials_issue(achievement=achievement, recipients=recipients)]


def sessions_waiting_on(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            " AND wait_event_type = 'Lock' AND query ILIKE %s",
            [f"%{table}%"],
        )
        return cursor.fetchone()[0]


def assert_one_index_each(ids: list[int]) -> None:
    indexes = list(Credential.objects.filter(pk__in=ids).values_list("status_list_id", "status_list_index"))
    assert None not in {index for _list, index in indexes}
    assert len(set(indexes)) == len(ids)
    listing = StatusList.objects.get()
    assert listing.allocated_count == len(ids)
    assert sum(bin(byte).count("1") for byte in listing.allocated) == len(ids)
    assert all(get_bit(listing.allocated, index) for _list, index in indexes)


def test_two_chunks_allocating_at_once_never_share_an_index(achievement):
    first = cohort(achievement, 1, label="opens")
    credentials_sign(credential_ids=first)  # opens the issuer's list
    chunks = [cohort(achievement, 60, label="left"), cohort(achievement, 60, label="right")]
    db = connection.settings_dict
    errors: list[BaseException] = []

    def sign(ids: list[int]) -> None:
        try:
            credentials_sign(credential_ids=ids)
        except BaseException as exc:  # noqa: BLE001 (reported by the test below)
            errors.append(exc)
        finally:
            connection.close()

    # Hold the issuer's row, which allocation locks before the list: both chunks claim their credentials, then
    # wait for it at once.
    with psycopg.connect(host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"],
                         dbname=db["NAME"]) as locker:
        locker.execute("SELECT id FROM issuers_issuer FOR UPDATE")
        threads = [threading.Thread(target=sign, args=(ids,)) for ids in chunks]
        for thread in threads:
            thread.start()
        wait_for(lambda: sessions_waiting_on("issuers_issuer") == 2, what="both chunks allocating", workers=[])
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    every = first + chunks[0] + chunks[1]
    assert count_with_status(ISSUED, every) == 121
    assert_one_index_each(every)


def test_a_chunk_whose_worker_is_killed_before_it_finishes_is_signed_exactly_once(
    achievement, broker, start_worker, client, media_root
):
    first = start_worker(broker, pool="prefork", concurrency=2)
    with table_locked(CredentialClaim):
        # Both pool processes sign a chunk of 100, then wait in its finishing transaction: killed there.
        ids = cohort(achievement, 300, label="cohort")
        wait_for(lambda: sessions_waiting_on("badges_credentialclaim") == 2,
                 what="two chunks signed, waiting to finish", workers=[first], timeout=240)
        first.kill()

    assert count_with_status(ISSUED, ids) == 0
    assert count_with_status(SIGNING, ids) == 200
    assert events_per_credential(CredentialEvent.Kind.ISSUED) == {}
    # Their indexes were given in blocks before the crash and are kept by the re-run.
    kept = dict(Credential.objects.filter(pk__in=ids, status=SIGNING).values_list("pk", "status_list_index"))
    assert None not in kept.values()
    age(ids, minutes=60)
    assert credential_sweep_stale() == 300
    second = start_worker(broker, pool="prefork", concurrency=2)

    wait_for(lambda: count_with_status(ISSUED, ids) == 300, what="all 300 credentials ISSUED",
             workers=[first, second], timeout=300)
    assert_issued_exactly_once(ids, documents=published(client), media_root=media_root)
    assert events_per_credential(CredentialEvent.Kind.ISSUED) == dict.fromkeys(ids, 1)
    assert dict(Credential.objects.filter(pk__in=kept).values_list("pk", "status_list_index")) == kept
    assert_one_index_each(ids)
    assert CredentialClaim.objects.filter(credential__in=ids).count() == 300
