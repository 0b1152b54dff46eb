"""Counting visits of a shared credential's public verification page: one number per credential and day.

No visitor data is kept, only the count. The holder looking at their own page is not a visit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from badges.models import Credential, CredentialPageView
from kernel.emails import verified_emails

if TYPE_CHECKING:
    from kernel.users import AnyUser


def credential_page_view_count(*, credential: Credential, viewer: AnyUser) -> None:
    """Add one to today's count: an UPDATE with F(), or the day's first row; two first visits at once both
    count (the loser of the unique row adds to the winner's)."""
    if credential.recipient_email and credential.recipient_email.lower() in verified_emails(viewer):
        return
    today = timezone.localdate()
    rows = CredentialPageView.objects.filter(credential=credential, day=today)
    if rows.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            CredentialPageView.objects.create(credential=credential, day=today, count=1)
    except IntegrityError:
        rows.update(count=F("count") + 1)
