"""Applications, evidence, mentors, assessment rounds and direct awards.

Each service checks first (status, roles, input) and only then changes anything, in one transaction.
Every step is written to the append-only `AssessmentAuditEvent`; e-mails to the learner are rendered at
once (in the learner's language) and sent after the commit. Issuing goes through
`badges.credentials.issuing.credential_issue`, which signs asynchronously.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import File
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.csv_import import RecipientRow
from assessment.files import sniff_upload
from assessment.models import (
    AchievementAssessmentPolicy,
    Application,
    Assessment,
    AssessmentAuditEvent,
    AwardBatch,
    AwardRecipient,
    Evidence,
    MentorComment,
    MentorInvitation,
    OutcomeScore,
    Submission,
)
from badges.credentials.issuing import credential_issue
from badges.models import Achievement, Credential, LearningOutcome, RubricLevel
from issuers.access import capability_check
from issuers.models import Issuer
from issuers.roles import Capability
from kernel.errors import ApplicationError
from kernel.public_urls import public_url
from kernel.tokens import secret_token, secret_token_hash
from learners.selectors import learner_verified_did, learner_verified_did_for_email

logger = logging.getLogger(__name__)
Kind = AssessmentAuditEvent.Kind
Status = Application.Status
Decision = Assessment.Decision


def evidence_storage():  # noqa: ANN201 – a Storage
    return storages["evidence"]


def audit_record(
    *,
    achievement: Achievement,
    kind: str,
    actor: AbstractBaseUser | None,
    application: Application | None = None,
    batch: AwardBatch | None = None,
    **data: Any,
) -> AssessmentAuditEvent:
    return AssessmentAuditEvent.objects.create(
        achievement=achievement, application=application, batch=batch, kind=kind, actor=actor, data=data
    )


def learner_email(user: AbstractBaseUser) -> str | None:
    """The learner's verified primary e-mail address: the only address a credential is issued to."""
    address = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return address.email if address else None


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("achievement__issuer").get(pk=application.pk)


def _check_editable(application: Application) -> None:
    if not application.is_editable:
        raise ApplicationError(
            "not_editable", _("This application has been sent for assessment and cannot be changed now.")
        )


def _check_learner(application: Application, by: AbstractBaseUser) -> None:
    if application.learner_id != by.pk:
        raise ApplicationError("not_learner", _("Only the learner can change the application."))


def _notify_learner(application: Application, template: str, **context: Any) -> None:
    """Render now, in the learner's language, and send once the transaction has committed."""
    if application.learner is None:  # erased
        return
    address = learner_email(application.learner)
    if address is None:
        return
    context = {
        "application": application,
        "achievement": application.achievement,
        "issuer": application.achievement.issuer,
        "application_url": settings.PUBLIC_BASE_URL
        + reverse("applications:detail", args=[application.public_id]),
        **context,
    }
    with translation.override(application.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"assessment/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"assessment/email/{template}_message.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))


# --- Applications and evidence -------------------------------------------------------------------------
@transaction.atomic
def application_start(*, achievement: Achievement, learner: AbstractBaseUser, language: str = "") -> Application:
    """The learner's open application for the achievement, started now if they have none."""
    if achievement.status != Achievement.Status.PUBLISHED:
        raise ApplicationError("not_published", _("This micro-credential is not open for applications."))
    open_statuses = [*Application.EDITABLE, *Application.IN_ASSESSMENT]
    existing = Application.objects.filter(achievement=achievement, learner=learner, status__in=open_statuses).first()
    if existing:
        return existing
    application = Application.objects.create(
        achievement=achievement, learner=learner, language=language or translation.get_language() or ""
    )
    audit_record(achievement=achievement, application=application, kind=Kind.STARTED, actor=learner)
    return application


@transaction.atomic
def application_name_set(
    *, application: Application, by: AbstractBaseUser, show_name: bool, recipient_name: str
) -> Application:
    _check_learner(application, by)
    application = _lock(application)
    _check_editable(application)
    recipient_name = recipient_name.strip()
    if show_name and not recipient_name:
        raise ApplicationError("name_missing", _("Write the name you want the credential to show."))
    application.show_name = show_name
    application.recipient_name = recipient_name if show_name else ""
    application.save(update_fields=["show_name", "recipient_name", "updated_at"])
    return application


def _outcome_of(application: Application, outcome: LearningOutcome) -> LearningOutcome:
    if outcome.achievement_id != application.achievement_id:
        raise ApplicationError("wrong_outcome", _("This learning outcome belongs to another micro-credential."))
    return outcome


@transaction.atomic
def evidence_add(
    *,
    application: Application,
    by: AbstractBaseUser,
    outcome: LearningOutcome,
    title: str,
    narrative: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    is_public: bool = False,
) -> Evidence:
    """A file, a link (https only) or, with neither, a written account for one learning outcome."""
    _check_learner(application, by)
    application = _lock(application)
    _check_editable(application)
    _outcome_of(application, outcome)
    title, narrative, url = title.strip(), narrative.strip(), url.strip()
    if upload is not None and url:
        raise ApplicationError("file_and_link", _("Add a file or a link, not both at once."))
    if url and not url.lower().startswith("https://"):
        raise ApplicationError("link_not_https", _("Links must start with https://."))
    if upload is None and not url and not narrative:
        raise ApplicationError("empty_evidence", _("Write something, add a file or add a link."))
    if not title:
        raise ApplicationError("title_missing", _("Give the evidence a short title."))
    evidence = Evidence(
        application=application, outcome=outcome, title=title[:200], narrative=narrative, is_public=is_public
    )
    if upload is not None:
        sniffed = sniff_upload(upload)
        evidence.kind = Evidence.Kind.FILE
        evidence.original_name = (upload.name or "")[-255:]
        evidence.content_type = sniffed.content_type
        evidence.size = sniffed.size
        # A random name under the application's folder: nothing the learner typed reaches the storage path.
        name = f"{application.public_id}/{uuid.uuid4()}.{sniffed.extension}"
        evidence.file.name = evidence_storage().save(name, File(upload))
    elif url:
        evidence.kind = Evidence.Kind.LINK
        evidence.url = url
    else:
        evidence.kind = Evidence.Kind.TEXT
    evidence.full_clean(exclude=["file"])
    evidence.save()
    audit_record(
        achievement=application.achievement,
        application=application,
        kind=Kind.EVIDENCE_ADDED,
        actor=by,
        evidence=str(evidence.public_id),
        evidence_kind=evidence.kind,
    )
    return evidence


@transaction.atomic
def evidence_set_public(*, evidence: Evidence, by: AbstractBaseUser, is_public: bool) -> Evidence:
    application = evidence.application
    _check_learner(application, by)
    _check_editable(_lock(application))
    evidence = Evidence.objects.get(pk=evidence.pk)  # as it is now, under the application's lock
    evidence.is_public = is_public
    evidence.save(update_fields=["is_public"])
    audit_record(
        achievement=application.achievement,
        application=application,
        kind=Kind.EVIDENCE_VISIBILITY,
        actor=by,
        evidence=str(evidence.public_id),
        is_public=is_public,
    )
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: AbstractBaseUser) -> None:
    """Delete a never-submitted piece; hide one an earlier round was assessed on (assessors keep it)."""
    application = evidence.application
    _check_learner(application, by)
    _check_editable(_lock(application))
    evidence = Evidence.objects.get(pk=evidence.pk)  # as it is now, under the application's lock
    audit_record(
        achievement=application.achievement,
        application=application,
        kind=Kind.EVIDENCE_REMOVED,
        actor=by,
        evidence=str(evidence.public_id),
    )
    if evidence.submitted:
        evidence.removed_at = timezone.now()
        evidence.is_public = False
        evidence.save(update_fields=["removed_at", "is_public"])
        return
    name = evidence.file.name
    evidence.delete()
    if name:
        transaction.on_commit(lambda: evidence_storage().delete(name))


def evidence_current(application: Application) -> list[Evidence]:
    return list(application.evidence.filter(removed_at__isnull=True).select_related("outcome"))


# --- Mentors -------------------------------------------------------------------------------------------

@transaction.atomic
def mentor_invite(*, application: Application, by: AbstractBaseUser, email: str) -> MentorInvitation:
    _check_learner(application, by)
    application = _lock(application)
    _check_editable(application)
    email = email.strip().lower()
    if email in {address.lower() for address in EmailAddress.objects.filter(user=by).values_list("email", flat=True)}:
        raise ApplicationError("self_mentor", _("Invite someone else: this is your own e-mail address."))
    token = secret_token()
    invitation = MentorInvitation.objects.create(
        application=application,
        email=email,
        token_hash=secret_token_hash(token),
        expires_at=timezone.now() + timedelta(days=settings.MENTOR_INVITATION_DAYS),
    )
    context = {
        "invitation": invitation,
        "application": application,
        "achievement": application.achievement,
        "learner_name": by.get_full_name() or by.email,
        "accept_url": settings.PUBLIC_BASE_URL + reverse("applications:mentor-accept", args=[token]),
    }
    # In the learner's language: they chose whom to invite and know what language they share.
    subject = render_to_string("assessment/email/mentor_invitation_subject.txt", context).strip()
    body = render_to_string("assessment/email/mentor_invitation_message.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [email]))
    audit_record(
        achievement=application.achievement, application=application, kind=Kind.MENTOR_INVITED, actor=by, email=email
    )
    return invitation


def mentor_invitation_check(*, token: str, user: AbstractBaseUser, lock: bool = False) -> MentorInvitation:
    """The open invitation behind a link, for a signed-in person with a verified matching address."""
    invitations = MentorInvitation.objects.select_related("application__achievement__issuer", "application__learner")
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the learner.
    invitation = (invitations.select_for_update(of=("self",)) if lock else invitations).filter(
        token_hash=secret_token_hash(token), accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None or not invitation.application.is_editable:
        raise ApplicationError("invalid", _("This invitation link is not valid or has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ApplicationError("expired", _("This invitation has expired. Ask the learner to invite you again."))
    if invitation.application.learner_id == user.pk:
        raise ApplicationError("own_application", _("This is an invitation to your own application."))
    if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
        raise ApplicationError(
            "wrong_email",
            _("This invitation was sent to %(email)s. Sign in with that address, or add and verify it in your account.")
            % {"email": invitation.email},
        )
    return invitation


@transaction.atomic
def mentor_invitation_accept(*, token: str, user: AbstractBaseUser) -> Application:
    invitation = mentor_invitation_check(token=token, user=user, lock=True)
    invitation.accepted_at = timezone.now()
    invitation.mentor = user
    invitation.save(update_fields=["accepted_at", "mentor"])
    application = invitation.application
    audit_record(achievement=application.achievement, application=application, kind=Kind.MENTOR_JOINED, actor=user)
    return application


@transaction.atomic
def mentor_comment_add(*, application: Application, by: AbstractBaseUser, body: str) -> MentorComment:
    """A comment by an invited mentor, or the learner's answer; kept with the application."""
    application = _lock(application)
    _check_editable(application)
    is_mentor = application.mentor_invitations.filter(mentor=by, revoked_at__isnull=True).exists()
    if not is_mentor and application.learner_id != by.pk:
        raise ApplicationError("not_mentor", _("Only the learner and their mentors can comment."))
    body = body.strip()
    if not body:
        raise ApplicationError("empty_comment", _("Write a comment first."))
    comment = MentorComment.objects.create(application=application, author=by, body=body)
    audit_record(
        achievement=application.achievement, application=application, kind=Kind.MENTOR_COMMENTED, actor=by
    )
    return comment


# --- Submitting ----------------------------------------------------------------------------------------
def _snapshot(evidence: Evidence) -> dict[str, Any]:
    return {
        "evidence": str(evidence.public_id),
        "outcome": str(evidence.outcome.public_id),
        "kind": evidence.kind,
        "title": evidence.title,
        "narrative": evidence.narrative,
        "url": evidence.url,
        "original_name": evidence.original_name,
        "is_public": evidence.is_public,
    }


@transaction.atomic
def application_submit(*, application: Application, by: AbstractBaseUser) -> Submission:
    """Send the application (again) for assessment: a new numbered round with the evidence as it is now."""
    _check_learner(application, by)
    application = _lock(application)
    _check_editable(application)
    if learner_email(by) is None:
        raise ApplicationError(
            "no_verified_email", _("Verify your e-mail address first: the credential is issued to it.")
        )
    evidence = evidence_current(application)
    outcomes = list(application.achievement.learning_outcomes.all())
    missing = [outcome for outcome in outcomes if not any(item.outcome_id == outcome.pk for item in evidence)]
    if missing:
        raise ApplicationError(
            "evidence_missing",
            _("Add evidence for every learning outcome before you send the application."),
            details=tuple(outcome.statement for outcome in missing),
        )
    number = application.submissions.count() + 1
    submission = Submission.objects.create(
        application=application, number=number, submitted_by=by, evidence_snapshot=[_snapshot(e) for e in evidence]
    )
    Evidence.objects.filter(pk__in=[item.pk for item in evidence]).update(submitted=True)
    now = timezone.now()
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        achievement=application.achievement, application=application, kind=Kind.SUBMITTED, actor=by, round=number
    )
    _notify_learner(application, "submitted", submission=submission)
    return submission


# --- Assessing -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OutcomeScoreInput:
    outcome: LearningOutcome
    level: RubricLevel | None
    comment: str = ""


def policy_for(achievement: Achievement) -> AchievementAssessmentPolicy:
    return AchievementAssessmentPolicy.objects.filter(achievement=achievement).first() or AchievementAssessmentPolicy(
        achievement=achievement
    )


def current_submission(application: Application) -> Submission | None:
    return application.submissions.order_by("-number").first()


def level_passes(level: RubricLevel) -> bool:
    """A level passes when it is the outcome's pass level or above it; a rubric without one passes any level."""
    levels = list(level.outcome.rubric_levels.all())
    passing = next((candidate for candidate in levels if candidate.is_pass_level), None)
    if passing is None:
        return True
    return (level.position, level.pk) >= (passing.position, passing.pk)


def check_can_assess(application: Application, assessor: AbstractBaseUser) -> Submission:
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


@transaction.atomic
def application_assess(
    *,
    application: Application,
    assessor: AbstractBaseUser,
    decision: str,
    scores: list[OutcomeScoreInput],
    comment: str = "",
) -> Assessment:
    """Record one assessor's verdict on the open round and move the application on."""
    application = _lock(application)
    submission = check_can_assess(application, assessor)
    decision = Decision(decision)
    outcomes = list(application.achievement.learning_outcomes.prefetch_related("rubric_levels"))
    by_outcome = {score.outcome.pk: score for score in scores}
    if set(by_outcome) - {outcome.pk for outcome in outcomes}:
        raise ApplicationError("wrong_outcome", _("A score is for an outcome of another micro-credential."))
    for score in scores:
        if score.level is not None and score.level.outcome_id != score.outcome.pk:
            raise ApplicationError("wrong_level", _("A chosen level belongs to another learning outcome."))
    comment = comment.strip()
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

    assessment = Assessment.objects.create(
        submission=submission, assessor=assessor, decision=decision, comment=comment
    )
    OutcomeScore.objects.bulk_create(
        OutcomeScore(assessment=assessment, outcome=score.outcome, level=score.level, comment=score.comment.strip())
        for score in scores
    )
    achievement = application.achievement
    now = timezone.now()
    audit = {"round": submission.number, "assessment": assessment.pk}
    if decision == Decision.REVISE:
        _set_status(application, Status.REVISION_REQUESTED)
        audit_record(
            achievement=achievement, application=application, kind=Kind.REVISION_REQUESTED, actor=assessor, **audit
        )
        _notify_learner(application, "revision_requested", assessment=assessment)
    elif decision == Decision.REJECT:
        _set_status(application, Status.REJECTED, decided_at=now)
        audit_record(achievement=achievement, application=application, kind=Kind.REJECTED, actor=assessor, **audit)
        _notify_learner(application, "rejected", assessment=assessment)
    else:
        approvals = submission.assessments.filter(decision=Decision.APPROVE).count()
        if policy_for(achievement).second_approval_required and approvals < 2:
            _set_status(application, Status.SECOND_APPROVAL)
            audit_record(
                achievement=achievement, application=application, kind=Kind.FIRST_APPROVAL, actor=assessor, **audit
            )
        else:
            _set_status(application, Status.APPROVED, decided_at=now)
            audit_record(achievement=achievement, application=application, kind=Kind.APPROVED, actor=assessor, **audit)
            credential = _issue_for(application, assessment=assessment, issued_by=assessor)
            _notify_learner(application, "approved", assessment=assessment, credential=credential)
    return assessment


def _set_status(application: Application, status: str, *, decided_at: Any = None) -> None:
    application.status = status
    fields = ["status", "updated_at"]
    if decided_at is not None:
        application.decided_at = decided_at
        fields.append("decided_at")
    application.save(update_fields=fields)


def public_evidence_url(evidence: Evidence) -> str:
    return public_url(reverse("public-evidence", args=[evidence.share_id]))


def credential_evidence(evidence: list[Evidence]) -> list[dict[str, Any]]:
    """What the credential shows of the evidence: only the pieces the learner made public."""
    entries = []
    for item in evidence:
        if not item.is_public:
            continue
        entry: dict[str, Any] = {"name": item.title}
        if item.narrative:
            entry["narrative"] = item.narrative
        if item.kind == Evidence.Kind.LINK:
            entry["id"] = item.url
        elif item.kind == Evidence.Kind.FILE:
            entry["id"] = public_evidence_url(item)
        entries.append(entry)
    return entries


def _issue_for(application: Application, *, assessment: Assessment, issued_by: AbstractBaseUser) -> Credential:
    address = learner_email(application.learner) if application.learner is not None else None
    if address is None:
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
        recipient_did=learner_verified_did(application.learner) or "",
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


def assessment_queue(
    *, issuer: Issuer, achievement: Achievement | None = None, statuses: tuple[str, ...] = Application.IN_ASSESSMENT
):  # noqa: ANN201 – a QuerySet of Application
    """Submitted applications for the issuer's achievements, the longest-waiting first."""
    queue = Application.objects.filter(achievement__issuer=issuer, submitted_at__isnull=False, status__in=statuses)
    if achievement is not None:
        queue = queue.filter(achievement=achievement)
    return queue.select_related("achievement", "learner").annotate(rounds=Count("submissions")).order_by(
        "submitted_at", "pk"
    )


@transaction.atomic
def assessment_policy_set(
    *, achievement: Achievement, by: AbstractBaseUser, second_approval_required: bool
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


# --- Direct awards -------------------------------------------------------------------------------------
def _check_can_award(issuer: Issuer, by: AbstractBaseUser, achievement: Achievement) -> None:
    capability_check(issuer_id=issuer.pk, user=by, capability=Capability.AWARD_CREDENTIALS)
    if achievement.issuer_id != issuer.pk or achievement.status != Achievement.Status.PUBLISHED:
        raise ApplicationError("not_published", _("Choose a published micro-credential of this organisation."))


@transaction.atomic
def award_batch_prepare(
    *, issuer: Issuer, achievement: Achievement, by: AbstractBaseUser, rows: list[RecipientRow], source_name: str = ""
) -> AwardBatch:
    """Keep a checked list of recipients for the person to confirm; nothing is issued yet."""
    _check_can_award(issuer, by, achievement)
    if not rows:
        raise ApplicationError("no_rows", _("The list has no recipients."))
    emails = [row.email.lower() for row in rows]
    if len(set(emails)) != len(emails):
        raise ApplicationError("duplicates", _("Each e-mail address may appear only once."))
    batch = AwardBatch.objects.create(
        issuer=issuer, achievement=achievement, created_by=by, source_name=source_name[:255]
    )
    AwardRecipient.objects.bulk_create(
        AwardRecipient(batch=batch, line=row.line, email=row.email.lower(), name=row.name) for row in rows
    )
    audit_record(achievement=achievement, batch=batch, kind=Kind.AWARD_PREPARED, actor=by, recipients=len(rows))
    return batch


@transaction.atomic
def award_batch_confirm(*, batch: AwardBatch, by: AbstractBaseUser) -> AwardBatch:
    """Issue to every recipient in one transaction; the signing of each is queued when it commits."""
    batch = AwardBatch.objects.select_for_update().select_related("achievement", "issuer").get(pk=batch.pk)
    _check_can_award(batch.issuer, by, batch.achievement)
    if batch.status != AwardBatch.Status.PREVIEW:
        return batch  # confirmed twice (a double click): the first confirmation stands
    for recipient in batch.recipients.all():
        recipient.credential = credential_issue(
            achievement=batch.achievement,
            recipient_email=recipient.email,
            recipient_name=recipient.name or None,
            issued_by=by,
            recipient_did=learner_verified_did_for_email(recipient.email) or "",
        )
        recipient.save(update_fields=["credential"])
    batch.status = AwardBatch.Status.CONFIRMED
    batch.confirmed_at = timezone.now()
    batch.save(update_fields=["status", "confirmed_at"])
    audit_record(
        achievement=batch.achievement, batch=batch, kind=Kind.AWARD_CONFIRMED, actor=by,
        recipients=batch.recipients.count(),
    )
    return batch


def award_batch_progress(*, batch: AwardBatch) -> dict[str, int]:
    pending = [Credential.Status.PENDING, Credential.Status.SIGNING]
    counts = batch.recipients.aggregate(
        total=Count("pk"),
        issued=Count("pk", filter=Q(credential__status=Credential.Status.ISSUED)),
        pending=Count("pk", filter=Q(credential__status__in=pending)),
        failed=Count("pk", filter=Q(credential__status=Credential.Status.FAILED)),
    )
    counts["done"] = int(batch.status == AwardBatch.Status.CONFIRMED and counts["pending"] == 0)
    return counts
