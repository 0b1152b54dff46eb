"""PostgreSQL restarted (`pg_ctl restart -m fast`) while workers sign a batch and send its e-mails: every
session is cut and every open transaction rolled back. The workers reconnect by themselves; what was cut
off mid-way is finished by the retries and the sweeps, exactly once."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.utils import timezone

from badges.credentials.issuing import credential_issue
from badges.models import Credential, CredentialEvent
from issuers.models import SigningKey
from notifications.models import Notice
from tests.factories import make_achievement, make_issuer
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

COUNT = 120
ISSUED, SIGNING, PENDING = Credential.Status.ISSUED, Credential.Status.SIGNING, Credential.Status.PENDING


def test_a_database_restart_mid_batch_leaves_every_credential_issued_and_mailed_exactly_once(
    postgres, start_worker, client, media_root, mail_sink, report
):
    achievement = make_achievement(make_issuer())
    workers = [start_worker(concurrency=2), start_worker(concurrency=1)]
    began = time.monotonic()
    ids = [credential_issue(achievement=achievement, recipient_email=f"p{n}@example.org").pk for n in range(COUNT)]
    wait_for(lambda: count_with_status(ISSUED) >= 30, what="30 credentials ISSUED", workers=workers, timeout=180)

    # The worst moment: every pool process inside a transaction (signing, or claiming an e-mail).
    with tables_locked(SigningKey, Notice):
        wait_for(lambda: lock_waiters() >= 3, what="all three pool processes inside a transaction",
                 workers=workers)
        before = {"issued": count_with_status(ISSUED), "signing": count_with_status(SIGNING)}
        connection.close()
        # The lock holders' sessions are cut by the restart too (their context exits then fail silently).
        outage = postgres.restart()
    restarted_at = timezone.now()

    # The workers go on without help: the next task of each process finds its connection broken (health
    # check) and opens a new one; tasks cut off mid-way are retried. What stays is what only a sweep can
    # tell from a live run: rows claimed before the restart whose claim could not be released.
    def settled() -> bool:
        return not Credential.objects.filter(status=PENDING).exists() and not Credential.objects.filter(
            status=SIGNING, claimed_at__gte=restarted_at).exists() and not Notice.objects.filter(
            state=Notice.State.WAITING, created_at__gte=restarted_at).exists()

    wait_for(settled, what="the workers to finish all they could", workers=workers, timeout=240)
    without_sweep = count_with_status(ISSUED)
    stuck = list(Credential.objects.exclude(status=ISSUED).values_list("pk", flat=True))
    assert set(Credential.objects.filter(pk__in=stuck).values_list("status", flat=True)) <= {SIGNING}
    swept = sweep_as_beat_would(stuck, notices_before=restarted_at)
    wait_for(all_done, what="every credential ISSUED and every e-mail sent", workers=workers, timeout=120)
    elapsed = time.monotonic() - began

    assert_credentials_exactly_once(ids, client=client, media_root=media_root, sink=mail_sink)
    sent = assert_every_email_sent_once(mail_sink)
    assert events_per_credential(CredentialEvent.Kind.ISSUED) == dict.fromkeys(ids, 1)
    report("postgresql restarted", credentials=COUNT, at_restart=before, restart_seconds=round(outage, 2),
           issued_without_sweep=without_sweep, stuck_until_sweep=len(stuck), swept=swept, emails=sent,
           seconds=round(elapsed, 1))


def test_an_email_the_smtp_server_took_just_before_a_database_restart_is_sent_once(
    postgres, start_worker, mail_sink, report
):
    """The one moment where a retry could send twice: the SMTP server has taken the e-mail, and the database
    goes away before the worker records it SENT. The worker keeps trying to record it through the restart,
    so the sweep finds nothing to send again."""
    achievement = make_achievement(make_issuer())
    worker = start_worker(concurrency=1)
    mail_sink.hold()
    credential = credential_issue(achievement=achievement, recipient_email="once@example.org")
    wait_for(mail_sink.arrived.is_set, what="the claim e-mail at the SMTP server", workers=[worker])
    notice = Notice.objects.get(email="once@example.org")
    assert notice.state == Notice.State.WAITING and notice.sending_since is not None

    with tables_locked(Notice, row=notice.pk):
        mail_sink.release()  # 250: the e-mail is on its way
        wait_for(lambda: lock_waiters() >= 1, what="the worker recording SENT", workers=[worker])
        connection.close()
        outage = postgres.restart()
    restarted_at = timezone.now()

    wait_for(lambda: Notice.objects.get(pk=notice.pk).state == Notice.State.SENT, what="the notice SENT",
             workers=[worker], timeout=60)
    swept = sweep_as_beat_would(notices_before=restarted_at)  # what the sweep would find ten minutes on
    assert swept["notices"] == 0
    assert mail_sink.received() == {("once@example.org", notice.subject): 1}
    assert Credential.objects.get(pk=credential.pk).status == ISSUED
    report("e-mail taken just before a database restart", restart_seconds=round(outage, 2), swept=swept,
           emails=sum(mail_sink.received().values()))
