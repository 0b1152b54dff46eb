"""Award jobs on real PostgreSQL, Redis and `celery worker` processes: a worker killed mid-chunk, and two
API requests racing with one Idempotency-Key. Each ends with every credential issued exactly once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.db.models import F

from api.scopes import Scope
from api.tokens import api_token_create
from assessment.award_jobs import CHUNK_ROWS, award_jobs_resume_stale
from assessment.awards import award_batch_confirm, award_batch_prepare
from assessment.csv_import import RecipientRow
from assessment.models import AwardBatch, AwardRecipient
from badges.credentials.sweeping import credential_sweep_stale
from badges.models import Credential
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient, api_schema
from tests.factories import make_achievement, make_issuer, make_member
from tests.services.support import age, assert_issued_exactly_once, count_with_status, published, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROWS = 240
ISSUED = Credential.Status.ISSUED


@pytest.fixture
def achievement(media_root):
    return make_achievement(make_issuer())


@pytest.fixture
def owner(achievement):
    return make_member(achievement.issuer, "owner", Role.OWNER, Role.ASSESSOR)


@pytest.fixture
def locker(transactional_db) -> Iterator[Callable[..., psycopg.Connection]]:
    """locker(statement, *params): a connection of our own that runs `statement` and keeps its locks until
    it is closed (at the latest when the test ends, before the database is emptied)."""
    db = connection.settings_dict
    opened: list[psycopg.Connection] = []

    def lock(statement: str, *params: object) -> psycopg.Connection:
        conn = psycopg.connect(
            host=db["HOST"], port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"], dbname=db["NAME"]
        )
        opened.append(conn)
        conn.execute(statement, params)  # psycopg opens a transaction: the locks last until close()
        return conn

    yield lock
    for conn in opened:
        conn.close()


def blocked_on(table: str) -> Callable[[], bool]:
    """Whether some other session waits for a lock in a statement on `table`."""

    def check() -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND wait_event_type = 'Lock' AND query ILIKE %s",
                [f"%{table}%"],
            )
            return cursor.fetchone()[0] > 0

    return check


def issued_rows(batch: AwardBatch) -> int:
    return AwardRecipient.objects.filter(batch=batch, state=AwardRecipient.State.ISSUED).count()


def _job_killed_mid_chunk_and_resumed(achievement, owner, broker, start_worker, locker, size):
    """A job of `size` rows whose worker is SIGKILLed inside its second chunk, then resumed by a second worker
    after the stale-job sweep; returns (batch, rows, workers) once the job is FINISHED."""
    rows = [RecipientRow(line=n + 1, email=f"row{n}@example.org", name=f"Row {n}") for n in range(size)]
    batch = award_batch_prepare(issuer=achievement.issuer, achievement=achievement, by=owner.user, rows=rows)
    # Rows after the first chunk are held: the worker commits one chunk, then waits at the next row.
    rows_held = locker("SELECT id FROM assessment_awardrecipient WHERE batch_id = %s AND line > %s FOR UPDATE",
                       batch.pk, CHUNK_ROWS)
    award_batch_confirm(batch=batch, by=owner.user, in_background=True)
    first = start_worker(broker, pool="prefork", concurrency=2)
    wait_for(lambda: issued_rows(batch) == CHUNK_ROWS and blocked_on("assessment_awardrecipient")(),
             what="one chunk committed, the second waiting", workers=[first])
    # Now hold the job's row: the second chunk records its credentials, then waits to write its heartbeat
    # (its last statement), uncommitted. That is where the worker dies.
    batch_held = locker("SELECT id FROM assessment_awardbatch WHERE id = %s FOR UPDATE", batch.pk)
    rows_held.close()
    wait_for(blocked_on("assessment_awardbatch"), what="the second chunk done but not committed", workers=[first])
    first.kill()
    batch_held.close()

    assert issued_rows(batch) == CHUNK_ROWS
    assert Credential.objects.filter(achievement=achievement).count() == CHUNK_ROWS  # the second rolled back
    assert AwardBatch.objects.get(pk=batch.pk).status == AwardBatch.Status.RUNNING
    # Production waits STALE_MINUTES for a heartbeat (and the signing sweeper its own time); move the clocks.
    AwardBatch.objects.filter(pk=batch.pk).update(heartbeat_at=F("heartbeat_at") - timedelta(hours=1))
    age(list(Credential.objects.exclude(status=ISSUED).values_list("pk", flat=True)), minutes=60)
    credential_sweep_stale()
    assert award_jobs_resume_stale() == 1
    second = start_worker(broker, pool="prefork", concurrency=2)

    wait_for(lambda: AwardBatch.objects.get(pk=batch.pk).status == AwardBatch.Status.FINISHED,
             what="the job finished", workers=[first, second], timeout=300)
    return batch, rows, [first, second]


def test_a_job_of_ten_thousand_rows_whose_worker_is_killed_creates_every_credential_exactly_once(
    achievement, owner, broker, start_worker, locker
):
    """The national-cohort size: every row's credential recorded once (their signing is covered below)."""
    batch, rows, _workers = _job_killed_mid_chunk_and_resumed(
        achievement, owner, broker, start_worker, locker, size=10_000
    )
    assert issued_rows(batch) == 10_000
    emails = list(Credential.objects.filter(achievement=achievement).values_list("recipient_email", flat=True))
    assert len(emails) == len(set(emails)) == 10_000
    assert set(emails) == {row.email for row in rows}
    assert AwardRecipient.objects.filter(batch=batch, credential=None).count() == 0


def test_a_job_whose_worker_is_killed_mid_chunk_issues_every_row_exactly_once(
    achievement, owner, broker, start_worker, client, media_root, locker
):
    batch, rows, (first, second) = _job_killed_mid_chunk_and_resumed(
        achievement, owner, broker, start_worker, locker, size=ROWS
    )
    # The worker queues each credential's signing on Celery's default queue, which these tests' workers
    # (each on a queue of its own) do not read; the sweeper queues them here, from this process.
    age(list(Credential.objects.exclude(status=ISSUED).values_list("pk", flat=True)), minutes=60)
    credential_sweep_stale()
    wait_for(lambda: count_with_status(ISSUED) == ROWS, what=f"all {ROWS} credentials ISSUED",
             workers=[first, second], timeout=180)
    recipients = list(AwardRecipient.objects.filter(batch=batch).select_related("credential"))
    assert {r.state for r in recipients} == {AwardRecipient.State.ISSUED}
    assert sorted(r.credential.recipient_email for r in recipients) == sorted(row.email for row in rows)
    ids = [r.credential_id for r in recipients]
    assert Credential.objects.count() == ROWS == len(set(ids))
    assert_issued_exactly_once(ids, documents=published(client), media_root=media_root)


def test_two_requests_racing_with_one_idempotency_key_issue_one_credential(achievement, owner, locker):
    _token, secret = api_token_create(issuer=achievement.issuer, by=owner.user, name="SIS", scopes=[Scope.AWARD])
    url = f"/api/v1/issuers/{achievement.issuer.slug}/awards/"
    body = {"achievement": str(achievement.public_id), "recipient_email": "race@example.org"}
    answers: list = []

    def send() -> None:
        api = SchemaCheckedClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
        try:
            answers.append(api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="race-1"))
        finally:
            connection.close()

    # Hold the micro-credential: the first request records its key, then waits to create the award; the
    # second waits on the key. Both are in flight at once before either can finish.
    api_schema()  # built once here: drf-spectacular's first build is not thread-safe
    held = locker("SELECT id FROM badges_achievement WHERE id = %s FOR UPDATE", achievement.pk)
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()

    def both_waiting() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                           " AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'")
            return cursor.fetchone()[0] == 2

    try:
        wait_for(both_waiting, what="both requests in flight", workers=[])
    finally:
        held.close()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(answer.status_code for answer in answers) == [201, 201]
    assert answers[0].json() == answers[1].json()
    assert sorted(answer.get("Idempotent-Replayed", "") for answer in answers) == ["", "true"]
    assert Credential.objects.filter(recipient_email="race@example.org").count() == 1
    assert AwardBatch.objects.count() == 1
