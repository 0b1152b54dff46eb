"""Signing a chunk of credentials together (a cohort): a constant number of queries whatever its size, once
only under re-runs and crashes, each credential its own status-list index, signature, files and e-mail."""

from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from badges.credentials import signing
from badges.credentials.issuing import NewRecipient, credentials_issue
from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credentials_sign
from badges.models import Credential, CredentialClaim, CredentialEvent, StatusList
from ob3.status_list import get_bit, status_of
from tests.badges.site import failures, site_verify
from tests.factories import make_achievement, make_issuer, workflow_member

pytestmark = pytest.mark.django_db

ISSUED = Credential.Status.ISSUED


def cohort(achievement, size: int, *, label: str, capture) -> list[int]:
    with capture(execute=False):
        credentials = credentials_issue(
            achievement=achievement, recipients=[NewRecipient(email=f"{label}{n}@example.org", name=f"{label} {n}")
                                                 for n in range(size)],
        )
    return [credential.pk for credential in credentials]


def kinds(ids: list[int]) -> Counter:
    return Counter(CredentialEvent.objects.filter(credential__in=ids).values_list("kind", flat=True))


def test_a_chunk_of_a_hundred_takes_no_more_queries_than_a_chunk_of_ten(
    achievement, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    credentials_sign(credential_ids=cohort(achievement, 1, label="first", capture=django_capture_on_commit_callbacks))
    ten = cohort(achievement, 10, label="ten", capture=django_capture_on_commit_callbacks)
    hundred = cohort(achievement, 100, label="hundred", capture=django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as queries_for_ten:
        credentials_sign(credential_ids=ten)
    assert len(queries_for_ten) <= 40
    # SQLite takes at most 999 parameters per statement, so Django splits three of the chunk's bulk INSERTs
    # (events, notices, claims) of a hundred rows in two; no other statement is repeated per credential.
    with django_assert_max_num_queries(len(queries_for_ten) + 3) as queries_for_hundred:
        credentials_sign(credential_ids=hundred)
    assert Credential.objects.filter(pk__in=ten + hundred, status=ISSUED).count() == 110

    def other_than_inserts(queries) -> list[str]:
        return [query["sql"][:40] for query in queries if not query["sql"].startswith("INSERT")]

    assert len(other_than_inserts(queries_for_hundred)) == len(other_than_inserts(queries_for_ten))


def test_each_credential_of_a_chunk_is_signed_baked_and_told_on_its_own(
    achievement, django_capture_on_commit_callbacks
):
    ids = cohort(achievement, 5, label="amina", capture=django_capture_on_commit_callbacks)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        credentials_sign(credential_ids=ids)
    credentials = list(Credential.objects.filter(pk__in=ids).order_by("pk"))
    assert {c.status for c in credentials} == {ISSUED}
    for credential in credentials:
        assert credential.document["id"] == credential.uri
        assert credential.document["credentialStatus"]["statusListIndex"] == str(credential.status_list_index)
        result = site_verify(credential.document)
        assert result.valid, failures(result)
        assert credential.baked_png.name == f"credentials/{credential.public_id}.png"
        assert list(credential.events.values_list("kind", flat=True)) == [
            "issue_requested", "signing_started", "issued"
        ]
        assert credential.events.get(kind="issued").data == {
            "verification_method": credential.document["proof"][0]["verificationMethod"],
            "formats": ["data-integrity"],
            "png": f"credentials/{credential.public_id}.png", "svg": f"credentials/{credential.public_id}.svg",
        }
    assert len({c.status_list_index for c in credentials}) == 5
    # Each recipient gets one e-mail with a link of their own.
    assert sorted(message.to[0] for message in mail.outbox) == sorted(c.recipient_email for c in credentials)
    assert CredentialClaim.objects.filter(credential__in=ids).values("token_hash").distinct().count() == 5


def test_running_a_chunk_twice_signs_each_credential_once(achievement, django_capture_on_commit_callbacks):
    ids = cohort(achievement, 4, label="bo", capture=django_capture_on_commit_callbacks)
    with mock.patch("badges.credentials.signing.sign_credential", wraps=signing.sign_credential) as sign:
        credentials_sign(credential_ids=ids)
        credentials_sign(credential_ids=ids)
    assert sign.call_count == 4
    assert kinds(ids) == Counter({"issue_requested": 4, "signing_started": 4, "issued": 4})
    assert CredentialClaim.objects.filter(credential__in=ids).count() == 4
    assert StatusList.objects.get().allocated_count == 4


def test_a_chunk_rerun_after_a_crash_between_signing_and_finishing_keeps_each_index(
    achievement, settings, django_capture_on_commit_callbacks
):
    ids = cohort(achievement, 6, label="cy", capture=django_capture_on_commit_callbacks)
    with freeze_time("2026-01-01 12:00:00"):
        # The worker dies after signing and storing, before the finishing transaction.
        with mock.patch("badges.credentials.signing._finish", side_effect=SystemExit), pytest.raises(SystemExit):
            credentials_sign(credential_ids=ids)
    indexes = dict(Credential.objects.filter(pk__in=ids).values_list("pk", "status_list_index"))
    assert set(Credential.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"signing"}
    assert None not in indexes.values()

    with freeze_time("2026-01-01 12:00:00") as frozen:
        credentials_sign(credential_ids=ids)  # not stale yet: someone else's claim, nothing happens
        assert Credential.objects.filter(pk__in=ids, status=ISSUED).count() == 0
        frozen.tick(timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES + 1))
        credentials_sign(credential_ids=ids)
    assert Credential.objects.filter(pk__in=ids, status=ISSUED).count() == 6
    assert dict(Credential.objects.filter(pk__in=ids).values_list("pk", "status_list_index")) == indexes
    listing = StatusList.objects.get()
    assert listing.allocated_count == 6
    assert all(get_bit(listing.allocated, index) for index in indexes.values())
    assert kinds(ids)["issued"] == 6


def test_a_refusal_fails_its_own_credential_and_not_the_rest_of_the_chunk(
    achievement, django_capture_on_commit_callbacks
):
    other = make_achievement(achievement.issuer)
    ids = cohort(achievement, 3, label="dana", capture=django_capture_on_commit_callbacks)
    withdrawn = cohort(other, 1, label="eli", capture=django_capture_on_commit_callbacks)
    other.status = "draft"
    other.save(update_fields=["status"])
    credentials_sign(credential_ids=ids + withdrawn)
    assert Credential.objects.filter(pk__in=ids, status=ISSUED).count() == 3
    failed = Credential.objects.get(pk=withdrawn[0])
    assert failed.status == Credential.Status.FAILED and failed.status_list_id is None
    assert failed.events.get(kind="failed").data["code"] == "achievement_unpublished"


def test_one_credential_of_a_chunk_is_revoked_alone(achievement, client, django_capture_on_commit_callbacks):
    ids = cohort(achievement, 3, label="fia", capture=django_capture_on_commit_callbacks)
    credentials_sign(credential_ids=ids)
    first, *others = Credential.objects.filter(pk__in=ids).order_by("pk")
    assessor = workflow_member(achievement.issuer, "assessor").user
    with django_capture_on_commit_callbacks(execute=True):
        credential_revoke(credential=first, by=assessor, reason="Bedömningen gjordes av misstag.")
    document = client.get(f"/status/{first.issuer.slug}/{first.status_list.public_id}").json()
    assert status_of(document, first.status_list_index, status_purpose="revocation") is True
    for credential in others:
        assert status_of(document, credential.status_list_index, status_purpose="revocation") is False
        assert credential.status == ISSUED


def test_a_chunk_signs_a_vc_jwt_for_each_credential_when_the_issuer_wants_one(django_capture_on_commit_callbacks):
    achievement = make_achievement(make_issuer("jwt-skolan", jwt_enabled=True))
    ids = cohort(achievement, 3, label="gus", capture=django_capture_on_commit_callbacks)
    credentials_sign(credential_ids=ids)
    for credential in Credential.objects.filter(pk__in=ids):
        assert credential.jwt.count(".") == 2
        result = site_verify(credential.jwt)
        assert result.valid, failures(result)
        assert credential.events.get(kind="issued").data["formats"] == ["data-integrity", "vc-jwt"]


def test_a_cohort_is_recorded_with_bulk_inserts_and_queued_a_chunk_per_task(
    achievement, django_capture_on_commit_callbacks
):
    with mock.patch("badges.tasks.credentials_sign_task.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            credentials = credentials_issue(
                achievement=achievement, recipients=[NewRecipient(email=f"H{n}@Example.org") for n in range(250)]
            )
    assert [len(call.args[0]) for call in delay.call_args_list] == [100, 100, 50]
    assert [pk for call in delay.call_args_list for pk in call.args[0]] == [c.pk for c in credentials]
    assert credentials[0].recipient_email == "h0@example.org"
    assert kinds([c.pk for c in credentials]) == Counter({"issue_requested": 250})
