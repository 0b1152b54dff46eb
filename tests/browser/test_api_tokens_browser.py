"""An owner creates an API token in real Chromium, copies its secret (shown once), and revokes it; every page
passes axe's WCAG 2.1 A/AA checks and reads at 360 and 1280 px."""

import pytest

from api.models import ApiToken
from api.tokens import api_token_for_secret
from issuers.models import Role
from tests.browser.test_console_browser import assert_no_horizontal_scroll, sign_in
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.browser


@pytest.fixture
def issuer(transactional_db):
    return make_issuer()


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "ingrid", Role.OWNER).user


def test_an_owner_creates_sees_once_and_revokes_a_token(page, owner, issuer, axe, screenshot):
    sign_in(page, owner)
    page.goto(f"/console/{issuer.slug}/")
    page.get_by_role("navigation", name="Organisation").get_by_role("link", name="API tokens").click()
    page.wait_for_url(f"**/console/{issuer.slug}/api-tokens/")
    axe.assert_clean(page)

    page.get_by_label("Name").fill("Ladok")
    page.get_by_label("Read: profile, members", exact=False).check()
    page.get_by_label("Revoke and re-issue credentials").check()
    page.get_by_role("button", name="Create token").click()

    secret_field = page.get_by_label("API token", exact=True)
    secret = secret_field.input_value()
    assert secret.startswith("mkm_") and api_token_for_secret(secret) is not None
    assert page.get_by_text("It is shown only this once.").is_visible()
    # Revealed by copy_link.js (deferred) where the Clipboard API works, as here: wait for it.
    page.get_by_role("button", name="Copy token").wait_for(state="visible")
    axe.assert_clean(page)
    screenshot(page, "api-tokens-created")
    assert_no_horizontal_scroll(page)

    page.goto(f"/console/{issuer.slug}/api-tokens/")
    assert secret not in page.content()  # shown once
    page.get_by_role("link", name="Revoke the token Ladok").click()
    page.wait_for_url("**/revoke/")
    axe.assert_clean(page)
    screenshot(page, "api-tokens-revoke")
    page.get_by_role("button", name="Revoke token").click()
    page.wait_for_url(f"**/console/{issuer.slug}/api-tokens/")
    assert page.get_by_text("The API token “Ladok” is revoked.", exact=False).is_visible()
    axe.assert_clean(page)
    screenshot(page, "api-tokens-list")
    assert ApiToken.objects.get().revoked_at is not None and api_token_for_secret(secret) is None
