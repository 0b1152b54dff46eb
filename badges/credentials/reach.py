"""What became of an issuer's credentials after issuing, for the console: was the e-mail delivered, did the
recipient claim it, do they share it, is its verification page visited. Read in one query for any number
of credentials (joins and a subquery, never one query per row)."""

from __future__ import annotations

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from badges.models import Credential, CredentialPageView
from notifications.models import Notice

CLAIM_FILTERS = (
    ("", _("All")),
    ("unclaimed", _("Not claimed")),
    ("undelivered", _("Bounced or undeliverable")),
)
UNDELIVERED_STATES = (Notice.State.BOUNCED, Notice.State.UNDELIVERABLE)


def credentials_with_reach(credentials: QuerySet[Credential], *, claim_filter: str = "") -> QuerySet[Credential]:
    """`credentials` with their claim and its latest e-mail joined in, and `page_view_total` annotated;
    `claim_filter` is "" (all), "unclaimed" or "undelivered" (CLAIM_FILTERS)."""
    views = (
        CredentialPageView.objects.filter(credential=OuterRef("pk")).order_by()
        .values("credential").annotate(total=Sum("count")).values("total")
    )
    credentials = credentials.select_related("claim", "claim__notice").annotate(
        page_view_total=Coalesce(Subquery(views, output_field=IntegerField()), Value(0))
    )
    if claim_filter == "unclaimed":
        credentials = credentials.filter(claim__isnull=False, claim__claimed_at__isnull=True)
    elif claim_filter == "undelivered":
        credentials = credentials.filter(claim__notice__state__in=UNDELIVERED_STATES)
    return credentials


def claim_email_state(credential: Credential) -> str:
    """"" (no e-mail yet), or the state of the latest e-mail carrying the link: waiting, in_digest, sent,
    undeliverable, bounced. Reads what credentials_with_reach joined in."""
    claim = getattr(credential, "claim", None)
    if claim is None or claim.notice is None:
        return ""
    return claim.notice.state
