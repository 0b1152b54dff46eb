"""POST /api/v1/verify: the same answer as the public POST /verify/api (one function), with or without a
token, in any of the input forms, every answer checked against the schema."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from tests.api.schema_check import SchemaCheckedClient, response_checked
from tests.factories import make_achievement, make_issuer

pytestmark = pytest.mark.django_db
URL = "/api/v1/verify"


def checked(response):
    response_checked(response)  # /api/v1/verify is outside /issuers/, so the client does not check it itself
    return response


def test_a_valid_credential_answers_the_same_as_the_public_endpoint(api, client, issued):
    response = checked(api.post(URL, {"credential": issued.document}, format="json"))
    assert response.status_code == 200
    body = response.json()
    assert (body["verdict"], body["valid"], body["format"]) == ("valid", True, "json")
    assert body["credential"] == issued.document and all(check["passed"] for check in body["checks"])
    public = client.post("/verify/api", {"credential": issued.document}, content_type="application/json").json()
    assert body == public


def test_anyone_may_check_without_a_token(anonymous_api, issued):
    response = checked(anonymous_api.post(URL, {"credential": issued.document}, format="json"))
    assert response.status_code == 200 and response.json()["verdict"] == "valid"


def test_a_tampered_credential_is_invalid_not_an_error(api, issued):
    tampered = dict(issued.document, name="Svetsning nivå 5")
    response = checked(api.post(URL, {"credential": tampered}, format="json"))
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "invalid" and body["valid"] is False
    assert [check["name"] for check in body["checks"] if check["outcome"] == "failed"] == ["proof"]
    assert all(check["reason"] for check in body["checks"])


def test_a_baked_png_upload_is_checked(api, issued):
    with issued.baked_png.open("rb") as badge:
        response = checked(api.post(URL, {"file": badge}, format="multipart"))
    assert response.status_code == 200
    assert (response.json()["verdict"], response.json()["format"]) == ("valid", "png")


def test_an_svg_upload_and_pasted_text_are_checked(api, issued):
    with issued.baked_svg.open("rb") as badge:
        assert checked(api.post(URL, {"file": badge}, format="multipart")).json()["format"] == "svg"
    garbage = checked(api.post(URL, {"credential": "not.a.jwt"}, format="multipart"))
    assert garbage.status_code == 200 and garbage.json()["verdict"] == "invalid"


def test_a_jwt_is_checked(api):
    signing_jwt = make_issuer("jwtskolan", jwt_enabled=True)
    credential = credential_issue(achievement=make_achievement(signing_jwt), recipient_email="jamal@example.org")
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    response = checked(api.post(URL, {"credential": credential.jwt}, format="json"))
    assert (response.json()["verdict"], response.json()["format"]) == ("valid", "jwt")


def test_nothing_to_check_is_a_400_problem(api):
    response = checked(api.post(URL, {"something": "else"}, format="json"))
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "no_input"
    broken = checked(api.post(URL, b"{not json", content_type="application/json"))
    assert broken.status_code == 400 and broken.json()["code"] == "malformed_request"


@override_settings(VERIFY_UPLOAD_MAX_BYTES=1024)
def test_too_large_is_a_413_problem_naming_the_limit(api):
    upload = SimpleUploadedFile("badge.png", b"x" * 2048, content_type="image/png")
    response = checked(api.post(URL, {"file": upload}, format="multipart"))
    assert response.status_code == 413
    assert (response.json()["code"], response.json()["limit"], response.json()["maximum"]) == ("too_large", "bytes",
                                                                                                1024)


def test_an_unknown_token_is_refused_rather_than_ignored(issued):
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer mkm_nothing_here")
    response = checked(client.post(URL, {"credential": issued.document}, format="json"))
    assert response.status_code == 401


@override_settings(VERIFY_UPLOAD_RATE_LIMIT="2/m")
def test_anonymous_callers_share_the_public_checks_rate_limit(anonymous_api, issued):
    for _ in range(2):
        assert anonymous_api.post(URL, {"credential": "a.b.c"}, format="json").status_code == 200
    refused = checked(anonymous_api.post(URL, {"credential": "a.b.c"}, format="json"))
    assert refused.status_code == 429 and refused["Retry-After"] and refused.json()["code"] == "rate_limited"


def test_the_schema_documents_the_verdicts(client):
    schema = client.get("/api/v1/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/verify"]["post"]
    assert set(operation["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    verdicts = schema["components"]["schemas"]["VerdictEnum"]["enum"]
    assert {"valid", "invalid", "revoked", "unconfirmed", "expired"} <= set(verdicts)
