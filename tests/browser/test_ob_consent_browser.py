"""The Open Badges API's learner pages in real Chromium: the consent page used with the keyboard alone,
axe-clean, and the connected apps page with its disconnect button."""

import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from obapi.registration import client_register
from tests.factories import make_user
from tests.obapi.conftest import authorize_params, client_metadata

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"
# A 1×1 PNG for the app's logo: the browser never leaves this machine.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360f8cf000000030101009c2d2b570000000049454e44ae426082")


@pytest.fixture
def amina(transactional_db):
    return make_user("amina")


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Login").fill(user.email)
    page.get_by_label("Password", exact=False).first.fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def test_amina_allows_an_app_with_the_keyboard_and_disconnects_it(page, amina, axe, screenshot):
    registration, _secret = client_register(metadata=client_metadata())
    client_id = registration.application.client_id
    page.route("https://host.example/logo.png", lambda route: route.fulfill(status=200, body=PNG,
                                                                            content_type="image/png"))
    sign_in(page, amina)
    params = authorize_params(client_id, secrets.token_urlsafe(48))
    page.goto("/ims/ob/v3p0/oauth/authorize?" + urlencode(params))
    assert page.get_by_role("heading", level=1, name="Badgehost Example asks to connect to your wallet").is_visible()
    assert page.get_by_role("img", name="Logo of Badgehost Example").is_visible()
    assert page.get_by_text("See the credentials in your wallet", exact=False).is_visible()
    axe.assert_clean(page)
    screenshot(page, "learner-ob-consent")

    # Keyboard alone: Tab until Allow has the focus, then Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.textContent.trim()") == "Allow":
            break
    else:
        pytest.fail("the Allow button cannot be reached with Tab")
    # The answer is a redirect to the app, a host this machine cannot reach. It is read here and the browser
    # shown a page instead: following it ends in Chromium's error page, a navigation that can cut off the
    # next page.goto.
    answers = []

    def answer_read_not_followed(route):
        if route.request.method != "POST":
            return route.continue_()
        answers.append(route.fetch(max_redirects=0))
        return route.fulfill(status=200, content_type="text/html", body="<p>Answered.</p>")

    page.route(lambda url: "/oauth/authorize" in url, answer_read_not_followed)
    page.keyboard.press("Enter")
    page.get_by_text("Answered.").wait_for()
    [answer] = answers
    assert answer.status == 302
    location = answer.headers["location"]
    assert location.startswith("https://host.example/callback")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == [params["state"]] and query["code"]

    page.goto("/wallet/apps/")
    assert page.get_by_role("heading", level=2, name="Badgehost Example").is_visible()
    axe.assert_clean(page)
    screenshot(page, "learner-connected-apps")
    page.get_by_role("button", name="Disconnect Badgehost Example").click()
    assert page.get_by_text("Badgehost Example is disconnected", exact=False).is_visible()
    axe.assert_clean(page)
