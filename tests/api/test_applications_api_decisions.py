"""Deciding on an application through the API: the assessor's page's rules, refusals and policy, once."""

from __future__ import annotations

import pytest
from django.core import mail

from api.scopes import Scope
from assessment.assessing import assessment_policy_set
from assessment.models import Application, Assessment
from badges.models import Credential
from issuers.models import Role
from tests.api import test_applications_api as reading
from tests.api.schema_check import SchemaCheckedClient
from tests.api.test_applications_api import applications_url, client_with, submitted_application
from tests.assessment.conftest import levels
from tests.factories import make_achievement, make_issuer, make_member

pytestmark = pytest.mark.django_db

# The reading tests' fixtures: a learner's application with a file for every outcome, sent for assessment.
evidence_in_memory, learner = reading.evidence_in_memory, reading.learner
outcome, submitted = reading.outcome, reading.submitted


def decision(outcome, verdict: str, *, level: str | None = "pass", comment: str = "", outcome_comment: str = ""):
    fail, passing = levels(outcome)
    chosen = {"pass": passing, "fail": fail, None: None}[level]
    return {
        "decision": verdict, "comment": comment,
        "outcomes": [{"outcome": str(outcome.public_id), "level": str(chosen.public_id) if chosen else None,
                      "comment": outcome_comment}],
    }


def decide(client, application, body, **headers):
    issuer = application.achievement.issuer
    return client.post(applications_url(issuer, application.public_id, "decision"), body, format="json", **headers)


def test_approving_issues_the_credential_once_even_when_the_request_is_sent_twice(api, submitted, outcome):
    body = decision(outcome, "approve", comment="Bra jobbat.")
    first = decide(api, submitted, body, HTTP_IDEMPOTENCY_KEY="approve-1")
    assert first.status_code == 200, first.json()
    replay = decide(api, submitted, body, HTTP_IDEMPOTENCY_KEY="approve-1")
    assert replay.status_code == 200 and replay["Idempotent-Replayed"] == "true"
    assert replay.json() == first.json()
    credential = Credential.objects.get()
    assert first.json()["status"] == "approved" and first.json()["credential"] == str(credential.public_id)
    assert credential.recipient_email == "amina@example.org"
    assert Assessment.objects.count() == 1
    [assessment] = first.json()["rounds"][0]["assessments"]
    assert assessment["decision"] == "approve" and assessment["comment"] == "Bra jobbat."
    assert first.json()["decision_refusal"]["code"] == "not_in_assessment"


def test_an_already_decided_application_is_refused_with_the_services_code(api, submitted, outcome):
    assert decide(api, submitted, decision(outcome, "approve")).status_code == 200
    again = decide(api, submitted, decision(outcome, "approve"))
    assert again.status_code == 422 and again.json()["code"] == "not_in_assessment"
    assert Credential.objects.count() == 1


def test_requesting_a_revision_tells_the_learner_the_feedback(api, submitted, outcome,
                                                             django_capture_on_commit_callbacks):
    body = decision(outcome, "revise", level="fail", comment="Visa också uppföljningen.",
                    outcome_comment="Schemat är bra.")
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(api, submitted, body)
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.REVISION_REQUESTED
    assert "Visa också uppföljningen." in mail.outbox[-1].body
    score = response.json()["rounds"][0]["assessments"][0]["scores"][0]
    assert score["comment"] == "Schemat är bra." and score["level"] == str(levels(outcome)[0].public_id)
    assert not Credential.objects.exists()


def test_rejecting_closes_the_application(api, submitted, outcome):
    response = decide(api, submitted, decision(outcome, "reject", level=None, comment="Underlaget saknas."))
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert response.json()["decided_at"] is not None
    assert not Credential.objects.exists()


@pytest.mark.parametrize(
    ("verdict", "level", "comment", "code"),
    [("approve", "fail", "", "below_pass"), ("approve", None, "", "unscored"), ("reject", None, "", "reason_missing")],
)
def test_the_assessors_rules_refuse_with_the_services_code(api, submitted, outcome, verdict, level, comment, code):
    response = decide(api, submitted, decision(outcome, verdict, level=level, comment=comment))
    assert response.status_code == 422 and response.json()["code"] == code
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED and not Assessment.objects.exists()


def test_an_assessor_cannot_assess_their_own_application(api, achievement, owner):
    own = submitted_application(achievement, owner.user)
    response = decide(api, own, decision(achievement.learning_outcomes.get(), "approve"))
    assert response.status_code == 422 and response.json()["code"] == "own_application"
    assert not Credential.objects.exists()


def test_a_second_approval_must_come_from_another_assessor(api, issuer, owner, achievement, submitted, outcome):
    assessment_policy_set(achievement=achievement, by=owner.user, second_approval_required=True)
    first = decide(api, submitted, decision(outcome, "approve"))
    assert first.status_code == 200 and first.json()["status"] == "second_approval"
    assert not Credential.objects.exists()
    same_person = decide(api, submitted, decision(outcome, "approve"))
    assert same_person.status_code == 422 and same_person.json()["code"] == "already_assessed"
    second_assessor = SchemaCheckedClient()
    second_assessor.force_login(make_member(issuer, "bertil", Role.ASSESSOR).user)  # the browser's session
    second = decide(second_assessor, submitted, decision(outcome, "approve"))
    assert second.status_code == 200 and second.json()["status"] == "approved"
    assert Credential.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"decision": None}, "decision"),
        ({"outcomes": [{"outcome": "not-an-id"}]}, "outcomes.0.outcome"),
        ({"outcomes": "all of them"}, "outcomes"),
    ],
)
def test_a_malformed_decision_is_a_field_error(api, submitted, outcome, change, field):
    response = decide(api, submitted, {**decision(outcome, "approve"), **change})
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Assessment.objects.exists()


def test_a_level_or_outcome_of_another_micro_credential_is_a_field_error(api, issuer, submitted, outcome):
    other_outcome = make_achievement(issuer).learning_outcomes.get()
    body = decision(outcome, "approve")
    body["outcomes"][0]["level"] = str(levels(other_outcome)[1].public_id)
    response = decide(api, submitted, body)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["outcomes.0.level"]
    twice = decision(outcome, "approve")
    twice["outcomes"] = [twice["outcomes"][0], twice["outcomes"][0], {"outcome": str(other_outcome.public_id)}]
    response = decide(api, submitted, twice)
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["outcomes.1.outcome", "outcomes.2.outcome"]
    assert not Assessment.objects.exists()


def test_deciding_needs_the_award_scope_and_the_assessor_role(token_for, issuer, submitted, outcome):
    _token, secret = token_for(Scope.READ)
    assert decide(client_with(secret), submitted, decision(outcome, "approve")).status_code == 403
    owner_only = make_member(issuer, "olga", Role.OWNER)
    _token, secret = token_for(Scope.AWARD, by=owner_only)
    assert decide(client_with(secret), submitted, decision(outcome, "approve")).status_code == 403
    assert not Assessment.objects.exists()


def test_another_issuers_application_cannot_be_decided(api, issuer, learner):
    other_issuer = make_issuer("annanskola")
    theirs = submitted_application(make_achievement(other_issuer), learner)
    outcome_of_theirs = theirs.achievement.learning_outcomes.get()
    response = api.post(
        applications_url(issuer, theirs.public_id, "decision"), decision(outcome_of_theirs, "approve"), format="json"
    )
    assert response.status_code == 404
    assert decide(api, theirs, decision(outcome_of_theirs, "approve")).status_code == 404
    assert not Assessment.objects.exists()
