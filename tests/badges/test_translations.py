"""An achievement in Swedish and English: editing the second language, its editions on /a/<id>, the
credential's `inLanguage` + `related`, and the pages that show the visitor's language."""

import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from badges.achievements.outcomes import RubricLevelInput, achievement_outcome_update
from badges.achievements.publishing import achievement_new_version, achievement_publish
from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
from badges.achievements.translations import (
    LevelTranslationInput,
    OutcomeTranslationInput,
    achievement_translation_remove,
    achievement_translation_save,
)
from badges.achievements.workflow import achievement_scorecard
from badges.contexts import platform_loader
from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import (
    Achievement,
    AchievementTranslation,
    Credential,
    LearningOutcomeTranslation,
    RubricLevelTranslation,
)
from issuers.models import Role
from kernel.errors import ApplicationError
from ob3.eu import validate_eu_extension
from ob3.jsonld import expand, safe_mode_problems
from ob3.schema import validate_schema
from tests.badges.site import failures, site_verify
from tests.badges.test_console_designer_access import ACTORS, EDITORS, World, expected, sign_in
from tests.factories import make_achievement, make_draft, make_member, workflow_member

pytestmark = pytest.mark.django_db

ENGLISH = {
    "name": "Working together in a team",
    "description": "Can work together in a team.",
    "criteria_narrative": "Has carried out a shared task.",
    "target_group": "New employees in home care.",
}


def english_outcomes(achievement, *, statement="Share out tasks in a team and follow up that they get done."):
    outcome = achievement.learning_outcomes.get()
    failed, passed = outcome.rubric_levels.all()
    return [OutcomeTranslationInput(
        outcome_id=str(outcome.public_id),
        statement=statement,
        assessment_criteria="The supervisor observes a shift.",
        levels=(
            LevelTranslationInput(level_id=str(failed.public_id), name="Not yet", description="Not shown yet."),
            LevelTranslationInput(level_id=str(passed.public_id), name="Pass", description="Shown."),
        ),
    )]


def translate(achievement, **changes):
    designer_user = workflow_member(achievement.issuer, Role.DESIGNER).user
    return achievement_translation_save(
        achievement=achievement, by=designer_user, language="en",
        **{"outcomes": english_outcomes(achievement), **ENGLISH, **changes},
    )


def publish(achievement):
    achievement = achievement_submit_for_review(
        achievement=achievement, by=workflow_member(achievement.issuer, Role.DESIGNER).user
    )
    reviewer = workflow_member(achievement.issuer, Role.QA_REVIEWER).user
    achievement = achievement_review_approve(achievement=achievement, by=reviewer)
    return achievement_publish(achievement=achievement, by=reviewer)


@pytest.fixture
def bilingual(issuer):
    draft = make_draft(issuer)
    translate(draft)
    return publish(draft)


# --- editing -------------------------------------------------------------------------------------------
def test_a_draft_gets_its_texts_in_the_other_language(issuer):
    draft = make_draft(issuer)
    translation = translate(draft)
    assert (translation.language, translation.name) == ("en", "Working together in a team")
    outcome = draft.learning_outcomes.get()
    assert outcome.translations.get().statement.startswith("Share out tasks")
    assert [level.translations.get().name for level in outcome.rubric_levels.all()] == ["Not yet", "Pass"]
    assert draft.audit_events.filter(kind="updated", data__translation="en").exists()


def test_saving_again_changes_the_texts_and_an_empty_outcome_falls_back(issuer):
    draft = make_draft(issuer)
    translate(draft)
    translate(draft, name="Teamwork", outcomes=english_outcomes(draft, statement=""))
    assert AchievementTranslation.objects.get(achievement=draft).name == "Teamwork"
    assert not LearningOutcomeTranslation.objects.filter(outcome__achievement=draft).exists()
    assert RubricLevelTranslation.objects.filter(level__outcome__achievement=draft).count() == 2


@pytest.mark.parametrize("status", ["in_review", "approved", "published"])
def test_only_drafts_get_translations(issuer, status):
    achievement = make_achievement(issuer, status=Achievement.Status(status))
    with pytest.raises(ApplicationError):
        translate(achievement)
    assert not AchievementTranslation.objects.exists()


def test_a_published_translation_cannot_be_removed(bilingual):
    with pytest.raises(ApplicationError) as refused:
        achievement_translation_remove(
            achievement=bilingual, by=workflow_member(bilingual.issuer, Role.DESIGNER).user, language="en"
        )
    assert refused.value.code == "published_is_immutable"
    assert bilingual.translations.count() == 1


@pytest.mark.parametrize("language", ["sv", "de", ""])
def test_a_translation_is_into_the_other_platform_language(issuer, language):
    draft = make_draft(issuer)
    with pytest.raises(ApplicationError) as refused:
        achievement_translation_save(
            achievement=draft, by=workflow_member(issuer, Role.DESIGNER).user, language=language, **ENGLISH
        )
    assert refused.value.code == "wrong_language"


@pytest.mark.parametrize("role", [Role.QA_REVIEWER, Role.ASSESSOR])
def test_only_owners_and_designers_translate(issuer, role):
    draft = make_draft(issuer)
    with pytest.raises(ApplicationError) as refused:
        achievement_translation_save(
            achievement=draft, by=make_member(issuer, "someone", role).user, language="en", **ENGLISH
        )
    assert refused.value.code == "forbidden"


def test_outcomes_of_another_achievement_are_refused(issuer):
    draft, other = make_draft(issuer), make_draft(issuer, name="Annan")
    with pytest.raises(ValueError, match="not outcomes"):
        achievement_translation_save(
            achievement=draft, by=workflow_member(issuer, Role.DESIGNER).user, language="en",
            outcomes=english_outcomes(other), **ENGLISH,
        )


def test_a_new_version_copies_the_translations(bilingual):
    copy = achievement_new_version(
        achievement=bilingual, by=workflow_member(bilingual.issuer, Role.DESIGNER).user
    )
    assert copy.translations.get().name == ENGLISH["name"]
    outcome = copy.learning_outcomes.get()
    assert outcome.translations.get().assessment_criteria == "The supervisor observes a shift."
    assert [level.translations.get().name for level in outcome.rubric_levels.all()] == ["Not yet", "Pass"]
    assert bilingual.translations.get().name == ENGLISH["name"]  # the published one keeps its own


def test_changing_a_rubric_keeps_the_translations_of_levels_whose_name_stays(issuer):
    draft = make_draft(issuer)
    translate(draft)
    outcome = draft.learning_outcomes.get()
    achievement_outcome_update(
        outcome=outcome, by=workflow_member(issuer, Role.DESIGNER).user, statement=outcome.statement, kind="skill",
        rubric_levels=(RubricLevelInput(name="Delvis"), RubricLevelInput(name="Godkänd", is_pass_level=True)),
    )
    names = [(level.name, [t.name for t in level.translations.all()]) for level in outcome.rubric_levels.all()]
    assert names == [("Delvis", []), ("Godkänd", ["Pass"])]


def test_the_scorecard_judges_the_primary_language_only(issuer):
    draft = make_draft(issuer)
    before = achievement_scorecard(achievement=draft)
    translate(draft, target_group="", description="x")
    assert achievement_scorecard(achievement=draft) == before


# --- the designer page ---------------------------------------------------------------------------------
def translation_url(achievement, language="en"):
    return reverse("achievements_console:translation", args=[achievement.issuer.slug, achievement.public_id, language])


def form_data(achievement, **changes):
    outcome = achievement.learning_outcomes.get()
    failed, passed = outcome.rubric_levels.all()
    return {
        **ENGLISH, "standalone_value": "", "prerequisites": "", "image_alt": "Round blue badge",
        f"outcome-{outcome.public_id}-statement": "Share out tasks.",
        f"outcome-{outcome.public_id}-criteria": "Observed.",
        f"level-{failed.public_id}-name": "Not yet", f"level-{failed.public_id}-description": "",
        f"level-{passed.public_id}-name": "Pass", f"level-{passed.public_id}-description": "Shown.",
        **changes,
    }


TRANSLATION_VIEWS = [
    ("get", "draft", None, expected(EDITORS, 200)),
    ("post", "draft", "form", expected(EDITORS, 302)),
    ("post", "draft", {"action": "remove"}, expected(EDITORS, 302)),
    ("get", "published", None, expected(EDITORS, 302)),  # only drafts: back to the overview
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("method", "which", "data", "statuses"), TRANSLATION_VIEWS)
def test_translation_page_status(client, issuer, actor, method, which, data, statuses):
    achievement = World(issuer)[which]
    sign_in(client, issuer, actor)
    data = form_data(achievement) if data == "form" else data
    response = getattr(client, method)(translation_url(achievement), data)
    assert response.status_code == statuses[actor]


def test_the_designer_writes_the_english_texts_next_to_the_swedish_ones(client, issuer):
    draft = make_draft(issuer)
    client.force_login(workflow_member(issuer, Role.DESIGNER).user)
    edit_url = reverse("achievements_console:edit", args=[issuer.slug, draft.public_id])
    edit = client.get(edit_url, HTTP_ACCEPT_LANGUAGE="en")
    assert translation_url(draft) in edit.content.decode() and "not filled in yet" in edit.content.decode()
    page = client.get(translation_url(draft), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page and f'<span lang="sv">{draft.name}</span>' in page
    response = client.post(translation_url(draft), form_data(draft), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert draft.translations.get().image_alt == "Round blue badge"
    assert draft.learning_outcomes.get().translations.get().statement == "Share out tasks."


def test_bad_input_on_the_translation_page_says_what_is_wrong(client, issuer):
    draft = make_draft(issuer)
    client.force_login(workflow_member(issuer, Role.DESIGNER).user)
    passed = draft.learning_outcomes.get().rubric_levels.get(is_pass_level=True)
    response = client.post(
        translation_url(draft), form_data(draft, name="", **{f"level-{passed.public_id}-name": ""}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Give the level a name." in response.content.decode()
    assert not draft.translations.exists()


@pytest.mark.parametrize("language", ["sv", "de"])
def test_the_primary_or_an_unknown_language_has_no_translation_page(client, issuer, language):
    draft = make_draft(issuer)
    client.force_login(workflow_member(issuer, Role.DESIGNER).user)
    assert client.get(translation_url(draft, language)).status_code == 404


def test_the_translation_page_speaks_swedish(client, issuer):
    draft = make_draft(issuer)
    client.force_login(workflow_member(issuer, Role.DESIGNER).user)
    html = client.get(translation_url(draft), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert "Texter på engelska" in html and "Original:" in html


# --- public pages --------------------------------------------------------------------------------------
def public(client, achievement, *, language=None, accept=None, **headers):
    path = reverse("achievements_public:achievement", args=[achievement.public_id])
    if language:
        path = reverse("achievements_public:achievement-edition", args=[achievement.public_id, language])
    if accept:
        headers["HTTP_ACCEPT"] = accept
    return client.get(path, **headers)


def test_an_english_visitor_reads_the_english_texts(client, bilingual):
    html = public(client, bilingual, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<h1 lang="en">{ENGLISH["name"]}</h1>' in html
    assert '<p class="outcome-statement" lang="en">Share out tasks in a team' in html
    assert '<strong lang="en">Pass</strong>' in html
    assert 'lang="sv">Ämneslaget granskar' in html  # quality texts exist only in Swedish, and say so
    assert 'hreflang="sv"' in html


def test_a_swedish_visitor_reads_the_swedish_texts(client, bilingual):
    html = public(client, bilingual, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'<h1 lang="sv">{bilingual.name}</h1>' in html
    assert 'Finns även på: <a href="' in html and 'hreflang="en" lang="en">English</a>' in html


def test_the_language_cookie_decides_too(client, bilingual, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = public(client, bilingual, HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'<h1 lang="en">{ENGLISH["name"]}</h1>' in html


def test_without_a_translation_the_english_visitor_reads_swedish_marked_as_such(client, achievement):
    html = public(client, achievement, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<h1 lang="sv">{achievement.name}</h1>' in html
    assert public(client, achievement, language="en").status_code == 404


def test_the_english_edition_has_its_own_address(client, bilingual):
    response = public(client, bilingual, language="en", HTTP_ACCEPT_LANGUAGE="sv")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 lang="en">{ENGLISH["name"]}</h1>' in html and "Vad innehavaren kan" in html
    assert f'<link rel="canonical" href="{bilingual.uri}/en">' in html


def test_the_primary_languages_address_leads_to_the_achievement_and_others_are_unknown(client, bilingual):
    response = public(client, bilingual, language="sv")
    assert response.status_code == 301 and response["Location"].endswith(f"/a/{bilingual.public_id}")
    assert public(client, bilingual, language="de").status_code == 404


def test_a_draft_edition_is_not_public(client, issuer):
    draft = make_draft(issuer)
    translate(draft)
    assert public(client, draft, language="en").status_code == 404


def credential_around(achievement_document: dict, signed: dict) -> dict:
    """The signed credential with its achievement replaced by `achievement_document` (proof dropped)."""
    document = {key: value for key, value in signed.items() if key != "proof"}
    achievement = {key: value for key, value in achievement_document.items() if key != "@context"}
    document["credentialSubject"] = {**signed["credentialSubject"], "achievement": achievement}
    return document


def test_json_ld_serves_each_edition_with_links_both_ways(client, bilingual):
    primary = public(client, bilingual, accept="application/ld+json").json()
    english = public(client, bilingual, language="en", accept="application/ld+json").json()
    english_url = f"{bilingual.uri}/en"
    assert (primary["id"], primary["inLanguage"], primary["name"]) == (bilingual.uri, "sv", bilingual.name)
    assert primary["related"] == [{"id": english_url, "type": ["Related"], "inLanguage": "en", "version": "1"}]
    assert (english["id"], english["inLanguage"], english["name"]) == (english_url, "en", ENGLISH["name"])
    assert english["related"] == [{"id": bilingual.uri, "type": ["Related"], "inLanguage": "sv", "version": "1"}]
    assert english["criteria"] == {"narrative": ENGLISH["criteria_narrative"]}
    levels = english["resultDescription"][0]["rubricCriterionLevel"]
    assert [level["name"] for level in levels] == ["Not yet", "Pass"]
    assert [level["id"] for level in levels] == [
        level["id"] for level in primary["resultDescription"][0]["rubricCriterionLevel"]
    ]
    assert english["targetGroup"] == ENGLISH["target_group"]
    assert english["learningOutcome"][0]["statement"].startswith("Share out tasks")
    assert validate_eu_extension(english) == []


def test_both_editions_are_valid_in_a_credential(client, bilingual, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        credential = credential_issue(achievement=bilingual, recipient_email="amina@example.org")
    credential_sign(credential_id=credential.id)
    signed = Credential.objects.get(pk=credential.pk).document
    for language in (None, "en"):
        edition = public(client, bilingual, language=language, accept="application/ld+json").json()
        document = credential_around(edition, signed)
        assert validate_schema(document) == []
        assert safe_mode_problems(*expand(document, loader=platform_loader())) == []


# --- the credential ------------------------------------------------------------------------------------
def test_the_credential_carries_its_language_and_links_the_other_edition(bilingual, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        credential = credential_issue(achievement=bilingual, recipient_email="amina@example.org")
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    achievement = credential.document["credentialSubject"]["achievement"]
    assert (achievement["id"], achievement["inLanguage"], achievement["name"]) == (bilingual.uri, "sv", bilingual.name)
    assert achievement["related"] == [
        {"id": f"{bilingual.uri}/en", "type": ["Related"], "inLanguage": "en", "version": "1"}
    ]
    result = site_verify(credential.document)
    assert result.valid, failures(result)


def test_without_a_translation_the_credential_has_no_related(credential):
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert "related" not in credential.document["credentialSubject"]["achievement"]
    assert credential.document["credentialSubject"]["achievement"]["inLanguage"] == "sv"


# --- verification page and catalogue -------------------------------------------------------------------
@pytest.fixture
def shared(bilingual, django_capture_on_commit_callbacks):
    cache.clear()  # the verification page's rate limits
    with django_capture_on_commit_callbacks():
        credential = credential_issue(achievement=bilingual, recipient_email="amina@example.org")
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    return credential


def test_the_verification_page_shows_the_issued_text_and_offers_the_visitors_language(client, shared, bilingual):
    html = client.get(f"/c/{shared.public_id}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<h1 lang="sv">{bilingual.name}</h1>' in html  # as issued, never re-translated
    assert f'href="{bilingual.uri}/en" hreflang="en"' in html
    swedish = client.get(f"/c/{shared.public_id}", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'href="{bilingual.uri}/en"' not in swedish


def test_the_catalogue_shows_the_visitors_language(client, bilingual):
    english = client.get(reverse("learners:catalogue"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'lang="en"><a href="/a/{bilingual.public_id}">{ENGLISH["name"]}</a>' in english
    assert '<li lang="en">Share out tasks in a team' in english
    swedish = client.get(reverse("learners:catalogue"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'lang="sv"><a href="/a/{bilingual.public_id}">{bilingual.name}</a>' in swedish


# --- demo data -----------------------------------------------------------------------------------------
def test_the_demo_micro_credentials_come_in_both_languages(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        call_command("demo_load")
    for achievement in Achievement.objects.all():
        other = "sv" if achievement.in_language == "en" else "en"
        translation = achievement.translations.get()
        assert translation.language == other
        outcomes = achievement.learning_outcomes.all()
        assert all(outcome.translations.filter(language=other).exists() for outcome in outcomes)
        document = json.loads(public(client, achievement, language=other, accept="application/ld+json").content)
        assert document["inLanguage"] == other and document["name"] == translation.name
