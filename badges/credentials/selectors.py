"""Reading an issuer's credentials for the console."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from badges.models import Achievement, Credential
from issuers.models import Issuer
from kernel.lookups import first_or_none

# --- What a credential is now -------------------------------------------------------------------------
CREDENTIAL_STATES = ("pending", "issued", "failed", "revoked", "expired")


def credential_state(credential: Credential, *, now: datetime | None = None) -> str:
    """The one rule for what a credential is right now: pending (not signed yet), issued (valid now),
    failed, revoked, or expired. Expired means its validUntil has passed (`<= now`), as ob3's verifier
    decides; a revoked credential stays revoked whatever its dates."""
    if credential.status == Credential.Status.REVOKED or credential.revoked_at is not None:
        return "revoked"
    if credential.status in (Credential.Status.PENDING, Credential.Status.SIGNING):
        return "pending"
    if credential.status == Credential.Status.FAILED:
        return "failed"
    if credential.valid_until is not None and credential.valid_until <= (now or timezone.now()):
        return "expired"
    return "issued"


# --- Selectors -----------------------------------------------------------------------------------------
def credential_list_for_issuer(
    *, issuer: Issuer, search: str = "", state: str = "", now: datetime | None = None
) -> QuerySet[Credential]:
    """The issuer's credentials, newest first, without their signed documents (the console's and the API's
    lists); `search` matches name, e-mail or achievement, `state` is "" (all), "valid", "expired" or "revoked"."""
    now = now or timezone.now()
    credentials = (
        Credential.objects.filter(issuer=issuer).without_signed_documents().select_related("achievement")
        .order_by("-created_at", "-pk")
    )
    search = search.strip()
    if search:
        # The issuer's achievements are few: matching them first keeps every branch of the OR on the
        # credential table, where PostgreSQL combines its indexes (trigram indexes on name and e-mail, and
        # the achievement foreign key) instead of reading all of the issuer's credentials.
        achievements = list(
            Achievement.objects.filter(issuer=issuer, name__icontains=search).values_list("pk", flat=True)
        )
        credentials = credentials.filter(
            Q(recipient_name__icontains=search) | Q(recipient_email__icontains=search.lower())
            | Q(achievement__in=achievements)
        )
    if state == "revoked":
        credentials = credentials.filter(status=Credential.Status.REVOKED)
    elif state == "expired":
        credentials = credentials.filter(status=Credential.Status.ISSUED, valid_until__lte=now)
    elif state == "valid":
        credentials = credentials.filter(status=Credential.Status.ISSUED).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=now)
        )
    return credentials


def credential_shared_publicly(public_id: object) -> Credential | None:
    """The credential behind a share link, while its learner shares it (Credential.objects.shared_publicly)."""
    return first_or_none(Credential.objects.shared_publicly().select_related("issuer", "achievement"),
                         public_id=public_id)
