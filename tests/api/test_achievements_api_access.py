"""Who reaches micro-credential definitions through the API (scopes, roles, issuers), retries with an
Idempotency-Key, and the list's pages, filters and ETags."""

from __future__ import annotations

import pytest

from api.scopes import Scope
from badges.models import Achievement
from issuers.models import Role
from tests.api.schema_check import SchemaCheckedClient
from tests.api.test_achievements_api_support import NEW_DRAFT, achievements_url, client_with
from tests.factories import make_achievement, make_draft, make_issuer, make_member

pytestmark = pytest.mark.django_db


def session_client(member) -> SchemaCheckedClient:
    client = SchemaCheckedClient()
    client.force_login(member.user)
    return client


def test_reads_need_the_read_scope_and_changes_manage_achievements(token_for, issuer):
    draft = make_draft(issuer)
    _token, secret = token_for(Scope.READ)
    reader = client_with(secret)
    assert reader.get(achievements_url(issuer)).status_code == 200
    assert reader.get(achievements_url(issuer, draft.public_id)).status_code == 200
    refused = reader.post(achievements_url(issuer), NEW_DRAFT, format="json")
    assert refused.status_code == 403 and "manage_achievements" in refused.json()["title"]
    assert reader.patch(achievements_url(issuer, draft.public_id), {"name": "X"}, format="json").status_code == 403
    assert reader.post(achievements_url(issuer, draft.public_id, "submit")).status_code == 403
    _token, secret = token_for(Scope.MANAGE_ACHIEVEMENTS)
    writer = client_with(secret)
    assert writer.get(achievements_url(issuer)).status_code == 403
    assert writer.get(achievements_url(issuer, draft.public_id)).status_code == 403
    assert Achievement.objects.filter(issuer=issuer).count() == 1


def test_the_roles_decide_as_in_the_consoles_gates(issuer):
    approved = make_achievement(issuer, status=Achievement.Status.APPROVED)
    designer = session_client(make_member(issuer, "dora", Role.DESIGNER))
    assert designer.get(achievements_url(issuer, approved.public_id)).status_code == 200
    assert designer.post(achievements_url(issuer), NEW_DRAFT, format="json").status_code == 201
    assert designer.post(achievements_url(issuer, approved.public_id, "publish")).status_code == 403
    review = {"decision": "request_changes", "comment": "Nej."}
    refused = designer.post(achievements_url(issuer, approved.public_id, "review"), review, format="json")
    assert refused.status_code == 403
    assessor = session_client(make_member(issuer, "asa", Role.ASSESSOR))
    assert assessor.get(achievements_url(issuer)).status_code == 403
    assert assessor.get(achievements_url(issuer, approved.public_id)).status_code == 403
    reviewer = session_client(make_member(issuer, "quinn", Role.QA_REVIEWER))
    assert reviewer.post(achievements_url(issuer), NEW_DRAFT, format="json").status_code == 403
    assert reviewer.post(achievements_url(issuer, approved.public_id, "publish")).status_code == 200
    assert Achievement.objects.get(pk=approved.pk).status == Achievement.Status.PUBLISHED


def test_a_token_acts_only_with_its_creators_roles_of_today(token_for, owner, issuer):
    approved = make_achievement(issuer, status=Achievement.Status.APPROVED)
    _token, secret = token_for(Scope.MANAGE_ACHIEVEMENTS, Scope.READ)
    owner.set_roles([Role.DESIGNER])
    owner.save()
    response = client_with(secret).post(achievements_url(issuer, approved.public_id, "publish"))
    assert response.status_code == 403
    assert Achievement.objects.get(pk=approved.pk).status == Achievement.Status.APPROVED


def test_another_issuers_achievement_is_never_reached(api, issuer):
    other = make_issuer("annanskola")
    theirs = make_achievement(other, status=Achievement.Status.APPROVED)
    outcome = theirs.learning_outcomes.first()
    for url in (achievements_url(issuer, theirs.public_id), achievements_url(other, theirs.public_id)):
        assert api.get(url).status_code == 404
        assert api.patch(url, {"name": "Tagen"}, format="json").status_code == 404
        assert api.post(url + "publish/").status_code == 404
        assert api.post(url + "review/", {"decision": "approve"}, format="json").status_code == 404
        assert api.delete(f"{url}outcomes/{outcome.public_id}/").status_code == 404
    assert api.get(achievements_url(other)).status_code == 404
    assert api.post(achievements_url(other), NEW_DRAFT, format="json").status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Achievement.Status.APPROVED and theirs.name != "Tagen"
    assert Achievement.objects.filter(issuer=other).count() == 1


def test_an_outcome_of_another_achievement_is_not_found(api, issuer):
    draft, other = make_draft(issuer), make_draft(issuer, name="Annan")
    foreign = other.learning_outcomes.first()
    response = api.delete(achievements_url(issuer, draft.public_id, "outcomes", foreign.public_id))
    assert response.status_code == 404
    assert other.learning_outcomes.count() == 1


def test_a_retried_create_with_the_same_key_makes_one_draft(api, issuer):
    first = api.post(achievements_url(issuer), NEW_DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="draft-1")
    replay = api.post(achievements_url(issuer), NEW_DRAFT, format="json", HTTP_IDEMPOTENCY_KEY="draft-1")
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    assert replay["Location"] == first["Location"]
    assert Achievement.objects.filter(issuer=issuer).count() == 1
    other = api.post(achievements_url(issuer), {**NEW_DRAFT, "name": "Annan"}, format="json",
                     HTTP_IDEMPOTENCY_KEY="draft-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"


def test_a_retried_state_change_replays_its_answer_instead_of_a_refusal(api, issuer):
    approved = make_achievement(issuer, status=Achievement.Status.APPROVED)
    url = achievements_url(issuer, approved.public_id, "publish")
    first = api.post(url, HTTP_IDEMPOTENCY_KEY="publish-1")
    replay = api.post(url, HTTP_IDEMPOTENCY_KEY="publish-1")
    assert first.status_code == replay.status_code == 200 and replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert approved.audit_events.filter(kind="published").count() == 1
    assert api.post(url, HTTP_IDEMPOTENCY_KEY="publish-2").status_code == 422  # a new request: refused
    draft = make_draft(issuer)
    outcome_url = achievements_url(issuer, draft.public_id, "outcomes", draft.learning_outcomes.first().public_id)
    assert api.delete(outcome_url, HTTP_IDEMPOTENCY_KEY="remove-1").status_code == 204
    assert api.delete(outcome_url, HTTP_IDEMPOTENCY_KEY="remove-1").status_code == 204
    assert draft.learning_outcomes.count() == 0


def test_the_list_comes_in_cursor_pages_newest_first(api, issuer):
    names = [f"Mikromerit {number}" for number in range(3)]
    for name in names:
        make_draft(issuer, name=name, full=False)
    page = api.get(achievements_url(issuer) + "?page_size=2").json()
    assert [row["name"] for row in page["results"]] == names[::-1][:2]
    assert page["next"] and page["results"][0]["status"] == "draft"
    rest = api.get(page["next"]).json()
    assert [row["name"] for row in rest["results"]] == names[:1] and rest["next"] is None


def test_the_list_filters_by_status_and_language(api, issuer):
    published = make_achievement(issuer)
    draft = make_draft(issuer, name="Utkast", full=False)
    english = make_draft(issuer, name="In English", full=False)
    Achievement.objects.filter(pk=english.pk).update(in_language="en")

    def names(query):
        response = api.get(achievements_url(issuer) + query)
        assert response.status_code == 200
        return sorted(row["name"] for row in response.json()["results"])

    assert names("?status=published") == [published.name]
    assert names("?status=draft") == sorted([draft.name, english.name])
    assert names("?status=draft&language=sv") == [draft.name]
    assert names("?language=en") == [english.name]
    assert names("?status=in_review") == []
    wrong = api.get(achievements_url(issuer) + "?status=retired&language=de")
    assert wrong.status_code == 400
    assert {error["field"] for error in wrong.json()["errors"]} == {"status", "language"}


def test_reads_answer_304_while_nothing_changed(api, issuer):
    draft = make_draft(issuer)
    for url in (achievements_url(issuer), achievements_url(issuer, draft.public_id)):
        first = api.get(url)
        assert first.status_code == 200 and first["ETag"]
        again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert again.status_code == 304 and again.content == b""
    etag = api.get(achievements_url(issuer, draft.public_id))["ETag"]
    assert api.patch(achievements_url(issuer, draft.public_id), {"name": "Nytt"}, format="json").status_code == 200
    changed = api.get(achievements_url(issuer, draft.public_id), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["name"] == "Nytt"
