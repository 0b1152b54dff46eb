"""The learner's side of an application: start it, name it, add and remove evidence, send it for assessment.

The shared steps (lock, check, audit, notify) are in assessment.workflow.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessment.files import IMAGE_FORMATS, evidence_storage, image_metadata_strip, sniff_upload
from assessment.models import Application, AssessmentAuditEvent, Evidence, Submission
from assessment.queue_notices import assessors_notify_submitted
from assessment.selectors import application_open, evidence_current
from assessment.webhook_events import application_webhook_emit
from assessment.workflow import (
    application_check_editable,
    application_check_learner,
    application_lock,
    audit_record,
    learner_email,
    learner_notify,
)
from badges.models import Achievement, LearningOutcome
from kernel.errors import ApplicationError
from learners.filenames import file_name_display
from webhooks.events import EventType

if TYPE_CHECKING:
    from kernel.users import User

Kind = AssessmentAuditEvent.Kind


@transaction.atomic
def application_start(*, achievement: Achievement, learner: User, language: str = "") -> Application:
    """The learner's open application for the achievement, started now if they have none."""
    if achievement.status != Achievement.Status.PUBLISHED:
        raise ApplicationError("not_published", _("This micro-credential is not open for applications."))
    existing = application_open(achievement=achievement, learner=learner)
    if existing:
        return existing
    application = Application.objects.create(
        achievement=achievement, learner=learner, language=language or translation.get_language() or ""
    )
    audit_record(achievement=achievement, application=application, kind=Kind.STARTED, actor=learner)
    return application


@transaction.atomic
def application_name_set(
    *, application: Application, by: User, show_name: bool, recipient_name: str
) -> Application:
    application_check_learner(application, by)
    application = application_lock(application)
    application_check_editable(application)
    recipient_name = recipient_name.strip()
    if show_name and not recipient_name:
        raise ApplicationError("name_missing", _("Write the name you want the credential to show."))
    application.show_name = show_name
    application.recipient_name = recipient_name if show_name else ""
    application.save(update_fields=["show_name", "recipient_name", "updated_at"])
    return application


# --- Evidence ------------------------------------------------------------------------------------------
def _check_outcome(application: Application, outcome: LearningOutcome) -> None:
    if outcome.achievement_id != application.achievement_id:
        raise ApplicationError("wrong_outcome", _("This learning outcome belongs to another micro-credential."))


def _check_evidence_input(*, title: str, narrative: str, url: str, upload: UploadedFile | None) -> None:
    if upload is not None and url:
        raise ApplicationError("file_and_link", _("Add a file or a link, not both at once."))
    if url and not url.lower().startswith("https://"):
        raise ApplicationError("link_not_https", _("Links must start with https://."))
    if upload is None and not url and not narrative:
        raise ApplicationError("empty_evidence", _("Write something, add a file or add a link."))
    if not title:
        raise ApplicationError("title_missing", _("Give the evidence a short title."))


def _evidence_file_prepare(evidence: Evidence, upload: UploadedFile) -> tuple[str, File]:
    """The storage name and content of an upload (checked, pictures without their metadata); stores nothing."""
    sniffed = sniff_upload(upload)
    content: File = File(upload)
    size = sniffed.size
    if sniffed.content_type in IMAGE_FORMATS:  # pictures keep their pixels, never their metadata (GPS…)
        content = ContentFile(image_metadata_strip(upload, sniffed.content_type))
        size = content.size
    evidence.kind = Evidence.Kind.FILE
    evidence.original_name = file_name_display(upload.name or "")[-255:]
    evidence.content_type = sniffed.content_type
    evidence.size = size
    # A random name under the application's folder: nothing the learner typed reaches the storage path.
    return f"{evidence.application.public_id}/{uuid.uuid4()}.{sniffed.extension}", content


@transaction.atomic
def evidence_add(
    *,
    application: Application,
    by: User,
    outcome: LearningOutcome,
    title: str,
    narrative: str = "",
    url: str = "",
    upload: UploadedFile | None = None,
    is_public: bool = False,
) -> Evidence:
    """A file, a link (https only) or, with neither, a written account for one learning outcome."""
    application_check_learner(application, by)
    application = application_lock(application)
    application_check_editable(application)
    _check_outcome(application, outcome)
    title, narrative, url = title.strip(), narrative.strip(), url.strip()
    _check_evidence_input(title=title, narrative=narrative, url=url, upload=upload)
    evidence = Evidence(
        application=application, outcome=outcome, title=title, narrative=narrative, is_public=is_public
    )
    prepared = _evidence_file_prepare(evidence, upload) if upload is not None else None
    if prepared is None and url:
        evidence.kind = Evidence.Kind.LINK
        evidence.url = url
    elif prepared is None:
        evidence.kind = Evidence.Kind.TEXT
    try:
        evidence.full_clean(exclude=["file"])
    except ValidationError as error:  # too long, a hidden direction mark, a private address: nothing is kept
        raise ApplicationError("evidence_invalid", " ".join(error.messages)) from None
    if prepared is not None:
        evidence.file.name = evidence_storage().save(*prepared)
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


def _evidence_for_change(evidence: Evidence, by: User) -> tuple[Application, Evidence]:
    """Its application, once the learner may still change it, and the evidence as it is now, read again
    under the application's lock (callers hold a transaction)."""
    application = evidence.application
    application_check_learner(application, by)
    application_check_editable(application_lock(application))
    return application, Evidence.objects.get(pk=evidence.pk)


@transaction.atomic
def evidence_set_public(*, evidence: Evidence, by: User, is_public: bool) -> Evidence:
    application, evidence = _evidence_for_change(evidence, by)
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
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    """Delete a never-submitted piece; hide one an earlier round was assessed on (assessors keep it)."""
    application, evidence = _evidence_for_change(evidence, by)
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


def _check_can_submit(application: Application, by: User, evidence: list[Evidence]) -> None:
    if learner_email(by) is None:
        raise ApplicationError(
            "no_verified_email", _("Verify your e-mail address first: the credential is issued to it.")
        )
    outcomes = list(application.achievement.learning_outcomes.all())
    missing = [outcome for outcome in outcomes if not any(item.outcome_id == outcome.pk for item in evidence)]
    if missing:
        raise ApplicationError(
            "evidence_missing",
            _("Add evidence for every learning outcome before you send the application."),
            details=tuple(outcome.statement for outcome in missing),
        )


@transaction.atomic
def application_submit(*, application: Application, by: User) -> Submission:
    """Send the application (again) for assessment: a new numbered round with the evidence as it is now."""
    application_check_learner(application, by)
    application = application_lock(application)
    application_check_editable(application)
    evidence = evidence_current(application)
    _check_can_submit(application, by, evidence)
    number = application.submissions.count() + 1
    submission = Submission.objects.create(
        application=application, number=number, submitted_by=by, evidence_snapshot=[_snapshot(e) for e in evidence]
    )
    Evidence.objects.filter(pk__in=[item.pk for item in evidence]).update(submitted=True)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        achievement=application.achievement, application=application, kind=Kind.SUBMITTED, actor=by, round=number
    )
    learner_notify(application, "submitted", submission=submission)
    assessors_notify_submitted(application, submission=submission)
    application_webhook_emit(application, EventType.APPLICATION_SUBMITTED, round=number)
    return submission
