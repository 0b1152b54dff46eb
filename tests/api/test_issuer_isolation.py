"""A token can never reach another issuer's data, over every operation the schema lists.

Issuer A has one of everything (a published micro-credential with an outcome, an issued credential, a
submitted application with an evidence file, an award job, a webhook endpoint with a delivery). Issuer B's
owner holds every role and B's token every scope. For every operation under /api/v1/issuers/ — read from
the generated schema, so a new endpoint is covered the day it is added — B's token gets 404:
- with A's slug in the path (the token belongs to B), whatever the ids;
- with its own slug and A's ids (the objects are looked up within the token's issuer only);
and afterwards nothing of A has changed.
"""

from __future__ import annotations

import re

import pytest

from api.tokens import api_token_create
from assessment.awards import award_batch_prepare
from assessment.csv_import import RecipientRow
from assessment.models import AwardBatch
from badges.credentials.signing import credential_sign
from badges.models import Achievement, Credential
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient, api_schema
from tests.api.test_applications_api import submitted_application
from tests.factories import make_achievement, make_issuer, make_member, make_user
from webhooks.emitting import webhook_event_emit
from webhooks.endpoints import webhook_endpoint_create
from webhooks.models import WebhookEndpoint

pytestmark = pytest.mark.django_db
ALL_ROLES = (Role.OWNER, Role.ASSESSOR, Role.DESIGNER, Role.QA_REVIEWER)
PARAMETER = re.compile(r"\{(\w+)\}")


@pytest.fixture(autouse=True)
def evidence_in_memory(settings):
    settings.STORAGES = {**settings.STORAGES, "evidence": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}


@pytest.fixture
def world_a(django_capture_on_commit_callbacks):
    """Issuer A's objects, by the path parameter that names each."""
    issuer = make_issuer("skola-a")
    owner = make_member(issuer, "owner-a", *ALL_ROLES)
    achievement = make_achievement(issuer)
    application = submitted_application(achievement, make_user("learner-a"))
    with django_capture_on_commit_callbacks(execute=True):
        from badges.credentials.issuing import credential_issue

        credential = credential_issue(achievement=achievement, recipient_email="a@example.org")
    credential_sign(credential_id=credential.pk)
    job = award_batch_prepare(issuer=issuer, achievement=achievement, by=owner.user,
                              rows=[RecipientRow(line=1, email="job@example.org", name="Job")])
    endpoint, _secret = webhook_endpoint_create(issuer=issuer, by=owner.user, url="https://a.example.org/in",
                                                description="", event_types=["credential.issued"])
    event = webhook_event_emit(issuer_id=issuer.pk, event_type="credential.issued", data={})
    return {
        "issuer": issuer,
        "achievement": achievement.public_id,
        "credential": credential.public_id,
        "outcome_id": achievement.learning_outcomes.first().public_id,
        "application_id": application.public_id,
        "evidence_id": application.evidence.first().public_id,
        "job_id": job.public_id,
        "endpoint_id": endpoint.public_id,
        "delivery_id": event.deliveries.get().public_id,
        "language": "en",
        "fmt": "json",
    }


@pytest.fixture
def client_b():
    issuer_b = make_issuer("skola-b")
    owner_b = make_member(issuer_b, "owner-b", *ALL_ROLES)
    _token, secret = api_token_create(issuer=issuer_b, by=owner_b.user, name="B", scopes=[
        "read", "award", "manage_achievements", "revoke", "webhooks",
    ])
    client = SchemaCheckedClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client, issuer_b


def operations():
    for path, methods in api_schema()["paths"].items():
        if path.startswith("/api/v1/issuers/{issuer_slug}"):
            for method in methods:
                yield method, path


def filled(path: str, slug: str, world: dict) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name == "issuer_slug":
            return slug
        if name == "public_id":
            return str(world["credential"] if "/credentials/" in path else world["achievement"])
        return str(world[name])

    return PARAMETER.sub(value, path)


def snapshot(world: dict) -> tuple:
    issuer = world["issuer"]
    return (
        list(Achievement.objects.filter(issuer=issuer).values_list("public_id", "status", "version", "name")),
        list(Credential.objects.filter(issuer=issuer).values_list("public_id", "status")),
        list(AwardBatch.objects.filter(issuer=issuer).values_list("public_id", "status")),
        list(WebhookEndpoint.objects.filter(issuer=issuer).values_list("public_id", "url", "enabled")),
        issuer.name,
    )


def test_a_token_reaches_no_operation_of_another_issuer(world_a, client_b):
    client, issuer_b = client_b
    before = snapshot(world_a)
    answers = {}
    for method, path in operations():
        for slug in (world_a["issuer"].slug, issuer_b.slug):
            if slug == issuer_b.slug and not set(PARAMETER.findall(path)) - {"issuer_slug"}:
                continue  # B's own collections: B's data, covered by each area's tests
            url = filled(path, slug, world_a)
            response = getattr(client, method)(url, {}, format="json")
            answers[(method.upper(), url)] = response.status_code
    assert len(answers) > 40
    assert {key: status for key, status in answers.items() if status != 404} == {}
    world_a["issuer"].refresh_from_db()
    assert snapshot(world_a) == before
