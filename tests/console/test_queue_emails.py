"""E-mails when work lands in someone's queue: to the right people, in their language, and held for the
daily digest of those who chose one."""

import pytest
from django.core import mail

from assessment.applications import application_start, application_submit, evidence_add
from badges.achievements.review import achievement_review_approve, achievement_submit_for_review
from badges.models import Achievement
from issuers.models import Role
from notifications.digests import digest_send
from notifications.models import Notice, NotificationSettings
from notifications.sending import notice_deliver
from tests.console.support import application_submitted, approve, ask_for_revision, second_approval_required
from tests.factories import make_achievement, make_draft, make_member

pytestmark = pytest.mark.django_db


def told(kind: str) -> dict[str, Notice]:
    return {notice.user.username: notice for notice in Notice.objects.filter(kind=kind).select_related("user")}


@pytest.fixture
def team(issuer):
    """Everyone of the issuer, by name; `rut` both designs and reviews."""
    return {
        "olga": make_member(issuer, "olga", Role.OWNER).user,
        "dan": make_member(issuer, "dan", Role.DESIGNER).user,
        "rut": make_member(issuer, "rut", Role.DESIGNER, Role.QA_REVIEWER).user,
        "sixten": make_member(issuer, "sixten", Role.QA_REVIEWER).user,
        "asa": make_member(issuer, "asa", Role.ASSESSOR).user,
        "bertil": make_member(issuer, "bertil", Role.ASSESSOR).user,
    }


def test_a_definition_sent_for_review_goes_to_each_reviewer_but_its_author(issuer, team,
                                                                           django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=team["sixten"], language="sv")
    draft = make_draft(issuer, name="Arbetsmiljö")
    Notice.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        achievement_submit_for_review(achievement=draft, by=team["rut"])
    notices = told("achievement_review_waiting")
    assert set(notices) == {"sixten"}  # not `rut`, who submitted it
    assert notices["sixten"].language == "sv"
    assert notices["sixten"].subject == "Väntar på din kvalitetsgranskning: Arbetsmiljö"
    assert f"/console/{issuer.slug}/achievements/{draft.public_id}/" in notices["sixten"].body
    assert {message.to[0] for message in mail.outbox} == {notice.email for notice in notices.values()}


def test_an_approved_definition_goes_to_each_publisher_but_the_approver(issuer, team):
    achievement = make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    Notice.objects.all().delete()
    achievement_review_approve(achievement=achievement, by=team["sixten"])
    notices = told("achievement_publish_waiting")
    assert set(notices) == {"olga", "rut"}  # not `sixten`, who approved it
    assert notices["olga"].subject == "Godkänd och klar att publicera: Samarbete i arbetsgrupp"
    assert "sixten" in notices["olga"].body


def test_an_application_goes_to_each_assessor_and_again_when_resubmitted(issuer, team):
    NotificationSettings.objects.create(user=team["asa"], language="en")
    achievement = make_achievement(issuer)
    application = application_submitted(achievement, "amina")
    first = told("application_assessment_waiting")
    assert set(first) == {"asa", "bertil"}
    assert first["asa"].subject == "Waiting for assessment: Samarbete i arbetsgrupp"
    assert str(application.public_id) in first["asa"].body
    assert first["bertil"].subject == "Väntar på bedömning: Samarbete i arbetsgrupp"

    ask_for_revision(application, team["asa"])
    Notice.objects.filter(kind="application_assessment_waiting").delete()
    application_submit(application=application, by=application.learner)
    again = told("application_assessment_waiting")
    assert set(again) == {"asa", "bertil"}
    assert again["asa"].subject == "Sent again for assessment: Samarbete i arbetsgrupp"
    assert "round 2" in again["asa"].body


def test_a_first_approval_asks_the_other_assessors_for_the_second(issuer, team):
    achievement = make_achievement(issuer)
    second_approval_required(achievement)
    application = application_submitted(achievement, "amina")
    approve(application, team["asa"])
    notices = told("application_second_approval_waiting")
    assert set(notices) == {"bertil"}
    assert notices["bertil"].subject == "Väntar på ett andra godkännande: Samarbete i arbetsgrupp"


def test_a_learner_who_is_an_assessor_is_not_asked_to_assess_themselves(issuer, team):
    achievement = make_achievement(issuer)
    learner = make_member(issuer, "lena", Role.ASSESSOR).user
    application = application_start(achievement=achievement, learner=learner)
    evidence_add(application=application, by=learner, outcome=achievement.learning_outcomes.first(),
                 title="Loggbok", narrative="Jag gjorde det.")
    application_submit(application=application, by=learner)
    assert set(told("application_assessment_waiting")) == {"asa", "bertil"}


def test_the_daily_digest_gathers_queue_e_mails(issuer, team, django_capture_on_commit_callbacks):
    NotificationSettings.objects.create(user=team["asa"], delivery=NotificationSettings.Delivery.DAILY,
                                        language="en")
    achievement = make_achievement(issuer)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        application_submitted(achievement, "amina")
        application_submitted(achievement, "eli")
    waiting = told("application_assessment_waiting")
    assert Notice.objects.filter(user=team["asa"], kind="application_assessment_waiting",
                                 state=Notice.State.IN_DIGEST).count() == 2
    assert waiting["bertil"].state != Notice.State.IN_DIGEST  # bertil wants each at once
    assert team["asa"].email not in {message.to[0] for message in mail.outbox}

    mail.outbox.clear()
    digest = digest_send(user_id=team["asa"].pk)
    notice_deliver(notice_id=digest.pk)
    (sent,) = mail.outbox
    assert sent.to == [team["asa"].email]
    assert sent.body.count("Waiting for assessment: Samarbete i arbetsgrupp") == 2
