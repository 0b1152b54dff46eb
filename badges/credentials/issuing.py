"""Awarding a credential: record it as PENDING and queue its signing once the transaction commits."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from badges.credentials.events import BULK_BATCH_SIZE, credential_event_record, credential_events_record
from badges.credentials.queue import credential_signing_queue, credentials_signing_queue
from badges.models import Achievement, Credential, CredentialEvent
from ob3.recipient import hash_email, normalise_email

if TYPE_CHECKING:
    from kernel.users import User


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` `months` calendar months later; the 31st becomes the month's last day where needed."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


# --- Issuing -------------------------------------------------------------------------------------------
def _credential_new(
    *,
    achievement: Achievement,
    recipient_email: str,
    recipient_name: str | None,
    issued_by: User | None,
    valid_from: datetime | None,
    valid_until: datetime | None,
    results: Sequence[dict[str, Any]] = (),
    evidence: Sequence[dict[str, Any]] = (),
    recipient_did: str = "",
    replaces: Credential | None = None,
) -> Credential:
    """The PENDING row, not saved yet."""
    email = normalise_email(recipient_email).lower()
    salt = secrets.token_hex(16)
    # OB dates are written in whole seconds (VC-JWT nbf must equal validFrom).
    valid_from = (valid_from or timezone.now()).replace(microsecond=0)
    if valid_until is None and achievement.validity_months:
        valid_until = add_months(valid_from, achievement.validity_months)
    return Credential(
        issuer=achievement.issuer,
        achievement=achievement,
        recipient_email=email,
        recipient_salt=salt,
        recipient_identifier=hash_email(email, salt),
        recipient_name=recipient_name or "",
        issued_by=issued_by,
        valid_from=valid_from,
        valid_until=valid_until.replace(microsecond=0) if valid_until else None,
        results=list(results),
        evidence=list(evidence),
        recipient_did=recipient_did,
        awarded_at=(replaces.awarded_at or replaces.valid_from) if replaces else valid_from,
        replaces=replaces,
    )


@transaction.atomic
def credential_issue(
    *,
    achievement: Achievement,
    recipient_email: str,
    recipient_name: str | None = None,
    issued_by: User | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    results: Sequence[dict[str, Any]] = (),
    evidence: Sequence[dict[str, Any]] = (),
    recipient_did: str = "",
    replaces: Credential | None = None,
) -> Credential:
    """Record a credential as PENDING and queue its signing once the transaction commits.

    `results` and `evidence` are plain data captured at award time (see Credential); a renewal
    (`replaces`) keeps the original award date.
    """
    credential = _credential_new(
        achievement=achievement, recipient_email=recipient_email, recipient_name=recipient_name,
        issued_by=issued_by, valid_from=valid_from, valid_until=valid_until, results=results, evidence=evidence,
        recipient_did=recipient_did, replaces=replaces,
    )
    credential.save(force_insert=True)
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.ISSUE_REQUESTED, actor=issued_by)
    credential_signing_queue(credential.id)
    return credential


@dataclass(frozen=True)
class NewRecipient:
    email: str
    name: str = ""
    did: str = ""  # the DID the recipient proved they control, if any


@transaction.atomic
def credentials_issue(
    *,
    achievement: Achievement,
    recipients: Sequence[NewRecipient],
    issued_by: User | None = None,
    valid_until: datetime | None = None,
) -> list[Credential]:
    """credential_issue for many recipients of one achievement at once (a cohort): the PENDING rows and their
    ISSUE_REQUESTED events in one INSERT each per 1,000, and one signing task per chunk once the transaction
    commits. Returns the credentials in the order of `recipients`."""
    valid_from = timezone.now()
    credentials = Credential.objects.bulk_create(
        [
            _credential_new(
                achievement=achievement, recipient_email=recipient.email, recipient_name=recipient.name or None,
                issued_by=issued_by, valid_from=valid_from, valid_until=valid_until, recipient_did=recipient.did,
            )
            for recipient in recipients
        ],
        batch_size=BULK_BATCH_SIZE,
    )
    credential_events_record(
        ((credential.pk, CredentialEvent.Kind.ISSUE_REQUESTED, {}) for credential in credentials), actor=issued_by
    )
    credentials_signing_queue([credential.pk for credential in credentials])
    return credentials
