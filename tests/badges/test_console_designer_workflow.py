"""The designer and the review through the pages: create → outcomes → scorecard met → submit → approve → publish."""

import pytest
from django.urls import reverse

from badges.models import Achievement, AchievementAuditEvent
from issuers.models import Role
from tests.badges.test_console_designer_access import definition_data
from tests.badges.test_console_designer_forms import outcome_data
from tests.factories import make_achievement, make_draft, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def people(issuer):
    return {
        "designer": make_member(issuer, "dora", Role.DESIGNER, Role.QA_REVIEWER).user,
        "reviewer": make_member(issuer, "quinn", Role.QA_REVIEWER).user,
    }


def url(name, issuer, *args):
    return reverse(f"achievements_console:{name}", args=[issuer.slug, *args])


def test_a_micro_credential_goes_from_idea_to_public_page(client, issuer, people):
    client.force_login(people["designer"])
    response = client.post(url("new", issuer), {
        "name": "Samarbete i arbetsgrupp", "description": "Kan samarbeta.", "criteria_narrative": "Visar samarbete.",
        "in_language": "sv", "colour": "#1f5f8b",
    })
    achievement = Achievement.objects.get(name="Samarbete i arbetsgrupp")
    assert response["Location"] == url("edit", issuer, achievement.public_id)

    page = client.get(url("edit", issuer, achievement.public_id)).content.decode()
    assert "Add at least one learning outcome." in page
    assert 'disabled aria-describedby="submit-reason"' in page

    assert client.post(url("edit", issuer, achievement.public_id), definition_data(achievement)).status_code == 302
    for statement in ("Fördela uppgifter i en arbetsgrupp.", "Följa upp att uppgifterna blir gjorda."):
        response = client.post(url("outcome-new", issuer, achievement.public_id), outcome_data(statement=statement))
        assert response.status_code == 302
    assert [o.statement for o in achievement.learning_outcomes.all()] == [
        "Fördela uppgifter i en arbetsgrupp.", "Följa upp att uppgifterna blir gjorda."
    ]
    assert [level.is_pass_level for level in achievement.learning_outcomes.first().rubric_levels.all()] == [False, True]

    page = client.get(url("edit", issuer, achievement.public_id)).content.decode()
    assert "Everything is in place." in page and "submit-reason" not in page

    assert client.post(url("submit", issuer, achievement.public_id)).status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.IN_REVIEW

    # The author, though a quality reviewer too, is told to ask someone else; the service refuses a forced POST.
    page = client.get(url("review", issuer, achievement.public_id)).content.decode()
    assert "someone else has to review it" in page and 'name="decision"' not in page
    response = client.post(url("review", issuer, achievement.public_id), {"decision": "approve"})
    assert response.status_code == 200 and "someone else has to review it" in response.content.decode()
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.IN_REVIEW

    client.force_login(people["reviewer"])
    assert achievement.name in client.get(url("review-queue", issuer)).content.decode()
    assert client.post(url("review", issuer, achievement.public_id), {"decision": "approve"}).status_code == 302
    assert client.post(url("publish", issuer, achievement.public_id), {"confirm": "publish"}).status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.PUBLISHED

    public = client.get(reverse("achievements_public:achievement", args=[achievement.public_id]))
    assert public.status_code == 200 and "Följa upp att uppgifterna blir gjorda." in public.content.decode()
    detail = client.get(url("detail", issuer, achievement.public_id)).content.decode()
    for kind in ("Created", "Submitted for review", "Approved", "Published"):
        assert kind in detail


def test_submitting_an_incomplete_draft_is_refused_with_what_is_missing(client, issuer, people):
    draft = make_draft(issuer, full=False)
    client.force_login(people["designer"])
    response = client.post(url("submit", issuer, draft.public_id), follow=True)
    assert "not complete yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Achievement.Status.DRAFT


def test_requesting_changes_needs_a_comment_and_sends_it_back_to_draft(client, issuer, people):
    achievement = make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    client.force_login(people["reviewer"])
    response = client.post(url("review", issuer, achievement.public_id), {"decision": "request_changes"})
    assert response.status_code == 200 and "Say what should be changed." in response.content.decode()
    response = client.post(
        url("review", issuer, achievement.public_id), {"decision": "request_changes", "comment": "Lägg till nivå 3."}
    )
    assert response.status_code == 302
    achievement.refresh_from_db()
    assert achievement.status == Achievement.Status.DRAFT
    assert "Lägg till nivå 3." in client.get(url("detail", issuer, achievement.public_id)).content.decode()


def test_the_live_scorecard_judges_unsaved_changes_without_saving_them(client, issuer, people):
    draft = make_draft(issuer)
    client.force_login(people["designer"])
    response = client.post(url("scorecard", issuer, draft.public_id), definition_data(draft, target_group=""))
    fragment = response.content.decode()
    assert "Describe who the micro-credential is for." in fragment
    assert f'href="/console/testskolan/achievements/{draft.public_id}/edit/#id_target_group"' in fragment
    assert "<html" not in fragment
    draft.refresh_from_db()
    assert draft.target_group  # nothing was saved
    assert not AchievementAuditEvent.objects.filter(achievement=draft, kind="updated", data__fields=["target_group"])


def test_outcomes_can_be_edited_moved_and_removed(client, issuer, people):
    draft = make_draft(issuer)
    client.force_login(people["designer"])
    client.post(url("outcome-new", issuer, draft.public_id), outcome_data(statement="Andra målet."))
    first, second = draft.learning_outcomes.all()
    client.post(url("outcome-move", issuer, draft.public_id, second.public_id), {"direction": "up"})
    assert [o.pk for o in draft.learning_outcomes.all()] == [second.pk, first.pk]

    client.post(url("outcome-edit", issuer, draft.public_id, second.public_id),
                outcome_data(statement="Andra målet, ändrat.", **{"levels-2-name": "Väl godkänd",
                                                                 "levels-2-description": "Leder andra."}))
    second.refresh_from_db()
    assert second.statement == "Andra målet, ändrat."
    assert [level.name for level in second.rubric_levels.all()] == ["Inte än", "Godkänd", "Väl godkänd"]

    client.post(url("outcome-remove", issuer, draft.public_id, first.public_id))
    assert list(draft.learning_outcomes.values_list("pk", "position")) == [(second.pk, 0)]


def test_an_external_review_and_a_new_version(client, issuer, people):
    published = make_achievement(issuer)
    client.force_login(people["reviewer"])
    client.post(url("external-review", issuer, published.public_id), {
        "reviewer": "Karin Lind", "body": "Branschrådet", "date": "2025-03-14", "statement": "Relevant för jobbet.",
    })
    public = client.get(reverse("achievements_public:achievement", args=[published.public_id]))
    assert "Branschrådet" in public.content.decode()
    client.force_login(people["designer"])
    response = client.post(url("new-version", issuer, published.public_id))
    copy = Achievement.objects.get(previous_version=published)
    assert response["Location"] == url("edit", issuer, copy.public_id)
    assert copy.version == 2 and copy.status == Achievement.Status.DRAFT


def test_the_designer_speaks_swedish(client, issuer, people):
    draft = make_draft(issuer, full=False)
    client.force_login(people["designer"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    page = client.get(url("edit", issuer, draft.public_id)).content.decode()
    for swedish in ("Läranderesultat", "Lägg till ett läranderesultat", "Mätbara läranderesultat", "Spara",
                    "Beskriv vem mikromeriten är till för."):
        assert swedish in page
    assert "Add a learning outcome" not in page
