"""The public achievement page /a/<id>: for people, for machines, and only once published."""

import json
import uuid
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from badges.contexts import extension_context_url
from badges.models import Achievement
from ob3.documents import CONTEXTS_DIR
from ob3.eu import MIKROMERIT_CONTEXT, SCHEMA_FILE, validate_eu_extension
from ob3.schema import SCHEMAS_DIR
from tests.factories import make_achievement

pytestmark = pytest.mark.django_db


class MetaTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.properties = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "property" in attrs:
            self.properties[attrs["property"]] = attrs.get("content")


def page(client, achievement, accept=None, language="en"):
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    if accept:
        headers["HTTP_ACCEPT"] = accept
    return client.get(reverse("achievements_public:achievement", args=[achievement.public_id]), **headers)


def test_people_get_a_page_that_answers_the_four_questions(client, achievement):
    response = page(client, achievement, accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    for heading in ("Who issues it", "What the holder can do", "How it is assessed", "How the quality is assured"):
        assert heading in html
    outcome = achievement.learning_outcomes.first()
    for fact in (achievement.issuer.name, "SE", outcome.statement, outcome.assessment_criteria, "Godkänd",
                 "lowest level that passes", achievement.qa_responsible_body, "EQF 3", "40 hours", "1.5 ECTS credits"):
        assert fact in html, fact
    assert f'lang="{achievement.in_language}"' in html


def test_it_carries_open_graph_tags(client, achievement):
    parser = MetaTags()
    parser.feed(page(client, achievement).content.decode())
    assert parser.properties["og:title"] == achievement.name
    assert parser.properties["og:description"] == achievement.description
    assert parser.properties["og:url"] == achievement.uri
    assert parser.properties["og:image"].endswith(f"/achievements/{achievement.public_id}/image.png")
    assert parser.properties["og:image"].startswith("http")


@pytest.mark.parametrize("accept", ["application/ld+json", "application/json", "application/ld+json, text/html;q=0.5"])
def test_machines_get_the_achievement_as_json_ld(client, achievement, accept):
    response = page(client, achievement, accept=accept)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(accept.split(",")[0])
    assert "Accept" in response["Vary"]
    document = json.loads(response.content)
    assert document["@context"][-1] == extension_context_url() == f"{settings.PUBLIC_BASE_URL}/ns/v1"
    assert document["id"] == achievement.uri and document["type"] == ["Achievement"]
    assert document["creditPoints"] == {"value": "1.5", "unit": "ECTS"}
    assert document["resultDescription"][0]["rubricCriterionLevel"][1]["name"] == "Godkänd"
    assert validate_eu_extension(document) == []


def test_the_page_speaks_swedish_to_swedish_visitors(client, achievement):
    html = page(client, achievement, language="sv").content.decode()
    assert "Vad innehavaren kan" in html and "Hur kvaliteten säkras" in html


@pytest.mark.parametrize("status", [
    Achievement.Status.DRAFT, Achievement.Status.IN_REVIEW, Achievement.Status.APPROVED,
])
def test_unpublished_achievements_are_not_found(client, issuer, status):
    achievement = make_achievement(issuer, status=status)
    assert page(client, achievement).status_code == 404
    assert page(client, achievement, accept="application/ld+json").status_code == 404


def test_an_unknown_id_is_not_found(client, db):
    assert client.get(reverse("achievements_public:achievement", args=[uuid.uuid4()])).status_code == 404


def test_an_older_version_points_to_the_newest(client, issuer, achievement):
    from badges.achievements.publishing import achievement_new_version, achievement_publish
    from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
    from issuers.models import Role
    from tests.factories import workflow_member

    copy = achievement_new_version(achievement=achievement, by=workflow_member(issuer, Role.DESIGNER).user)
    assert "There is a newer version" not in page(client, achievement).content.decode()  # the copy is a draft
    copy = achievement_submit_for_review(achievement=copy, by=workflow_member(issuer, Role.DESIGNER).user)
    reviewer = workflow_member(issuer, Role.QA_REVIEWER).user
    copy = achievement_publish(
        achievement=achievement_review_approve(achievement=copy, by=reviewer), by=reviewer
    )
    html = page(client, achievement).content.decode()
    assert "There is a newer version" in html
    assert reverse("achievements_public:achievement", args=[copy.public_id]) in html


def test_the_extension_context_is_served_byte_for_byte(client, db):
    response = client.get("/ns/v1")
    assert response.status_code == 200
    assert response.content == (CONTEXTS_DIR / "mikromerit-v1.jsonld").read_bytes()
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=" in response["Cache-Control"]


def test_the_extension_schema_is_served(client, db):
    response = client.get("/ns/v1/achievement-schema.json")
    assert response.status_code == 200
    assert response.content == (SCHEMAS_DIR / SCHEMA_FILE).read_bytes()
    assert response["Access-Control-Allow-Origin"] == "*"
    assert MIKROMERIT_CONTEXT.endswith(reverse("achievements_public:context"))


# --- Cache headers ----------------------------------------------------------------------------------
PUBLIC = "public, max-age=22, s-maxage=22, stale-while-revalidate=5"


def _vary(response) -> set[str]:
    return {part.strip() for part in response["Vary"].split(",")}


def test_an_anonymous_visitor_gets_a_shared_cacheable_page_in_their_language(client, achievement):
    response = page(client, achievement, accept="text/html")
    assert response["Cache-Control"] == PUBLIC
    assert _vary(response) == {"Accept", "Accept-Language"}
    assert not response.cookies
    again = client.get(reverse("achievements_public:achievement", args=[achievement.public_id]),
                       HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_signed_in_visitor_gets_a_private_page(client, achievement):
    from tests.factories import make_user

    client.force_login(make_user("visitor"))
    response = page(client, achievement, accept="text/html")
    assert response["Cache-Control"] == "private, no-cache"
    assert "Cookie" in _vary(response)


def test_machines_get_a_public_document_that_varies_on_accept(client, achievement):
    response = page(client, achievement, accept="application/ld+json")
    assert response["Cache-Control"] == PUBLIC
    assert "Accept" in _vary(response) and "Cookie" not in _vary(response)
    assert response["ETag"]
