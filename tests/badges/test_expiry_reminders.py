"""Holders are reminded once, in their language, before a credential expires, and told how to renew it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from freezegun import freeze_time

from badges.credentials.expiry import (
    credential_expiry_remind,
    credential_expiry_reminders_send,
    credentials_due_for_expiry_reminder,
)
from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_reissue
from badges.models import Achievement, Credential
from badges.tasks import credential_expiry_remind_task
from issuers.models import Role
from notifications.models import NotificationSettings
from tests.badges.test_console_designer_access import definition_data
from tests.factories import make_draft, make_member, make_user, workflow_member

pytestmark = pytest.mark.django_db


def expiring_in(credential: Credential, days: float) -> Credential:
    Credential.objects.filter(pk=credential.pk).update(valid_until=timezone.now() + timedelta(days=days))
    credential.refresh_from_db()
    return credential


def test_a_holder_is_reminded_once_within_the_achievement_s_days(issued, django_capture_on_commit_callbacks):
    expiring_in(issued, 31)
    assert credential_expiry_reminders_send() == 0  # the default is 30 days
    with freeze_time(timezone.now() + timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        assert credential_expiry_reminders_send() == 1
        assert credential_expiry_reminders_send() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    # The achievement is Swedish and nobody chose another language for the address.
    assert message.subject.startswith("Ditt intyg för mikromeriten ”Samarbete i arbetsgrupp” går ut ")
    assert f"/a/{issued.achievement.public_id}" in message.body
    assert "Eller be Testskolan att utfärda det till dig igen" in message.body
    issued.refresh_from_db()
    assert issued.expiry_reminded_at is not None


def test_the_reminder_is_in_the_holder_s_chosen_language(issued, django_capture_on_commit_callbacks):
    user = make_user("amina")  # amina@example.org, verified
    NotificationSettings.objects.create(user=user, language="en", language_chosen=True)
    expiring_in(issued, 10)
    with django_capture_on_commit_callbacks(execute=True):
        credential_expiry_reminders_send()
    with translation.override("en"):
        expires = formats.date_format(timezone.localtime(issued.valid_until), "DATE_FORMAT")  # e.g. Dec. 13, 2026
    assert mail.outbox[0].subject == f"Your micro-credential “Samarbete i arbetsgrupp” expires on {expires}"
    assert "Apply again for the micro-credential" in mail.outbox[0].body


def test_two_workers_holding_the_same_credential_send_one_reminder(issued, django_capture_on_commit_callbacks):
    expiring_in(issued, 5)
    seen_by_both = list(credentials_due_for_expiry_reminder(now=timezone.now()))
    assert [c.pk for c in seen_by_both] == [issued.pk]
    with django_capture_on_commit_callbacks(execute=True):
        first = credential_expiry_remind(credential=seen_by_both[0], now=timezone.now())
        second = credential_expiry_remind(credential=seen_by_both[0], now=timezone.now())
    assert (first, second) == (True, False)
    assert len(mail.outbox) == 1


def test_no_reminder_when_switched_off_revoked_expired_or_never_expiring(issued, achievement):
    expiring_in(issued, 5)
    Achievement.objects.filter(pk=achievement.pk).update(expiry_reminder_days=0)
    assert credential_expiry_reminders_send() == 0
    Achievement.objects.filter(pk=achievement.pk).update(expiry_reminder_days=30)
    Credential.objects.filter(pk=issued.pk).update(status=Credential.Status.REVOKED)
    assert credential_expiry_reminders_send() == 0
    Credential.objects.filter(pk=issued.pk).update(status=Credential.Status.ISSUED, valid_until=timezone.now())
    assert credential_expiry_reminders_send() == 0
    Credential.objects.filter(pk=issued.pk).update(valid_until=None)
    assert credential_expiry_reminders_send() == 0
    assert mail.outbox == []


def test_a_credential_renewed_by_the_issuer_is_not_reminded(issued, issuer, django_capture_on_commit_callbacks):
    expiring_in(issued, 5)
    owner = workflow_member(issuer, Role.OWNER).user
    with django_capture_on_commit_callbacks(execute=False):
        credential_reissue(credential=issued, by=owner)
    assert credential_expiry_reminders_send() == 0


def test_a_credential_earned_again_through_a_new_application_is_not_reminded(issued, achievement):
    expiring_in(issued, 5)
    with freeze_time(timezone.now() + timedelta(seconds=5)):
        renewal = credential_issue(achievement=achievement, recipient_email="amina@example.org")
    Credential.objects.filter(pk=renewal.pk).update(status=Credential.Status.ISSUED)
    assert credential_expiry_reminders_send() == 0


def test_another_person_s_credential_does_not_count_as_a_renewal(issued, achievement):
    expiring_in(issued, 5)
    with freeze_time(timezone.now() + timedelta(seconds=5)):
        other = credential_issue(achievement=achievement, recipient_email="bo@example.org")
    Credential.objects.filter(pk=other.pk).update(status=Credential.Status.ISSUED)
    assert credential_expiry_reminders_send() == 1


def test_the_daily_task_reminds(issued):
    expiring_in(issued, 5)
    credential_expiry_remind_task()
    issued.refresh_from_db()
    assert issued.expiry_reminded_at is not None


def test_the_reminder_runs_every_day():
    from config.celery import app

    app.finalize()
    schedule = app.conf.beat_schedule
    assert schedule["credential_expiry_remind"]["task"] == "badges.tasks.credential_expiry_remind_task"


def test_designers_choose_the_reminder_days_with_help(client, issuer):
    draft = make_draft(issuer)
    designer = make_member(issuer, "dora", Role.DESIGNER).user
    client.force_login(designer)
    url = reverse("achievements_console:edit", args=[issuer.slug, draft.public_id])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Remind the holder before it expires (days)" in page
    assert "Write 0 for no reminder." in page
    response = client.post(url, definition_data(draft, expiry_reminder_days="0"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.expiry_reminder_days == 0
    response = client.post(url, definition_data(draft, expiry_reminder_days="400"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code != 302
    draft.refresh_from_db()
    assert draft.expiry_reminder_days == 0
