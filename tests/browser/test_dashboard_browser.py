"""The issuer dashboard and the expiring-soon list in real Chromium: accessibility, small screens, charts."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from assessment.models import AssessmentAuditEvent
from issuers.models import Role
from tests.browser.test_console_browser import assert_no_horizontal_scroll, sign_in
from tests.console.dashboard_data import ApplicationStory, credential_made
from tests.factories import make_achievement, make_issuer, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def issuer(transactional_db):
    return make_issuer()


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "ingrid", Role.OWNER).user


@pytest.fixture
def history(issuer):
    achievement = make_achievement(issuer)
    start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    now = timezone.now()
    for n in range(3):
        credential_made(achievement, issued=max(start, now - timedelta(hours=n + 1)), email=f"p{n}@example.org",
                        valid_until=now + timedelta(days=10 + n), shared=now - timedelta(minutes=5))
    ApplicationStory(achievement, "anna").submitted(max(start, now - timedelta(hours=3))).decided(
        AssessmentAuditEvent.Kind.APPROVED, now - timedelta(minutes=30))
    return achievement


def test_the_dashboard_reads_without_colour_and_fits_small_screens(page, owner, issuer, history, axe, screenshot):
    sign_in(page, owner)
    page.goto(f"/console/{issuer.slug}/dashboard/")
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    chart = page.get_by_role("img", name="Credentials")
    assert chart.locator("text.bar-value").first.text_content() == "3"  # each bar says its value
    assert page.get_by_role("table", name="Credentials").get_by_role("row", name="Credentials issued 3").count() == 1
    assert page.get_by_text("3 credentials expire within 30 days.").count() == 1
    axe.assert_clean(page)
    screenshot(page, "dashboard")
    assert_no_horizontal_scroll(page)


def test_a_range_is_chosen_by_keyboard_and_the_csv_downloads(page, owner, issuer, history, axe):
    sign_in(page, owner)
    page.goto(f"/console/{issuer.slug}/dashboard/")
    page.get_by_label("Period").select_option("range")
    page.get_by_label(re.compile(r"^From:?$")).fill("2025-04-10")
    page.get_by_label(re.compile(r"^To:?$")).fill("2025-04-01")
    page.get_by_role("button", name="Show").press("Enter")
    page.get_by_role("alert").wait_for()
    axe.assert_clean(page)  # the error summary too
    page.get_by_label(re.compile(r"^To:?$")).fill("2025-04-30")
    page.get_by_role("button", name="Show").click()
    page.get_by_text("April 30, 2025").first.wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    assert download.value.suggested_filename == "testskolan-dashboard-2025-04-10-2025-04-30.csv"


def test_the_expiring_list(page, owner, issuer, history, axe, screenshot):
    sign_in(page, owner)
    page.goto(f"/console/{issuer.slug}/expiring/")
    assert page.get_by_role("heading", name=history.name, level=2).count() == 1
    assert page.get_by_role("table").get_by_role("row").count() == 4  # a header and three holders
    axe.assert_clean(page)
    screenshot(page, "expiring")
    assert_no_horizontal_scroll(page)
