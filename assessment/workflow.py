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
from kernel.emails import primary_verified_email
from kernel.errors import ApplicationError
from notifications.sending import notice_send

if TYPE_CHECKING:
    from kernel.users import User


def audit_record(
    *,
    achievement: Achievement,
    kind: str,
    actor: User | None,
    application: Application | None = None,
    batch: AwardBatch | None = None,
    **data: Any,
) -> AssessmentAuditEvent:
    return AssessmentAuditEvent.objects.create(
        achievement=achievement, application=application, batch=batch, kind=kind, actor=actor, data=data
    )


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
