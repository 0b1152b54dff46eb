"""Each state change emits its event exactly once, from the transaction that makes it: a retried task or
a second click emits nothing more, and a rolled-back change emits nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.db import transaction

from assessment.applications import application_submit, evidence_add
from assessment.assessing import OutcomeScoreInput, application_assess
from badges.credentials.claims import credential_claim_accept
from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from tests.assessment.conftest import application, assessor, learner, levels, outcome  # noqa: F401
from tests.factories import make_user
from webhooks.models import WebhookEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def subscribed(endpoint_for):
    endpoint, _secret = endpoint_for("https://hooks.example.org/in")
    return endpoint


def events(event_type):
    return [json.loads(event.body) for event in WebhookEvent.objects.filter(event_type=event_type)]


def test_signing_emits_credential_issued_once(credential, issuer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        credential_sign(credential_id=credential.id)
        credential_sign(credential_id=credential.id)  # a retried task
    [event] = events("credential.issued")
    data = event["data"]["credential"]
    assert event["issuer"] == issuer.slug and data["id"] == str(credential.public_id)
    assert data["url"].endswith(f"/c/{credential.public_id}")
    assert data["achievement"]["id"] == str(credential.achievement.public_id)
    assert "amina" not in json.dumps(event).lower()  # no personal data in the payload


def test_claiming_emits_credential_claimed_once(credential, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        credential_sign(credential_id=credential.id)
    token = re.search(r"/claim/(\S+)", mail.outbox[-1].body).group(1)
    amina = make_user("amina")
    with django_capture_on_commit_callbacks(execute=False):
        credential_claim_accept(token=token, user=amina)
        credential_claim_accept(token=token, user=amina)  # a double click
    [event] = events("credential.claimed")
    assert event["data"]["credential"]["claimed_at"]


def test_revoking_emits_credential_revoked_once_and_a_rolled_back_revocation_nothing(
    issued, django_capture_on_commit_callbacks
):
    from tests.factories import workflow_member

    owner = workflow_member(issued.issuer, "owner")
    with pytest.raises(RuntimeError), transaction.atomic():
        credential_revoke(credential=issued, by=owner.user, reason="Fel person")
        raise RuntimeError("the surrounding work failed")
    assert events("credential.revoked") == []
    issued.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        credential_revoke(credential=issued, by=owner.user, reason="Fel person")
    [event] = events("credential.revoked")
    assert event["data"]["credential"]["revoked_at"]


def test_submitting_and_deciding_an_application_emit_once_each(
    application, learner, assessor, outcome, django_capture_on_commit_callbacks  # noqa: F811
):
    evidence_add(application=application, by=learner, outcome=outcome, title="Text", narrative="Jag gjorde det.")
    with django_capture_on_commit_callbacks(execute=False):
        application_submit(application=application, by=learner)
    [submitted] = events("application.submitted")
    assert submitted["data"]["application"]["id"] == str(application.public_id)
    assert submitted["data"]["application"]["round"] == 1
    with django_capture_on_commit_callbacks(execute=False):
        application_assess(application=application, assessor=assessor, decision="approve",
                           scores=[OutcomeScoreInput(outcome=outcome, level=levels(outcome)[1])])
    [decided] = events("application.decided")
    application.refresh_from_db()
    assert decided["data"]["application"]["decision"] == "approved"
    assert decided["data"]["application"]["credential"] == {"id": str(application.credential.public_id)}
    assert events("credential.issued") == []  # issued later, when the credential is signed


def test_a_finished_award_job_emits_award_job_finished_once_with_its_counts(
    issuer, achievement, owner, django_capture_on_commit_callbacks
):
    from assessment.award_jobs import award_job_run
    from assessment.awards import award_batch_confirm, award_batch_prepare
    from assessment.csv_import import RecipientRow

    rows = [RecipientRow(line=n, email=f"person{n}@example.org", name=f"Person {n}") for n in (1, 2)]
    batch = award_batch_prepare(issuer=issuer, achievement=achievement, by=owner.user, rows=rows)
    with django_capture_on_commit_callbacks(execute=False):
        award_batch_confirm(batch=batch, by=owner.user, in_background=False)
        award_job_run(batch_id=batch.pk)  # a redelivered task: the job is already finished
    [event] = events("award_job.finished")
    data = event["data"]["award_job"]
    assert data["id"] == str(batch.public_id) and data["achievement"]["id"] == str(achievement.public_id)
    assert (data["issued"], data["failed"]) == (2, 0) and data["finished_at"]
    assert "person1" not in json.dumps(event)


def test_signing_a_chunk_emits_one_credential_issued_per_credential_with_its_deliveries(
    achievement, endpoint_for, django_capture_on_commit_callbacks
):
    from badges.credentials.issuing import NewRecipient, credentials_issue
    from badges.credentials.signing import credentials_sign
    from webhooks.models import WebhookDelivery

    second, _secret = endpoint_for("https://hooks.example.org/second", events=["credential.issued"])
    with django_capture_on_commit_callbacks(execute=False):
        credentials = credentials_issue(achievement=achievement,
                                        recipients=[NewRecipient(email=f"c{n}@example.org") for n in range(3)])
    with django_capture_on_commit_callbacks(execute=False):
        credentials_sign(credential_ids=[c.pk for c in credentials])
        credentials_sign(credential_ids=[c.pk for c in credentials])  # a retried task
    issued = events("credential.issued")
    assert sorted(event["data"]["credential"]["id"] for event in issued) == sorted(
        str(c.public_id) for c in credentials
    )
    assert len({event["id"] for event in issued}) == 3
    # Both endpoints (the autouse one and the second) get a delivery of each event.
    deliveries = WebhookDelivery.objects.filter(event__event_type="credential.issued")
    assert deliveries.count() == 6 and deliveries.filter(endpoint=second).count() == 3
