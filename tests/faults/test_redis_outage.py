"""Redis, the broker, stopped for a minute while assessors approve applications: every approval's work
(signing the credential, e-mailing the learner) is queued `on_commit` into a dead broker, and messages
already queued die with it (nothing is persisted). After Redis is back, the sweeps queue everything again:
every approved application's credential is issued exactly once, every e-mail sent once."""

from __future__ import annotations

import os
import time

import pytest

from assessment.models import Application
from badges.models import Credential
from issuers.models import Role
from notifications.models import Notice
from tests.console.support import application_submitted, approve
from tests.factories import make_achievement, make_issuer, make_member
from tests.faults.support import (
    all_done,
    assert_credentials_exactly_once,
    assert_every_email_sent_once,
    sweep_as_beat_would,
)
from tests.services.support import count_with_status, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BEFORE, DURING = 6, 18
# A real minute by default; FAULTS_REDIS_OUTAGE_SECONDS shortens it for a quick local run.
OUTAGE_SECONDS = float(os.environ.get("FAULTS_REDIS_OUTAGE_SECONDS", "60"))


def test_approvals_while_the_broker_is_down_are_all_issued_and_mailed_exactly_once(
    broker, start_worker, client, media_root, mail_sink, report
):
    achievement = make_achievement(make_issuer())
    assessor = make_member(achievement.issuer, "asa", Role.ASSESSOR).user
    worker = start_worker(concurrency=2)
    applications = [application_submitted(achievement, f"learner{n}") for n in range(BEFORE + DURING)]
    wait_for(all_done, what="the submissions' e-mails sent", workers=[worker], timeout=120)

    for application in applications[:BEFORE]:
        approve(application, assessor)
    broker.kill()  # while the first approvals' credentials are being signed and mailed
    down_at = time.monotonic()
    slowest = 0.0
    for application in applications[BEFORE:]:
        began = time.monotonic()
        approve(application, assessor)  # commits; queueing fails and is logged (robust on_commit)
        slowest = max(slowest, time.monotonic() - began)
        application.refresh_from_db()
        assert application.status == Application.Status.APPROVED
        assert application.credential.status == Credential.Status.PENDING
    during = {"pending": count_with_status(Credential.Status.PENDING),
              "issued": count_with_status(Credential.Status.ISSUED),
              "notices_waiting": Notice.objects.filter(state=Notice.State.WAITING).count()}
    # The worker keeps running, reconnecting in vain; whatever it was doing when Redis went away has ended
    # well before the minute is out.
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - down_at)))
    broker.start()
    outage = time.monotonic() - down_at

    # Redis came back empty. Nothing is in flight, so it is safe to sweep at once (production's beat does
    # the same after the staleness timeouts).
    assert not Credential.objects.filter(status=Credential.Status.SIGNING).exists()
    swept = sweep_as_beat_would()
    back_at = time.monotonic()
    wait_for(all_done, what="every credential ISSUED and every e-mail sent", workers=[worker], timeout=180)
    recovered = time.monotonic() - back_at

    approved = Application.objects.filter(status=Application.Status.APPROVED)
    assert approved.count() == BEFORE + DURING
    ids = list(approved.values_list("credential", flat=True))
    assert Credential.objects.count() == len(set(ids)) == BEFORE + DURING
    assert_credentials_exactly_once(ids, client=client, media_root=media_root, sink=mail_sink)
    sent = assert_every_email_sent_once(mail_sink)
    report("redis stopped", approvals_before=BEFORE, approvals_during=DURING, outage_seconds=round(outage, 1),
           slowest_approval_seconds=round(slowest, 2), during=during, swept=swept,
           recovery_seconds=round(recovered, 1), emails=sent)
