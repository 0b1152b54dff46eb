"""The learner's side: the consent page (Swedish and English, keyboard-usable, no inline script) and the
connected apps page, whose disconnect button revokes the app's tokens."""

import re
import secrets

import pytest
from django.test import Client
from oauth2_provider.models import AccessToken, RefreshToken

from tests.obapi.conftest import authorize_params, basic

pytestmark = pytest.mark.django_db
CREDENTIALS = "/ims/ob/v3p0/credentials"


def _browser(learner):
    browser = Client()
    browser.force_login(learner)
    return browser


def test_the_consent_page_names_the_client_and_explains_each_scope_in_swedish(register, amina):
    registration = register()
    page = _browser(amina).get("/ims/ob/v3p0/oauth/authorize",
                               authorize_params(registration["client_id"], secrets.token_urlsafe(48)),
                               HTTP_ACCEPT_LANGUAGE="sv")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Badgehost Example" in text and "https://host.example/privacy" in text and "https://host.example/tos" in text
    assert 'alt="Logotyp för Badgehost Example"' in text
    assert "Se intygen i din plånbok" in text and "Lägga till intyg i din plånbok" in text
    assert "Tillåt" in text and "Tillåt inte" in text
    # Keyboard and CSP: real buttons in a form, no inline script or event handler.
    assert len(re.findall(r'<button type="submit"', text)) >= 2
    assert "<script>" not in text and not re.search(r"\son[a-z]+=", text)


def test_signing_in_comes_before_consent(register):
    registration = register()
    response = Client().get("/ims/ob/v3p0/oauth/authorize",
                            authorize_params(registration["client_id"], secrets.token_urlsafe(48)))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_connected_apps_lists_the_app_and_disconnect_revokes_its_tokens(client, connect, amina, saman):
    connection = connect(amina)
    saman_connection = connect(saman)
    browser = _browser(amina)
    page = browser.get("/wallet/apps/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Badgehost Example" in page and "See the credentials in your wallet" in page
    assert f"/wallet/apps/{connection.client_id}/disconnect" in page

    response = browser.post(f"/wallet/apps/{connection.client_id}/disconnect", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert client.get(CREDENTIALS, HTTP_AUTHORIZATION=f"Bearer {connection.access_token}").status_code == 401
    refreshed = client.post("/ims/ob/v3p0/oauth/token", {"grant_type": "refresh_token",
                                                         "refresh_token": connection.refresh_token},
                            HTTP_AUTHORIZATION=basic(connection.client_id, connection.client_secret))
    assert refreshed.status_code == 400
    after = browser.get("/wallet/apps/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is disconnected" in after and f"/wallet/apps/{connection.client_id}/disconnect" not in after
    # Saman's connection to another registration stays.
    assert client.get(CREDENTIALS, HTTP_AUTHORIZATION=f"Bearer {saman_connection.access_token}").status_code == 200
    assert AccessToken.objects.filter(user=saman).exists() and RefreshToken.objects.filter(user=saman).exists()


def test_disconnecting_touches_only_ones_own_tokens(client, connect, amina, saman):
    connection = connect(saman)
    response = _browser(amina).post(f"/wallet/apps/{connection.client_id}/disconnect")
    assert response.status_code == 404
    assert client.get(CREDENTIALS, HTTP_AUTHORIZATION=f"Bearer {connection.access_token}").status_code == 200
    assert _browser(amina).post("/wallet/apps/unknown/disconnect").status_code == 404
    assert _browser(saman).get(f"/wallet/apps/{connection.client_id}/disconnect").status_code == 405
    assert Client().post(f"/wallet/apps/{connection.client_id}/disconnect").status_code == 302  # to sign in
    assert client.get(CREDENTIALS, HTTP_AUTHORIZATION=f"Bearer {connection.access_token}").status_code == 200


def test_the_wallet_links_to_connected_apps_and_shows_delivered_credentials_as_from_elsewhere(client, connect, amina):
    import json

    from tests.obapi.foreign import foreign_credential, signed

    connection = connect(amina)
    document = json.dumps(signed(foreign_credential("amina@example.org")))
    client.post(CREDENTIALS, document, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {connection.access_token}")
    wallet = _browser(amina).get("/wallet/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "/wallet/apps/" in wallet and "Svetsning grund" in wallet and "Intyg från andra ställen" in wallet
