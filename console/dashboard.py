"""The issuer dashboard's figures and the list of credentials that expire soon: reads only.

Every figure is counted in the database (conditional aggregation), so the number of queries stays the
same however many applications and credentials an issuer has (tests/console/test_dashboard_queries.py).

Counting rules, each figure by the moment its event happened, within [period.start, period.end):
- submitted: applications sent for assessment the first time (round 1); later rounds are resubmissions;
- decisions: the assessment audit events that move an application on (approved, revision requested,
  rejected); a first approval that waits for a second one is not a decision yet;
- time to decision: from the round's Submission.submitted_at to the decision event;
- issued: the credential's ISSUED event; claimed: CredentialClaim.claimed_at; shared:
  Credential.first_shared_at; revoked: Credential.revoked_at;
- expired: valid_until passed and the credential is not revoked. A revoked credential counts as revoked
  only, as in the console's credential list, so no credential is counted both ways;
- page views: CredentialPageView rows whose day falls in the period (days in the site's time zone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from assessment.models import AssessmentAuditEvent, Submission
from badges.models import Achievement, Credential, CredentialClaim, CredentialEvent, CredentialPageView
from badges.models.credentials import CredentialQuerySet
from console.periods import Period
from issuers.models import Issuer

AuditKind = AssessmentAuditEvent.Kind
DECISIONS = (AuditKind.APPROVED, AuditKind.REVISION_REQUESTED, AuditKind.REJECTED)
EXPIRING_WINDOWS = (30, 60, 90)


@dataclass(frozen=True)
class DashboardFigures:
    submitted: int
    approved: int
    revision_requested: int
    rejected: int
    decision_median: timedelta | None
    decision_average: timedelta | None
    issued: int
    claimed: int
    shared: int
    revoked: int
    expired: int
    page_views: int

    @property
    def decisions(self) -> int:
        return self.approved + self.revision_requested + self.rejected


def _scope(queryset: QuerySet, prefix: str, issuer: Issuer, achievement: Achievement | None) -> QuerySet:
    """Only the issuer's rows, and only the achievement's when one is chosen."""
    queryset = queryset.filter(**{f"{prefix}issuer": issuer})
    return queryset.filter(**{f"{prefix}achievement": achievement}) if achievement is not None else queryset


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _decision_events(issuer: Issuer, achievement: Achievement | None, period: Period) -> QuerySet:
    """The period's decisions, each with `waited`: from its round's submission to the decision."""
    round_submitted = Submission.objects.filter(
        application=OuterRef("application"), number=OuterRef("round_number")
    ).values("submitted_at")[:1]
    events = AssessmentAuditEvent.objects.filter(
        _between("created_at", period), kind__in=DECISIONS, application__isnull=False,
        achievement__issuer=issuer,
    )
    if achievement is not None:
        events = events.filter(achievement=achievement)
    return events.annotate(round_number=Cast(KT("data__round"), IntegerField())).annotate(
        submitted=Subquery(round_submitted, output_field=DateTimeField()),
    ).annotate(waited=ExpressionWrapper(F("created_at") - F("submitted"), output_field=DurationField()))


def _median(events: QuerySet, count: int) -> timedelta | None:
    """The middle wait (the mean of the two middle ones for an even count), read from the database in
    order: at most two rows, whatever the count."""
    if count == 0:
        return None
    ordered = events.filter(submitted__isnull=False).order_by("waited").values_list("waited", flat=True)
    middle = list(ordered[(count - 1) // 2: count // 2 + 1])
    return sum(middle, timedelta()) / len(middle) if middle else None


def _application_figures(issuer: Issuer, achievement: Achievement | None, period: Period) -> dict:
    first_rounds = Submission.objects.filter(_between("submitted_at", period), number=1,
                                             application__achievement__issuer=issuer)
    if achievement is not None:
        first_rounds = first_rounds.filter(application__achievement=achievement)
    events = _decision_events(issuer, achievement, period)
    totals = events.aggregate(
        approved=Count("pk", filter=Q(kind=AuditKind.APPROVED)),
        revision_requested=Count("pk", filter=Q(kind=AuditKind.REVISION_REQUESTED)),
        rejected=Count("pk", filter=Q(kind=AuditKind.REJECTED)),
        timed=Count("pk", filter=Q(submitted__isnull=False)),
        decision_average=Avg("waited"),
    )
    timed = totals.pop("timed")
    return {
        "submitted": first_rounds.count(),
        **totals,
        "decision_median": _median(events, timed),
    }


def _credential_figures(issuer: Issuer, achievement: Achievement | None, period: Period, now: datetime) -> dict:
    credentials = _scope(Credential.objects.all(), "", issuer, achievement)
    totals = credentials.aggregate(
        shared=Count("pk", filter=_between("first_shared_at", period)),
        revoked=Count("pk", filter=_between("revoked_at", period) & Q(status=Credential.Status.REVOKED)),
        expired=Count("pk", filter=_between("valid_until", period) & Q(
            status=Credential.Status.ISSUED, valid_until__lte=now
        )),
    )
    issued = _scope(CredentialEvent.objects.all(), "credential__", issuer, achievement).filter(
        _between("created_at", period), kind=CredentialEvent.Kind.ISSUED
    ).aggregate(n=Count("credential", distinct=True))["n"]
    claimed = _scope(CredentialClaim.objects.all(), "credential__", issuer, achievement).filter(
        _between("claimed_at", period)
    ).count()
    views = _scope(CredentialPageView.objects.all(), "credential__", issuer, achievement).filter(
        day__gte=period.first_day, day__lte=period.last_day
    ).aggregate(n=Sum("count"))["n"]
    return {**totals, "issued": issued, "claimed": claimed, "page_views": views or 0}


def dashboard_figures(
    *, issuer: Issuer, period: Period, now: datetime, achievement: Achievement | None = None
) -> DashboardFigures:
    """The issuer's figures for `period`, for one achievement or (None) all of them."""
    return DashboardFigures(
        **_application_figures(issuer, achievement, period),
        **_credential_figures(issuer, achievement, period, now),
    )


# --- Expiring soon -------------------------------------------------------------------------------------
def _expiring(issuer: Issuer, *, now: datetime, days: int) -> CredentialQuerySet:
    return Credential.objects.filter(
        issuer=issuer, status=Credential.Status.ISSUED, valid_until__gt=now, valid_until__lte=now + timedelta(days=days)
    )


def credentials_expiring(*, issuer: Issuer, now: datetime, days: int) -> QuerySet[Credential]:
    """Issued, unrevoked credentials that expire within `days` from now, by achievement, soonest first."""
    expiring = _expiring(issuer, now=now, days=days).without_signed_documents()
    return expiring.select_related("achievement").order_by(
        "achievement__name", "achievement__version", "achievement_id", "valid_until", "pk"
    )


def credentials_expiring_count(*, issuer: Issuer, now: datetime, days: int) -> int:
    return _expiring(issuer, now=now, days=days).count()


def achievements_with_activity(issuer: Issuer) -> QuerySet[Achievement]:
    """The issuer's achievements a dashboard can be narrowed to: those past the draft stage."""
    return Achievement.objects.filter(issuer=issuer).exclude(status=Achievement.Status.DRAFT).order_by(
        "name", "version", "pk"
    )
