import pytest
from django.urls import reverse

from issuers.models import Role
from tests.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    return client


@pytest.mark.parametrize(
    ("url_name", "needs_issuer", "swedish"),
    [
        ("console:home", False, ["Mina organisationer", "Dina roller", "ägare"]),
        ("console:issuer", True, ["Översikt", "Medlemmar", "Profil"]),
        ("console:members", True, ["Bjud in någon", "Skicka inbjudan", "kvalitetsgranskare", "utformare"]),
        ("console:profile", True, ["Utfärdarprofil", "Spara profil", "Logotyp", "till exempel SE för Sverige",
                                     "Identitet i intyg", "Webbadress (https)"]),
    ],
)
def test_the_console_speaks_swedish(owner_client, issuer, url_name, needs_issuer, swedish):
    url = reverse(url_name, args=[issuer.slug] if needs_issuer else [])
    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="sv">' in page
    for text in swedish:
        assert text in page


def test_validation_errors_are_in_swedish(owner_client, issuer):
    response = owner_client.post(
        reverse("console:profile", args=[issuer.slug]), {"name": "Testskolan", "country_code": "XX"},
        HTTP_ACCEPT_LANGUAGE="sv",
    )
    assert "”XX” är ingen landskod" in response.content.decode()
    assert "Rätta till följande" in response.content.decode()
