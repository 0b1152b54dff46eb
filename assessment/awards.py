"""Direct awards: an issuer awards a credential to people without an application, one at a time or from
a list (the console's CSV, the API's award jobs). A list is checked and kept first; nothing is issued until
it is confirmed. The issuing itself is assessment.award_jobs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.award_jobs import RerunRefusal, award_job_queue, award_job_rows_rerun, award_job_run, row_error
from assessment.csv_import import RecipientRow
from assessment.models import AssessmentAuditEvent, AwardBatch, AwardRecipient
from assessment.workflow import audit_record
from badges.models import Achievement, Credential
from issuers.access import capability_check
from issuers.audit import AuditKind, issuer_audit_record
from issuers.models import Issuer
from issuers.roles import Capability
from kernel.errors import ApplicationError

if TYPE_CHECKING:
    from kernel.users import User

Kind = AssessmentAuditEvent.Kind
# Up to this many rows are issued in the request that confirms them; longer lists go to a worker.
IN_REQUEST_MAX_ROWS = 25


def _check_can_award(issuer: Issuer, by: User, achievement: Achievement) -> None:
    capability_check(issuer_id=issuer.pk, user=by, capability=Capability.AWARD_CREDENTIALS)
    if achievement.issuer_id != issuer.pk or achievement.status != Achievement.Status.PUBLISHED:
        raise ApplicationError("not_published", _("Choose a published micro-credential of this organisation."))


@transaction.atomic
def award_batch_prepare(
    *, issuer: Issuer, achievement: Achievement, by: User, rows: list[RecipientRow], source_name: str = "",
    valid_until: datetime | None = None,
) -> AwardBatch:
    """Keep a checked list of recipients for the person to confirm; nothing is issued yet."""
    _check_can_award(issuer, by, achievement)
    if not rows:
        raise ApplicationError("no_rows", _("The list has no recipients."))
    emails = [row.email.lower() for row in rows]
    if len(set(emails)) != len(emails):
        raise ApplicationError("duplicates", _("Each e-mail address may appear only once."))
    if valid_until is not None and valid_until <= timezone.now():
        raise ApplicationError("invalid_valid_until", _("The credential must be valid until a time in the future."))
    batch = AwardBatch.objects.create(
        issuer=issuer, achievement=achievement, created_by=by, source_name=source_name[:255], valid_until=valid_until
    )
    AwardRecipient.objects.bulk_create(
        (AwardRecipient(batch=batch, line=row.line, email=row.email.lower(), name=row.name) for row in rows),
        batch_size=1000,
    )
    audit_record(achievement=achievement, batch=batch, kind=Kind.AWARD_PREPARED, actor=by, recipients=len(rows))
    return batch


@transaction.atomic
def award_batch_confirm(*, batch: AwardBatch, by: User, in_background: bool | None = None) -> AwardBatch:
    """Start issuing: a short list at once, in this request (a person waits for it); a longer one, or any
    with `in_background=True`, as a Celery job queued when the transaction commits. The same chunked work
    (assessment.award_jobs) either way; the signing of each credential is queued as it is recorded."""
    batch = AwardBatch.objects.select_for_update().select_related("achievement", "issuer").get(pk=batch.pk)
    _check_can_award(batch.issuer, by, batch.achievement)
    if batch.status != AwardBatch.Status.VALIDATING:
        return batch  # confirmed twice (a double click): the first confirmation stands
    recipients = batch.recipients.count()
    batch.status = AwardBatch.Status.QUEUED
    batch.confirmed_at = batch.heartbeat_at = timezone.now()
    batch.save(update_fields=["status", "confirmed_at", "heartbeat_at"])
    audit_record(
        achievement=batch.achievement, batch=batch, kind=Kind.AWARD_CONFIRMED, actor=by, recipients=recipients
    )
    if in_background is None:
        in_background = recipients > IN_REQUEST_MAX_ROWS
    if in_background:
        award_job_queue(batch.pk)
    else:
        award_job_run(batch_id=batch.pk)
    batch.refresh_from_db()
    return batch


def award_to_one(
    *, issuer: Issuer, achievement: Achievement, by: User, email: str, name: str = "",
    valid_until: datetime | None = None,
) -> tuple[AwardBatch, Credential]:
    """Award one person at once (the console's and the API's direct award): a batch of one row, confirmed."""
    with transaction.atomic():
        batch = award_batch_prepare(
            issuer=issuer, achievement=achievement, by=by, rows=[RecipientRow(line=1, email=email, name=name)],
            valid_until=valid_until,
        )
        batch = award_batch_confirm(batch=batch, by=by, in_background=False)
        recipient = batch.recipients.select_related("credential").get()
    if recipient.credential is None:  # the job refused the row (e.g. the micro-credential was unpublished)
        raise ApplicationError(recipient.error_code or "not_issued", row_error(recipient.error_code))
    return batch, recipient.credential


def award_batch_rows_rerun(*, batch: AwardBatch, by: User, lines: list[int]) -> list[int]:
    """Issue the named failed rows again; refused (nothing changes) when one of them has not failed."""
    _check_can_award(batch.issuer, by, batch.achievement)
    if batch.status == AwardBatch.Status.VALIDATING:
        raise ApplicationError("not_confirmed", _("The list is not confirmed yet; nothing has been issued."))
    outcome = award_job_rows_rerun(batch=batch, lines=lines)
    if isinstance(outcome, RerunRefusal):
        rows = ", ".join(str(line) for line in outcome.not_failed[:20])
        raise ApplicationError(
            "rows_not_failed",
            _("Only failed rows can be issued again. These have not failed: %(rows)s.") % {"rows": rows},
        )
    issuer_audit_record(issuer_id=batch.issuer_id, kind=AuditKind.AWARD_ROWS_RERUN, by=by,
                        subject=batch.achievement.name, batch=str(batch.public_id), lines=outcome)
    return outcome
