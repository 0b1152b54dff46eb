"""Tokens, scopes, problem bodies, ETags and idempotency, through the issuer profile and members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.scopes import Scope
from api.tokens import api_token_revoke
from issuers.models import Issuer, Role
from kernel.errors import ApplicationError
from kernel.tokens import secret_token_hash
from tests.api.schema_check import SchemaCheckedClient
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.django_db


def client_with(secret: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_a_token_is_shown_once_and_stored_only_as_a_hash(token_for):
    token, secret = token_for(Scope.READ)
    assert secret.startswith(f"mkm_{token.prefix}_")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == secret_token_hash(secret)
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_only_owners_create_tokens(issuer):
    from api.tokens import api_token_create

    designer = make_member(issuer, "designer", Role.DESIGNER)
    with pytest.raises(ApplicationError) as refused:
        api_token_create(issuer=issuer, by=designer.user, name="x", scopes=[Scope.READ])
    assert refused.value.code == "forbidden"


def test_reading_the_profile_with_a_token(api, issuer):
    response = api.get(f"/api/v1/issuers/{issuer.slug}/")
    assert response.status_code == 200
    assert response.json()["slug"] == issuer.slug and response.json()["name"] == issuer.name
    assert response["ETag"]
    again = api.get(f"/api/v1/issuers/{issuer.slug}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_without_credentials_the_answer_is_401_as_a_problem(anonymous_api, issuer):
    response = anonymous_api.get(f"/api/v1/issuers/{issuer.slug}/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401 and response.json()["code"] == "not_authenticated"


@pytest.mark.parametrize("how", ["unknown", "revoked", "expired"])
def test_unknown_revoked_and_expired_tokens_are_refused(token_for, owner, issuer, how):
    token, secret = token_for(Scope.READ)
    if how == "unknown":
        secret = secret[:-4] + "abcd"
    elif how == "revoked":
        api_token_revoke(token=token, by=owner.user)
    else:
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_with(secret).get(f"/api/v1/issuers/{issuer.slug}/")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_a_token_never_reaches_another_issuer(api):
    other = make_issuer("annanskola")
    assert api.get(f"/api/v1/issuers/{other.slug}/").status_code == 404
    assert api.get(f"/api/v1/issuers/{other.slug}/members/").status_code == 404
    assert api.patch(f"/api/v1/issuers/{other.slug}/", {"name": "Taken"}, format="json").status_code == 404
    assert Issuer.objects.get(pk=other.pk).name != "Taken"


def test_a_scope_never_adds_power_and_its_absence_is_403(token_for, issuer):
    _token, secret = token_for(Scope.READ)
    response = client_with(secret).patch(f"/api/v1/issuers/{issuer.slug}/", {"name": "New"}, format="json")
    assert response.status_code == 403 and "manage_achievements" in response.json()["title"]
    designer = make_member(issuer, "designer", Role.DESIGNER)
    # Made by an owner, then used after the owner's roles shrank: the creator's roles today decide.
    _token, secret = token_for(Scope.MANAGE_ACHIEVEMENTS)
    owner_member = issuer.members.get(user__username="owner")
    owner_member.set_roles([Role.DESIGNER])
    owner_member.save()
    response = client_with(secret).patch(f"/api/v1/issuers/{issuer.slug}/", {"name": "New"}, format="json")
    assert response.status_code == 403
    assert Issuer.objects.get(pk=designer.issuer.pk).name != "New"


def test_updating_the_profile_uses_the_consoles_rules(api, issuer):
    response = api.patch(f"/api/v1/issuers/{issuer.slug}/", {"country_code": "xx1"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert {error["field"] for error in response.json()["errors"]} == {"country_code"}
    changes = {"name": "Nya skolan", "country_code": "se"}
    response = api.patch(f"/api/v1/issuers/{issuer.slug}/", changes, format="json")
    assert response.status_code == 200
    assert response.json()["name"] == "Nya skolan" and response.json()["country_code"] == "SE"
    assert Issuer.objects.get(pk=issuer.pk).description == issuer.description  # untouched fields kept


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer(api, issuer):
    url = f"/api/v1/issuers/{issuer.slug}/"
    first = api.patch(url, {"name": "Första"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    Issuer.objects.filter(pk=issuer.pk).update(name="Changed since")
    replay = api.patch(url, {"name": "Första"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == first.status_code == 200
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    assert Issuer.objects.get(pk=issuer.pk).name == "Changed since"  # nothing done the second time
    other = api.patch(url, {"name": "Annat"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_members_are_listed_with_their_roles_in_pages(api, issuer, owner):
    for number in range(3):
        make_member(issuer, f"assessor{number}", Role.ASSESSOR)
    response = api.get(f"/api/v1/issuers/{issuer.slug}/members/?page_size=2")
    assert response.status_code == 200
    page = response.json()
    assert [row["roles"] for row in page["results"]][0] == sorted(owner.roles)
    assert len(page["results"]) == 2 and page["next"]
    rest = api.get(page["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None


def test_the_schema_and_its_offline_docs_are_served(client):
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200 and schema.json()["openapi"] == "3.1.0"
    docs = client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()


def test_the_browser_session_works_and_needs_its_csrf_token(issuer, owner):
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(owner.user)
    url = f"/api/v1/issuers/{issuer.slug}/"
    assert browser.get(url).status_code == 200
    refused = browser.patch(url, {"name": "Utan token"}, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["title"]
    assert Issuer.objects.get(pk=issuer.pk).name != "Utan token"
    browser.cookies["csrftoken"] = "a" * 32
    accepted = browser.patch(url, {"name": "Med token"}, format="json", HTTP_X_CSRFTOKEN="a" * 32)
    assert accepted.status_code == 200 and Issuer.objects.get(pk=issuer.pk).name == "Med token"
