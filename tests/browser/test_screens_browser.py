"""The screens in real Chromium: WCAG 2.1 AA (axe-core) on sign-in, sign-up, home, the friendly 404 and the
employer page in both languages; the keyboard through sign-in; submit feedback; tables at 360 px."""

import pytest
from allauth.account.models import EmailAddress

from badges.credentials.signing import credential_sign
from badges.models import Credential
from issuers.models import Role
from tests.factories import make_achievement, make_issuer, make_member

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"


@pytest.fixture
def shared_credential(transactional_db, django_capture_on_commit_callbacks):
    from badges.credentials.issuing import credential_issue

    achievement = make_achievement(make_issuer())
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="saman@example.org",
                                      recipient_name="Saman Karimi")
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    credential.refresh_from_db()
    return credential


def in_language(browser, server, language):
    context = browser.new_context(base_url=server, locale=language, extra_http_headers={"Accept-Language": language},
                                  viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    return context


def assert_fits_360(page) -> None:
    original = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 800})
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} scrolls sideways at 360 px (scrollWidth {width})"
    page.set_viewport_size(original)


@pytest.mark.parametrize("language", ["en", "sv"])
def test_the_screens_pass_axe_in_both_languages(browser, server, shared_credential, axe, screenshot, language):
    context = in_language(browser, server, language)
    page = context.new_page()
    paths = {
        "home": "/",
        "sign-in": "/accounts/login/?next=/wallet/",
        "sign-up": "/accounts/signup/",
        "not-shared": "/c/4f7c2d35-0a8e-4c7e-9a53-3b1f3c1d2e10",
        "employer": f"/c/{shared_credential.public_id}",
    }
    for name, path in paths.items():
        response = page.goto(path)
        assert response.status == (404 if name == "not-shared" else 200), path
        assert page.locator("html").get_attribute("lang") == language
        axe.assert_clean(page)
        assert_fits_360(page)
        screenshot(page, f"screens-{name}-{language}")
    # A failed sign-in: the error summary, still clean.
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("nobody@example.org")
    page.locator("#id_password").fill("wrong-password")
    page.locator("form.account-form button[type=submit]").click()
    assert page.locator("#error-summary").is_visible()
    axe.assert_clean(page)
    context.close()


def test_sign_in_works_with_the_keyboard_alone_and_shows_feedback(page, transactional_db):
    member = make_member(make_issuer(), "asa-kb", Role.ASSESSOR)
    member.user.set_password(PASSWORD)
    member.user.save()
    EmailAddress.objects.update_or_create(user=member.user, email=member.user.email,
                                          defaults={"verified": True, "primary": True})
    page.goto("/accounts/login/?next=/console/")
    page.locator("body").focus()
    for _ in range(40):  # Tab from the top of the page to the e-mail field: no mouse
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "id_login":
            break
    assert page.evaluate("() => document.activeElement.id") == "id_login"
    page.keyboard.type(member.user.email)
    page.keyboard.press("Tab")
    if page.evaluate("() => document.activeElement.id") != "id_password":  # the "Forgot your password?" link
        assert page.evaluate("() => document.activeElement.tagName") == "A"
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "id_password"
    page.keyboard.type(PASSWORD)
    # While the form is sent the button says so and the form is busy (observed before the next page loads).
    page.evaluate("""() => {
        const button = document.querySelector('form.account-form button[type=submit]');
        new MutationObserver(() => { if (button.disabled) sessionStorage.setItem('disabled', 'yes'); })
            .observe(button, {attributes: true});
        document.addEventListener('submit', (event) => {  // runs after the site's own listener
            const seen = [button.textContent, event.target.getAttribute('aria-busy')];
            sessionStorage.setItem('feedback', JSON.stringify(seen));
        });
    }""")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/console/" in url and "/accounts/" not in url)
    page.wait_for_load_state()
    assert page.evaluate("() => JSON.parse(sessionStorage.getItem('feedback'))") == ["Sending…", "true"]
    assert page.evaluate("() => sessionStorage.getItem('disabled')") == "yes"


def test_a_form_that_fails_the_browsers_own_validation_is_not_blocked(page, transactional_db):
    page.goto("/accounts/login/")
    button = page.locator("form.account-form button[type=submit]")
    button.click()  # both fields are required: the browser refuses to send
    assert button.is_enabled() and page.locator("form.account-form").get_attribute("aria-busy") is None
    assert button.inner_text().strip() == "Sign In"


def test_the_back_forward_cache_restores_the_button(page, transactional_db):
    page.goto("/verify/")
    page.locator("#id_text").fill('{"not": "a credential"}')
    page.get_by_role("button", name="Check").click()
    page.wait_for_load_state()
    page.go_back()
    button = page.get_by_role("button", name="Check", exact=True)
    assert button.is_enabled()
    assert page.locator("form.verify-form").get_attribute("aria-busy") is None


def test_tables_are_cards_without_sideways_scrolling_at_360(browser, server, shared_credential, screenshot):
    issuer = shared_credential.issuer
    owner = make_member(issuer, "owner-tables", Role.OWNER)
    owner.user.set_password(PASSWORD)
    owner.user.save()
    EmailAddress.objects.update_or_create(user=owner.user, email=owner.user.email,
                                          defaults={"verified": True, "primary": True})
    context = in_language(browser, server, "sv")
    page = context.new_page()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(owner.user.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.account-form button[type=submit]").click()
    page.wait_for_load_state()
    for path, name in ((f"/console/{issuer.slug}/members/", "members"),
                       (f"/console/{issuer.slug}/credentials/", "credentials"),
                       (f"/issuers/{issuer.slug}", "issuer")):
        page.goto(path)
        assert page.locator("table td[data-label]").count() > 0, path
        page.set_viewport_size({"width": 360, "height": 800})
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360, path
        label = page.evaluate("""() => getComputedStyle(document.querySelector('td[data-label]:not([data-label=""])'),
                                                         '::before').content""")
        assert label not in ("none", "normal", ""), path
        page.set_viewport_size({"width": 1280, "height": 800})
        screenshot(page, f"screens-table-{name}")
    context.close()
