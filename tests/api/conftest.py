"""API test fixtures: tokens made through the service, clients that check every answer against the schema."""

from __future__ import annotations

import pytest

from tests.api.schema_check import SchemaCheckedClient


@pytest.fixture
def owner(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "owner", Role.OWNER, Role.ASSESSOR, Role.DESIGNER, Role.QA_REVIEWER)


@pytest.fixture
def token_for(owner):
    """token_for(*scopes, issuer=…, by=…) -> (ApiToken, secret), made as an owner makes one in the console."""
    from api.scopes import Scope
    from api.tokens import api_token_create

    def make(*scopes: str, by=None, name: str = "Student system"):
        creator = by or owner
        return api_token_create(
            issuer=creator.issuer, by=creator.user, name=name, scopes=list(scopes or Scope.values)
        )

    return make


@pytest.fixture
def api(token_for):
    """A client with a token holding every scope, acting for an owner with every role."""
    _token, secret = token_for()
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


@pytest.fixture
def anonymous_api():
    return SchemaCheckedClient()
