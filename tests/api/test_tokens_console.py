"""The console's API token pages: owners list, create (the secret shown once) and revoke tokens."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.tokens import api_token_create, api_token_for_secret
from issuers.models import Role
from kernel.tokens import secret_token_hash
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.django_db
SECRET = re.compile(r'value="(mkm_[^"]+)"')


@pytest.fixture
def owner_client(owner):
    client = Client()
    client.force_login(owner.user)
    return client


def tokens_url(issuer) -> str:
    return reverse("api_tokens:list", args=[issuer.slug])


def test_creating_a_token_shows_its_secret_once(owner_client, issuer, owner):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = owner_client.post(tokens_url(issuer), {"name": "Ladok", "scopes": ["read", "revoke"],
                                                      "expires_on": tomorrow})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = SECRET.search(response.content.decode())[1]
    token = ApiToken.objects.get(issuer=issuer)
    assert (token.name, token.scopes, token.created_by) == ("Ladok", ["read", "revoke"], owner.user)
    assert token.token_hash == secret_token_hash(secret) and api_token_for_secret(secret) == token
    assert timezone.localtime(token.expires_at).date() == timezone.localdate() + timedelta(days=2)
    assert secret not in owner_client.get(tokens_url(issuer)).content.decode()  # never again


def test_the_list_shows_each_token_and_its_state(owner_client, issuer, owner):
    api_token_create(issuer=issuer, by=owner.user, name="Ladok", scopes=["read"])
    revoked, _secret = api_token_create(issuer=issuer, by=owner.user, name="Gammalt", scopes=["award"])
    revoked.revoked_at = timezone.now()
    revoked.save()
    page = owner_client.get(tokens_url(issuer), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Ladok" in page and "Gammalt" in page
    assert "Läsa: profil, medlemmar" in page  # the scope's description, in Swedish
    assert "API-nycklar" in page and "Återkallad" in page
    assert page.count('/revoke/"') == 1  # only the live token can be revoked


def test_a_form_error_is_400_and_says_which_field(owner_client, issuer):
    response = owner_client.post(tokens_url(issuer), {"name": "", "scopes": []})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "scopes"}
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    refused = owner_client.post(tokens_url(issuer), {"name": "x", "scopes": ["read"], "expires_on": past})
    assert refused.status_code == 400 and refused.context["form"].non_field_errors()
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_the_token_stops_working(owner_client, issuer, owner):
    token, secret = api_token_create(issuer=issuer, by=owner.user, name="Ladok", scopes=["read"])
    url = reverse("api_tokens:revoke", args=[issuer.slug, token.public_id])
    assert owner_client.get(url).status_code == 200
    assert api_token_for_secret(secret) is not None  # looking at the question changes nothing
    response = owner_client.post(url)
    assert response.status_code == 302 and response["Location"] == tokens_url(issuer)
    assert api_token_for_secret(secret) is None


def test_only_owners_reach_the_pages(client, issuer, owner):
    token, _secret = api_token_create(issuer=issuer, by=owner.user, name="Ladok", scopes=["read"])
    client.force_login(make_member(issuer, "assessor", Role.ASSESSOR, Role.DESIGNER, Role.QA_REVIEWER).user)
    assert client.get(tokens_url(issuer)).status_code == 403
    assert client.post(reverse("api_tokens:revoke", args=[issuer.slug, token.public_id])).status_code == 403
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_another_issuers_token_is_404(owner_client, issuer):
    other = make_issuer("annanskola")
    theirs, secret = api_token_create(
        issuer=other, by=make_member(other, "olle", Role.OWNER).user, name="Deras", scopes=["read"]
    )
    assert owner_client.post(reverse("api_tokens:revoke", args=[issuer.slug, theirs.public_id])).status_code == 404
    assert api_token_for_secret(secret) is not None
