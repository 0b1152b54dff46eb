"""Two people re-issuing the same credential at the same moment, on real PostgreSQL: one renewal, one clean
refusal. Each click runs in its own thread with its own database connection, as two web requests would."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

import badges.credentials.revocation as revocation
from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import Credential, CredentialEvent
from kernel.errors import ApplicationError
from tests.factories import make_achievement, make_issuer, workflow_member
from tests.services.support import wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 30


def _waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_clicks_at_once_issue_one_renewal_and_refuse_the_other(monkeypatch):
    issuer = make_issuer()
    original = credential_issue(achievement=make_achievement(issuer), recipient_email="amina@example.org")
    credential_sign(credential_id=original.pk)
    people = [workflow_member(issuer, "owner").user, workflow_member(issuer, "assessor").user]

    # The first click to get past the check holds the original row's lock until the other click is seen
    # waiting for that lock: the two transactions overlap for certain, whatever the threads' timing.
    inside, go = threading.Event(), threading.Event()
    real_issue = revocation.credential_issue

    def issue_holding_the_lock(**kwargs):
        if not inside.is_set():
            inside.set()
            assert go.wait(WAIT_SECONDS), "the other click never waited for the lock"
        return real_issue(**kwargs)

    monkeypatch.setattr(revocation, "credential_issue", issue_holding_the_lock)
    start = threading.Barrier(len(people))
    outcomes: dict[int, object] = {}

    def click(person) -> None:
        try:
            credential = Credential.objects.get(pk=original.pk)  # each request reads its own copy
            start.wait(WAIT_SECONDS)
            outcomes[person.pk] = revocation.credential_reissue(credential=credential, by=person).pk
        except ApplicationError as refusal:
            outcomes[person.pk] = refusal.code
        except Exception as error:  # noqa: BLE001 -- reported below, never lost in the thread
            outcomes[person.pk] = repr(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=click, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    assert inside.wait(WAIT_SECONDS), outcomes
    wait_for(lambda: _waiting_for_a_lock() >= 1, what="the second click to wait for the row lock", workers=[])
    go.set()
    for thread in threads:
        thread.join(WAIT_SECONDS)

    renewals = list(Credential.objects.filter(replaces=original).values_list("pk", flat=True))
    assert len(renewals) == 1
    assert sorted(outcomes.values(), key=str) == sorted([renewals[0], "already_reissued"], key=str)
    assert CredentialEvent.objects.filter(credential=original, kind=CredentialEvent.Kind.REISSUED).count() == 1
