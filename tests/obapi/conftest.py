import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

REDIRECT_URI = "https://host.example/callback"
ALL_SCOPES = " ".join(
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/" + name
    for name in ("credential.readonly", "credential.upsert", "profile.readonly", "profile.update")
)


def client_metadata(**changes):
    metadata = {
        "client_name": "Badgehost Example", "client_uri": "https://host.example/",
        "logo_uri": "https://host.example/logo.png", "tos_uri": "https://host.example/tos",
        "policy_uri": "https://host.example/privacy", "software_id": "badgehost", "software_version": "1.0",
        "redirect_uris": [REDIRECT_URI], "scope": ALL_SCOPES,
    }
    metadata.update(changes)
    return {key: value for key, value in metadata.items() if value is not None}


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@dataclass
class Connection:
    client_id: str
    client_secret: str
    access_token: str
    refresh_token: str
    scope: str


@pytest.fixture
def amina(db):
    from tests.factories import make_user

    return make_user("amina")


@pytest.fixture
def saman(db):
    from tests.factories import make_user

    return make_user("saman")


@pytest.fixture
def issue(achievement, django_capture_on_commit_callbacks):
    """issue(email) -> a credential of `achievement`, signed as the worker would sign it."""
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign

    def make(email: str = "amina@example.org", **kwargs):
        with django_capture_on_commit_callbacks(execute=False):
            credential = credential_issue(achievement=achievement, recipient_email=email, **kwargs)
        credential_sign(credential_id=credential.id)
        credential.refresh_from_db()
        return credential

    return make


@pytest.fixture
def register(client):
    def make(**changes):
        response = client.post("/ims/ob/v3p0/oauth/register", data=json.dumps(client_metadata(**changes)),
                               content_type="application/json")
        assert response.status_code == 201, response.content
        return response.json()

    return make


def authorize_params(client_id: str, verifier: str, scope: str = ALL_SCOPES, **changes):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": scope,
              "state": "st-" + secrets.token_hex(4), "code_challenge": s256(verifier),
              "code_challenge_method": "S256"}
    params.update(changes)
    return {key: value for key, value in params.items() if value is not None}


def consent(browser, params, *, allow=True):
    """The learner's browser: the consent page, then Allow (or Do not allow). Returns the redirect's query."""
    page = browser.get("/ims/ob/v3p0/oauth/authorize", params)
    assert page.status_code == 200, page.content[:500]
    form = page.context["form"]
    data = {field.name: field.value() for field in form if field.is_hidden and field.value() is not None}
    data["allow" if allow else "deny"] = "Authorize" if allow else "deny"
    answer = browser.post("/ims/ob/v3p0/oauth/authorize", data)
    assert answer.status_code == 302, answer.content[:500]
    location = answer["Location"]
    assert location.startswith(REDIRECT_URI)
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


@pytest.fixture
def connect(client, register):
    """connect(learner, scope=…) -> a Connection: registration, consent in the learner's browser, token."""
    from django.test import Client

    def make(learner, scope: str = ALL_SCOPES, registration=None):
        registration = registration or register()
        browser = Client()
        browser.force_login(learner)
        verifier = secrets.token_urlsafe(48)
        params = authorize_params(registration["client_id"], verifier, scope=scope)
        answer = consent(browser, params)
        assert answer["state"] == params["state"]
        token = client.post("/ims/ob/v3p0/oauth/token", {
            "grant_type": "authorization_code", "code": answer["code"], "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        }, HTTP_AUTHORIZATION=basic(registration["client_id"], registration["client_secret"]))
        assert token.status_code == 200, token.content
        body = token.json()
        return Connection(registration["client_id"], registration["client_secret"], body["access_token"],
                          body["refresh_token"], body["scope"])

    return make
