"""A cohort's credentials are queued for signing in chunks of CREDENTIAL_SIGNING_CHUNK_SIZE, after the commit."""

import pytest
from celery import current_app

from badges.credentials.queue import SIGN_CHUNK, credentials_signing_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(monkeypatch):
    calls: list[list[int]] = []
    monkeypatch.setattr(current_app.tasks[SIGN_CHUNK], "delay", lambda ids: calls.append(ids))
    return calls


def test_credentials_are_queued_in_chunks_of_the_configured_size(settings, queued, django_capture_on_commit_callbacks):
    settings.CREDENTIAL_SIGNING_CHUNK_SIZE = 3
    with django_capture_on_commit_callbacks(execute=True):
        credentials_signing_queue(range(1, 8))
        assert queued == []  # nothing before the commit: a worker would not find the rows
    assert queued == [[1, 2, 3], [4, 5, 6], [7]]


def test_nothing_is_queued_for_no_credentials(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        credentials_signing_queue([])
    assert (callbacks, queued) == ([], [])
