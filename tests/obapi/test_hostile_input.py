"""Hostile input to the OB 3.0 API: clear 4xx with an Imsx_StatusInfo body (OAuth error JSON on the OAuth
endpoints), never a 5xx, nothing stored."""

import json
import secrets
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time
from oauth2_provider.models import AccessToken, Application, Grant

from learners.models import ExternalCredential
from obapi.models import ClientRegistration, ObProfile
from tests.obapi.conftest import REDIRECT_URI, authorize_params, basic, client_metadata, consent
from tests.obapi.foreign import foreign_credential, signed, signed_jwt

pytestmark = pytest.mark.django_db
CREDENTIALS = "/ims/ob/v3p0/credentials"
PROFILE = "/ims/ob/v3p0/profile"
REGISTER = "/ims/ob/v3p0/oauth/register"
TOKEN = "/ims/ob/v3p0/oauth/token"
READ = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly"


def imsx(response, status, minor):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["imsx_codeMajor"] == "failure" and body["imsx_severity"] == "error" and body["imsx_description"]
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == minor
    return body


def bearer(connection):
    return {"HTTP_AUTHORIZATION": f"Bearer {connection.access_token}"}


# --- the resource endpoints ----------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "content_type"), [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b"\xff\xfe", "application/json"),
    (b"[" * 5000 + b"]" * 5000, "application/json"),
    (b"not a jws", "text/plain"),
    (b"a.b", "text/plain"),
    (b"eyJhbGciOiJub25lIn0.eyJ9.", "text/plain"),  # alg none, no signature
    (b"{}", "application/json"),
])
def test_malformed_credentials_are_refused_and_nothing_is_stored(client, connect, amina, body, content_type):
    connection = connect(amina)
    response = client.post(CREDENTIALS, body, content_type=content_type, **bearer(connection))
    imsx(response, 400, "invalid_data")
    assert not ExternalCredential.objects.exists()


def test_alg_none_jwt_of_a_real_credential_is_refused(client, connect, amina):
    import base64

    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    unsigned = part({"alg": "none", "typ": "JWT"}) + "." + part({"vc": foreign_credential("amina@example.org")}) + "."
    response = client.post(CREDENTIALS, unsigned + "x", content_type="text/plain", **bearer(connect(amina)))
    imsx(response, 400, "invalid_data")
    assert not ExternalCredential.objects.exists()


def test_wrong_content_type_is_refused(client, connect, amina):
    document = json.dumps(signed(foreign_credential("amina@example.org")))
    response = client.post(CREDENTIALS, document, content_type="application/x-www-form-urlencoded",
                           **bearer(connect(amina)))
    imsx(response, 415, "invalid_data")
    assert not ExternalCredential.objects.exists()


def test_an_oversized_body_is_refused_before_it_is_read(client, connect, amina, settings):
    settings.VERIFY_UPLOAD_MAX_BYTES = 2048
    response = client.post(CREDENTIALS, json.dumps({"x": "a" * 5000}), content_type="application/json",
                           **bearer(connect(amina)))
    imsx(response, 413, "invalid_data")
    big_profile = {"id": "urn:x", "type": ["Profile"], "description": "a" * 70_000}
    imsx(client.put(PROFILE, json.dumps(big_profile), content_type="application/json", **bearer(connect(amina))),
         413, "invalid_data")
    assert not ExternalCredential.objects.exists() and not ObProfile.objects.filter(document__isnull=False).exists()


def test_a_tampered_credential_is_refused_fail_closed(client, connect, amina):
    tampered = signed(foreign_credential("amina@example.org"))
    tampered["credentialSubject"]["achievement"]["name"] = "Överläkare"
    body = imsx(client.post(CREDENTIALS, json.dumps(tampered), content_type="application/json",
                            **bearer(connect(amina))), 400, "invalid_data")
    assert "proof" in body["imsx_description"]
    assert not ExternalCredential.objects.exists()


def test_a_credential_whose_issuer_key_cannot_be_resolved_is_refused(client, connect, amina):
    # An https issuer on another site, which the safe fetcher cannot reach: unconfirmed, so refused.
    foreign = signed(foreign_credential("amina@example.org", issuer="https://issuer.invalid/profile"))
    imsx(client.post(CREDENTIALS, json.dumps(foreign), content_type="application/json", **bearer(connect(amina))),
         400, "invalid_data")
    assert not ExternalCredential.objects.exists()


def test_a_credential_issued_to_someone_else_is_refused(client, connect, amina):
    other = signed(foreign_credential("saman@example.org"))
    imsx(client.post(CREDENTIALS, json.dumps(other), content_type="application/json", **bearer(connect(amina))),
         403, "forbidden")
    assert not ExternalCredential.objects.exists()


def test_jwt_upsert_is_echoed_as_text_and_listed_as_compact_jws(client, connect, amina):
    connection = connect(amina)
    jws = signed_jwt(foreign_credential("amina@example.org", number=9))
    created = client.post(CREDENTIALS, jws, content_type="text/plain", **bearer(connection))
    assert created.status_code == 201 and created.content.decode() == jws
    assert created["Content-Type"].startswith("text/plain")
    listed = client.get(CREDENTIALS, **bearer(connection)).json()
    assert listed["compactJwsString"] == [jws]
    stored = ExternalCredential.objects.get()
    assert stored.format == "jwt" and stored.delivery.client_name == "Badgehost Example"


def test_upsert_replaces_by_issuer_and_id(client, connect, amina):
    connection = connect(amina)
    first = signed(foreign_credential("amina@example.org", name="Svetsning grund"))
    second = signed(foreign_credential("amina@example.org", name="Svetsning grund, version 2"))
    assert client.post(CREDENTIALS, json.dumps(first), content_type="application/json",
                       **bearer(connection)).status_code == 201
    assert client.post(CREDENTIALS, json.dumps(second), content_type="application/json",
                       **bearer(connection)).status_code == 200
    stored = ExternalCredential.objects.get()
    assert stored.name == "Svetsning grund, version 2" and json.loads(bytes(stored.raw)) == second


@pytest.mark.parametrize("query", ["limit=0", "limit=x", "offset=-1", "since=yesterday", "since=2026-01-01T00:00:00",
                                   "limit=99999999999"])
def test_bad_paging_parameters_are_refused(client, connect, amina, query):
    imsx(client.get(f"{CREDENTIALS}?{query}", **bearer(connect(amina))), 400, "invalid_query_parameter")


def test_no_unknown_or_malformed_tokens(client, amina):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer nope"}, {"HTTP_AUTHORIZATION": "Basic YTpi"},
                    {"HTTP_AUTHORIZATION": "Bearer " + "x" * 5000}):
        imsx(client.get(CREDENTIALS, **headers), 401, "unauthorizedrequest")
    assert client.get(CREDENTIALS)["WWW-Authenticate"].startswith("Bearer")


def test_wrong_scope_is_forbidden(client, connect, amina):
    connection = connect(amina, scope=READ)
    imsx(client.get(PROFILE, **bearer(connection)), 403, "forbidden")
    document = json.dumps(signed(foreign_credential("amina@example.org")))
    imsx(client.post(CREDENTIALS, document, content_type="application/json", **bearer(connection)), 403, "forbidden")
    assert client.get(CREDENTIALS, **bearer(connection)).status_code == 200
    assert not ExternalCredential.objects.exists()


def test_an_expired_token_is_refused(client, connect, amina, settings):
    connection = connect(amina)
    with freeze_time(timezone.now() + timedelta(seconds=settings.OB_API_ACCESS_TOKEN_SECONDS + 5)):
        imsx(client.get(CREDENTIALS, **bearer(connection)), 401, "unauthorizedrequest")


def test_a_deactivated_learner_token_is_refused(client, connect, amina):
    connection = connect(amina)
    amina.is_active = False
    amina.save()
    imsx(client.get(CREDENTIALS, **bearer(connection)), 401, "unauthorizedrequest")


def test_other_methods_and_addresses_answer_imsx(client, connect, amina):
    connection = connect(amina)
    imsx(client.delete(CREDENTIALS, **bearer(connection)), 405, "not_allowed")
    imsx(client.post(PROFILE, "{}", content_type="application/json", **bearer(connection)), 405, "not_allowed")
    imsx(client.get("/ims/ob/v3p0/credentials/1"), 404, "not_found")
    imsx(client.post("/ims/ob/v3p0/nothing", "{}", content_type="application/json"), 404, "not_found")


@pytest.mark.parametrize("document", [
    [], {"type": ["Profile"]}, {"id": "no-uri", "type": ["Profile"]}, {"id": "urn:x", "type": ["Person"]},
    {"id": "urn:x", "type": ["Profile"], "name": {"sv": "x"}},
])
def test_bad_profiles_are_refused(client, connect, amina, document):
    imsx(client.put(PROFILE, json.dumps(document), content_type="application/json", **bearer(connect(amina))),
         400, "invalid_data")
    assert not ObProfile.objects.filter(document__isnull=False).exists()


def test_a_token_reaches_only_its_own_learner(client, connect, amina, saman, issue):
    issue("saman@example.org")
    amina_connection = connect(amina)
    assert client.get(CREDENTIALS, **bearer(amina_connection))["X-Total-Count"] == "0"
    assert client.get(PROFILE, **bearer(amina_connection)).json()["email"] == "amina@example.org"


# --- the OAuth endpoints -------------------------------------------------------------------------------
def oauth_error(response, status, error):
    assert response.status_code == status, response.content
    assert response.json()["error"] == error


@pytest.mark.parametrize("changes", [
    {"client_name": None}, {"logo_uri": "http://host.example/logo.png"}, {"tos_uri": "https://elsewhere.example/"},
    {"redirect_uris": []}, {"redirect_uris": ["http://host.example/cb"]}, {"redirect_uris": "https://host.example/"},
    {"scope": "openid admin"}, {"scope": None}, {"token_endpoint_auth_method": "none"},
    {"grant_types": ["client_credentials"]}, {"software_id": "x" * 500},
])
def test_registration_refuses_bad_metadata(client, changes):
    response = client.post(REGISTER, json.dumps(client_metadata(**changes)), content_type="application/json")
    assert response.status_code == 400 and response.json()["error"] in ("invalid_client_metadata",
                                                                           "invalid_redirect_uri")
    assert not Application.objects.exists() and not ClientRegistration.objects.exists()


@pytest.mark.parametrize(("body", "content_type", "status"), [
    ("{nope", "application/json", 400), ("[]", "application/json", 400), ("a=b", "text/plain", 400),
    (json.dumps({"pad": "x" * 20_000}), "application/json", 413),
])
def test_registration_refuses_malformed_bodies(client, body, content_type, status):
    oauth_error(client.post(REGISTER, body, content_type=content_type), status, "invalid_client_metadata")
    assert not Application.objects.exists()


def test_registration_answers_405_to_get(client):
    oauth_error(client.get(REGISTER), 405, "invalid_request")


def _browser(learner):
    browser = Client()
    browser.force_login(learner)
    return browser


def test_plain_pkce_and_missing_pkce_are_refused_before_consent(register, amina):
    registration = register()
    browser = _browser(amina)
    for changes in ({"code_challenge_method": "plain", "code_challenge": "x" * 50},
                    {"code_challenge_method": None}, {"code_challenge": None, "code_challenge_method": None}):
        params = authorize_params(registration["client_id"], secrets.token_urlsafe(48), **changes)
        response = browser.get("/ims/ob/v3p0/oauth/authorize", params)
        assert response.status_code == 302, response.content[:300]
        query = parse_qs(urlsplit(response["Location"]).query)
        assert query["error"] == ["invalid_request"]
    assert not Grant.objects.exists()


def test_pkce_mismatch_and_replayed_codes_are_refused(client, register, amina):
    registration = register()
    auth = basic(registration["client_id"], registration["client_secret"])
    verifier = secrets.token_urlsafe(48)
    answer = consent(_browser(amina), authorize_params(registration["client_id"], verifier))
    wrong = client.post(TOKEN, {"grant_type": "authorization_code", "code": answer["code"],
                                "redirect_uri": REDIRECT_URI, "code_verifier": secrets.token_urlsafe(48)},
                        HTTP_AUTHORIZATION=auth)
    oauth_error(wrong, 400, "invalid_grant")
    assert not AccessToken.objects.exists()

    answer = consent(_browser(amina), authorize_params(registration["client_id"], verifier))
    token = {"grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI,
             "code_verifier": verifier}
    first = client.post(TOKEN, token, HTTP_AUTHORIZATION=auth)
    assert first.status_code == 200
    access = first.json()["access_token"]
    assert client.get(CREDENTIALS, HTTP_AUTHORIZATION=f"Bearer {access}").status_code == 200
    # The replay is refused, and the tokens the code gave are revoked: whoever replays it may have stolen it.
    oauth_error(client.post(TOKEN, token, HTTP_AUTHORIZATION=auth), 400, "invalid_grant")
    imsx(client.get(CREDENTIALS, HTTP_AUTHORIZATION=f"Bearer {access}"), 401, "unauthorizedrequest")
    refresh = client.post(TOKEN, {"grant_type": "refresh_token", "refresh_token": first.json()["refresh_token"]},
                          HTTP_AUTHORIZATION=auth)
    oauth_error(refresh, 400, "invalid_grant")
    assert not AccessToken.objects.exists()


def test_unknown_clients_and_foreign_secrets_are_refused(client, register, amina):
    registration, other = register(), register(client_name="Other host")
    verifier = secrets.token_urlsafe(48)
    unknown = _browser(amina).get("/ims/ob/v3p0/oauth/authorize", authorize_params("unknown-client", verifier))
    assert unknown.status_code == 400 and not unknown.has_header("Location")
    answer = consent(_browser(amina), authorize_params(registration["client_id"], verifier))
    token = {"grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI,
             "code_verifier": verifier}
    oauth_error(client.post(TOKEN, token, HTTP_AUTHORIZATION=basic(other["client_id"], other["client_secret"])),
                400, "invalid_grant")
    oauth_error(client.post(TOKEN, token, HTTP_AUTHORIZATION=basic(registration["client_id"], "wrong")),
                401, "invalid_client")
    assert not AccessToken.objects.exists()


def test_a_client_gets_no_scope_it_did_not_register(register, amina):
    registration = register(scope=READ)
    params = authorize_params(registration["client_id"], secrets.token_urlsafe(48),
                              scope=READ + " https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert")
    response = _browser(amina).get("/ims/ob/v3p0/oauth/authorize", params)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query)["error"] == ["invalid_scope"]


def test_a_redirect_uri_that_was_not_registered_is_not_followed(register, amina):
    registration = register()
    params = authorize_params(registration["client_id"], secrets.token_urlsafe(48),
                              redirect_uri="https://evil.example/cb")
    response = _browser(amina).get("/ims/ob/v3p0/oauth/authorize", params)
    assert response.status_code == 400 and "evil.example" not in response.get("Location", "")


def test_refused_consent_gives_no_code(register, amina):
    registration = register()
    answer = consent(_browser(amina), authorize_params(registration["client_id"], secrets.token_urlsafe(48)),
                     allow=False)
    assert answer["error"] == "access_denied" and "code" not in answer
    assert not Grant.objects.exists()


def test_registrations_and_upserts_are_rate_limited(client, connect, amina, settings):
    settings.OB_API_REGISTRATION_RATE = "2/h"
    for _ in range(2):
        assert client.post(REGISTER, json.dumps(client_metadata()), content_type="application/json").status_code == 201
    limited = client.post(REGISTER, json.dumps(client_metadata()), content_type="application/json")
    oauth_error(limited, 429, "slow_down")
    assert limited["Retry-After"] and Application.objects.count() == 2

    settings.OB_API_REGISTRATION_RATE = "100/h"
    settings.OB_API_UPSERT_RATE = "1/m"
    connection = connect(amina)
    document = json.dumps(signed(foreign_credential("amina@example.org")))
    assert client.post(CREDENTIALS, document, content_type="application/json", **bearer(connection)).status_code == 201
    other = json.dumps(signed(foreign_credential("amina@example.org", number=2)))
    imsx(client.post(CREDENTIALS, other, content_type="application/json", **bearer(connection)), 429, "server_busy")
    assert ExternalCredential.objects.count() == 1


def test_an_expired_authorization_code_is_refused(client, register, amina, settings):
    registration = register()
    verifier = secrets.token_urlsafe(48)
    answer = consent(_browser(amina), authorize_params(registration["client_id"], verifier))
    later = timezone.now() + timedelta(seconds=settings.OB_API_AUTHORIZATION_CODE_SECONDS + 5)
    with freeze_time(later):
        response = client.post(TOKEN, {"grant_type": "authorization_code", "code": answer["code"],
                                       "redirect_uri": REDIRECT_URI, "code_verifier": verifier},
                               HTTP_AUTHORIZATION=basic(registration["client_id"], registration["client_secret"]))
    oauth_error(response, 400, "invalid_grant")
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize("body", [
    {}, {"grant_type": "password", "username": "amina", "password": "correct-horse-battery"},
    {"grant_type": "client_credentials"}, {"grant_type": "authorization_code", "code": "x" * 5000},
    {"grant_type": "refresh_token", "refresh_token": "nope"},
])
def test_the_token_endpoint_refuses_other_grants_and_garbage(client, register, body):
    registration = register()
    response = client.post(TOKEN, body, HTTP_AUTHORIZATION=basic(registration["client_id"],
                                                                 registration["client_secret"]))
    assert 400 <= response.status_code < 500 and "error" in response.json()
    assert not AccessToken.objects.exists()


def test_an_upsert_replaces_a_hand_imported_copy_of_the_same_credential_but_not_another_issuers(client, connect,
                                                                                              amina):
    from learners.services import external_credential_import

    connection = connect(amina)
    jws = signed_jwt(foreign_credential("amina@example.org", number=5))
    imported = external_credential_import(user=amina, data=jws)
    same = signed(foreign_credential("amina@example.org", number=5))
    assert client.post(CREDENTIALS, json.dumps(same), content_type="application/json",
                       **bearer(connection)).status_code == 200
    assert ExternalCredential.objects.get().pk == imported.pk
    # The same credential id from another issuer is another credential: 201, kept beside it.
    from ob3.keys import LocalSigner
    from tests.obapi.foreign import did_of

    other = LocalSigner.from_ed25519_seed(bytes(range(1, 33)))
    other_issuer = signed(foreign_credential("amina@example.org", number=5, issuer=did_of(other)), signer=other)
    response = client.post(CREDENTIALS, json.dumps(other_issuer), content_type="application/json",
                           **bearer(connection))
    assert response.status_code == 201
    assert ExternalCredential.objects.count() == 2 and ExternalCredential.objects.get(pk=imported.pk).format == "json"


def test_tokens_are_stored_hashed_and_never_taken_from_the_query_string(client, connect, amina):
    connection = connect(amina)
    assert not AccessToken.objects.filter(token=connection.access_token).exists()
    assert AccessToken.objects.filter(user=amina).count() == 1
    imsx(client.get(f"{CREDENTIALS}?access_token={connection.access_token}"), 401, "unauthorizedrequest")
    assert client.get(CREDENTIALS, **bearer(connection)).status_code == 200


@pytest.mark.parametrize("host", ["127.0.0.1", "10.0.0.5", "[::1]", "169.254.169.254", "localhost", "intranet.local"])
def test_registration_refuses_addresses_inside_our_network(client, host):
    # The consent page links to these and loads the logo: one host throughout, as registration requires.
    changes = {field: f"https://{host}/{field}" for field in ("client_uri", "logo_uri", "tos_uri", "policy_uri")}
    metadata = client_metadata(redirect_uris=[f"https://{host}/callback"], **changes)
    response = client.post(REGISTER, json.dumps(metadata), content_type="application/json")
    oauth_error(response, 400, "invalid_client_metadata")
    assert not Application.objects.exists() and not ClientRegistration.objects.exists()
