"""Applying, submitting, assessing in rounds, second approvals, rejections and the e-mails about them."""

import pytest
from django.core import mail

from assessment.applications import application_start, application_submit, evidence_add, evidence_remove
from assessment.assessing import OutcomeScoreInput, application_assess, assessment_policy_set
from assessment.models import Application, AssessmentAuditEvent, Evidence, Submission
from assessment.selectors import assessment_queue
from badges.models import Achievement
from kernel.errors import ApplicationError
from tests.assessment.conftest import docx_bytes, levels, upload
from tests.factories import make_achievement, make_user

pytestmark = pytest.mark.django_db


def assess(application, assessor, decision, outcome, *, level="pass", comment="", outcome_comment=""):
    fail, passing = levels(outcome)
    chosen = {"pass": passing, "fail": fail, None: None}[level]
    return application_assess(
        application=application,
        assessor=assessor,
        decision=decision,
        scores=[OutcomeScoreInput(outcome=outcome, level=chosen, comment=outcome_comment)],
        comment=comment,
    )


def audit_kinds(application):
    return list(application.audit_events.values_list("kind", flat=True))


def test_starting_twice_continues_the_open_application(achievement, learner):
    first = application_start(achievement=achievement, learner=learner)
    assert application_start(achievement=achievement, learner=learner) == first


def test_only_published_achievements_take_applications(issuer, learner):
    draft = make_achievement(issuer, status=Achievement.Status.APPROVED)
    with pytest.raises(ApplicationError) as refused:
        application_start(achievement=draft, learner=learner)
    assert refused.value.code == "not_published"


def test_evidence_files_are_typed_by_content_not_by_name(application, learner, outcome):
    html_as_pdf = upload("intyg.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ApplicationError) as refused:
        evidence_add(application=application, by=learner, outcome=outcome, title="Intyg", upload=html_as_pdf)
    assert refused.value.code == "file_type"
    assert not Evidence.objects.exists()

    docx = evidence_add(
        application=application, by=learner, outcome=outcome, title="Rapport",
        upload=upload("rapport.pdf", docx_bytes(), "application/pdf"),
    )
    assert docx.content_type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert docx.file.name.endswith(".docx")
    assert docx.file.name.startswith(f"{application.public_id}/")


def test_evidence_files_are_size_limited(application, learner, outcome, settings):
    settings.EVIDENCE_MAX_MB = 1
    big_pdf = upload(content=b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    with pytest.raises(ApplicationError) as refused:
        evidence_add(application=application, by=learner, outcome=outcome, title="Stor", upload=big_pdf)
    assert refused.value.code == "file_too_large"


def test_links_must_be_https(application, learner, outcome):
    with pytest.raises(ApplicationError) as refused:
        evidence_add(application=application, by=learner, outcome=outcome, title="Film", url="http://example.org/v")
    assert refused.value.code == "link_not_https"
    link = evidence_add(application=application, by=learner, outcome=outcome, title="Film", url="https://example.org/v")
    assert link.kind == Evidence.Kind.LINK


def test_submitting_needs_evidence_for_every_outcome(application, learner):
    with pytest.raises(ApplicationError) as refused:
        application_submit(application=application, by=learner)
    assert refused.value.code == "evidence_missing"
    assert application.submissions.count() == 0


def test_submitting_needs_a_verified_address(achievement, outcome):
    unverified = make_user("saman", verified=False)
    application = application_start(achievement=achievement, learner=unverified)
    evidence_add(application=application, by=unverified, outcome=outcome, title="Text", narrative="Jag gjorde det.")
    with pytest.raises(ApplicationError) as refused:
        application_submit(application=application, by=unverified)
    assert refused.value.code == "no_verified_email"


def test_submitting_sends_a_receipt_after_the_commit(application, learner, file_evidence,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        application_submit(application=application, by=learner)
        assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["amina@example.org"]]
    assert "Samarbete i arbetsgrupp" in mail.outbox[0].subject
    assert "ansökan" in mail.outbox[0].subject.lower()  # written in the learner's language (Swedish)


def test_a_submitted_application_cannot_be_changed(submitted, learner, outcome, file_evidence):
    with pytest.raises(ApplicationError):
        evidence_add(application=submitted, by=learner, outcome=outcome, title="Mer", narrative="Mer text")
    with pytest.raises(ApplicationError):
        evidence_remove(evidence=file_evidence, by=learner)


def test_revision_rounds_are_all_kept(submitted, learner, assessor, outcome, file_evidence,
                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assess(submitted, assessor, "revise", outcome, level="fail", comment="Visa också uppföljningen.",
               outcome_comment="Schemat är bra.")
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REVISION_REQUESTED
    assert "Visa också uppföljningen." in mail.outbox[-1].body

    # The learner revises: removes the old file (kept for round 1), adds new evidence, sends again.
    evidence_remove(evidence=file_evidence, by=learner)
    evidence_add(application=submitted, by=learner, outcome=outcome, title="Uppföljning", narrative="Vi följde upp.")
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=submitted, by=learner)
    with django_capture_on_commit_callbacks(execute=True):
        assess(submitted, assessor, "approve", outcome)

    rounds = list(Submission.objects.filter(application=submitted).order_by("number"))
    assert [r.number for r in rounds] == [1, 2]
    assert [item["title"] for item in rounds[0].evidence_snapshot] == ["Arbetsschema"]
    assert [item["title"] for item in rounds[1].evidence_snapshot] == ["Uppföljning"]
    first, second = (r.assessments.get() for r in rounds)
    assert (first.decision, first.comment, first.scores.get().comment) == (
        "revise", "Visa också uppföljningen.", "Schemat är bra."
    )
    assert second.decision == "approve"
    file_evidence.refresh_from_db()
    assert file_evidence.removed_at is not None and file_evidence.file  # still there for round 1's assessors
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.APPROVED
    assert submitted.credential is not None
    assert audit_kinds(submitted) == [
        "started", "evidence_added", "submitted", "revision_requested", "evidence_removed", "evidence_added",
        "submitted", "approved", "credential_requested",
    ]


def test_an_assessor_cannot_assess_their_own_application(achievement, outcome, assessor):
    application = application_start(achievement=achievement, learner=assessor)
    evidence_add(application=application, by=assessor, outcome=outcome, title="Text", narrative="Jag gjorde det.")
    application_submit(application=application, by=assessor)
    with pytest.raises(ApplicationError) as refused:
        assess(application, assessor, "approve", outcome)
    assert refused.value.code == "own_application"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_only_the_issuers_assessors_assess(submitted, outcome, owner):
    with pytest.raises(ApplicationError) as refused:
        assess(submitted, owner, "approve", outcome)
    assert refused.value.code == "forbidden"


def test_approving_needs_every_outcome_at_its_pass_level(submitted, assessor, outcome):
    with pytest.raises(ApplicationError) as unscored:
        assess(submitted, assessor, "approve", outcome, level=None)
    assert unscored.value.code == "unscored"
    with pytest.raises(ApplicationError) as below:
        assess(submitted, assessor, "approve", outcome, level="fail")
    assert below.value.code == "below_pass"
    assert submitted.submissions.get().assessments.count() == 0


def test_revision_and_rejection_need_reasons(submitted, assessor, outcome):
    for decision in ("revise", "reject"):
        with pytest.raises(ApplicationError) as refused:
            assess(submitted, assessor, decision, outcome, level=None)
        assert refused.value.code == "reason_missing"


def test_a_rejected_application_is_final_and_the_learner_is_told(submitted, assessor, outcome, learner,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assess(submitted, assessor, "reject", outcome, level="fail", comment="Underlaget visar inte målet.")
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REJECTED
    assert submitted.credential is None
    assert "Underlaget visar inte målet." in mail.outbox[-1].body
    with pytest.raises(ApplicationError):
        application_submit(application=submitted, by=learner)
    # A new application may be started afterwards.
    assert application_start(achievement=submitted.achievement, learner=learner) != submitted


def test_a_second_independent_approval_when_the_issuer_requires_it(submitted, assessor, second_assessor, owner,
                                                                  outcome, django_capture_on_commit_callbacks):
    assessment_policy_set(achievement=submitted.achievement, by=owner, second_approval_required=True)
    assess(submitted, assessor, "approve", outcome)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SECOND_APPROVAL
    assert submitted.credential is None

    with pytest.raises(ApplicationError) as again:
        assess(submitted, assessor, "approve", outcome)
    assert again.value.code == "already_assessed"

    with django_capture_on_commit_callbacks(execute=False):
        assess(submitted, second_assessor, "approve", outcome)
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.APPROVED
    assert submitted.credential is not None
    assert "first_approval" in audit_kinds(submitted)


def test_the_second_assessor_may_still_ask_for_a_revision(submitted, assessor, second_assessor, owner, outcome):
    assessment_policy_set(achievement=submitted.achievement, by=owner, second_approval_required=True)
    assess(submitted, assessor, "approve", outcome)
    assess(submitted, second_assessor, "revise", outcome, comment="Behöver ett exempel till.")
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REVISION_REQUESTED


def test_only_owners_change_the_policy_and_it_is_audited(achievement, assessor, owner):
    with pytest.raises(ApplicationError):
        assessment_policy_set(achievement=achievement, by=assessor, second_approval_required=True)
    assessment_policy_set(achievement=achievement, by=owner, second_approval_required=True)
    event = AssessmentAuditEvent.objects.get(kind="policy_changed")
    assert (event.actor, event.data) == (owner, {"second_approval_required": True})


def test_the_audit_log_is_append_only(application):
    event = application.audit_events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        AssessmentAuditEvent.objects.all().delete()


def test_the_queue_is_oldest_first_and_filters(issuer, achievement, outcome, assessor):
    from freezegun import freeze_time

    waiting = []
    for day, name in ((3, "c"), (1, "a"), (2, "b")):
        learner = make_user(name)
        application = application_start(achievement=achievement, learner=learner)
        evidence_add(application=application, by=learner, outcome=outcome, title="T", narrative="N")
        with freeze_time(f"2026-03-0{day} 10:00"):
            application_submit(application=application, by=learner)
        waiting.append(application)
    application_start(achievement=achievement, learner=make_user("draft"))  # drafts never show
    queue = assessment_queue(issuer=issuer)
    assert [a.learner.username for a in queue] == ["a", "b", "c"]
    assess(waiting[0], assessor, "reject", outcome, comment="Nej.")
    assert [a.learner.username for a in assessment_queue(issuer=issuer)] == ["a", "b"]
    rejected = assessment_queue(issuer=issuer, statuses=(Application.Status.REJECTED,))
    assert [a.learner.username for a in rejected] == ["c"]
    other = make_achievement(issuer)
    assert list(assessment_queue(issuer=issuer, achievement=other)) == []
