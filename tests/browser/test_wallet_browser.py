"""Amina in real Chromium: her wallet, a downloaded badge that verifies on its own, sharing, accessibility."""

import pytest

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from tests.browser.journeys_support import ob3_verify
from tests.factories import make_achievement, make_issuer, make_user

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def amina(transactional_db):
    return make_user("amina")


@pytest.fixture
def site(server, settings):
    """The live server is the site's public address, so what the credential names (issuer, keys, status list,
    the extension context) can be fetched from it."""
    settings.PUBLIC_BASE_URL = server
    settings.EXTENSION_CONTEXT_URL = f"{server}/ns/v1"
    return server


@pytest.fixture
def credential(amina, site):
    achievement = make_achievement(make_issuer())
    credential = credential_issue(achievement=achievement, recipient_email=amina.email, recipient_name="Amina")
    credential_sign(credential_id=credential.id)  # the on_commit queueing goes to the memory broker; sign here
    credential.refresh_from_db()
    return credential


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def assert_no_horizontal_scroll(page) -> None:
    original = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways at 360 px (scrollWidth {width})"
    page.set_viewport_size(original)


def test_amina_downloads_a_badge_that_verifies_and_shares_it(page, amina, credential, axe, screenshot, tmp_path):
    page.goto("/catalogue/")
    assert page.get_by_role("heading", level=2, name="Samarbete i arbetsgrupp").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "learner-catalogue")

    sign_in(page, amina)
    page.goto("/wallet/")
    item = page.get_by_role("link", name="Samarbete i arbetsgrupp")
    assert item.is_visible()
    assert " ".join(page.locator(".credential-state").first.text_content().split()) == "✓ Valid"
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "learner-wallet")

    item.click()
    page.wait_for_url(f"**/wallet/credentials/{credential.public_id}/")
    assert page.get_by_role("img", name="Badge: Samarbete i arbetsgrupp, from Testskolan").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Badge image (PNG)").click()
    png = tmp_path / "badge.png"
    download_info.value.save_as(png)
    # Offline the command says "unconfirmed" until it is handed the issuer's controller document, key document and
    # status list (fetched from the site, as an employer would); then it is valid. It used to pass with a warning
    # for a key read from the `#z6Mk…` fragment: keys now have their own documents, and a fragment key nobody
    # vouches for is no longer valid.
    report = ob3_verify(png)
    assert not any(check["warning"] for check in report["checks"])

    page.get_by_role("button", name="Share this credential").click()
    page.wait_for_url(f"**/wallet/credentials/{credential.public_id}/")
    linkedin = page.get_by_role("link", name="Add to LinkedIn profile")
    assert linkedin.get_attribute("href").startswith("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME")
    assert page.get_by_role("img", name="QR code for the link to Samarbete i arbetsgrupp").is_visible()
    assert page.get_by_label("Link to this credential").input_value().endswith(f"/c/{credential.public_id}")
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "learner-credential-shared")


def test_the_import_export_and_deletion_pages_are_accessible(page, amina, axe):
    sign_in(page, amina)
    for path in ("/wallet/import/", "/wallet/export/", "/wallet/delete-account/"):
        page.goto(path)
        axe.assert_clean(page)
        assert_no_horizontal_scroll(page)
    page.goto("/wallet/import/")
    page.get_by_role("button", name="Check and add").click()
    assert page.get_by_role("alert").get_by_text("Choose a file or paste a credential.").is_visible()
    axe.assert_clean(page)


def test_amina_adds_her_did_with_a_signed_challenge(page, amina, axe):
    from ob3.keys import LocalSigner
    from tests.learners.test_did import did_key, jws, key_kid

    sign_in(page, amina)
    page.goto("/wallet/")
    page.get_by_role("link", name="My DID", exact=False).click()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    page.get_by_role("button", name="Get a challenge").click()
    nonce = page.locator("#challenge-nonce").inner_text()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)

    page.get_by_role("button", name="Check and add my DID").click()
    assert page.get_by_role("alert").is_visible()
    axe.assert_clean(page)
    assert page.locator("#challenge-nonce").inner_text() == nonce

    signer = LocalSigner.generate()
    page.get_by_label("The signed challenge from your wallet").fill(jws(signer, kid=key_kid(signer), nonce=nonce))
    page.get_by_role("button", name="Check and add my DID").click()
    assert page.get_by_role("status").get_by_text("Your DID", exact=False).is_visible()
    assert page.get_by_text(did_key(signer)).first.is_visible()
    axe.assert_clean(page)


def test_an_imported_credential_from_elsewhere_says_it_cannot_be_confirmed(page, amina, axe, screenshot, tmp_path):
    import json

    from tests.badges.foreign_site import ForeignIssuer

    upload = tmp_path / "from-elsewhere.json"
    upload.write_text(json.dumps(ForeignIssuer().credential()), encoding="utf-8")
    sign_in(page, amina)
    page.goto("/wallet/import/")
    page.get_by_label("Badge image or credential file").set_input_files(str(upload))
    page.get_by_role("button", name="Check and add").click()
    page.wait_for_url("**/wallet/imported/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Imported credential"
    assert " ".join(page.locator("#verdict-title").inner_text().split()) == "Cannot be confirmed"
    assert page.get_by_text("Your wallet does not contact other websites", exact=False).first.is_visible()
    assert page.get_by_role("region", name="What the file claims — not confirmed").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "learner-imported-unconfirmed")
    page.goto("/wallet/")
    assert "Checked: cannot be confirmed" in page.locator(".credential-state-unconfirmed").inner_text()
    axe.assert_clean(page)


def test_amina_makes_an_offer_for_her_phone_wallet(page, amina, credential, axe, screenshot):
    sign_in(page, amina)
    page.goto(f"/wallet/credentials/{credential.public_id}/")
    page.get_by_role("link", name="Add to a digital wallet").click()
    page.get_by_role("button", name="Make an offer for my wallet").click()
    assert page.get_by_role("heading", name="Your offer is ready").is_visible()
    assert page.get_by_role("img", name="QR code that offers Samarbete i arbetsgrupp to a wallet app").is_visible()
    link = page.get_by_role("link", name="Open in a wallet app on this device")
    assert link.get_attribute("href").startswith("openid-credential-offer://?credential_offer_uri=")
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "learner-wallet-offer")
