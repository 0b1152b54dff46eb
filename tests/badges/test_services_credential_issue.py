from unittest import mock

import pytest
from django.db import transaction

from badges.credentials.issuing import credential_issue
from badges.models import Credential
from ob3.recipient import hash_email

pytestmark = pytest.mark.django_db


def test_it_records_a_pending_credential_and_queues_signing_after_commit(
    achievement, django_capture_on_commit_callbacks
):
    with mock.patch("badges.tasks.credential_sign_task.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            credential = credential_issue(achievement=achievement, recipient_email=" Amina@Example.org ")
            delay.assert_not_called()  # nothing reaches the broker before the row is committed
    assert len(callbacks) == 1
    delay.assert_called_once_with(credential.id)
    assert credential.status == Credential.Status.PENDING
    assert credential.issuer == achievement.issuer
    assert credential.recipient_email == "amina@example.org"
    assert credential.recipient_identifier == hash_email("amina@example.org", credential.recipient_salt)
    assert credential.valid_from.microsecond == 0
    assert list(credential.events.values_list("kind", flat=True)) == ["issue_requested"]


def test_it_queues_nothing_when_the_transaction_rolls_back(achievement, django_capture_on_commit_callbacks):
    with mock.patch("badges.tasks.credential_sign_task.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(RuntimeError), transaction.atomic():
                credential_issue(achievement=achievement, recipient_email="eli@example.org")
                raise RuntimeError("assessment failed later in the same transaction")
    assert callbacks == []
    delay.assert_not_called()
    assert not Credential.objects.exists()


def test_each_credential_gets_its_own_salt(achievement, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        first = credential_issue(achievement=achievement, recipient_email="eli@example.org")
        second = credential_issue(achievement=achievement, recipient_email="eli@example.org")
    assert first.recipient_salt != second.recipient_salt
    assert first.recipient_identifier != second.recipient_identifier
