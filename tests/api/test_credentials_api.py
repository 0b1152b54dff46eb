"""/api/v1/issuers/<slug>/credentials/: listing with filters and pages, reading, downloading the stored
files, revoking and re-issuing, and who may do which (every answer checked against the schema)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from freezegun import freeze_time

from api.scopes import Scope
from api.tokens import api_token_create
from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import Credential, CredentialPageView
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient
from tests.factories import make_achievement, make_issuer, make_member
from tests.list_queries import page_queries, signed_documents_loaded

pytestmark = pytest.mark.django_db


def client_with(secret: str) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def base(issuer) -> str:
    return f"/api/v1/issuers/{issuer.slug}/credentials/"


def signed(achievement, email: str, **extra) -> Credential:
    credential = credential_issue(achievement=achievement, recipient_email=email, **extra)
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    return credential


# --- Reading ---------------------------------------------------------------------------------------------
def test_reading_one_credential_gives_what_an_integrator_needs(api, issued):
    CredentialPageView.objects.create(credential=issued, day=timezone.localdate(), count=3)
    CredentialPageView.objects.create(credential=issued, day=timezone.localdate() - timedelta(days=1), count=2)
    response = api.get(f"{base(issued.issuer)}{issued.public_id}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(issued.public_id) and body["uri"] == f"urn:uuid:{issued.public_id}"
    assert body["achievement"] == {"id": str(issued.achievement.public_id), "name": issued.achievement.name}
    assert body["recipient"]["email"] == issued.recipient_email and body["recipient"]["name"] == "Amina"
    assert body["state"] == "issued" and body["shared"] is False and body["page_views"] == 5
    assert body["verification_url"].endswith(f"/c/{issued.public_id}")
    assert body["downloads"]["png"].endswith(f"/credentials/{issued.public_id}/download/png")
    assert body["downloads"]["jwt"] is None  # this issuer signs no JWT
    claim = issued.claim
    assert body["claim"]["email"] == claim.email and body["claim"]["claimed_at"] is None
    assert body["claim"]["email_state"] == claim.notice.state


def test_a_claimed_credential_says_when(api, issued):
    claimed_at = timezone.now()
    issued.claim.__class__.objects.filter(pk=issued.claim.pk).update(claimed_at=claimed_at)
    body = api.get(f"{base(issued.issuer)}{issued.public_id}/").json()
    assert body["claim"]["claimed_at"] is not None


def test_a_read_answers_304_to_its_etag_and_200_once_it_changed(api, issued):
    url = f"{base(issued.issuer)}{issued.public_id}/"
    first = api.get(url)
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Credential.objects.filter(pk=issued.pk).update(share_enabled=True)
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed.json()["shared"] is True


def test_another_issuers_credential_is_404_even_by_its_id(api):
    other = make_issuer("annanskola")
    theirs = signed(make_achievement(other), "olle@example.org")
    assert api.get(f"/api/v1/issuers/{other.slug}/credentials/{theirs.public_id}/").status_code == 404
    assert api.get(f"/api/v1/issuers/testskolan/credentials/{theirs.public_id}/").status_code == 404
    assert api.get(f"/api/v1/issuers/testskolan/credentials/{theirs.public_id}/download/png").status_code == 404
    response = api.post(f"/api/v1/issuers/testskolan/credentials/{theirs.public_id}/revoke/", {"reason": "x"},
                        format="json")
    assert response.status_code == 404
    assert Credential.objects.get(pk=theirs.pk).status == Credential.Status.ISSUED


def test_reading_needs_the_read_scope(token_for, issued):
    _token, secret = token_for(Scope.AWARD)
    response = client_with(secret).get(f"{base(issued.issuer)}{issued.public_id}/")
    assert response.status_code == 403 and "read" in response.json()["title"]


def test_a_token_whose_creator_lacks_the_role_is_refused(token_for, issuer, issued):
    _token, secret = token_for(Scope.READ, Scope.REVOKE)
    owner = issuer.members.get(user__username="owner")
    owner.set_roles([Role.DESIGNER])  # the creator's roles today decide, not when the token was made
    owner.save()
    client = client_with(secret)
    assert client.get(base(issuer)).status_code == 403
    assert client.post(f"{base(issuer)}{issued.public_id}/revoke/", {"reason": "Fel"}, format="json").status_code == 403
    assert client.get(f"{base(issuer)}{issued.public_id}/download/png").status_code == 403
    assert Credential.objects.get(pk=issued.pk).status == Credential.Status.ISSUED


# --- The list --------------------------------------------------------------------------------------------
@pytest.fixture
def several(issuer, achievement, issued):
    other_achievement = make_achievement(issuer)
    early_at = timezone.now() - timedelta(days=60)
    with freeze_time(early_at):
        early = signed(achievement, "berit@example.org", valid_until=early_at + timedelta(days=30))
    later = signed(other_achievement, "Cecilia@Example.org")
    failed = credential_issue(achievement=achievement, recipient_email="dan@example.org")
    Credential.objects.filter(pk=failed.pk).update(status=Credential.Status.FAILED)
    pending = credential_issue(achievement=achievement, recipient_email="eva@example.org")
    return {"early_at": early_at, "issued": issued, "early": early, "later": later, "failed": failed,
            "pending": pending, "other_achievement": other_achievement}


def ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_list_filters_by_state_achievement_recipient_and_dates(api, issuer, several):
    url = base(issuer)
    assert len(ids(api.get(url))) == 5
    assert ids(api.get(url, {"state": "failed"})) == [str(several["failed"].public_id)]
    assert ids(api.get(url, {"state": "pending"})) == [str(several["pending"].public_id)]
    assert ids(api.get(url, {"state": "expired"})) == [str(several["early"].public_id)]
    assert set(ids(api.get(url, {"state": "issued"}))) == {
        str(several["issued"].public_id), str(several["later"].public_id)}
    assert ids(api.get(url, {"achievement": str(several["other_achievement"].public_id)})) == [
        str(several["later"].public_id)]
    assert ids(api.get(url, {"recipient": "cecilia@EXAMPLE.org"})) == [str(several["later"].public_id)]
    a_day_later = (several["early_at"] + timedelta(days=1)).isoformat()
    assert ids(api.get(url, {"issued_before": a_day_later})) == [str(several["early"].public_id)]
    assert len(ids(api.get(url, {"issued_after": a_day_later}))) == 4


def test_the_list_orders_by_expiry_with_no_expiry_last(api, issuer, several):
    Credential.objects.filter(pk=several["later"].pk).update(valid_until=None)
    rows = api.get(base(issuer), {"ordering": "valid_until"}).json()["results"]
    assert rows[0]["id"] == str(several["early"].public_id)
    expiries = [row["valid_until"] for row in rows]
    dated = [value for value in expiries if value]
    assert expiries == sorted(dated) + [None] * (len(expiries) - len(dated))
    newest_first = ids(api.get(base(issuer)))
    assert newest_first == list(reversed(ids(api.get(base(issuer), {"ordering": "created"}))))
    assert ids(api.get(base(issuer), {"ordering": "-valid_until"}))[-1] == str(several["early"].public_id)


def test_the_list_comes_in_cursor_pages_with_an_etag(api, issuer, several):
    seen: list[str] = []
    response = api.get(base(issuer), {"page_size": 2, "ordering": "valid_until"})
    while True:
        seen += ids(response)
        next_url = response.json()["next"]
        if not next_url:
            break
        response = api.get(next_url)
    assert len(seen) == len(set(seen)) == 5
    page = api.get(base(issuer), {"page_size": 2})
    assert api.get(base(issuer), {"page_size": 2}, HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304


def test_bad_filters_are_400_with_field_errors(api, issuer):
    response = api.get(base(issuer), {"state": "lost", "achievement": "x", "recipient": "nobody",
                                      "ordering": "name"})
    assert response.status_code == 400
    assert {error["field"] for error in response.json()["errors"]} == {"state", "achievement", "recipient",
                                                                     "ordering"}
    dates = api.get(base(issuer), {"issued_after": "2031-01-02T00:00:00Z", "issued_before": "2031-01-01T00:00:00Z"})
    assert dates.status_code == 400 and dates.json()["errors"][0]["field"] == "issued_before"


def test_the_list_never_shows_another_issuers_credentials(api, issuer, issued):
    other = make_issuer("annanskola")
    signed(make_achievement(other), "olle@example.org")
    assert ids(api.get(base(issuer))) == [str(issued.public_id)]
    assert api.get(base(other)).status_code == 404


def test_the_list_loads_no_signed_document_yet_tells_which_files_there_are(issuer):
    # This issuer signs VC-JWTs too: every signed row has a document and a JWT, neither of them in the list.
    signing_jwt = make_issuer("jwtskolan", jwt_enabled=True)
    achievement = make_achievement(signing_jwt)
    _token, secret = api_token_create(issuer=signing_jwt, by=make_member(signing_jwt, "jwt-owner", *Role).user,
                                      name="Arkiv", scopes=[Scope.READ])
    client = client_with(secret)
    first = signed(achievement, "first@example.org")
    client.get(base(signing_jwt))  # the token records its use (then at most once a minute)
    _response, with_one = page_queries(client, base(signing_jwt))
    renewal = signed(achievement, "first@example.org", replaces=first)
    Credential.objects.filter(pk=renewal.pk).update(share_enabled=True)
    pending = credential_issue(achievement=achievement, recipient_email="pending@example.org")
    for number in range(3):
        signed(achievement, f"many{number}@example.org")

    response, queries = page_queries(client, base(signing_jwt))
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    rows = {row["id"]: row for row in response.json()["results"]}
    assert len(rows) == 6
    renewed = rows[str(renewal.public_id)]
    assert renewed["replaces"] == str(first.public_id) and renewed["shared"] is True
    assert renewed["downloads"]["json"] and renewed["downloads"]["jwt"]
    assert rows[str(first.public_id)]["shared"] is False
    assert rows[str(pending.public_id)]["downloads"] == {"png": None, "svg": None, "json": None, "jwt": None}


# --- Downloads -------------------------------------------------------------------------------------------
def test_downloads_are_the_stored_files(api, issued):
    url = f"{base(issued.issuer)}{issued.public_id}/download/"
    png = api.get(url + "png", HTTP_ACCEPT="image/png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content == issued.baked_png.open("rb").read()
    name = f"credential-{issued.public_id}.png"
    assert png["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    svg = api.get(url + "svg")
    assert svg["Content-Type"] == "image/svg+xml" and svg.content == issued.baked_svg.open("rb").read()
    document = api.get(url + "json")
    assert document["Content-Type"] == "application/vc+ld+json"
    assert json.loads(document.content) == issued.document
    assert document["Content-Disposition"].startswith("attachment;")
    plain = api.get(url + "json", HTTP_ACCEPT="application/ld+json")
    assert plain["Content-Type"] == "application/ld+json" and json.loads(plain.content) == issued.document


def test_the_jwt_is_there_only_when_the_issuer_signs_one(api, issued):
    missing = api.get(f"{base(issued.issuer)}{issued.public_id}/download/jwt")
    assert missing.status_code == 404 and missing.json()["code"] == "not_available"
    signing_jwt = make_issuer("jwtskolan", jwt_enabled=True)
    with_jwt = signed(make_achievement(signing_jwt), "jamal@example.org")
    assert with_jwt.jwt
    owner = make_member(signing_jwt, "jwt-owner", *Role)
    _token, secret = api_token_create(issuer=signing_jwt, by=owner.user, name="Arkiv", scopes=[Scope.READ])
    response = client_with(secret).get(f"{base(signing_jwt)}{with_jwt.public_id}/download/jwt")
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+jwt"
    assert response.content.decode() == with_jwt.jwt
    name = f"credential-{with_jwt.public_id}.jwt"
    assert response["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


def test_a_pending_credential_has_nothing_to_download(api, credential):
    response = api.get(f"{base(credential.issuer)}{credential.public_id}/download/png")
    assert response.status_code == 404


# --- Revoking and re-issuing -----------------------------------------------------------------------------
def test_revoking_with_a_reason_and_a_replayed_retry(api, issued, django_capture_on_commit_callbacks):
    url = f"{base(issued.issuer)}{issued.public_id}/revoke/"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(url, {"reason": "Utfärdat av misstag."}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert first.status_code == 200
    assert first.json()["state"] == "revoked" and first.json()["revocation_reason"] == "Utfärdat av misstag."
    assert len(mail.outbox) == 1  # the holder is told
    with django_capture_on_commit_callbacks(execute=True):
        replay = api.post(url, {"reason": "Utfärdat av misstag."}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true" and replay.json() == first.json()
    assert len(mail.outbox) == 1 and issued.events.filter(kind="revoked").count() == 1


def test_revoking_without_a_reason_is_400_and_twice_is_422(api, issued):
    url = f"{base(issued.issuer)}{issued.public_id}/revoke/"
    empty = api.post(url, {"reason": ""}, format="json")
    assert empty.status_code == 400 and [error["field"] for error in empty.json()["errors"]] == ["reason"]
    assert api.post(url, {"reason": "Fel."}, format="json").status_code == 200
    again = api.post(url, {"reason": "Fel."}, format="json")
    assert again.status_code == 422 and again.json()["code"] == "already_revoked"


def test_revoking_needs_the_revoke_scope(token_for, issued):
    _token, secret = token_for(Scope.READ)
    response = client_with(secret).post(f"{base(issued.issuer)}{issued.public_id}/revoke/", {"reason": "Fel."},
                                        format="json")
    assert response.status_code == 403 and "revoke" in response.json()["title"]
    assert Credential.objects.get(pk=issued.pk).status == Credential.Status.ISSUED


def test_reissuing_once_even_when_retried(api, issued):
    url = f"{base(issued.issuer)}{issued.public_id}/reissue/"
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="again-1")
    assert first.status_code == 201
    renewal = Credential.objects.get(replaces=issued)
    assert first.json()["id"] == str(renewal.public_id) and first.json()["replaces"] == str(issued.public_id)
    assert first["Location"].endswith(f"/credentials/{renewal.public_id}/")
    replay = api.post(url, HTTP_IDEMPOTENCY_KEY="again-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert Credential.objects.filter(replaces=issued).count() == 1
    second = api.post(url, HTTP_IDEMPOTENCY_KEY="again-2")
    assert second.status_code == 422 and second.json()["code"] == "already_reissued"
    assert Credential.objects.filter(replaces=issued).count() == 1


def test_reissuing_needs_the_revoke_scope(token_for, issued):
    _token, secret = token_for(Scope.READ, Scope.AWARD)
    assert client_with(secret).post(f"{base(issued.issuer)}{issued.public_id}/reissue/").status_code == 403
    assert not Credential.objects.filter(replaces=issued).exists()
