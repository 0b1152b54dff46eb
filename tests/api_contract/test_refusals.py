"""The two refusals every client meets, as the live server answers them: 401 without a valid token and 429
over the per-token limit. Each is a problem body the schema documents for the operation (schemathesis
checks status, content type and body against the live /api/v1/schema/), and 429 says when to come back."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

DOCUMENTED = [status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def profile_read(platform):
    load_all_checks()
    schema = schemathesis.openapi.from_url(f"{platform.url}/api/v1/schema/?format=json")
    operation = schema["/api/v1/issuers/{issuer_slug}/"]["GET"]
    return operation.Case(path_parameters={"issuer_slug": platform.issuer_slug})


def header(response, name: str) -> str:
    """One header of a schemathesis response (its headers are lower-cased names with lists of values)."""
    return ", ".join(response.headers.get(name.lower(), []))


def answer(case, headers: dict[str, str]):
    response = case.call(headers=headers)
    case.validate_response(response, checks=DOCUMENTED)
    return response


@pytest.mark.parametrize("authorization", [None, "Bearer mkm_00000000_unknown", "Basic dXNlcjpwYXNz"])
def test_401_is_a_documented_problem(profile_read, authorization):
    response = answer(profile_read, {"Authorization": authorization} if authorization else {})
    assert response.status_code == 401
    assert header(response, "Content-Type") == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 401 and problem["code"] in ("not_authenticated", "authentication_failed")
    assert header(response, "WWW-Authenticate").startswith("Bearer")


def test_429_is_a_documented_problem_that_says_when_to_retry(profile_read, platform, monkeypatch):
    from api.throttling import ApiClientThrottle

    monkeypatch.setattr(ApiClientThrottle, "THROTTLE_RATES", {ApiClientThrottle.scope: "2/min"})
    bearer = {"Authorization": f"Bearer {platform.token}"}
    assert [answer(profile_read, bearer).status_code for _ in range(2)] == [200, 200]
    response = answer(profile_read, bearer)
    assert response.status_code == 429
    assert header(response, "Content-Type") == "application/problem+json"
    assert response.json()["status"] == 429 and response.json()["code"] == "throttled"
    assert 0 < int(header(response, "Retry-After")) <= 60
