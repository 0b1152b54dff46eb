from datetime import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from badges.achievements.adapters import achievement_definition, eu_elements
from badges.contexts import extension_context_url, platform_loader
from badges.credentials.adapters import credential_draft
from badges.credentials.issuing import add_months, credential_issue
from badges.credentials.signing import credential_sign
from badges.models import Achievement, Credential
from ob3.build import build_credential
from ob3.eu import MIKROMERIT_SCHEMA
from ob3.jsonld import canonicalize
from ob3.schema import validate_schema
from ob3.scorecard import scorecard
from tests.badges.site import failures, site_verify
from tests.factories import make_achievement, make_draft

pytestmark = pytest.mark.django_db


def test_a_full_definition_passes_the_scorecard(issuer):
    definition = achievement_definition(make_draft(issuer))
    assert definition.credit_unit == "ECTS"
    assert definition.awarding_body_id == "https://testskolan.example"
    assert definition.learning_outcomes[0].rubric_levels[1].passing
    card = scorecard(definition)
    assert card.publishable, [(c.key, [m.text for m in c.missing]) for c in card.criteria if not c.met]


def test_an_empty_definition_does_not(issuer):
    assert not scorecard(achievement_definition(make_draft(issuer, full=False))).publishable


def test_eu_elements_map_the_model_to_the_extension_vocabulary(issuer):
    achievement = make_draft(issuer)
    outcome = achievement.learning_outcomes.get()
    elements = eu_elements(achievement)
    assert elements.credit_points.unit == "ECTS"
    assert elements.participation_form == "on-site"
    assert elements.supervision == "supervised-onsite-id"
    assert elements.quality_assurance.responsible_body == "Vård- och omsorgscollege Västerbotten"
    assert elements.stackability.option == "standalone"
    assert elements.occupations == ("http://data.europa.eu/esco/occupation/12a6ed4e-9c4a-4c4b-9b1c-6b3b0c2a1f3e",)
    (learning_outcome,) = elements.learning_outcomes
    assert (learning_outcome.kind, learning_outcome.assessed_by) == ("skill", outcome.uri)


def test_the_responsibility_kind_uses_the_extension_spelling(issuer):
    achievement = make_draft(issuer)
    achievement.learning_outcomes.update(kind="responsibility_autonomy")
    assert eu_elements(achievement).learning_outcomes[0].kind == "responsibility-autonomy"


def test_the_credential_draft_carries_the_extension_and_one_rubric_per_outcome(credential):
    document = build_credential(credential_draft(credential))
    achievement = document["credentialSubject"]["achievement"]
    outcome = credential.achievement.learning_outcomes.get()
    assert document["@context"][-1] == extension_context_url() == f"{settings.PUBLIC_BASE_URL}/ns/v1"
    assert achievement["achievementType"] == "MicroCredential"
    assert (achievement["workloadHours"], achievement["eqfLevel"]) == ("40", 3)
    assert achievement["creditPoints"] == {"value": "1.5", "unit": "ECTS"}
    assert achievement["learningOutcome"][0]["assessedBy"] == outcome.uri
    (rubric,) = achievement["resultDescription"]
    assert rubric["id"] == outcome.uri
    assert [level["name"] for level in rubric["rubricCriterionLevel"]] == ["Ej godkänd", "Godkänd"]
    assert rubric["requiredLevel"] == outcome.rubric_levels.get(is_pass_level=True).uri
    assert rubric["alignment"][0]["targetUrl"] == outcome.esco_skill_uri
    assert validate_schema(document) == []
    assert validate_schema(document, MIKROMERIT_SCHEMA) == []
    canonicalize(document, loader=platform_loader())  # safe mode: every term is defined by a context


def test_an_issued_micro_credential_carries_the_extension_and_verifies(credential):
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED
    achievement = credential.document["credentialSubject"]["achievement"]
    assert achievement["qualityAssurance"]["qaType"] == ["internal-review", "external-review"]
    assert achievement["version"] == "1"
    result = site_verify(credential.document)
    assert result.valid, failures(result)


def test_a_validity_period_sets_the_expiry_date(issuer, django_capture_on_commit_callbacks):
    achievement = make_achievement(issuer)
    Achievement.objects.filter(pk=achievement.pk).update(validity_months=36)
    achievement.refresh_from_db()
    valid_from = timezone.make_aware(datetime(2026, 8, 31, 10, 0))
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="eli@example.org",
                                      valid_from=valid_from)
    assert credential.valid_until == timezone.make_aware(datetime(2029, 8, 31, 10, 0))


def test_adding_months_keeps_the_end_of_the_month():
    start = timezone.make_aware(datetime(2026, 1, 31, 12, 0))
    assert add_months(start, 1).date().isoformat() == "2026-02-28"
    assert add_months(start, 13).date().isoformat() == "2027-02-28"
    assert add_months(start, 11).date().isoformat() == "2026-12-31"
