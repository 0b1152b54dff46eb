"""The account pages (django-allauth) in the site's layout and form style, complete in Swedish and English,
with sign-in and sign-up linking to each other and keeping where the person was going (?next=)."""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def links(html: str) -> dict[str, str]:
    """The main content's links: their text (whitespace folded) -> their address."""
    main = html[html.index("<main"):html.index("</main>")]
    return {re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", text))).strip(): unescape(href)
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', main, re.S)}


@pytest.mark.parametrize(("language", "to_sign_up"), [("en", "sign up"), ("sv", "Skapa ett konto")])
def test_sign_in_links_to_sign_up_keeping_next(client, language, to_sign_up):
    html = client.get(reverse("account_login") + "?next=/wallet/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    found = links(html)
    assert found[to_sign_up] == reverse("account_signup") + "?next=%2Fwallet%2F"
    assert reverse("account_login") not in [href.split("?")[0] for href in found.values()]


@pytest.mark.parametrize(("language", "to_sign_in"), [("en", "sign in"), ("sv", "logga in")])
def test_sign_up_links_to_sign_in_keeping_next(client, language, to_sign_in):
    html = client.get(reverse("account_signup") + "?next=/wallet/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert links(html)[to_sign_in] == reverse("account_login") + "?next=%2Fwallet%2F"


@pytest.mark.parametrize("language", ["en", "sv"])
def test_a_failed_sign_in_shows_the_error_summary_in_the_sites_form_style(client, language):
    response = client.post(reverse("account_login"), {"login": "nobody@example.org", "password": "wrong"},
                           HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'class="account-form"' in html
    assert 'class="form-actions"' in html and 'class="button"' in html
    summary = {"en": "Please correct the following", "sv": "Rätta till följande"}[language]
    wrong = {"en": "The email address and/or password you specified are not correct.",
             "sv": "E-postadressen eller lösenordet stämmer inte."}[language]
    assert summary in html and wrong in html
    assert "Menu:" not in html  # allauth's own bare layout is never used


SWEDISH_PAGES_ANONYMOUS = ["account_login", "account_signup", "account_reset_password",
                           "account_reset_password_done", "account_email_verification_sent"]
SWEDISH_PAGES_SIGNED_IN = ["account_email", "account_change_password", "account_logout", "account_reauthenticate",
                           "mfa_index"]
# English that allauth's own Swedish catalogue left on these pages, or wrote against the glossary.
NOT_SWEDISH = re.compile(r"\b(Sign In|Sign Up|Email|email|verification|Epost|epost|mail|Registrera|registrera)\b")


def visible_text(html: str) -> str:
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.S)
    main = re.sub(r'\b(?:placeholder|aria-label|title)="([^"]*)"', r"> \1 <", main)
    return unescape(re.sub(r"<[^>]+>", " ", main))


def test_the_account_pages_are_in_swedish(client):
    for name in SWEDISH_PAGES_ANONYMOUS:
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="sv")
        assert response.status_code == 200, name
        assert not NOT_SWEDISH.findall(visible_text(response.content.decode())), name
    user = make_user("asa")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    client.force_login(user)
    for name in SWEDISH_PAGES_SIGNED_IN:
        response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="sv")
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<html lang="sv">' in html and "Hoppa till innehållet" in html, name
        assert not NOT_SWEDISH.findall(visible_text(html).replace(user.email, "")), name


def test_every_form_carries_the_translated_sending_text(client):
    swedish = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert 'data-sending-text="Skickar…"' in swedish
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-sending-text="Sending…"' in html and "js/submit_feedback.js" in html
