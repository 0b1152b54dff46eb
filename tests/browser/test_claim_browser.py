"""A recipient without an account opens the claim link from the award e-mail in Chromium, creates an account
from it and lands on the credential in their wallet."""

import re

import pytest
from django.core import mail

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import CredentialClaim
from tests.browser.test_wallet_browser import assert_no_horizontal_scroll
from tests.factories import make_achievement, make_issuer

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def site(server, settings):
    settings.PUBLIC_BASE_URL = server
    settings.EXTENSION_CONTEXT_URL = f"{server}/ns/v1"
    return server


@pytest.fixture
def claim_link(site, transactional_db):
    """An award to Nora, signed here (the on_commit queueing goes to the memory broker); her e-mail's link."""
    achievement = make_achievement(make_issuer())
    mail.outbox.clear()
    credential = credential_issue(achievement=achievement, recipient_email="nora@example.org", recipient_name="Nora")
    credential_sign(credential_id=credential.id)
    (message,) = mail.outbox
    return re.search(r"(http://\S+/claim/\S+)", message.body).group(1)


def test_nora_creates_an_account_from_the_link_and_finds_her_credential(page, claim_link, axe, screenshot):
    page.goto(claim_link)
    assert page.get_by_role("heading", level=1, name="Receive your credential").is_visible()
    assert page.get_by_label("E-mail address").input_value() == "nora@example.org"
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "claim-landing")

    page.get_by_role("link", name="Create an account").click()
    page.wait_for_load_state()
    assert page.get_by_label("Email", exact=False).first.input_value() == "nora@example.org"
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/wallet/credentials/*/")
    assert page.get_by_role("heading", level=1, name="Samarbete i arbetsgrupp").is_visible()
    assert page.get_by_text("The credential is now in your wallet.").is_visible()
    claim = CredentialClaim.objects.get()
    assert claim.claimed_at is not None and claim.claimed_by.email == "nora@example.org"
    axe.assert_clean(page)
    screenshot(page, "claim-claimed-credential")


def test_the_unknown_and_expired_link_pages_are_accessible(page, claim_link, axe, screenshot):
    from datetime import timedelta

    from django.utils import timezone

    page.goto(claim_link.rsplit("/", 1)[0] + "/not-a-token")
    axe.assert_clean(page)
    yesterday = timezone.now() - timedelta(days=1)
    CredentialClaim.objects.update(expires_at=yesterday, last_sent_at=yesterday)
    page.goto(claim_link)
    assert page.get_by_role("button", name="Send me a new link").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "claim-expired")
    page.get_by_role("button", name="Send me a new link").click()
    assert page.get_by_role("heading", level=1, name="A new link is on its way").is_visible()
    axe.assert_clean(page)
