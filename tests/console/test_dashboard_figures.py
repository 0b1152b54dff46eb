"""The dashboard's figures against a hand-built history, with the clock frozen in mid-April 2025.

Periods are calendar periods in Stockholm time: April 2025 starts at 2025-04-01 00:00 +02:00.
"""

from datetime import UTC, date, timedelta

import pytest
from freezegun import freeze_time

from assessment.models import AssessmentAuditEvent
from console.dashboard import dashboard_figures
from console.periods import PeriodKind, period_for
from tests.console.dashboard_data import ApplicationStory, at, credential_made
from tests.factories import make_achievement, make_issuer

pytestmark = pytest.mark.django_db
Kind = AssessmentAuditEvent.Kind
NOW = at("2025-04-15 12:00")
APRIL = period_for(PeriodKind.THIS_MONTH, today=date(2025, 4, 15))
MARCH = period_for(PeriodKind.LAST_MONTH, today=date(2025, 4, 15))


@pytest.fixture
def history(issuer, achievement):
    other_achievement = make_achievement(issuer)
    # Applications: one sent exactly as April began, one the second before.
    ApplicationStory(achievement, "anna").submitted(at("2025-04-01 00:00")).decided(
        Kind.APPROVED, at("2025-04-03 00:00"))
    (ApplicationStory(achievement, "bo").submitted(at("2025-03-31 23:59:59"))
        .decided(Kind.REVISION_REQUESTED, at("2025-04-02 00:00"))
        .submitted(at("2025-04-05 00:00")).decided(Kind.REJECTED, at("2025-04-09 00:00")))
    # A first approval that waits for a second assessor is not a decision yet.
    ApplicationStory(achievement, "cecilia").submitted(at("2025-04-10 00:00")).decided(
        Kind.FIRST_APPROVAL, at("2025-04-11 00:00"))

    credential_made(achievement, issued=at("2025-04-01 00:00"), claimed=at("2025-04-02 10:00"),
                    shared=at("2025-04-03 10:00"),
                    views={date(2025, 3, 31): 5, date(2025, 4, 1): 3, date(2025, 4, 15): 2})
    credential_made(achievement, issued=at("2025-03-10 09:00"), valid_until=at("2025-04-05 00:00"))
    # Revoked after it expired: counted once, as revoked.
    credential_made(achievement, issued=at("2025-03-10 09:00"), valid_until=at("2025-04-06 00:00"),
                    revoked=at("2025-04-07 00:00"))
    credential_made(achievement, issued=at("2025-03-10 09:00"), valid_until=at("2025-04-20 00:00"),
                    revoked=at("2025-04-02 00:00"))
    credential_made(achievement, issued=at("2025-03-10 09:00"), valid_until=at("2025-04-25 00:00"))
    credential_made(achievement, issued=at("2025-03-11 09:00"), valid_until=at("2025-04-01 00:00"))
    credential_made(other_achievement, issued=at("2025-04-04 09:00"))
    # Another issuer's activity never shows.
    stranger = make_achievement(make_issuer("annanskola"))
    credential_made(stranger, issued=at("2025-04-04 09:00"), revoked=at("2025-04-05 09:00"),
                    claimed=at("2025-04-05 09:00"), shared=at("2025-04-05 09:00"), views={date(2025, 4, 5): 50})
    ApplicationStory(stranger, "dan").submitted(at("2025-04-02 00:00")).decided(Kind.REJECTED, at("2025-04-03 00:00"))
    return other_achievement


def figures(issuer, period, achievement=None):
    with freeze_time(NOW):
        return dashboard_figures(issuer=issuer, period=period, now=NOW, achievement=achievement)


def test_applications_and_decisions_of_april(issuer, history):
    april = figures(issuer, APRIL)
    assert (april.submitted, april.approved, april.revision_requested, april.rejected) == (2, 1, 1, 1)
    # Waits: 2 days (approved), 1 day and 1 second (revision), 4 days (second round rejected).
    assert april.decision_median == timedelta(days=2)
    assert april.decision_average == (timedelta(days=7, seconds=1)) / 3


def test_an_event_on_the_boundary_belongs_to_the_period_it_opens(issuer, history):
    march = figures(issuer, MARCH)
    assert march.submitted == 1  # bo's, at 23:59:59; anna's at 00:00 is April's
    assert march.decisions == 0 and march.decision_median is None and march.decision_average is None
    assert march.issued == 5  # the credential issued at 00:00 on 1 April is not March's
    assert march.expired == 0  # nor is the one that expired at that moment
    assert march.page_views == 5


def test_credentials_of_april(issuer, history):
    april = figures(issuer, APRIL)
    assert april.issued == 2
    assert (april.claimed, april.shared) == (1, 1)
    assert april.revoked == 2
    # Expired: the ones ending on 5 April and exactly at 00:00 on 1 April; the one revoked after
    # expiring counts as revoked only, and the one ending on 25 April has not expired yet.
    assert april.expired == 2
    assert april.page_views == 5


def test_one_achievement_alone(issuer, achievement, history):
    only = figures(issuer, APRIL, achievement=achievement)
    assert only.issued == 1
    other = figures(issuer, APRIL, achievement=history)
    assert (other.issued, other.submitted, other.revoked, other.page_views) == (1, 0, 0, 0)


def test_the_median_of_an_even_number_of_decisions_is_the_mean_of_the_middle_two(issuer, achievement):
    for name, days in (("a", 1), ("b", 2), ("c", 4), ("d", 10)):
        ApplicationStory(achievement, name).submitted(at("2025-04-01 08:00")).decided(
            Kind.APPROVED, at("2025-04-01 08:00") + timedelta(days=days))
    april = figures(issuer, APRIL)
    assert april.decision_median == timedelta(days=3)
    assert april.decision_average == timedelta(days=17) / 4


@pytest.mark.parametrize(
    ("kind", "first", "last"),
    [
        (PeriodKind.THIS_MONTH, date(2025, 2, 1), date(2025, 2, 28)),
        (PeriodKind.LAST_MONTH, date(2025, 1, 1), date(2025, 1, 31)),
        (PeriodKind.THIS_QUARTER, date(2025, 1, 1), date(2025, 3, 31)),
        (PeriodKind.THIS_YEAR, date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_calendar_periods(kind, first, last):
    period = period_for(kind, today=date(2025, 2, 14))
    assert (period.first_day, period.last_day) == (first, last)


def test_last_month_in_january_is_last_december_and_the_fourth_quarter_ends_with_the_year():
    assert period_for(PeriodKind.LAST_MONTH, today=date(2025, 1, 3)).first_day == date(2024, 12, 1)
    assert period_for(PeriodKind.THIS_QUARTER, today=date(2025, 11, 3)).last_day == date(2025, 12, 31)


def test_a_range_includes_its_last_day_and_runs_in_local_time():
    period = period_for(PeriodKind.RANGE, today=date(2025, 4, 15), first_day=date(2025, 3, 30),
                        last_day=date(2025, 3, 30))
    # 30 March 2025 is the day Sweden moves to summer time: 23 hours long.
    assert period.start == at("2025-03-30 00:00") and period.end == at("2025-03-31 00:00")
    assert period.end.astimezone(UTC) - period.start.astimezone(UTC) == timedelta(hours=23)
    with pytest.raises(ValueError):
        period_for(PeriodKind.RANGE, today=date(2025, 4, 15), first_day=date(2025, 4, 2), last_day=date(2025, 4, 1))
