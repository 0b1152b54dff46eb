"""A draft's fields, learning outcomes and translations through the API: the designer's forms decide,
fields not sent keep their values, and bad input is a 400 naming the JSON field."""

from __future__ import annotations

import pytest

from badges.models import Achievement, LearningOutcomeTranslation
from tests.api.test_achievements_api_support import OUTCOME, achievements_url
from tests.factories import make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(issuer):
    return make_draft(issuer)


def fields_of(response) -> set[str]:
    return {error["field"] for error in response.json()["errors"]}


def test_patch_changes_only_what_is_sent(api, issuer, draft):
    response = api.patch(
        achievements_url(issuer, draft.public_id),
        {"name": "Planering i team", "occupation_uris": [], "workload_hours": "12.5", "qa_types": ["accreditation"]},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Planering i team" and body["workload_hours"] == "12.50"
    assert body["occupation_uris"] == [] and body["qa_types"] == ["accreditation"]
    saved = Achievement.objects.get(pk=draft.pk)
    assert saved.target_group == draft.target_group and saved.eqf_level == draft.eqf_level
    assert saved.description == draft.description and saved.assessment_types == draft.assessment_types
    assert saved.audit_events.latest("pk").data["fields"] == sorted(
        ["name", "occupation_uris", "workload_hours", "qa_types"]
    )


@pytest.mark.parametrize(("changes", "fields"), [
    ({"eqf_level": 9}, {"eqf_level"}),
    ({"occupation_uris": ["https://example.org/job"]}, {"occupation_uris"}),
    ({"credit_unit": "other", "credit_unit_label": ""}, {"credit_unit_label"}),
    ({"name": ""}, {"name"}),
    ({"status": "published", "version": 9}, {"status", "version"}),
])
def test_invalid_changes_are_400_with_field_errors_and_nothing_is_saved(api, issuer, draft, changes, fields):
    response = api.patch(achievements_url(issuer, draft.public_id), changes, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert fields_of(response) == fields
    saved = Achievement.objects.get(pk=draft.pk)
    assert (saved.name, saved.eqf_level, saved.status) == (draft.name, draft.eqf_level, draft.status)


def test_a_new_draft_needs_the_designers_fields(api, issuer):
    response = api.post(achievements_url(issuer), {"name": "Bara ett namn", "colour": "blue"}, format="json")
    assert response.status_code == 400
    assert fields_of(response) == {"description", "criteria_narrative", "colour"}
    assert not Achievement.objects.filter(issuer=issuer).exists()


def test_outcomes_are_added_changed_and_removed_with_their_rubrics(api, issuer, draft):
    url = achievements_url(issuer, draft.public_id, "outcomes")
    second = {**OUTCOME, "statement": "Följa upp att uppgifterna blir gjorda.", "rubric_levels": [
        {"name": "Inte än"}, {"name": "Godkänd", "description": "Själv.", "is_pass_level": True},
        {"name": "Väl godkänd", "description": "Leder andra."},
    ]}
    added = api.post(url, second, format="json")
    assert added.status_code == 201
    outcomes = added.json()["learning_outcomes"]
    assert [o["position"] for o in outcomes] == [0, 1]
    assert [level["name"] for level in outcomes[1]["rubric_levels"]] == ["Inte än", "Godkänd", "Väl godkänd"]
    outcome_id = outcomes[1]["id"]

    changed = api.patch(f"{url}{outcome_id}/", {"kind": "knowledge"}, format="json")
    assert changed.status_code == 200
    after = changed.json()["learning_outcomes"][1]
    assert after["kind"] == "knowledge" and after["statement"] == second["statement"]
    assert [level["name"] for level in after["rubric_levels"]] == ["Inte än", "Godkänd", "Väl godkänd"]
    replaced = api.patch(f"{url}{outcome_id}/", {"rubric_levels": OUTCOME["rubric_levels"]}, format="json")
    assert [level["name"] for level in replaced.json()["learning_outcomes"][1]["rubric_levels"]] == [
        "Inte än", "Godkänd",
    ]

    removed = api.delete(f"{url}{outcomes[0]['id']}/")
    assert removed.status_code == 204
    assert [(o.statement, o.position) for o in draft.learning_outcomes.all()] == [(second["statement"], 0)]


@pytest.mark.parametrize(("changes", "fields"), [
    ({"esco_skill_uri": "https://example.org/skill"}, {"esco_skill_uri"}),
    ({"statement": "", "kind": "feeling"}, {"statement", "kind"}),
    ({"rubric_levels": [{"name": "A", "is_pass_level": True}, {"name": "B", "is_pass_level": True}]},
     {"rubric_levels"}),
    ({"rubric_levels": [{"name": "A"}, {"description": "Utan namn"}]}, {"rubric_levels.1.name"}),
    ({"rubric_levels": [{"name": f"Nivå {n}"} for n in range(9)]}, {"rubric_levels"}),
    ({"rubric_levels": "Godkänd"}, {"rubric_levels"}),
])
def test_bad_outcomes_are_refused_by_the_designers_rules(api, issuer, draft, changes, fields):
    response = api.post(achievements_url(issuer, draft.public_id, "outcomes"), {**OUTCOME, **changes}, format="json")
    assert response.status_code == 400
    assert fields_of(response) == fields
    assert draft.learning_outcomes.count() == 1


def test_a_translation_is_added_changed_and_removed(api, issuer, draft):
    outcome = draft.learning_outcomes.first()
    levels = list(outcome.rubric_levels.all())
    texts = {
        "name": "Teamwork", "description": "Working together.", "criteria_narrative": "Has done a shared task.",
        "outcomes": [{
            "id": str(outcome.public_id), "statement": "Share out tasks in a team.",
            "levels": [{"id": str(levels[1].public_id), "name": "Passed", "description": "Does it alone."}],
        }],
    }
    url = achievements_url(issuer, draft.public_id, "translations", "en")
    saved = api.put(url, texts, format="json")
    assert saved.status_code == 200
    [translation] = saved.json()["translations"]
    assert translation["language"] == "en" and translation["name"] == "Teamwork"
    assert translation["outcomes"] == [{
        "id": str(outcome.public_id), "statement": "Share out tasks in a team.", "assessment_criteria": "",
        "levels": [{"id": str(levels[1].public_id), "name": "Passed", "description": "Does it alone."}],
    }]
    changed = api.put(url, {**texts, "name": "Working in a team", "outcomes": []}, format="json")
    assert changed.json()["translations"][0]["name"] == "Working in a team"
    assert changed.json()["translations"][0]["outcomes"] == []  # not sent: the primary text is shown
    assert not LearningOutcomeTranslation.objects.filter(outcome=outcome).exists()
    assert api.delete(url).status_code == 204
    assert api.get(achievements_url(issuer, draft.public_id)).json()["translations"] == []


def test_bad_translations_are_refused(api, issuer, draft):
    url = achievements_url(issuer, draft.public_id, "translations")
    texts = {"name": "Teamwork", "description": "D", "criteria_narrative": "C"}
    unknown = api.put(f"{url}en/", {**texts, "outcomes": [{"id": str(draft.public_id), "statement": "X"}]},
                      format="json")
    assert unknown.status_code == 400 and fields_of(unknown) == {"outcomes.0.id"}
    outcome = draft.learning_outcomes.first()
    missing = api.put(f"{url}en/", {"name": "", "outcomes": [
        {"id": str(outcome.public_id), "statement": "", "assessment_criteria": "Observed."},
    ]}, format="json")
    assert missing.status_code == 400
    assert fields_of(missing) == {"name", "description", "criteria_narrative", "outcomes.0.statement"}
    assert api.put(f"{url}de/", texts, format="json").status_code == 404
    primary = api.put(f"{url}sv/", texts, format="json")
    assert primary.status_code == 422 and primary.json()["code"] == "wrong_language"
    assert not draft.translations.exists()
