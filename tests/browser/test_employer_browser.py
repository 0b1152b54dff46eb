"""An employer in real Chromium checks a shared micro-credential; the issuer revokes it; the employer sees it."""

import pytest

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import Credential
from issuers.models import Role
from tests.factories import make_achievement, make_issuer, make_member

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def shared_credential(transactional_db, django_capture_on_commit_callbacks):
    issuer = make_issuer()
    achievement = make_achievement(issuer)
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="saman@example.org",
                                      recipient_name="Saman Karimi")
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)  # the learner shares it
    credential.refresh_from_db()
    return credential


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/console/")


def assert_no_horizontal_scroll(page) -> None:
    original = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways at 360 px (scrollWidth {width})"
    page.set_viewport_size(original)


def test_an_employer_sees_valid_then_revoked_after_the_issuer_revokes(
    browser, page, server, shared_credential, axe, screenshot, tmp_path
):
    credential = shared_credential
    with credential.baked_png.open("rb") as file:
        png = tmp_path / "saman-badge.png"
        png.write_bytes(file.read())

    # The employer opens the share link the applicant sent.
    page.goto(f"/c/{credential.public_id}")
    verdict = page.locator("#verdict-title")
    assert verdict.inner_text().strip() == "Valid"
    assert page.get_by_role("heading", name="Who issued it").is_visible()
    assert page.get_by_text("Saman Karimi").first.is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "employer-credential-valid")

    # The issuer's assessor revokes it in the console, with a reason.
    assessor = make_member(credential.issuer, "assessor-asa", Role.ASSESSOR).user
    console = browser.new_context(base_url=server, locale="en-GB", extra_http_headers={"Accept-Language": "en"})
    issuer_page = console.new_page()
    sign_in(issuer_page, assessor)
    issuer_page.goto(f"/console/{credential.issuer.slug}/credentials/")
    issuer_page.get_by_label("Name, e-mail or micro-credential").fill("Saman")
    issuer_page.get_by_role("button", name="Search").click()
    axe.assert_clean(issuer_page)
    issuer_page.get_by_role("link", name="Revoke").first.click()
    issuer_page.get_by_role("button", name="Revoke the credential").click()  # no reason yet
    assert issuer_page.locator("#error-summary").is_visible()
    issuer_page.get_by_label("Reason for revoking").fill("The assessment was recorded for the wrong person.")
    issuer_page.get_by_role("button", name="Revoke the credential").click()
    issuer_page.wait_for_url(f"**/console/{credential.issuer.slug}/credentials/")
    assert issuer_page.get_by_text("The credential is revoked.").is_visible()
    axe.assert_clean(issuer_page)
    screenshot(issuer_page, "issuer-credentials-after-revoke")
    console.close()

    # The employer reloads: revoked, with the reason.
    page.reload()
    assert verdict.inner_text().strip() == "Revoked"
    assert page.get_by_text("The assessment was recorded for the wrong person.").is_visible()
    axe.assert_clean(page)
    screenshot(page, "employer-credential-revoked")

    # And the badge file the applicant sent reads revoked on /verify/ too.
    page.goto("/verify/")
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "employer-verify-empty")
    page.get_by_label("Badge image or credential file").set_input_files(str(png))
    page.get_by_role("button", name="Check", exact=True).click()
    assert page.locator("#verdict-title").inner_text().strip() == "Revoked"
    assert page.get_by_text("The assessment was recorded for the wrong person.").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "employer-verify-revoked")


def test_an_employer_is_told_a_file_cannot_be_confirmed_and_why(page, server, monkeypatch, axe, screenshot, tmp_path):
    """A file signed with a key that only names itself, from an issuer whose site does not answer: not "Valid",
    a distinct verdict with the reason and what to do, and the claims set apart as not confirmed."""
    import json

    from kernel import fetch
    from tests.badges.foreign_site import FakeFetcher, ForeignIssuer

    monkeypatch.setattr(fetch, "default_fetcher", lambda: FakeFetcher())  # the issuer's site is down
    foreign = ForeignIssuer()
    upload = tmp_path / "applicant.json"
    upload.write_text(json.dumps(foreign.fragment_key_credential()), encoding="utf-8")

    page.goto("/verify/")
    page.get_by_label("Badge image or credential file").set_input_files(str(upload))
    page.get_by_role("button", name="Check", exact=True).click()
    assert " ".join(page.locator("#verdict-title").inner_text().split()) == "Cannot be confirmed"
    verdict = page.get_by_role("region", name="Cannot be confirmed")
    assert verdict.get_by_role("heading", name="Why").is_visible()
    assert verdict.get_by_text("does not confirm as theirs", exact=False).is_visible()
    assert verdict.get_by_role("heading", name="What you can do").is_visible()
    claims = page.get_by_role("region", name="What the file claims — not confirmed")
    assert claims.get_by_text("Grundläggande dataanalys med Python").first.is_visible()
    page.locator("summary", has_text="What was checked").click()
    assert page.locator(".check-unconfirmed").first.get_by_text("Could not be confirmed").is_visible()
    axe.assert_clean(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "employer-verify-unconfirmed")

    # The issuer's site is back; a tampered copy: not valid (its key is known, the signature does not match), and
    # still only the file's claims.
    monkeypatch.setattr(fetch, "default_fetcher", lambda: foreign.site())
    tampered = foreign.credential()
    tampered["credentialSubject"]["achievement"]["name"] = "Överläkare"
    upload.write_text(json.dumps(tampered), encoding="utf-8")
    page.get_by_label("Badge image or credential file").set_input_files(str(upload))
    page.get_by_role("button", name="Check", exact=True).click()
    assert " ".join(page.locator("#verdict-title").inner_text().split()) == "Not valid"
    claims = page.get_by_role("region", name="What the file claims — not confirmed")
    assert claims.get_by_text("Överläkare").is_visible()
    axe.assert_clean(page)
    screenshot(page, "employer-verify-tampered")

    # A file over a limit: a form error naming it, with status 422.
    upload.write_text('{"a":' * 40 + "1" + "}" * 40, encoding="utf-8")
    page.get_by_label("Badge image or credential file").set_input_files(str(upload))
    with page.expect_response("**/verify/") as answer:
        page.get_by_role("button", name="Check", exact=True).click()
    assert answer.value.status == 422
    assert page.get_by_role("alert").get_by_text("nests more than 32 levels deep", exact=False).is_visible()
    axe.assert_clean(page)
