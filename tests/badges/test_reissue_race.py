"""Re-issuing happens once: a second call, a double click in the console and the database itself refuse a
second live renewal; only a failed renewal may be replaced. (The race on PostgreSQL: tests/services.)"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_reissue
from badges.models import Credential, CredentialEvent
from kernel.errors import ApplicationError
from tests.factories import workflow_member

ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def assessor(issuer):
    return workflow_member(issuer, "assessor").user


@pytest.fixture(autouse=True)
def _no_signing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        yield


def reissued_events(credential: Credential) -> int:
    return credential.events.filter(kind=CredentialEvent.Kind.REISSUED).count()


def test_a_second_call_is_refused_and_one_renewal_exists(issued, assessor):
    renewal = credential_reissue(credential=issued, by=assessor)

    with pytest.raises(ApplicationError) as refusal:
        credential_reissue(credential=issued, by=assessor)

    assert refusal.value.code == "already_reissued"
    assert list(issued.renewals.all()) == [renewal]
    assert reissued_events(issued) == 1


def test_a_double_post_from_the_console_issues_once_and_says_so_the_second_time(client, issued):
    client.force_login(workflow_member(issued.issuer, "owner").user)
    url = reverse("credentials_console:reissue", args=[issued.issuer.slug, issued.public_id])

    first = client.post(url, follow=True, headers=ENGLISH)
    second = client.post(url, follow=True, headers=ENGLISH)

    assert first.status_code == second.status_code == 200
    assert [str(message) for message in first.context["messages"]] == [
        "A new credential is being issued. It appears in the list in a moment."
    ]
    assert [str(message) for message in second.context["messages"]] == [
        "This credential has already been issued again."
    ]
    assert issued.renewals.count() == 1
    assert reissued_events(issued) == 1


def test_a_failed_renewal_may_be_replaced_once(issued, assessor):
    failed = credential_reissue(credential=issued, by=assessor)
    Credential.objects.filter(pk=failed.pk).update(status=Credential.Status.FAILED)

    renewal = credential_reissue(credential=issued, by=assessor)
    with pytest.raises(ApplicationError) as refusal:
        credential_reissue(credential=issued, by=assessor)

    assert refusal.value.code == "already_reissued"
    assert renewal.replaces == issued and renewal.status == Credential.Status.PENDING
    assert set(issued.renewals.values_list("pk", "status")) == {
        (failed.pk, Credential.Status.FAILED),
        (renewal.pk, Credential.Status.PENDING),
    }
    assert reissued_events(issued) == 2


def test_the_database_refuses_a_second_live_renewal_whatever_the_caller(issued):
    credential_issue(achievement=issued.achievement, recipient_email=issued.recipient_email, replaces=issued)
    with pytest.raises(IntegrityError), transaction.atomic():
        credential_issue(achievement=issued.achievement, recipient_email=issued.recipient_email, replaces=issued)
    assert issued.renewals.count() == 1
