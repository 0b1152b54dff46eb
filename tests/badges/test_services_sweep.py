from datetime import timedelta
from unittest import mock

import pytest
from freezegun import freeze_time

from badges.credentials.signing import credential_claim
from badges.credentials.sweeping import credential_sweep_stale
from badges.models import Credential

pytestmark = pytest.mark.django_db

START = "2026-01-01 12:00:00"


@pytest.fixture
def delay():
    with mock.patch("badges.tasks.credentials_sign_task.delay") as delay:
        yield delay


def later(settings, frozen) -> None:
    frozen.tick(timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES + 1))


def issue_at_start(achievement, capture):
    from badges.credentials.issuing import credential_issue

    with freeze_time(START), capture():
        return credential_issue(achievement=achievement, recipient_email="jacob@example.org")


def test_it_requeues_a_pending_credential_nobody_signed(
    achievement, settings, delay, django_capture_on_commit_callbacks
):
    credential = issue_at_start(achievement, django_capture_on_commit_callbacks)
    with freeze_time(START) as frozen:
        assert credential_sweep_stale() == 0
        later(settings, frozen)
        with django_capture_on_commit_callbacks(execute=True):
            assert credential_sweep_stale() == 1
        # Re-queued just now: the next sweep leaves it alone for another stale period.
        assert credential_sweep_stale() == 0
    delay.assert_called_once_with([credential.id])
    assert credential.events.filter(kind="requeued").count() == 1


def test_it_requeues_a_credential_whose_worker_vanished(
    achievement, settings, delay, django_capture_on_commit_callbacks
):
    credential = issue_at_start(achievement, django_capture_on_commit_callbacks)
    with freeze_time(START) as frozen:
        assert credential_claim(credential_id=credential.id)
        later(settings, frozen)
        with django_capture_on_commit_callbacks(execute=True):
            assert credential_sweep_stale() == 1
    delay.assert_called_once_with([credential.id])


def test_it_leaves_issued_and_fresh_credentials_alone(credential, settings, delay):
    from badges.credentials.signing import credential_sign

    credential_sign(credential_id=credential.id)
    assert credential_sweep_stale() == 0
    delay.assert_not_called()


def test_it_gives_up_after_the_last_attempt(achievement, settings, delay, django_capture_on_commit_callbacks):
    credential = issue_at_start(achievement, django_capture_on_commit_callbacks)
    Credential.objects.filter(pk=credential.pk).update(attempts=settings.CREDENTIAL_SIGNING_MAX_ATTEMPTS)
    with freeze_time(START) as frozen:
        later(settings, frozen)
        assert credential_sweep_stale() == 0
    credential.refresh_from_db()
    assert credential.status == Credential.Status.FAILED
    assert credential.events.get(kind="failed").data["code"] == "too_many_attempts"
    delay.assert_not_called()


def test_the_sweeper_is_on_the_beat_schedule():
    from config.celery import app

    app.loader.import_default_modules()
    app.finalize()
    entries = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "badges.tasks.credential_sweep_stale_task" in entries
