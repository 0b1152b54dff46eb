"""Awarding a credential: record it as PENDING and queue its signing once the transaction commits."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from badges.credentials.events import credential_event_record
from badges.credentials.queue import credential_signing_queue
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
    email = normalise_email(recipient_email).lower()
    salt = secrets.token_hex(16)
    # OB dates are written in whole seconds (VC-JWT nbf must equal validFrom).
    valid_from = (valid_from or timezone.now()).replace(microsecond=0)
    if valid_until is None and achievement.validity_months:
        valid_until = add_months(valid_from, achievement.validity_months)
    credential = Credential.objects.create(
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
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.ISSUE_REQUESTED, actor=issued_by)
    credential_signing_queue(credential.id)
    return credential
