"""Assessor feedback sits in each learning outcome's section, beside its evidence, on the learner's page and
the assessor's page; the general feedback stays at the top of the round."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessment.assessing import OutcomeScoreInput, application_assess
from tests.assessment.conftest import levels

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def section(html, opening):
    """The HTML of the <section …> that starts with `opening`, up to its closing tag."""
    start = html.index(opening)
    return html[start:html.index("</section>", start)]


@pytest.fixture
def revised(submitted, assessor, outcome, django_capture_on_commit_callbacks):
    _fail, passing = levels(outcome)
    with django_capture_on_commit_callbacks(execute=True):
        application_assess(
            application=submitted, assessor=assessor, decision="revise",
            scores=[OutcomeScoreInput(outcome=outcome, level=passing, comment="Schemat saknar ansvarsfördelning.")],
            comment="Bra start överlag.",
        )
    submitted.refresh_from_db()
    return submitted


def test_the_learner_sees_each_outcomes_feedback_in_its_section(revised, learner, outcome):
    client = Client()
    client.force_login(learner)
    html = client.get(reverse("applications:detail", args=[revised.public_id]), **EN).content.decode()
    _fail, passing = levels(outcome)
    mine = section(html, f'<section class="outcome" id="outcome-{outcome.public_id}"')
    assert "Arbetsschema" in mine  # the evidence …
    feedback = mine[mine.index(f'data-outcome-feedback="{outcome.public_id}"'):]
    assert "Feedback in round 1" in feedback  # … and, beside it, the feedback
    assert re.search(rf"Level: <strong>{re.escape(passing.name)}</strong>", feedback)
    assert "Schemat saknar ansvarsfördelning." in feedback
    assert "Bra start överlag." not in mine  # the general feedback is not in the outcome's section
    history = html[html.index('id="history-heading"'):]
    assert history.index("Bra start överlag.") < history.index("Schemat saknar ansvarsfördelning.")


def test_the_assessor_sees_the_earlier_feedback_beside_the_outcome(revised, assessor, learner, outcome, issuer,
                                                                   django_capture_on_commit_callbacks):
    from assessment.applications import application_submit

    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=revised, by=learner)
    client = Client()
    client.force_login(assessor)
    html = client.get(reverse("assessment:assess", args=[issuer.slug, revised.public_id]), **EN).content.decode()
    mine = section(html, '<section class="outcome" aria-labelledby="assess-outcome-1"')
    assert "Arbetsschema" in mine
    assert "Feedback in round 1" in mine and "Schemat saknar ansvarsfördelning." in mine
    rounds = html[html.index('id="history-heading"'):]
    scored = section(rounds, f'<section class="outcome-feedback" aria-label="{outcome.statement}"')
    assert "Schemat saknar ansvarsfördelning." in scored and "Bra start överlag." not in scored
