"""A learner's applications in their data export; anonymised, never deleted, when they delete their account;
and credentials that name the learner's proved DID."""

import io
import json
import zipfile

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from assessment.applications import application_start, evidence_add
from assessment.assessing import OutcomeScoreInput, application_assess
from assessment.awards import award_batch_confirm, award_batch_prepare
from assessment.csv_import import RecipientRow
from assessment.files import evidence_storage
from assessment.mentors import mentor_comment_add, mentor_invitation_accept, mentor_invite
from assessment.models import (
    Application,
    Assessment,
    AssessmentAuditEvent,
    AwardRecipient,
    Evidence,
    MentorComment,
    MentorInvitation,
    OutcomeScore,
    Submission,
)
from badges.credentials.signing import credential_sign
from learners.dids import did_challenge_create, learner_did_prove
from learners.services import learner_account_delete, learner_export_write
from ob3.keys import LocalSigner
from tests.assessment.conftest import PDF, levels, upload
from tests.badges.site import site_verify
from tests.factories import make_achievement, make_user
from tests.learners.test_did import did_key, jws, key_kid

pytestmark = pytest.mark.django_db


def export(user) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    learner_export_write(user=user, file=buffer)
    return zipfile.ZipFile(buffer)


@pytest.fixture
def mentored(application, learner, django_capture_on_commit_callbacks):
    """Maja, invited by the learner, has commented on the draft."""
    maja = make_user("maja")
    with django_capture_on_commit_callbacks(execute=True):
        mentor_invite(application=application, by=learner, email="maja@example.org")
    token = mail.outbox[-1].body.split("/applications/mentor/")[1].split("/")[0]
    mentor_invitation_accept(token=token, user=maja)
    mentor_comment_add(application=application, by=maja, body="Lägg till ett foto på schemat.")
    return maja


@pytest.fixture
def approved(submitted, learner, outcome, assessor, django_capture_on_commit_callbacks):
    """The submitted application, approved with feedback; its credential signed."""
    with django_capture_on_commit_callbacks(execute=False):
        application_assess(
            application=submitted, assessor=assessor, decision="approve",
            scores=[OutcomeScoreInput(outcome=outcome, level=levels(outcome)[1], comment="Amina visar tydligt.")],
            comment="Bra jobbat, Amina!",
        )
    submitted.refresh_from_db()
    credential_sign(credential_id=submitted.credential.id)
    submitted.credential.refresh_from_db()
    return submitted


def test_the_export_holds_each_application_with_its_rounds_feedback_and_evidence_bytes(approved, learner,
                                                                                       file_evidence):
    archive = export(learner)
    folder = f"other/applications/Samarbete-i-arbetsgrupp-{approved.public_id}"
    data = json.loads(archive.read(f"{folder}/application.json"))
    assert data["achievement"]["name"] == "Samarbete i arbetsgrupp"
    assert data["status"] == "approved"
    assert data["credential"] == str(approved.credential.public_id)
    [evidence] = data["evidence"]
    assert evidence["title"] == "Arbetsschema" and evidence["narrative"] == "Schemat jag gjorde för gruppen."
    assert archive.read(f"other/{evidence['file']}") == PDF
    [round_one] = data["rounds"]
    assert round_one["round"] == 1 and round_one["evidence_sent"][0]["title"] == "Arbetsschema"
    [assessment] = round_one["assessments"]
    assert assessment["decision"] == "approve" and assessment["feedback"] == "Bra jobbat, Amina!"
    assert assessment["learning_outcomes"][0]["level"] == "Godkänd"


def test_the_export_holds_links_mentors_and_comments(application, learner, outcome, mentored):
    evidence_add(application=application, by=learner, outcome=outcome, title="Film",
                 url="https://video.example.org/pass")
    data = json.loads(export(learner).read(
        f"other/applications/Samarbete-i-arbetsgrupp-{application.public_id}/application.json"))
    assert [item["link"] for item in data["evidence"]] == ["https://video.example.org/pass"]
    assert data["mentor_invitations"][0]["email"] == "maja@example.org"
    assert data["comments"] == [
        {"by": "mentor", "comment": "Lägg till ett foto på schemat.", "written_at": data["comments"][0]["written_at"]}
    ]


def test_another_persons_applications_are_not_in_the_export(application, learner):
    saman = make_user("saman")
    assert not [name for name in export(saman).namelist() if name.startswith("other/")]


def test_deleting_a_learner_who_applied_anonymises_the_applications_and_keeps_the_audit_trail(
    approved, learner, outcome, achievement, django_capture_on_commit_callbacks
):
    # A second, still open application (a new version of the micro-credential), with a mentor.
    draft = application_start(achievement=make_achievement(achievement.issuer), learner=learner)
    draft_outcome = draft.achievement.learning_outcomes.get()
    evidence_add(application=draft, by=learner, outcome=draft_outcome, title="Utkast",
                             narrative="Mitt utkast.", upload=upload("utkast.pdf"))
    invitation = mentor_invite(application=draft, by=learner, email="maja@example.org")
    mentor_comment_add(application=draft, by=learner, body="Min kommentar.")
    files = [item.file.name for item in Evidence.objects.exclude(file="")]
    assert len(files) == 2 and all(evidence_storage().exists(name) for name in files)
    audit_before = list(AssessmentAuditEvent.objects.order_by("pk").values_list("pk", "kind", "data"))
    downloaded = approved.credential.document

    client = Client()
    client.force_login(learner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learners:account-delete"),
                               {"password": "correct-horse-battery", "confirm": "on"})
    assert response.status_code == 302

    # The evidence files are gone from storage; the rows say nothing about the person any more.
    assert not any(evidence_storage().exists(name) for name in files)
    for evidence in Evidence.objects.all():
        assert (evidence.title, evidence.narrative, evidence.url, evidence.file.name, evidence.original_name) == (
            "", "", "", "", "")
        assert evidence.removed_at is not None and not evidence.is_public
    for submission in Submission.objects.all():
        assert all(set(entry) == {"evidence", "outcome", "kind", "erased"} for entry in submission.evidence_snapshot)
    assert not Assessment.objects.exclude(comment="").exists()
    assert not OutcomeScore.objects.exclude(comment="").exists()
    assert not MentorComment.objects.exists() and not MentorInvitation.objects.filter(pk=invitation.pk).exists()

    approved.refresh_from_db()
    draft.refresh_from_db()
    assert approved.learner is None and approved.erased_at is not None
    assert approved.status == Application.Status.APPROVED  # decided: the decision stands
    assert draft.learner is None and draft.status == Application.Status.ERASED  # open: withdrawn
    assert approved.recipient_name == "" and not approved.show_name

    # Every earlier audit event is still there, unchanged, and one more says the data was erased.
    audit_after = list(AssessmentAuditEvent.objects.order_by("pk").values_list("pk", "kind", "data"))
    assert audit_after[: len(audit_before)] == audit_before
    assert [kind for _pk, kind, _data in audit_after[len(audit_before):]] == ["erased", "erased"]

    # The issued credential still verifies, as the learner downloaded it and as the issuer keeps it.
    assert approved.credential.document == downloaded
    assert site_verify(downloaded).valid


def test_erased_applications_show_in_the_console_without_the_person(approved, learner, assessor, issuer):
    learner_account_delete(user=learner, password="correct-horse-battery")
    client = Client()
    client.force_login(assessor)
    queue = client.get(reverse("assessment:queue", args=[issuer.slug]) + "?status=approved",
                       HTTP_ACCEPT_LANGUAGE="en")
    assert queue.status_code == 200
    assert "Erased: the learner deleted their account" in queue.content.decode()
    page = client.get(reverse("assessment:assess", args=[issuer.slug, approved.public_id]),
                      HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Erased evidence" in page.content.decode()
    assert "Arbetsschema" not in page.content.decode() and "Bra jobbat" not in page.content.decode()


def test_an_application_withdrawn_by_erasure_cannot_be_assessed(submitted, learner, outcome, assessor):
    learner_account_delete(user=learner, password="correct-horse-battery")
    submitted.refresh_from_db()
    from kernel.errors import ApplicationError

    with pytest.raises(ApplicationError):
        application_assess(application=submitted, assessor=assessor, decision="approve",
                           scores=[OutcomeScoreInput(outcome=outcome, level=levels(outcome)[1])])


def test_direct_award_recipients_lose_the_address_of_an_erased_learner(issuer, achievement, owner, learner):
    batch = award_batch_prepare(issuer=issuer, achievement=achievement, by=owner,
                                rows=[RecipientRow(line=2, email="amina@example.org", name="Amina Hassan")])
    award_batch_confirm(batch=batch, by=owner)
    learner_account_delete(user=learner, password="correct-horse-battery")
    recipient = AwardRecipient.objects.get()
    assert (recipient.email, recipient.name) == ("", "")
    assert recipient.credential is not None


def test_a_failing_erasure_leaves_everything_and_every_file_in_place(file_evidence, learner,
                                                                     django_capture_on_commit_callbacks):
    from learners.signals import learner_erase

    def failing(sender, user, **kwargs):  # a receiver after assessment's fails: all of it rolls back
        raise RuntimeError("could not erase")

    name = file_evidence.file.name
    learner_erase.connect(failing)
    try:
        with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
            learner_account_delete(user=learner, password="correct-horse-battery")
    finally:
        learner_erase.disconnect(failing)
    assert evidence_storage().exists(name)
    file_evidence.refresh_from_db()
    assert file_evidence.title == "Arbetsschema"
    assert Application.objects.get().learner == learner


# --- the learner's DID in credentials ------------------------------------------------------------------
@pytest.fixture
def amina_did(learner):
    signer = LocalSigner.generate()
    challenge = did_challenge_create(user=learner)
    learner_did_prove(user=learner, token=jws(signer, kid=key_kid(signer), nonce=challenge.nonce))
    return did_key(signer)


def test_an_approved_application_names_the_learners_proved_did(amina_did, approved):
    document = approved.credential.document
    assert approved.credential.recipient_did == amina_did
    assert document["credentialSubject"]["id"] == amina_did
    assert site_verify(document).valid


def test_without_a_proved_did_the_credential_names_only_the_email_hash(approved):
    assert approved.credential.recipient_did == ""
    assert "id" not in approved.credential.document["credentialSubject"]


def test_a_direct_award_names_the_did_of_whoever_verified_the_address(amina_did, issuer, achievement, owner,
                                                                     django_capture_on_commit_callbacks):
    batch = award_batch_prepare(issuer=issuer, achievement=achievement, by=owner, rows=[
        RecipientRow(line=2, email="Amina@Example.org", name=""),
        RecipientRow(line=3, email="someone@example.org", name=""),
    ])
    with django_capture_on_commit_callbacks(execute=False):
        award_batch_confirm(batch=batch, by=owner)
    by_email = {recipient.email: recipient.credential for recipient in batch.recipients.all()}
    assert by_email["amina@example.org"].recipient_did == amina_did
    assert by_email["someone@example.org"].recipient_did == ""
    credential_sign(credential_id=by_email["amina@example.org"].id)
    by_email["amina@example.org"].refresh_from_db()
    document = by_email["amina@example.org"].document
    assert document["credentialSubject"]["id"] == amina_did
    assert site_verify(document).valid


def test_a_mentor_who_deletes_their_account_leaves_the_learners_application_intact(application, mentored):
    learner_account_delete(user=mentored, password="correct-horse-battery")
    invitation = MentorInvitation.objects.get()
    assert invitation.email == "" and invitation.revoked_at is not None
    application.refresh_from_db()
    assert application.erased_at is None and application.learner is not None
    assert MentorComment.objects.count() == 1  # the learner's record of the advice stays
