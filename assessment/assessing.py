"""The issuer's side of an application: assessors decide on the open round, and an approval issues the
credential. Owners set per achievement whether an approval needs a second, independent assessor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.models import (
    AchievementAssessmentPolicy,
    Application,
    Assessment,
    AssessmentAuditEvent,
    OutcomeScore,
    Submission,
)
from assessment.queue_notices import assessors_notify_second_approval
from assessment.selectors import credential_evidence, current_submission, evidence_current, level_passes, policy_for
from assessment.webhook_events import application_webhook_emit
from assessment.workflow import application_lock, audit_record, learner_email, learner_notify
from badges.credentials.issuing import credential_issue
from badges.credentials.webhook_events import webhook_time
from badges.models import Achievement, Credential, LearningOutcome, RubricLevel
from issuers.access import capability_check
from issuers.roles import Capability
from kernel.errors import ApplicationError
from learners.selectors import learner_verified_did
from webhooks.events import EventType

if TYPE_CHECKING:
    from kernel.users import User

Kind = AssessmentAuditEvent.Kind
Status = Application.Status
Decision = Assessment.Decision
# The decision as integrators read it in application.decided (webhooks): stable words, never labels.
WEBHOOK_DECISIONS = {Decision.APPROVE: "approved", Decision.REJECT: "rejected", Decision.REVISE: "revision_requested"}


@dataclass(frozen=True)
class OutcomeScoreInput:
    outcome: LearningOutcome
    level: RubricLevel | None
    comment: str = ""


def check_can_assess(application: Application, assessor: User) -> Submission:
    """Why `assessor` may not assess the application now, as an ApplicationError; else the open round."""
    if application.learner_id == assessor.pk:
        raise ApplicationError("own_application", _("You cannot assess your own application."))
    capability_check(issuer_id=application.achievement.issuer_id, user=assessor,
                     capability=Capability.ASSESS_APPLICATIONS)
    if application.status not in Application.IN_ASSESSMENT:
        raise ApplicationError("not_in_assessment", _("This application is not waiting for assessment."))
    submission = current_submission(application)
    if submission is None or submission.assessments.filter(assessor=assessor).exists():
        raise ApplicationError(
            "already_assessed",
            _("You have already approved this round. A second, independent approval must come from another assessor."),
        )
    return submission


def _check_scores(
    *, outcomes: list[LearningOutcome], scores: list[OutcomeScoreInput], decision: Decision, comment: str
) -> None:
    """An approval scores every outcome at its pass level or above; any other decision says why."""
    by_outcome = {score.outcome.pk: score for score in scores}
    if set(by_outcome) - {outcome.pk for outcome in outcomes}:
        raise ApplicationError("wrong_outcome", _("A score is for an outcome of another micro-credential."))
    for score in scores:
        if score.level is not None and score.level.outcome_id != score.outcome.pk:
            raise ApplicationError("wrong_level", _("A chosen level belongs to another learning outcome."))
    if decision == Decision.APPROVE:
        unscored = [
            outcome.statement for outcome in outcomes if getattr(by_outcome.get(outcome.pk), "level", None) is None
        ]
        if unscored:
            raise ApplicationError(
                "unscored", _("To approve, choose a level for every learning outcome."), details=tuple(unscored)
            )
        failing = [outcome.statement for outcome in outcomes if not level_passes(by_outcome[outcome.pk].level)]
        if failing:
            raise ApplicationError(
                "below_pass",
                _("To approve, every learning outcome must reach its pass level."),
                details=tuple(failing),
            )
    elif not comment and not any(score.comment.strip() for score in scores):
        raise ApplicationError(
            "reason_missing", _("Tell the learner why: write feedback before you send this decision.")
        )


@transaction.atomic
def application_assess(
    *,
    application: Application,
    assessor: User,
    decision: str,
    scores: list[OutcomeScoreInput],
    comment: str = "",
) -> Assessment:
    """Record one assessor's verdict on the open round and move the application on."""
    application = application_lock(application)
    submission = check_can_assess(application, assessor)
    decision = Decision(decision)
    outcomes = list(application.achievement.learning_outcomes.prefetch_related("rubric_levels"))
    comment = comment.strip()
    _check_scores(outcomes=outcomes, scores=scores, decision=decision, comment=comment)
    assessment = Assessment.objects.create(
        submission=submission, assessor=assessor, decision=decision, comment=comment
    )
    OutcomeScore.objects.bulk_create(
        OutcomeScore(assessment=assessment, outcome=score.outcome, level=score.level, comment=score.comment.strip())
        for score in scores
    )
    _application_move_on(application, submission=submission, assessment=assessment)
    return assessment


def _application_move_on(application: Application, *, submission: Submission, assessment: Assessment) -> None:
    """The next status after `assessment`, its audit event and the learner's e-mail; an approval that
    completes the policy issues the credential."""
    achievement, assessor = application.achievement, assessment.assessor
    now = timezone.now()
    audit: dict[str, Any] = {"round": submission.number, "assessment": assessment.pk}
    if assessment.decision == Decision.REVISE:
        _status_set(application, Status.REVISION_REQUESTED)
        audit_record(
            achievement=achievement, application=application, kind=Kind.REVISION_REQUESTED, actor=assessor, **audit
        )
        learner_notify(application, "revision_requested", assessment=assessment)
        _decided_emit(application, Decision.REVISE)
    elif assessment.decision == Decision.REJECT:
        _status_set(application, Status.REJECTED, decided_at=now)
        audit_record(achievement=achievement, application=application, kind=Kind.REJECTED, actor=assessor, **audit)
        learner_notify(application, "rejected", assessment=assessment)
        _decided_emit(application, Decision.REJECT)
    else:
        approvals = submission.assessments.filter(decision=Decision.APPROVE).count()
        if policy_for(achievement).second_approval_required and approvals < 2:
            _status_set(application, Status.SECOND_APPROVAL)
            audit_record(
                achievement=achievement, application=application, kind=Kind.FIRST_APPROVAL, actor=assessor, **audit
            )
            assessors_notify_second_approval(application, first_approver=assessor)
        else:
            _status_set(application, Status.APPROVED, decided_at=now)
            audit_record(achievement=achievement, application=application, kind=Kind.APPROVED, actor=assessor, **audit)
            credential = _credential_issue_for(application, assessment=assessment, issued_by=assessor)
            learner_notify(application, "approved", assessment=assessment, credential=credential)
            _decided_emit(application, Decision.APPROVE, credential=credential)


def _decided_emit(application: Application, decision: Decision, *, credential: Credential | None = None) -> None:
    """application.decided, once per decision that moves the application on (a first of two approvals
    decides nothing yet)."""
    application_webhook_emit(
        application, EventType.APPLICATION_DECIDED, decision=WEBHOOK_DECISIONS[decision],
        decided_at=webhook_time(application.decided_at or timezone.now()),
        credential={"id": str(credential.public_id)} if credential is not None else None,
    )


def _status_set(application: Application, status: str, *, decided_at: datetime | None = None) -> None:
    application.status = status
    fields = ["status", "updated_at"]
    if decided_at is not None:
        application.decided_at = decided_at
        fields.append("decided_at")
    application.save(update_fields=fields)


def _credential_issue_for(
    application: Application, *, assessment: Assessment, issued_by: User
) -> Credential:
    """Issue to the learner's verified address with the assessed results and the evidence they made public."""
    learner = application.learner
    address = learner_email(learner) if learner is not None else None
    if learner is None or address is None:
        raise ApplicationError(
            "no_verified_email", _("The learner has no verified e-mail address to issue the credential to.")
        )
    results = [
        {"outcome": str(score.outcome.public_id), "level": str(score.level.public_id), "status": "Completed"}
        for score in assessment.scores.select_related("outcome", "level").order_by("outcome__position", "outcome__pk")
    ]
    credential = credential_issue(
        achievement=application.achievement,
        recipient_email=address,
        recipient_name=application.recipient_name if application.show_name else None,
        issued_by=issued_by,
        results=results,
        evidence=credential_evidence(evidence_current(application)),
        # Once the learner has proved control of a DID (learners.dids), the credential names it too.
        recipient_did=learner_verified_did(learner) or "",
    )
    application.credential = credential
    application.save(update_fields=["credential", "updated_at"])
    audit_record(
        achievement=application.achievement,
        application=application,
        kind=Kind.CREDENTIAL_REQUESTED,
        actor=issued_by,
        credential=str(credential.public_id),
    )
    return credential


# --- Policies --------------------------------------------------------------------------------------------
@transaction.atomic
def assessment_policy_set(
    *, achievement: Achievement, by: User, second_approval_required: bool
) -> AchievementAssessmentPolicy:
    capability_check(issuer_id=achievement.issuer_id, user=by, capability=Capability.SET_ASSESSMENT_POLICIES)
    policy, _created = AchievementAssessmentPolicy.objects.select_for_update().get_or_create(achievement=achievement)
    if policy.second_approval_required != second_approval_required:
        policy.second_approval_required = second_approval_required
        policy.updated_by = by
        policy.save()
        audit_record(
            achievement=achievement,
            kind=Kind.POLICY_CHANGED,
            actor=by,
            second_approval_required=second_approval_required,
        )
    return policy
