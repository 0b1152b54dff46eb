"""Every e-mail is a Notice: rendered in the recipient's language, sent after the commit, once, and kept
with whether it was delivered; work waiting for someone can wait for their daily e-mail instead."""

from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings

from notifications.digests import digest_recipients, digest_send
from notifications.models import Notice, NotificationSettings
from notifications.sending import notice_deliver, notice_send
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TEMPLATES = {
    "t/hello_subject.txt": "{% load i18n %}{% translate 'Hello,' %} {{ name }}",
    "t/hello_message.txt": "{% load i18n %}{% translate 'E-mail settings' %}: {{ name }}",
}


@pytest.fixture(autouse=True)
def _templates(settings):
    settings.TEMPLATES = [{
        **settings.TEMPLATES[0],
        "APP_DIRS": False,
        "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "loaders": [("django.template.loaders.locmem.Loader", TEMPLATES),
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader"],
        },
    }]


@pytest.fixture
def queued():
    """The notice ids handed to Celery (the test broker runs nothing)."""
    with mock.patch("notifications.sending.current_app") as app:
        ids: list[int] = []
        app.tasks.__getitem__.return_value.delay.side_effect = ids.append
        yield ids


def hello(user=None, **kwargs):
    return notice_send(kind="hello", template="t/hello", context={"name": "Amina"}, user=user, **kwargs)


def test_a_notice_is_rendered_in_the_recipients_language_and_sent_after_the_commit(
    queued, django_capture_on_commit_callbacks
):
    amina = make_user("amina")
    NotificationSettings.objects.create(user=amina, language="sv")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice = hello(amina)
    assert queued == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert queued == [notice.pk]
    assert (notice.email, notice.language, notice.subject) == ("amina@example.org", "sv", "Hej, Amina")
    notice_deliver(notice_id=notice.pk)
    notice_deliver(notice_id=notice.pk)  # a redelivered task sends nothing more
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [(["amina@example.org"], "Hej, Amina",
                                                                 "E-postinställningar: Amina")]
    notice.refresh_from_db()
    assert notice.state == Notice.State.SENT and notice.sent_at is not None


def test_an_address_without_an_account_gets_the_language_asked_for(queued):
    notice = hello(email="jacob@example.org", language="en")
    assert (notice.email, notice.subject) == ("jacob@example.org", "Hello, Amina")


def test_nobody_is_told_without_a_verified_address(queued):
    assert hello(make_user("nils", verified=False)) is None
    assert Notice.objects.count() == 0


def test_an_address_the_server_refuses_is_undeliverable_and_not_retried(queued):
    notice = hello(email="nobody@example.org", language="en")
    refusal = smtplib.SMTPRecipientsRefused({"nobody@example.org": (550, b"no such user")})
    with mock.patch("notifications.sending.send_mail", side_effect=refusal):
        notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    assert notice.state == Notice.State.UNDELIVERABLE and "550" in notice.failure


def test_a_transient_failure_is_released_for_the_retry(queued):
    notice = hello(email="jacob@example.org", language="en")
    with mock.patch("notifications.sending.send_mail", side_effect=OSError("connection refused")), \
            pytest.raises(OSError):
        notice_deliver(notice_id=notice.pk)
    notice.refresh_from_db()
    assert (notice.state, notice.sending_since) == (Notice.State.WAITING, None)
    notice_deliver(notice_id=notice.pk)
    assert len(mail.outbox) == 1


def test_work_waiting_for_someone_goes_into_their_daily_email(queued, django_capture_on_commit_callbacks):
    asa = make_user("asa")
    NotificationSettings.objects.create(user=asa, delivery=NotificationSettings.Delivery.DAILY, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        first = hello(asa, can_wait=True)
        second = hello(asa, can_wait=True)
        at_once = hello(asa)  # not about waiting work: never held back
    assert queued == [at_once.pk]
    assert digest_recipients() == [asa.pk]

    digest = digest_send(user_id=asa.pk)
    assert digest_send(user_id=asa.pk) is None  # a second run finds nothing left
    assert digest_recipients() == []
    notice_deliver(notice_id=digest.pk)
    (sent,) = mail.outbox
    assert sent.subject == "Mikromerit: 2 things wait for you"
    assert sent.body.count("Hello, Amina") == 2
    states = dict(Notice.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "state"))
    assert set(states.values()) == {Notice.State.SENT}


@override_settings(EMAIL_BOUNCE_WEBHOOK_TOKEN="s3cret")
def test_a_reported_bounce_marks_what_was_sent_there(client, queued):
    notice = hello(email="gone@example.org", language="en")
    notice_deliver(notice_id=notice.pk)
    url = "/hooks/email-bounce"
    assert client.post(url, {"email": "gone@example.org"}, content_type="application/json").status_code == 401
    assert client.post(url, "not json", content_type="application/json",
                       HTTP_AUTHORIZATION="Bearer s3cret").status_code == 400
    answer = client.post(url, {"email": "GONE@example.org", "reason": "mailbox full"},
                         content_type="application/json", HTTP_AUTHORIZATION="Bearer s3cret")
    assert answer.json() == {"marked": 1}
    notice.refresh_from_db()
    assert (notice.state, notice.failure) == (Notice.State.BOUNCED, "mailbox full")


def test_the_bounce_hook_does_not_exist_without_its_token(client):
    assert client.post("/hooks/email-bounce", {}, content_type="application/json").status_code == 404
