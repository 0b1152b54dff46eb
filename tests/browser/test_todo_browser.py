"""What waits for staff, in real Chromium: a quality reviewer and an assessor see their counts in the menu
and on the overview, act on one item each, and the count goes down. The overview passes axe-core and is
photographed at 360 and 1280 px."""

import re

import pytest

from badges.models import Achievement
from issuers.models import Role
from tests.browser.journeys_support import assert_no_horizontal_scroll, assess, sign_in
from tests.console.support import application_submitted
from tests.factories import make_achievement, make_issuer, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def issuer(transactional_db):
    return make_issuer()


def menu_link(page, name: str):
    return page.get_by_role("navigation", name="Organisation").get_by_role("link", name=re.compile(f"^{name}"))


def overview_item(page, kind: str) -> str:
    return page.locator(f".todo-list .todo-{kind}").inner_text()


def test_a_reviewer_sees_what_waits_and_the_count_goes_down(page, issuer, axe, screenshot):
    for _ in range(2):
        make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    reviewer = make_member(issuer, "rut", Role.QA_REVIEWER).user
    sign_in(page, reviewer, f"/console/{issuer.slug}/")

    # The count is read out in words: "Quality review 2 waiting".
    assert menu_link(page, "Quality review").get_attribute("href") == f"/console/{issuer.slug}/review/"
    assert page.get_by_role("link", name="Quality review 2 waiting").is_visible()
    assert overview_item(page, "review") == "2 definitions wait for your quality review"
    assert overview_item(page, "publish") == "No approved definitions wait to be published."
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "console-overview-reviewer")

    # Approve one: one fewer to review, one to publish.
    page.get_by_role("link", name="2 definitions wait for your quality review").click()
    page.wait_for_url(f"**/console/{issuer.slug}/review/")
    page.locator("main").get_by_role("link", name="Samarbete i arbetsgrupp").first.click()
    page.get_by_role("radio", name="Approve").check()
    page.get_by_role("button", name="Send decision").click()
    page.wait_for_url(f"**/console/{issuer.slug}/achievements/*/")

    # Publishing asks first, saying what cannot be undone.
    page.locator("main").get_by_role("link", name="Publish", exact=True).click()
    assert page.get_by_role("heading", name="This cannot be undone").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "console-publish-confirm")
    page.get_by_role("button", name="Yes, publish it").click()
    page.wait_for_url(f"**/console/{issuer.slug}/achievements/*/")
    assert "Published." in page.get_by_role("status").inner_text()

    menu_link(page, "Overview").click()
    assert page.get_by_role("link", name="Quality review 1 waiting").is_visible()
    assert overview_item(page, "review") == "1 definition waits for your quality review"
    assert overview_item(page, "publish") == "No approved definitions wait to be published."


def test_an_assessor_sees_what_waits_and_the_count_goes_down(page, issuer, axe, screenshot):
    achievement = make_achievement(issuer)
    application_submitted(achievement, "amina")
    application_submitted(achievement, "eli")
    assessor = make_member(issuer, "asa", Role.ASSESSOR).user
    sign_in(page, assessor, f"/console/{issuer.slug}/")

    assert page.get_by_role("link", name="Assessment queue 2 waiting").is_visible()
    assert overview_item(page, "assess") == "2 applications wait for your assessment"
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "console-overview-assessor")

    assess(page, issuer, "amina@example.org", levels=["Godkänd"], decision="Approve")
    assert page.get_by_role("link", name="Assessment queue 1 waiting").is_visible()
    menu_link(page, "Overview").click()
    assert overview_item(page, "assess") == "1 application waits for your assessment"
    page.get_by_role("link", name="Choose how you hear about new work", exact=False).click()
    page.wait_for_url("**/accounts/notifications/")
