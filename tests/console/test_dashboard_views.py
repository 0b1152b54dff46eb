"""The dashboard page and its CSV export: who may see them, what they show, and in which language."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from assessment.models import AssessmentAuditEvent
from issuers.models import Role
from tests.console.dashboard_data import ApplicationStory, at, credential_made
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db
NOW = at("2025-04-15 12:00")


@pytest.fixture
def url(issuer):
    return reverse("dashboard:overview", args=[issuer.slug])


@pytest.mark.parametrize("role", [Role.OWNER, Role.DESIGNER, Role.ASSESSOR, Role.QA_REVIEWER])
def test_every_member_sees_the_dashboard(client, issuer, url, role):
    client.force_login(make_member(issuer, "maria", role).user)
    assert client.get(url).status_code == 200
    assert client.get(reverse("dashboard:export", args=[issuer.slug])).status_code == 200


def test_strangers_and_visitors_get_no_dashboard(client, issuer, url):
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 404
    assert client.get(reverse("dashboard:export", args=[issuer.slug])).status_code == 404
    assert client.get(reverse("dashboard:overview", args=["no-such-issuer"])).status_code == 404


@freeze_time(NOW)
def test_the_page_shows_figures_as_tables_and_labelled_charts(client, issuer, achievement, url):
    credential_made(achievement, issued=at("2025-04-02 10:00"), valid_until=at("2025-05-01 00:00"))
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "April 1, 2025" in page and "April 30, 2025" in page
    assert "<svg" in page and "<title id=\"chart-credentials-title\">Credentials</title>" in page
    assert 'class="bar-value">1</text>' in page  # the bar for "Issued" says its value
    assert "1 credential expires within 30 days." in page
    assert reverse("dashboard:expiring", args=[issuer.slug]) in page


@freeze_time(NOW)
def test_designers_see_the_count_but_no_link_to_the_holders(client, issuer, achievement, url):
    client.force_login(make_member(issuer, "dora", Role.DESIGNER).user)
    page = client.get(url).content.decode()
    assert reverse("dashboard:expiring", args=[issuer.slug]) not in page


@freeze_time(NOW)
def test_dates_follow_the_page_language(client, issuer, url):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    swedish = client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert ">1 april 2025</time>" in swedish and ">30 april 2025</time>" in swedish
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">April 1, 2025</time>" in english and ">April 30, 2025</time>" in english


@freeze_time(NOW)
def test_a_range_needs_both_days_in_order(client, issuer, url):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    response = client.get(url, {"period": "range", "first_day": "2025-04-10", "last_day": "2025-04-01"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "The last day must be on or after the first day." in response.content.decode()
    response = client.get(url, {"period": "range", "first_day": "2025-03-01", "last_day": "2025-03-31"},
                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert ">March 1, 2025</time>" in response.content.decode()
    assert ">March 31, 2025</time>" in response.content.decode()


@freeze_time(NOW)
def test_the_csv_has_the_same_numbers_and_opens_in_swedish_excel(client, issuer, achievement):
    issuer.name = "Skolan i Älvsjö"
    issuer.save()
    credential_made(achievement, issued=at("2025-04-02 10:00"))
    ApplicationStory(achievement, "anna").submitted(at("2025-04-01 08:00")).decided(
        AssessmentAuditEvent.Kind.APPROVED, at("2025-04-03 20:00"))
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    response = client.get(reverse("dashboard:export", args=[issuer.slug]),
                          {"achievement": str(achievement.public_id), "period": "this_month"},
                          HTTP_ACCEPT_LANGUAGE="sv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = "testskolan-dashboard-2025-04-01-2025-04-30.csv"
    assert response["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Utfärdare", "Skolan i Älvsjö"]
    values = {row[1]: row[2] for row in rows[6:]}
    assert values["Utfärdade intyg"] == "1"
    assert values["Godkända"] == "1"
    assert values["Median"] == "2,5"  # days, with the Swedish decimal comma


@freeze_time(NOW)
def test_the_english_csv_uses_commas(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    body = client.get(reverse("dashboard:export", args=[issuer.slug]), HTTP_ACCEPT_LANGUAGE="en").content
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Issuer", "Testskolan"]
    assert ["Credentials", "Credentials issued", "0", ""] in rows


def _history(achievement, size: int, first: int = 0) -> None:
    for n in range(first, first + size):
        credential_made(achievement, issued=at("2025-04-02 10:00"), email=f"p{n}@example.org",
                        valid_until=at("2025-04-20 00:00"), claimed=at("2025-04-03 10:00"),
                        shared=at("2025-04-04 10:00"), revoked=at("2025-04-05 10:00") if n % 2 else None,
                        views={date(2025, 4, 6): n + 1})
        ApplicationStory(achievement, f"learner{n}").submitted(at("2025-04-01 08:00")).decided(
            AssessmentAuditEvent.Kind.APPROVED, at("2025-04-03 20:00"))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@freeze_time(NOW)
def test_the_number_of_queries_does_not_grow_with_the_data(client, issuer, achievement, url):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    _history(achievement, 2)
    small = _queries(client, url), _queries(client, reverse("dashboard:export", args=[issuer.slug]))
    _history(achievement, 12, first=2)
    large = _queries(client, url), _queries(client, reverse("dashboard:export", args=[issuer.slug]))
    assert small == large
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="bar-value">14</text>' in page  # all 14 issued were counted
