"""The steps every application service shares: lock the row, check who may change it and when, record
the step in the audit trail, and tell the learner.

    draft ──submit──► submitted ──approve──► approved: the credential is issued
      ▲                   │   (two approvals required: submitted ─► second_approval ─► approved)
      │                   ├──reject──► rejected
      └──────revise───────┘   (revision_requested: the learner edits and submits a new round)

Each service checks first (status, roles, input) and only then changes anything, in one transaction.
Every step is written to the append-only `AssessmentAuditEvent`; e-mails to the learner are rendered at
once (in the learner's language) and sent after the commit. The services live beside this module
(applications, mentors, assessing, awards); the reads are in selectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from assessment.models import Application, AssessmentAuditEvent, AwardBatch
from badges.models import Achievement
from issuers.audit import AuditKind, issuer_audit_record
from kernel.emails import primary_verified_email
from kernel.errors import ApplicationError
from notifications.sending import notice_send

if TYPE_CHECKING:
    from kernel.users import User


_PRIVILEGED: dict[str, str] = {
    AssessmentAuditEvent.Kind.APPROVED: AuditKind.APPLICATION_DECIDED,
    AssessmentAuditEvent.Kind.FIRST_APPROVAL: AuditKind.APPLICATION_DECIDED,
    AssessmentAuditEvent.Kind.REVISION_REQUESTED: AuditKind.APPLICATION_DECIDED,
    AssessmentAuditEvent.Kind.REJECTED: AuditKind.APPLICATION_DECIDED,
    AssessmentAuditEvent.Kind.AWARD_CONFIRMED: AuditKind.AWARD_JOB_CONFIRMED,
    AssessmentAuditEvent.Kind.POLICY_CHANGED: AuditKind.ASSESSMENT_POLICY_CHANGED,
}


def audit_record(
    *,
    achievement: Achievement,
    kind: str,
    actor: User | None,
    application: Application | None = None,
    batch: AwardBatch | None = None,
    **data: Any,
) -> AssessmentAuditEvent:
    event = AssessmentAuditEvent.objects.create(
        achievement=achievement, application=application, batch=batch, kind=kind, actor=actor, data=data
    )
    if kind in _PRIVILEGED:  # decisions, awards and policies also go to the issuer's audit log
        details: dict[str, Any] = {"achievement": str(achievement.public_id)}
        if application is not None:
            details |= {"application": str(application.public_id), "decision": kind}
        if batch is not None:
            details |= {"batch": str(batch.public_id), "recipients": data.get("recipients")}
        if "second_approval_required" in data:
            details["second_approval_required"] = data["second_approval_required"]
        issuer_audit_record(issuer_id=achievement.issuer_id, kind=_PRIVILEGED[kind], by=actor,
                            subject=achievement.name, **details)
    return event


def learner_email(user: User) -> str | None:
    """The learner's verified primary e-mail address: the only address a credential is issued to."""
    return primary_verified_email(user)


def application_lock(application: Application) -> Application:
    """The application re-read under a row lock, so two requests cannot both move it on."""
    return Application.objects.select_for_update().select_related("achievement__issuer").get(pk=application.pk)


def application_check_editable(application: Application) -> None:
    if not application.is_editable:
        raise ApplicationError(
            "not_editable", _("This application has been sent for assessment and cannot be changed now.")
        )


def application_check_learner(application: Application, by: User) -> None:
    if application.learner_id != by.pk:
        raise ApplicationError("not_learner", _("Only the learner can change the application."))


def learner_notify(application: Application, template: str, **context: Any) -> None:
    """Tell the learner (in the application's language) once the transaction has committed; an erased
    learner, or one without a verified address, is not told."""
    if application.learner is None:  # erased
        return
    context = {
        "application": application,
        "achievement": application.achievement,
        "issuer": application.achievement.issuer,
        "application_url": settings.PUBLIC_BASE_URL
        + reverse("applications:detail", args=[application.public_id]),
        **context,
    }
    notice_send(
        kind=f"application_{template}", template=f"assessment/email/{template}", context=context,
        user=application.learner, language=application.language or None,
    )
