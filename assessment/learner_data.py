"""A learner's applications in their data export, and their erasure when the learner deletes their account.

Connected to learners.signals in AssessmentConfig.ready (learners may not import assessment).

Erasure anonymises rather than deletes. The audit trail is append-only and refers to applications,
rounds and assessments, and an issued credential refers to its application, so those rows stay. What
they say about the person goes: narratives and titles of evidence (and the files, from storage), the
evidence as snapshotted in each round, the assessors' written feedback, mentor invitations and comments,
the name to show, and the link to the account itself (`learner` becomes null). Open applications are
withdrawn. One `erased` audit event records that it happened. Audit events written earlier are kept
unchanged; they hold ids, decisions and a mentor's e-mail address when one was invited, never the
learner's narratives or files.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessment.files import evidence_storage
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
from assessment.workflow import audit_record
from kernel.emails import verified_emails
from learners.filenames import file_name_safe

if TYPE_CHECKING:
    from kernel.users import User

SNAPSHOT_KEPT = ("evidence", "outcome", "kind")  # ids and the kind: no words or names of the learner


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment else None


# --- Export --------------------------------------------------------------------------------------------
def _evidence_entry(evidence: Evidence, file_path: str | None) -> dict[str, Any]:
    return {
        "id": str(evidence.public_id),
        "learning_outcome": evidence.outcome.statement,
        "kind": evidence.kind,
        "title": evidence.title,
        "narrative": evidence.narrative,
        "link": evidence.url or None,
        "file_name": evidence.original_name or None,
        "file": file_path,
        "public": evidence.is_public,
        "added_at": _iso(evidence.created_at),
        "removed_at": _iso(evidence.removed_at),
    }


def _round_entry(submission: Submission) -> dict[str, Any]:
    return {
        "round": submission.number,
        "submitted_at": _iso(submission.submitted_at),
        "evidence_sent": submission.evidence_snapshot,
        "assessments": [
            {
                "decision": assessment.decision,
                "feedback": assessment.comment,
                "assessed_at": _iso(assessment.created_at),
                "learning_outcomes": [
                    {
                        "learning_outcome": score.outcome.statement,
                        "level": score.level.name if score.level else None,
                        "comment": score.comment,
                    }
                    for score in assessment.scores.all()
                ],
            }
            for assessment in submission.assessments.all()
        ],
    }


def _stored_file(evidence: Evidence) -> bytes | None:
    try:
        with evidence_storage().open(evidence.file.name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        return None


def _evidence_export(application: Application, folder: str) -> tuple[list[dict[str, Any]], list[tuple[str, bytes]]]:
    """Every piece of evidence as an entry, and the files (under `folder`) that are still in storage."""
    entries: list[dict[str, Any]] = []
    files: list[tuple[str, bytes]] = []
    for evidence in application.evidence.all():
        content = _stored_file(evidence) if evidence.file else None
        file_path = None
        if content is not None:
            file_path = f"{folder}/evidence/{evidence.public_id}-{file_name_safe(evidence.original_name)}"
            files.append((file_path, content))
        entries.append(_evidence_entry(evidence, file_path))
    return entries, files


def _application_entry(
    application: Application, *, user: User, evidence: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "id": str(application.public_id),
        "achievement": {
            "name": application.achievement.name,
            "id": str(application.achievement.public_id),
            "issuer": application.achievement.issuer.name,
        },
        "status": application.status,
        "show_name_in_credential": application.show_name,
        "name_to_show": application.recipient_name,
        "started_at": _iso(application.created_at),
        "submitted_at": _iso(application.submitted_at),
        "decided_at": _iso(application.decided_at),
        "credential": str(application.credential.public_id) if application.credential else None,
        "evidence": evidence,
        "rounds": [_round_entry(submission) for submission in application.submissions.all()],
        "mentor_invitations": [
            {
                "email": invitation.email,
                "invited_at": _iso(invitation.created_at),
                "accepted_at": _iso(invitation.accepted_at),
                "withdrawn_at": _iso(invitation.revoked_at),
            }
            for invitation in application.mentor_invitations.all()
        ],
        "comments": [
            {
                "by": "you" if comment.author_id == user.pk else "mentor",
                "comment": comment.body,
                "written_at": _iso(comment.created_at),
            }
            for comment in application.mentor_comments.all()
        ],
    }


def application_export_files(*, user: User) -> list[tuple[str, bytes]]:
    """Each application of the learner as JSON, with the bytes of every evidence file they uploaded."""
    applications = (
        Application.objects.filter(learner=user)
        .select_related("achievement__issuer", "credential")
        .prefetch_related(
            "evidence__outcome",
            "submissions__assessments__scores__outcome",
            "submissions__assessments__scores__level",
            "mentor_invitations",
            "mentor_comments",
        )
        .order_by("created_at", "pk")
    )
    files: list[tuple[str, bytes]] = []
    for application in applications:
        folder = f"applications/{file_name_safe(application.achievement.name)}-{application.public_id}"
        evidence, evidence_files = _evidence_export(application, folder)
        files.extend(evidence_files)
        document = _application_entry(application, user=user, evidence=evidence)
        files.append((f"{folder}/application.json", json.dumps(document, ensure_ascii=False, indent=2).encode()))
    return files


# --- Erasure -------------------------------------------------------------------------------------------
@transaction.atomic
def learner_applications_erase(*, user: User) -> int:
    """Anonymise every application of the learner (see the module docstring); returns how many.

    Evidence files are deleted from storage once the transaction commits, so a failed deletion of the
    account leaves them where they were.
    """
    now = timezone.now()
    applications = list(
        Application.objects.select_for_update().select_related("achievement").filter(learner=user).order_by("pk")
    )
    evidence = Evidence.objects.filter(application__in=applications)
    file_names = [name for name in evidence.exclude(file="").values_list("file", flat=True) if name]
    evidence.filter(removed_at__isnull=True).update(removed_at=now)
    evidence.update(
        title="", narrative="", url="", file="", original_name="", content_type="", size=0, is_public=False
    )
    for submission in Submission.objects.filter(application__in=applications):
        submission.evidence_snapshot = [
            {key: entry.get(key) for key in SNAPSHOT_KEPT} | {"erased": True}
            for entry in submission.evidence_snapshot
            if isinstance(entry, dict)
        ]
        submission.save(update_fields=["evidence_snapshot"])
    # What assessors wrote is about the learner; the decisions and levels stay, the words go.
    assessments = Assessment.objects.filter(submission__application__in=applications)
    assessments.update(comment="")
    OutcomeScore.objects.filter(assessment__in=assessments).update(comment="")
    MentorComment.objects.filter(application__in=applications).delete()
    MentorInvitation.objects.filter(application__in=applications).delete()
    for application in applications:
        fields = ["learner", "show_name", "recipient_name", "language", "erased_at", "updated_at"]
        application.learner = None
        application.show_name = False
        application.recipient_name = ""
        application.language = ""
        application.erased_at = now
        if application.status in (*Application.EDITABLE, *Application.IN_ASSESSMENT):
            application.status = Application.Status.ERASED
            fields.append("status")
        application.save(update_fields=fields)
        audit_record(
            achievement=application.achievement,
            application=application,
            kind=AssessmentAuditEvent.Kind.ERASED,
            actor=None,
        )
    # Direct awards name their recipients by address; the credentials keep their own (hashed) record.
    emails = verified_emails(user)
    if emails:
        AwardRecipient.objects.filter(email__in=emails).update(email="", name="")
    # Invitations to this person to mentor someone else: the address is theirs; the invitation ends.
    MentorInvitation.objects.filter(Q(mentor=user) | Q(email__in=emails)).exclude(application__in=applications).update(
        email="", revoked_at=Coalesce("revoked_at", Value(now))
    )
    if file_names:
        transaction.on_commit(lambda: _delete_files(file_names))
    return len(applications)


def _delete_files(names: list[str]) -> None:
    storage = evidence_storage()
    for name in names:
        storage.delete(name)


# --- Receivers of learners.signals -----------------------------------------------------------------------
def on_learner_export_collect(sender: object, user: User, **kwargs: object) -> list[tuple[str, bytes]]:
    return application_export_files(user=user)


def on_learner_erase(sender: object, user: User, **kwargs: object) -> None:
    learner_applications_erase(user=user)
