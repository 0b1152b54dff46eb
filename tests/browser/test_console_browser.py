"""An issuer owner in real Chromium: signing in, the profile form by keyboard alone, accessibility, small screens."""

import re

import pytest

from issuers.models import Role
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def issuer(transactional_db):
    return make_issuer()


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "ingrid", Role.OWNER).user


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/console/")


def active_element(page) -> dict:
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " type: document.activeElement.type || ''})"
    )


def tab_to(page, element_id: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if active_element(page)["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def assert_no_horizontal_scroll(page) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways at 360 px (scrollWidth {width})"


def test_an_owner_signs_in_and_fixes_the_profile_by_keyboard(page, owner, issuer, screenshot):
    sign_in(page, owner)
    page.get_by_role("link", name="Testskolan").click()
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="Profile").click()
    page.wait_for_url(f"**/console/{issuer.slug}/profile/")

    # Keyboard only from here on: Tab to the country code, type, Enter submits.
    tab_to(page, "id_country_code")
    page.keyboard.press("Control+A")
    page.keyboard.type("XX")
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    # It takes focus (autofocus runs just after loading), so screen readers announce it first.
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    assert "ISO 3166-1 alpha-2" in summary.inner_text()
    screenshot(page, "console-profile-error")

    # The summary's link leads to the field.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('href')") == "#id_country_code"
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "id_country_code"
    assert page.locator("#id_country_code").get_attribute("aria-invalid") == "true"
    page.keyboard.press("Control+A")
    page.keyboard.type("se")
    page.keyboard.press("Enter")

    # The redirect keeps the #id_country_code fragment the summary's link added.
    page.wait_for_url(re.compile(rf"/console/{issuer.slug}/(#.*)?$"))
    assert "Profile saved." in page.get_by_role("status").inner_text()
    issuer.refresh_from_db()
    assert issuer.country_code == "SE"
    screenshot(page, "console-issuer-saved")


def test_public_pages_are_accessible_and_fit_a_small_screen(page, issuer, axe, screenshot):
    for name, path in [("home", "/"), ("login", "/accounts/login/"), ("issuer-public", f"/issuers/{issuer.slug}")]:
        page.set_viewport_size({"width": 1280, "height": 800})
        response = page.goto(path)
        assert response.status == 200, path
        axe.assert_clean(page)
        assert_no_horizontal_scroll(page)
        axe.assert_clean(page)
        screenshot(page, name)


def test_console_pages_are_accessible_and_fit_a_small_screen(page, owner, issuer, axe, screenshot):
    sign_in(page, owner)
    pages = [
        ("console-home", "/console/"),
        ("console-issuer", f"/console/{issuer.slug}/"),
        ("console-members", f"/console/{issuer.slug}/members/"),
        ("console-profile", f"/console/{issuer.slug}/profile/"),
    ]
    for name, path in pages:
        page.set_viewport_size({"width": 1280, "height": 800})
        response = page.goto(path)
        assert response.status == 200, path
        axe.assert_clean(page)
        assert_no_horizontal_scroll(page)
        axe.assert_clean(page)
        screenshot(page, name)

    # The profile form with its errors showing.
    page.goto(f"/console/{issuer.slug}/profile/")
    page.locator("#id_country_code").fill("XX")
    page.locator("#id_name").fill("")
    page.get_by_role("button", name="Save profile").click()
    assert page.locator("#error-summary").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "console-profile-errors")
