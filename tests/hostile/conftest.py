"""People and drafts for the hostile corpus, and the rule every answer must keep: never a 5xx."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def evidence_in_memory(settings):
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def learner(db):
    from tests.factories import make_user

    return make_user("amina")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def outcome(achievement):
    return achievement.learning_outcomes.get()


@pytest.fixture
def application(achievement, learner):
    from assessment.applications import application_start

    return application_start(achievement=achievement, learner=learner, language="sv")


@pytest.fixture
def owner(issuer):
    from issuers.models import Role
    from tests.factories import make_member

    return make_member(issuer, "olga", Role.OWNER, Role.DESIGNER, Role.ASSESSOR, Role.QA_REVIEWER).user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def draft(issuer):
    from tests.factories import make_draft

    return make_draft(issuer)


def refused_clearly(response, *words: str) -> None:
    """A 4xx, or the form shown again (200) with an error summary; never a server error."""
    assert response.status_code < 500, response.status_code
    body = response.content.decode(errors="replace")
    if response.status_code == 200:
        assert 'class="error-summary"' in body or "errorlist" in body, body[:2000]
    else:
        assert 400 <= response.status_code < 500, response.status_code
    for word in words:
        assert word in body, (word, body[:3000])


@pytest.fixture
def api(issuer):
    """A REST API client with every scope, for an owner with every role; answers are checked against the schema."""
    from api.scopes import Scope
    from api.tokens import api_token_create
    from issuers.models import Role
    from tests.api.schema_check import SchemaCheckedClient
    from tests.factories import make_member

    member = make_member(issuer, "sis", Role.OWNER, Role.DESIGNER, Role.ASSESSOR, Role.QA_REVIEWER)
    _token, secret = api_token_create(issuer=issuer, by=member.user, name="Student system", scopes=list(Scope.values))
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_ACCEPT_LANGUAGE="en")
    return client
