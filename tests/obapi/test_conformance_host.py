"""The 1EdTech OB 3.0 conformance test plan's steps for the Host (Service Provider) role, end to end: an
independent OAuth 2.0 client (Authlib) against a live server. Discovery -> dynamic registration ->
authorization request with PKCE -> the learner's consent -> token -> getCredentials, upsertCredential,
getProfile, putProfile -> refresh -> revoke -> the revoked token is refused. Every answer is checked
against 1EdTech's OpenAPI file from ../shared."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from django.test import Client

from tests.obapi.conftest import ALL_SCOPES, REDIRECT_URI, client_metadata
from tests.obapi.foreign import foreign_credential, signed
from tests.obapi.openapi_check import check_response, check_schema, load_openapi

BASE = "/ims/ob/v3p0"
CERT_PROFILE = {"id": "https://1edtech.org/issuers/cert", "type": ["Profile"], "name": "1EdTech Certification",
                "email": "conformance@imsglobal.org", "url": "https://1edtech.org"}


@pytest.fixture
def live(live_server, transactional_db, settings):
    # The issuer's ids, the discovery URLs and the Link headers all name the live server.
    settings.PUBLIC_BASE_URL = live_server.url
    return live_server.url


def _check(spec, path, method, response):
    body = response.json() if "json" in response.headers.get("Content-Type", "") else response.text
    check_response(spec, path, method, response.status_code, response.headers["Content-Type"], body,
                   response.headers)
    return body


def test_host_service_provider_conformance_steps(live, django_capture_on_commit_callbacks):
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign
    from tests.factories import make_achievement, make_issuer, make_user

    spec = load_openapi()
    amina = make_user("amina")
    achievement = make_achievement(make_issuer())
    ours = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=False):
            credential = credential_issue(achievement=achievement, recipient_email="amina@example.org")
        credential_sign(credential_id=credential.id)
        credential.refresh_from_db()
        ours.append(credential)

    # 1. Discovery: not protected, a Service Description naming the OAuth endpoints and the scopes.
    discovery = requests.get(f"{live}{BASE}/discovery", timeout=10)
    assert discovery.status_code == 200
    sdd = _check(spec, "/discovery", "get", discovery)
    check_schema(spec, "ServiceDescriptionDocument", sdd)
    scheme = sdd["components"]["securitySchemes"]["OAuth2ACG"]
    flow = scheme["flows"]["authorizationCode"]
    assert set(flow["scopes"]) == set(ALL_SCOPES.split())

    # 2. Dynamic client registration (RFC 7591), no initial access token.
    registered = requests.post(scheme["x-imssf-registrationUrl"], json=client_metadata(), timeout=10)
    assert registered.status_code == 201
    client = registered.json()
    assert client["client_secret_expires_at"] == 0 and client["logo_uri"] == "https://host.example/logo.png"

    # 3. Authorization request with PKCE (S256), made by the client library.
    session = OAuth2Session(client["client_id"], client["client_secret"], scope=ALL_SCOPES,
                            redirect_uri=REDIRECT_URI, code_challenge_method="S256",
                            token_endpoint_auth_method="client_secret_basic")
    verifier = generate_token(64)
    authorization_url, state = session.create_authorization_url(flow["authorizationUrl"], code_verifier=verifier)
    assert "code_challenge_method=S256" in authorization_url

    # 4. The learner signs in and consents on our page, which names the client and each scope in words.
    browser = Client()
    browser.force_login(amina)
    parts = urlsplit(authorization_url)
    page = browser.get(f"{parts.path}?{parts.query}", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert page.status_code == 200 and "Badgehost Example" in text and "https://host.example/logo.png" in text
    assert "See the credentials in your wallet" in text and "Add credentials to your wallet" in text
    form = page.context["form"]
    data = {field.name: field.value() for field in form if field.is_hidden and field.value() is not None}
    answer = browser.post(parts.path, {**data, "allow": "Authorize"})
    assert answer.status_code == 302 and answer["Location"].startswith(REDIRECT_URI)
    assert parse_qs(urlsplit(answer["Location"]).query)["state"] == [state]

    # 5. Token request (client_secret_basic, code_verifier).
    token = session.fetch_token(flow["tokenUrl"], authorization_response=answer["Location"], code_verifier=verifier)
    assert token["token_type"].lower() == "bearer" and token["refresh_token"]
    assert set(token["scope"].split()) == set(ALL_SCOPES.split())

    # 6. getCredentials, with paging: X-Total-Count and Link.
    credentials_url = sdd["servers"][0]["url"] + "/credentials"
    first = session.get(credentials_url, params={"limit": 2, "offset": 0}, timeout=10)
    assert first.status_code == 200
    page_one = _check(spec, "/credentials", "get", first)
    check_schema(spec, "GetOpenBadgeCredentialsResponse", page_one)
    assert first.headers["X-Total-Count"] == "3" and len(page_one["credential"]) == 2
    assert 'rel="next"' in first.headers["Link"] and 'rel="prev"' not in first.headers["Link"]
    second = session.get(credentials_url, params={"limit": 2, "offset": 2}, timeout=10)
    page_two = _check(spec, "/credentials", "get", second)
    assert len(page_two["credential"]) == 1 and 'rel="prev"' in second.headers["Link"]
    returned = {item["id"] for item in page_one["credential"] + page_two["credential"]}
    assert returned == {f"urn:uuid:{credential.public_id}" for credential in ours}

    # 7. upsertCredential: a credential issued elsewhere (did:key issuer), verified, then kept; 201 then 200.
    foreign = signed(foreign_credential("amina@example.org"))
    created = session.post(credentials_url, json=foreign, timeout=30)
    assert created.status_code == 201, created.text
    assert _check(spec, "/credentials", "post", created) == foreign
    replaced = session.post(credentials_url, json=foreign, timeout=30)
    assert replaced.status_code == 200 and replaced.json() == foreign
    after = session.get(credentials_url, timeout=10).json()
    assert foreign in after["credential"] and len(after["credential"]) == 4

    # 8. getProfile and putProfile (the certification profile id is kept as sent).
    profile_url = sdd["servers"][0]["url"] + "/profile"
    profile = session.get(profile_url, timeout=10)
    assert profile.status_code == 200 and _check(spec, "/profile", "get", profile)["email"] == "amina@example.org"
    put = session.put(profile_url, json=CERT_PROFILE, timeout=10)
    assert put.status_code == 200 and _check(spec, "/profile", "put", put) == CERT_PROFILE
    assert session.get(profile_url, timeout=10).json() == CERT_PROFILE

    # 9. Refresh: a new access token; the old refresh token is spent.
    old_access = token["access_token"]
    refreshed = session.refresh_token(flow["refreshUrl"])
    assert refreshed["access_token"] != old_access
    stale = requests.get(credentials_url, headers={"Authorization": f"Bearer {old_access}"}, timeout=10)
    assert stale.status_code == 401
    assert session.get(credentials_url, timeout=10).status_code == 200

    # 10. Revocation (RFC 7009), then the revoked token is refused with an Imsx_StatusInfo body.
    revoked = session.revoke_token(flow["x-imssf-revocationUrl"], token=refreshed["access_token"],
                                   token_type_hint="access_token")
    assert revoked.status_code == 200
    refused = requests.get(credentials_url, headers={"Authorization": f"Bearer {refreshed['access_token']}"},
                           timeout=10)
    assert refused.status_code == 401
    body = _check(spec, "/credentials", "get", refused)
    assert body["imsx_codeMajor"] == "failure"
    assert body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "unauthorizedrequest"
    assert json.loads(refused.text) == body
