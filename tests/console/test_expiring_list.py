"""The console's list of credentials that expire soon."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from badges.models import Credential
from issuers.models import Role
from tests.console.dashboard_data import at, credential_made
from tests.factories import make_achievement, make_issuer, make_member, make_user
from tests.list_queries import page_queries, signed_documents_loaded

pytestmark = pytest.mark.django_db
NOW = at("2025-04-15 12:00")


@pytest.fixture
def url(issuer):
    return reverse("dashboard:expiring", args=[issuer.slug])


@pytest.fixture
def owner_client(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    return client


@freeze_time(NOW)
def test_credentials_expiring_within_the_chosen_window_by_achievement(owner_client, issuer, achievement, url):
    credential_made(achievement, issued=at("2024-05-01 10:00"), email="soon@example.org",
                    valid_until=at("2025-05-01 00:00"))
    credential_made(achievement, issued=at("2024-05-01 10:00"), email="later@example.org",
                    valid_until=at("2025-06-30 00:00"))
    credential_made(achievement, issued=at("2024-05-01 10:00"), email="revoked@example.org",
                    valid_until=at("2025-05-01 00:00"), revoked=at("2025-01-01 00:00"))
    credential_made(achievement, issued=at("2024-05-01 10:00"), email="gone@example.org",
                    valid_until=at("2025-04-01 00:00"))
    credential_made(make_achievement(make_issuer("annanskola")), issued=at("2024-05-01 10:00"),
                    email="other@example.org", valid_until=at("2025-05-01 00:00"))

    page = owner_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "soon@example.org" in page
    assert ">May 1, 2025</time>" in page
    for absent in ("later@example.org", "revoked@example.org", "gone@example.org", "other@example.org"):
        assert absent not in page
    soon = Credential.objects.get(recipient_email="soon@example.org")
    assert reverse("credentials_console:detail", args=[issuer.slug, soon.public_id]) in page
    assert f"<h2 id=\"expiring-1\">{achievement.name}</h2>" in page

    page = owner_client.get(url, {"within": 90}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "soon@example.org" in page and "later@example.org" in page


@freeze_time(NOW)
def test_the_date_is_written_in_the_page_language(owner_client, achievement, url):
    credential_made(achievement, issued=at("2024-05-01 10:00"), valid_until=at("2025-05-01 00:00"))
    assert ">1 maj 2025</time>" in owner_client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode()


@freeze_time(NOW)
def test_an_unknown_window_falls_back_to_thirty_days(owner_client, achievement, url):
    credential_made(achievement, issued=at("2024-05-01 10:00"), valid_until=at("2025-06-30 00:00"))
    response = owner_client.get(url, {"within": 7}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "No credential expires within 30 days." in response.content.decode()


def test_only_members_who_manage_credentials_see_the_holders(client, issuer, url):
    client.force_login(make_user("stranger"))
    assert client.get(url).status_code == 404
    client.force_login(make_member(issuer, "dora", Role.DESIGNER).user)
    assert client.get(url).status_code == 403
    client.force_login(make_member(issuer, "arne", Role.ASSESSOR).user)
    assert client.get(url).status_code == 200



@freeze_time(NOW)
def test_the_list_loads_no_signed_document_and_as_many_queries_for_many_rows_as_for_one(
    owner_client, issuer, achievement, url
):
    def expiring(email):
        credential = credential_made(achievement, issued=at("2024-05-01 10:00"), email=email,
                                     valid_until=at("2025-05-01 00:00"))
        Credential.objects.filter(pk=credential.pk).update(document={"type": ["VerifiableCredential"]}, jwt="a.b.c")

    expiring("first@example.org")
    _response, with_one = page_queries(owner_client, url)
    for number in range(4):
        expiring(f"many{number}@example.org")
    expiring_elsewhere = make_achievement(issuer)
    credential_made(expiring_elsewhere, issued=at("2024-05-01 10:00"), valid_until=at("2025-05-02 00:00"))
    response, queries = page_queries(owner_client, url)
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    assert len(response.context["credentials"]) == 6
