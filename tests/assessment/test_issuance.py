"""Approval issues a credential that carries the assessed results and only the evidence the learner made public."""

import pytest
from django.core import mail

from assessment.applications import application_name_set, application_submit, evidence_add
from assessment.assessing import OutcomeScoreInput, application_assess
from badges.credentials.signing import credential_sign
from badges.models import Credential
from tests.assessment.conftest import levels, upload
from tests.badges.site import site_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(application, learner, outcome, assessor, django_capture_on_commit_callbacks):
    public_file = evidence_add(
        application=application, by=learner, outcome=outcome, title="Arbetsschema",
        narrative="Schemat jag gjorde.", upload=upload(), is_public=True,
    )
    evidence_add(
        application=application, by=learner, outcome=outcome, title="Film från passet",
        url="https://video.example.org/pass", is_public=True,
    )
    evidence_add(
        application=application, by=learner, outcome=outcome, title="Privat dagbok", narrative="Bara för bedömaren.",
    )
    application_name_set(application=application, by=learner, show_name=True, recipient_name="Amina Hassan")
    application_submit(application=application, by=learner)
    _fail, passing = levels(outcome)
    with django_capture_on_commit_callbacks(execute=False):
        application_assess(
            application=application, assessor=assessor, decision="approve",
            scores=[OutcomeScoreInput(outcome=outcome, level=passing, comment="Tydligt.")],
            comment="Bra jobbat!",
        )
    application.refresh_from_db()
    return application, public_file, passing


def test_approval_issues_to_the_verified_address_with_results_and_public_evidence(approved, outcome):
    application, public_file, passing = approved
    credential = application.credential
    assert credential.status == Credential.Status.PENDING
    assert credential.recipient_email == "amina@example.org"
    assert credential.recipient_name == "Amina Hassan"
    assert credential.results == [
        {"outcome": str(outcome.public_id), "level": str(passing.public_id), "status": "Completed"}
    ]
    assert credential.evidence == [
        {"name": "Arbetsschema", "narrative": "Schemat jag gjorde.",
         "id": f"http://localhost:8000/evidence/{public_file.share_id}"},
        {"name": "Film från passet", "id": "https://video.example.org/pass"},
    ]
    assert credential.application == application


def test_the_name_is_left_out_unless_the_learner_chose_to_show_it(application, learner, outcome, assessor):
    evidence_add(application=application, by=learner, outcome=outcome, title="T", narrative="N")
    application_name_set(application=application, by=learner, show_name=False, recipient_name="Amina Hassan")
    application_submit(application=application, by=learner)
    application_assess(
        application=application, assessor=assessor, decision="approve",
        scores=[OutcomeScoreInput(outcome=outcome, level=levels(outcome)[1])],
    )
    application.refresh_from_db()
    assert application.credential.recipient_name == ""
    assert application.credential.evidence == []


def test_the_signed_credential_carries_result_and_public_evidence_and_verifies(approved, outcome):
    application, public_file, passing = approved
    credential_sign(credential_id=application.credential.id)
    credential = Credential.objects.get(pk=application.credential.pk)
    assert credential.status == Credential.Status.ISSUED
    document = credential.document
    subject = document["credentialSubject"]
    assert subject["result"] == [
        {"type": ["Result"], "resultDescription": outcome.uri, "achievedLevel": passing.uri, "status": "Completed"}
    ]
    assert [item.get("id") for item in document["evidence"]] == [
        f"http://localhost:8000/evidence/{public_file.share_id}", "https://video.example.org/pass",
    ]
    assert "Privat dagbok" not in str(document)
    result = site_verify(document)
    assert result.valid, [(check.name, check.reason) for check in result.checks if not check.passed]


def test_the_learner_is_told_after_the_commit(application, learner, outcome, assessor,
                                               django_capture_on_commit_callbacks):
    evidence_add(application=application, by=learner, outcome=outcome, title="T", narrative="N")
    application_submit(application=application, by=learner)
    with django_capture_on_commit_callbacks() as callbacks:
        application_assess(
            application=application, assessor=assessor, decision="approve",
            scores=[OutcomeScoreInput(outcome=outcome, level=levels(outcome)[1])], comment="Snyggt!",
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    assert "Grattis" in mail.outbox[0].subject
    assert "Snyggt!" in mail.outbox[0].body
