"""Direct awards: an issuer awards a credential to people without an application, one at a time or from
a list. A list is checked and kept first; nothing is issued until the person confirms it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessment.csv_import import RecipientRow
from assessment.models import AssessmentAuditEvent, AwardBatch, AwardRecipient
from assessment.workflow import audit_record
from badges.credentials.issuing import credential_issue
from badges.models import Achievement
from issuers.access import capability_check
from issuers.models import Issuer
from issuers.roles import Capability
from kernel.errors import ApplicationError
from learners.selectors import learner_verified_did_for_email

if TYPE_CHECKING:
    from kernel.users import User

Kind = AssessmentAuditEvent.Kind


def _check_can_award(issuer: Issuer, by: User, achievement: Achievement) -> None:
    capability_check(issuer_id=issuer.pk, user=by, capability=Capability.AWARD_CREDENTIALS)
    if achievement.issuer_id != issuer.pk or achievement.status != Achievement.Status.PUBLISHED:
        raise ApplicationError("not_published", _("Choose a published micro-credential of this organisation."))


@transaction.atomic
def award_batch_prepare(
    *, issuer: Issuer, achievement: Achievement, by: User, rows: list[RecipientRow], source_name: str = ""
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
def award_batch_confirm(*, batch: AwardBatch, by: User) -> AwardBatch:
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
