"""A micro-credential from draft to published through the API alone, read back as the console shows it,
and every refusal of the console's workflow given the same way through the API."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation

from badges.achievements.image_uploads import badge_image_from_upload
from badges.achievements.review import achievement_review_approve
from badges.models import Achievement, AchievementAuditEvent
from issuers.models import Role
from kernel.errors import ApplicationError
from tests.api.test_achievements_api_support import (
    DEFINITION,
    NEW_DRAFT,
    OUTCOME,
    achievements_url,
    api_scorecard,
    client_with,
    console_scorecard,
)
from tests.factories import make_achievement, make_draft, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer_api(issuer, token_for):
    """A second owner who is also a quality reviewer: not the author of what `api` drafts."""
    reviewer = make_member(issuer, "rita", Role.OWNER, Role.QA_REVIEWER)
    _token, secret = token_for(by=reviewer)
    return client_with(secret)


def console_page(client, name, issuer, achievement):
    return client.get(reverse(f"achievements_console:{name}", args=[issuer.slug, achievement.public_id]))


def test_a_micro_credential_goes_from_draft_to_published_through_the_api(api, reviewer_api, issuer, owner, client):
    created = api.post(achievements_url(issuer), NEW_DRAFT, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft" and body["version"] == 1 and body["in_language"] == "sv"
    assert created["Location"] == achievements_url(issuer, body["id"])
    achievement = Achievement.objects.get(public_id=body["id"], issuer=issuer)
    assert achievement.created_by == owner.user
    assert len(body["scorecard"]["principles"]) == 6 and len(body["scorecard"]["eu_elements"]) == 11
    assert body["scorecard"]["publishable"] is False
    # What is missing reads as in the console's designer, word for word.
    assert api_scorecard(body) == console_scorecard(achievement)
    client.force_login(owner.user)
    edit_page = console_page(client, "edit", issuer, achievement).content.decode()
    missing = [item["text"] for group in ("principles", "eu_elements") for c in body["scorecard"][group]
               for item in c["missing"]]
    assert missing and all(html.escape(text) in edit_page for text in missing)

    response = api.patch(achievements_url(issuer, body["id"]), DEFINITION, format="json")
    assert response.status_code == 200 and response.json()["eqf_level"] == 3
    response = api.post(achievements_url(issuer, body["id"], "outcomes"), OUTCOME, format="json")
    assert response.status_code == 201
    assert response.json()["scorecard"]["publishable"] is True

    response = api.post(achievements_url(issuer, body["id"], "submit"))
    assert response.status_code == 200 and response.json()["status"] == "in_review"
    response = reviewer_api.post(achievements_url(issuer, body["id"], "review"), {"decision": "approve"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = reviewer_api.post(achievements_url(issuer, body["id"], "publish"))
    assert response.status_code == 200 and response.json()["status"] == "published"

    read = api.get(achievements_url(issuer, body["id"])).json()
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.PUBLISHED
    assert [event.kind for event in achievement.audit_events.order_by("pk")][-3:] == [
        AchievementAuditEvent.Kind.SUBMITTED, AchievementAuditEvent.Kind.APPROVED, AchievementAuditEvent.Kind.PUBLISHED,
    ]
    assert api_scorecard(read) == console_scorecard(achievement)
    detail_page = console_page(client, "detail", issuer, achievement).content.decode()
    for text in (read["name"], read["target_group"], read["qa_responsible_body"], OUTCOME["statement"],
                 *(level["name"] for level in read["learning_outcomes"][0]["rubric_levels"])):
        assert html.escape(text) in detail_page
    assert read["learning_outcomes"][0]["statement"] == OUTCOME["statement"]
    assert [level["is_pass_level"] for level in read["learning_outcomes"][0]["rubric_levels"]] == [False, True]
    assert read["workload_hours"] == "40.00" and read["assessment_types"] == DEFINITION["assessment_types"]
    assert read["image"].startswith("http") and read["image"].endswith(achievement.image.url)
    public = client.get(reverse("achievements_public:achievement", args=[achievement.public_id]))
    assert public.status_code == 200 and html.escape(OUTCOME["statement"]) in public.content.decode()


def test_the_author_can_never_approve_as_in_the_console(api, issuer, owner, client):
    achievement = make_draft(issuer)
    assert api.post(achievements_url(issuer, achievement.public_id, "submit")).status_code == 200
    response = api.post(
        achievements_url(issuer, achievement.public_id, "review"), {"decision": "approve"}, format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    with translation.override("en"), pytest.raises(ApplicationError) as console_refusal:
        achievement_review_approve(achievement=achievement, by=owner.user)
    assert response.status_code == 422
    assert (response.json()["code"], response.json()["title"]) == (
        console_refusal.value.code, console_refusal.value.message,
    ) == ("own_work", "You wrote or submitted this definition, so someone else has to review it.")
    client.force_login(owner.user)
    console = client.post(
        reverse("achievements_console:review", args=[issuer.slug, achievement.public_id]), {"decision": "approve"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "someone else has to review it" in console.content.decode()
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.IN_REVIEW


@pytest.mark.parametrize("status", [Achievement.Status.DRAFT, Achievement.Status.IN_REVIEW])
def test_publishing_what_is_not_approved_is_refused_as_in_the_console(api, issuer, owner, client, status):
    achievement = make_achievement(issuer, status=status)
    response = api.post(achievements_url(issuer, achievement.public_id, "publish"))
    assert response.status_code == 422 and response.json()["code"] == "wrong_status"
    client.force_login(owner.user)
    console = client.post(
        reverse("achievements_console:publish", args=[issuer.slug, achievement.public_id]), {"confirm": "publish"},
        follow=True,
    )
    assert html.escape(response.json()["title"]) in console.content.decode()
    achievement.refresh_from_db()
    assert achievement.status == status


@pytest.mark.parametrize(("method", "parts", "data"), [
    ("patch", (), {"name": "Nytt namn"}),
    ("post", ("outcomes",), OUTCOME),
    ("put", ("translations", "en"), {"name": "Teamwork", "description": "D", "criteria_narrative": "C"}),
    ("post", ("image",), {"use_generated_image": True}),
    ("post", ("submit",), None),
])
def test_a_published_definition_is_never_edited(api, issuer, achievement, method, parts, data):
    response = getattr(api, method)(achievements_url(issuer, achievement.public_id, *parts), data, format="json")
    assert response.status_code == 422
    assert response.json()["code"] in {"published_is_immutable", "wrong_status"}
    assert Achievement.objects.get(pk=achievement.pk).name == achievement.name


def test_a_published_definition_changes_by_a_new_version(api, issuer, achievement):
    response = api.post(achievements_url(issuer, achievement.public_id, "new-version"))
    assert response.status_code == 201
    copy = response.json()
    assert copy["status"] == "draft" and copy["version"] == 2
    assert copy["previous_version"] == str(achievement.public_id)
    assert response["Location"] == achievements_url(issuer, copy["id"])
    assert [o["statement"] for o in copy["learning_outcomes"]] == [
        o.statement for o in achievement.learning_outcomes.all()
    ]
    assert api.get(achievements_url(issuer, achievement.public_id)).json()["next_version"] == copy["id"]
    again = api.post(achievements_url(issuer, achievement.public_id, "new-version"))
    assert again.status_code == 422 and again.json()["code"] == "has_next_version"
    draft = api.post(achievements_url(issuer, copy["id"], "new-version"))
    assert draft.status_code == 422 and draft.json()["code"] == "wrong_status"


def test_an_incomplete_draft_is_not_submitted_and_the_refusal_lists_what_is_missing(api, issuer):
    draft = make_draft(issuer, full=False)
    response = api.post(achievements_url(issuer, draft.public_id, "submit"))
    assert response.status_code == 422 and response.json()["code"] == "not_publishable"
    assert "Add at least one learning outcome." in response.json()["detail"]
    assert Achievement.objects.get(pk=draft.pk).status == Achievement.Status.DRAFT


def test_requesting_changes_needs_a_comment_and_sends_it_back_to_draft(reviewer_api, issuer):
    achievement = make_achievement(issuer, status=Achievement.Status.APPROVED)
    url = achievements_url(issuer, achievement.public_id, "review")
    response = reviewer_api.post(url, {"decision": "request_changes"}, format="json")
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["comment"]
    response = reviewer_api.post(url, {"decision": "request_changes", "comment": "Lägg till nivå 3."}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "draft"
    event = achievement.audit_events.latest("pk")
    assert event.kind == AchievementAuditEvent.Kind.CHANGES_REQUESTED and event.comment == "Lägg till nivå 3."
    wrong = reviewer_api.post(url, {"decision": "maybe"}, format="json")
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "decision"


def test_the_uploaded_image_is_as_safe_as_in_the_designer(api, issuer):
    from tests.badges.test_console_designer_forms import HOSTILE_SVG, png

    draft = make_draft(issuer)
    url = achievements_url(issuer, draft.public_id, "image")
    response = api.post(url, {"image_upload": _upload("badge.png", HOSTILE_SVG)}, format="multipart")
    assert response.status_code == 200
    assert response.json()["svg_parts_removed"] == list(badge_image_from_upload(HOSTILE_SVG).removed)
    draft.refresh_from_db()
    svg = draft.image_svg.read().decode()
    assert "script" not in svg and "evil.example" not in svg
    refused = api.post(
        url, {"image_upload": _upload("x.png", png(32, 32))}, format="multipart", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == [
        {"field": "image_upload", "message": "The PNG image is smaller than 64 × 64 pixels. Use a larger image."}
    ]
    fine = api.post(url, {"image_upload": _upload("b.png", png())}, format="multipart")
    assert fine.status_code == 200 and fine.json()["svg_parts_removed"] == []
    draft.refresh_from_db()
    assert draft.image.read() == png()
    nothing = api.post(url, {}, format="json")
    assert nothing.status_code == 400 and nothing.json()["errors"][0]["field"] == "image_upload"
    both = api.post(url, {"image_upload": _upload("b.png", png()), "use_generated_image": "true"}, format="multipart")
    assert both.status_code == 400 and both.json()["errors"][0]["field"] == "use_generated_image"


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/png")
