"""Hand-built histories for the dashboard tests: each event placed at a chosen moment with freezegun,
as the services would have recorded it then."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from assessment.models import Application, AssessmentAuditEvent, Submission
from badges.credentials.events import credential_event_record
from badges.credentials.issuing import credential_issue
from badges.models import Achievement, Credential, CredentialClaim, CredentialEvent, CredentialPageView
from tests.factories import make_user

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(text: str) -> datetime:
    """A moment in the site's time zone, e.g. at("2025-04-01 00:00")."""
    return datetime.fromisoformat(text).replace(tzinfo=STOCKHOLM)


def credential_made(
    achievement: Achievement,
    *,
    issued: datetime,
    email: str = "amina@example.org",
    valid_until: datetime | None = None,
    revoked: datetime | None = None,
    claimed: datetime | None = None,
    shared: datetime | None = None,
    views: dict[date, int] | None = None,
) -> Credential:
    with freeze_time(issued):
        credential = credential_issue(achievement=achievement, recipient_email=email, valid_until=valid_until)
        credential_event_record(credential=credential, kind=CredentialEvent.Kind.ISSUED)
    Credential.objects.filter(pk=credential.pk).update(
        status=Credential.Status.REVOKED if revoked else Credential.Status.ISSUED,
        revoked_at=revoked, first_shared_at=shared,
    )
    if claimed:
        CredentialClaim.objects.create(
            credential=credential, email=email, token_hash=secrets.token_hex(32),
            expires_at=claimed + timedelta(days=30), claimed_at=claimed,
        )
    for day, count in (views or {}).items():
        CredentialPageView.objects.create(credential=credential, day=day, count=count)
    credential.refresh_from_db()
    return credential


class ApplicationStory:
    """One learner's application: rounds sent and decisions taken, each at a given moment."""

    def __init__(self, achievement: Achievement, username: str) -> None:
        self.achievement = achievement
        self.application = Application.objects.create(achievement=achievement, learner=make_user(username))
        self.rounds = 0

    def submitted(self, moment: datetime) -> ApplicationStory:
        self.rounds += 1
        with freeze_time(moment):
            Submission.objects.create(application=self.application, number=self.rounds)
            self._event(AssessmentAuditEvent.Kind.SUBMITTED)
        return self

    def decided(self, kind: str, moment: datetime) -> ApplicationStory:
        with freeze_time(moment):
            self._event(kind)
        return self

    def _event(self, kind: str) -> None:
        AssessmentAuditEvent.objects.create(
            achievement=self.achievement, application=self.application, kind=kind, data={"round": self.rounds}
        )
