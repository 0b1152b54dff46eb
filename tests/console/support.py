"""Putting work into people's queues the way real callers do: through the services."""

from __future__ import annotations

from assessment.applications import application_start, application_submit, evidence_add
from assessment.assessing import OutcomeScoreInput, application_assess, assessment_policy_set
from assessment.models import Application
from badges.models import Achievement
from issuers.models import Role
from tests.factories import make_user, workflow_member


def application_submitted(achievement: Achievement, username: str) -> Application:
    """A learner's application for `achievement`, sent for assessment."""
    learner = make_user(username)
    application = application_start(achievement=achievement, learner=learner, language="sv")
    evidence_add(application=application, by=learner, outcome=achievement.learning_outcomes.first(),
                 title="Loggbok", narrative="Jag ledde arbetsgruppen i fyra veckor.")
    application_submit(application=application, by=learner)
    application.refresh_from_db()
    return application


def passing_scores(achievement: Achievement) -> list[OutcomeScoreInput]:
    return [
        OutcomeScoreInput(outcome=outcome, level=outcome.rubric_levels.get(is_pass_level=True))
        for outcome in achievement.learning_outcomes.all()
    ]


def approve(application: Application, assessor) -> None:
    application_assess(application=application, assessor=assessor, decision="approve",
                       scores=passing_scores(application.achievement))


def ask_for_revision(application: Application, assessor) -> None:
    application_assess(application=application, assessor=assessor, decision="revise", scores=[],
                       comment="Beskriv din egen roll tydligare.")


def second_approval_required(achievement: Achievement) -> None:
    owner = workflow_member(achievement.issuer, Role.OWNER).user
    assessment_policy_set(achievement=achievement, by=owner, second_approval_required=True)
