"""kill -9 of a Celery worker in the middle of a 300-credential award job, on PostgreSQL, Redis and SMTP of
the test's own. The sweeps and a second worker finish the job: every credential issued once, every e-mail
sent once."""

from __future__ import annotations

import os
import time

import pytest

from assessment.awards import award_batch_confirm, award_batch_prepare
from assessment.csv_import import RecipientRow
from assessment.models import AwardBatch, AwardRecipient
from badges.models import Credential, CredentialEvent, LearningOutcome
from issuers.models import Role
from notifications.models import Notice
from tests.factories import make_achievement, make_issuer, make_member
from tests.faults.support import (
    all_done,
    assert_credentials_exactly_once,
    assert_every_email_sent_once,
    lock_waiters,
    sweep_as_beat_would,
    tables_locked,
)
from tests.services.support import count_with_status, events_per_credential, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

# The size of a cohort's award; FAULTS_ROWS makes it larger (the figures in docs/reliability.md name theirs).
ROWS = int(os.environ.get("FAULTS_ROWS", "300"))
ISSUED, SIGNING = Credential.Status.ISSUED, Credential.Status.SIGNING


def test_a_worker_killed_mid_batch_leaves_every_credential_issued_and_mailed_exactly_once(
    start_worker, client, media_root, mail_sink, report
):
    achievement = make_achievement(make_issuer())
    owner = make_member(achievement.issuer, "olga", Role.OWNER, Role.ASSESSOR)
    rows = [RecipientRow(line=n + 1, email=f"row{n}@example.org", name=f"Row {n}") for n in range(ROWS)]
    batch = award_batch_prepare(issuer=achievement.issuer, achievement=achievement, by=owner.user, rows=rows)
    first = start_worker(concurrency=2)
    began = time.monotonic()
    award_batch_confirm(batch=batch, by=owner.user, in_background=True)
    wait_for(lambda: count_with_status(ISSUED) >= 60, what="60 credentials ISSUED", workers=[first], timeout=180)

    # Hold the learning outcomes and the e-mails not yet claimed: every pool process stops with a chunk of
    # credentials claimed (waiting to build their draft) or before it sends an e-mail, and there it dies.
    with tables_locked(LearningOutcome, unclaimed_notices=True):
        wait_for(lambda: lock_waiters() >= 2, what="both pool processes inside a transaction", workers=[first])
        first.kill()
    interrupted = set(Credential.objects.filter(status=SIGNING).values_list("pk", flat=True))
    at_kill = {"issued": count_with_status(ISSUED), "signing": len(interrupted),
               "pending": count_with_status(Credential.Status.PENDING),
               "not_created": ROWS - Credential.objects.count(),
               "notices_waiting": Notice.objects.filter(state=Notice.State.WAITING).count()}
    assert at_kill["issued"] < ROWS

    # Nothing more happens by itself: the killed worker's messages are unacknowledged in Redis until the
    # visibility timeout (an hour). The periodic sweeps find what is stale; the clocks are moved for them.
    swept = sweep_as_beat_would()
    second = start_worker(concurrency=2)
    wait_for(lambda: AwardBatch.objects.get(pk=batch.pk).status == AwardBatch.Status.FINISHED,
             what="the job finished", workers=[second], timeout=180)
    wait_for(all_done, what=f"all {ROWS} credentials ISSUED and every e-mail sent", workers=[second], timeout=240)
    elapsed = time.monotonic() - began

    recipients = list(AwardRecipient.objects.filter(batch=batch))
    assert {r.state for r in recipients} == {AwardRecipient.State.ISSUED}
    ids = [r.credential_id for r in recipients]
    assert len(set(ids)) == Credential.objects.count() == ROWS
    assert_credentials_exactly_once(ids, client=client, media_root=media_root, sink=mail_sink)
    sent = assert_every_email_sent_once(mail_sink)
    started = events_per_credential(CredentialEvent.Kind.SIGNING_STARTED)
    assert {pk for pk, n in started.items() if n > 1} >= interrupted
    report("worker killed", rows=ROWS, at_kill=at_kill, swept=swept, emails=sent,
           signed_twice=sorted(interrupted), seconds=round(elapsed, 1))
