"""POST /verify/api: the answer's shape (ob3's verdict, every check's outcome and code) and CORS for browsers."""

import json

import pytest
from freezegun import freeze_time

from kernel import fetch
from tests.badges.foreign_site import CHECKED_AT, FakeFetcher, ForeignIssuer

pytestmark = pytest.mark.django_db
ORIGIN = "https://ats.employer.example"
CHECK_KEYS = {"name", "passed", "outcome", "code", "warning", "reason"}


def test_a_valid_answer_has_the_verdict_and_every_check_with_outcome_and_code(client, issued):
    response = client.post("/verify/api", {"credential": issued.document}, content_type="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"valid", "verdict", "format", "checks", "credential"}
    assert (body["verdict"], body["valid"], body["format"]) == ("valid", True, "json")
    assert body["credential"] == issued.document
    for entry in body["checks"]:
        assert set(entry) == CHECK_KEYS
        assert entry["outcome"] == "passed" and entry["passed"] is True and entry["code"] == ""


def test_an_unconfirmed_answer_says_so_per_check_and_is_not_valid(client, monkeypatch):
    monkeypatch.setattr(fetch, "default_fetcher", lambda: FakeFetcher())  # the issuer's site is down
    credential = ForeignIssuer().fragment_key_credential()
    with freeze_time(CHECKED_AT):
        body = client.post("/verify/api", {"credential": json.dumps(credential)}).json()
    assert (body["verdict"], body["valid"]) == ("unconfirmed", False)
    unconfirmed = {entry["name"]: entry["code"] for entry in body["checks"] if entry["outcome"] == "unconfirmed"}
    assert unconfirmed == {"issuer_key": "key_not_bound", "revocation": "status_unavailable"}
    assert all(entry["passed"] is False for entry in body["checks"] if entry["outcome"] == "unconfirmed")


def test_an_invalid_answer_names_the_failed_check(client, issued):
    tampered = dict(issued.document, name="Svetsning nivå 5")
    body = client.post("/verify/api", {"credential": tampered}, content_type="application/json").json()
    assert body["verdict"] == "invalid"
    failed = [entry for entry in body["checks"] if entry["outcome"] == "failed"]
    assert [entry["name"] for entry in failed] == ["proof"]


def test_a_revoked_answer_carries_the_code(client, issued):
    from badges.credentials.revocation import credential_revoke
    from tests.factories import workflow_member

    credential_revoke(credential=issued, by=workflow_member(issued.issuer, "owner").user, reason="Fel.")
    body = client.post("/verify/api", {"credential": issued.document}, content_type="application/json").json()
    assert body["verdict"] == "revoked"
    assert [(entry["name"], entry["code"]) for entry in body["checks"] if entry["outcome"] == "failed"] == [
        ("revocation", "revoked")]


def test_the_developer_section_documents_the_verdicts_outcomes_and_limits(client):
    html = client.get("/verify/", headers={"Accept-Language": "en"}).content.decode()
    for word in ("<code>unconfirmed</code>", "<code>outcome</code>", "<code>code</code>", "413", "422",
                 "too_complex", "CORS"):
        assert word in html, word


# --- CORS -------------------------------------------------------------------------------------------------------
def test_the_preflight_answers_with_what_the_post_needs(client):
    response = client.options("/verify/api", headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert {method.strip() for method in response["Access-Control-Allow-Methods"].split(",")} == {"POST", "OPTIONS"}
    assert "content-type" in [header.strip() for header in response["Access-Control-Allow-Headers"].split(",")]
    assert int(response["Access-Control-Max-Age"]) >= 600
    assert "Access-Control-Allow-Credentials" not in response


def test_the_post_from_another_origin_carries_the_cors_header(client, issued):
    response = client.post("/verify/api", {"credential": issued.document}, content_type="application/json",
                           headers={"Origin": ORIGIN})
    assert response.status_code == 200 and response.json()["verdict"] == "valid"
    assert response["Access-Control-Allow-Origin"] == "*"
    # Errors too, so a browser can read why.
    refused = client.post("/verify/api", "{not json", content_type="application/json", headers={"Origin": ORIGIN})
    assert refused.status_code == 400 and refused["Access-Control-Allow-Origin"] == "*"


def test_cors_is_limited_to_the_public_verification_api(client):
    for path in ("/verify/", "/accounts/login/"):
        response = client.options(path, headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST"})
        assert "Access-Control-Allow-Origin" not in response, path
        assert "Access-Control-Allow-Methods" not in response, path
