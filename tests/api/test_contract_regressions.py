"""What the schemathesis run over the live API (tests/api_contract) found, kept fixed here."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from issuers.models import Issuer
from tests.api.schema_check import api_schema

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("body", ["null", "[]", '["name", "Ny"]', '"Ny"', "3"])
def test_a_json_body_that_is_not_an_object_is_a_400_problem(api, issuer, body):
    # It was a 500: the profile update read fields from `null`. Every write reads named fields.
    response = api.generic("PATCH", f"/api/v1/issuers/{issuer.slug}/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "parse_error"
    assert Issuer.objects.get(pk=issuer.pk).name == issuer.name


def profile_request_errors(document: dict) -> list[str]:
    operation = api_schema()["paths"]["/api/v1/issuers/{issuer_slug}/"]["patch"]
    body_schema = operation["requestBody"]["content"]["application/json"]["schema"]
    validator = Draft202012Validator({"components": api_schema()["components"], **body_schema})
    return [error.message for error in validator.iter_errors(document)]


@pytest.mark.parametrize(
    ("field", "value"),
    [("country_code", ""), ("country_code", "SWE"), ("postal_code", "1" * 21), ("phone", "1" * 41), ("name", "")],
)
def test_the_documented_profile_refuses_what_the_consoles_form_refuses(api, issuer, field, value):
    # The schema said a blank country code and any length of postal code or phone were valid.
    assert profile_request_errors({field: value}), f"the schema admits {field}={value!r}"
    response = api.patch(f"/api/v1/issuers/{issuer.slug}/", {field: value}, format="json")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_documented_profile_admits_what_the_form_accepts(api, issuer):
    changes = {"country_code": "no", "postal_code": "1" * 20, "phone": "+46 90 123 45 67", "url": ""}
    assert profile_request_errors(changes) == []
    response = api.patch(f"/api/v1/issuers/{issuer.slug}/", changes, format="json")
    assert response.status_code == 200 and response.json()["country_code"] == "NO"
