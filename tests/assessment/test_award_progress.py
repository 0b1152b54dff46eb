"""A direct award's progress: the summary is counted from the rows of one snapshot, so they always agree."""

import itertools

import pytest
from django.urls import reverse

from assessment import awards
from assessment.award_progress import award_batch_snapshot
from assessment.csv_import import RecipientRow
from badges.credentials.events import credential_event_record
from badges.credentials.signing import credential_sign
from badges.models import Achievement, Credential, CredentialEvent

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}

S = Credential.Status
STATES = [S.PENDING, S.SIGNING, S.ISSUED, S.FAILED, S.REVOKED]


def confirmed_batch(issuer, achievement, owner, count, django_capture_on_commit_callbacks):
    rows = [RecipientRow(line=n + 2, email=f"p{n}@example.org", name=f"P{n}") for n in range(count)]
    batch = awards.award_batch_prepare(issuer=issuer, achievement=achievement, by=owner, rows=rows)
    with django_capture_on_commit_callbacks(execute=False):  # the signing tasks are not run here
        awards.award_batch_confirm(batch=batch, by=owner)
    return batch


def credential_of(batch, line):
    return batch.recipients.get(line=line).credential


def test_summary_equals_the_rows_in_every_mix_of_states(issuer, achievement, owner,
                                                         django_capture_on_commit_callbacks):
    batch = confirmed_batch(issuer, achievement, owner, 3, django_capture_on_commit_callbacks)
    credentials = [credential_of(batch, line) for line in (2, 3, 4)]
    for mix in itertools.product(STATES, repeat=3):
        for credential, state in zip(credentials, mix, strict=True):
            Credential.objects.filter(pk=credential.pk).update(status=state)
        progress = award_batch_snapshot(batch=batch)
        assert [row.state for row in progress.rows] == list(mix)
        summary = progress.summary()
        assert summary["total"] == 3
        assert summary["issued"] == mix.count(S.ISSUED)
        assert summary["pending"] == mix.count(S.PENDING) + mix.count(S.SIGNING)
        assert summary["failed"] == mix.count(S.FAILED)
        assert summary["revoked"] == mix.count(S.REVOKED)
        assert summary["issued"] + summary["pending"] + summary["failed"] + summary["revoked"] == 3
        assert summary["done"] == all(state in (S.ISSUED, S.FAILED, S.REVOKED) for state in mix)
        assert summary["finished"] == sum(state not in (S.PENDING, S.SIGNING) for state in mix)


def test_the_snapshot_is_one_query(issuer, achievement, owner, django_capture_on_commit_callbacks,
                                   django_assert_num_queries):
    batch = confirmed_batch(issuer, achievement, owner, 5, django_capture_on_commit_callbacks)
    Credential.objects.filter(pk=credential_of(batch, 3).pk).update(status=S.FAILED)
    with django_assert_num_queries(1):
        progress = award_batch_snapshot(batch=batch)
        assert progress.summary()["failed"] == 1 and len(progress.rows) == 5


def test_a_list_not_yet_confirmed_is_never_done(issuer, achievement, owner):
    rows = [RecipientRow(line=2, email="eli@example.org", name="Eli")]
    batch = awards.award_batch_prepare(issuer=issuer, achievement=achievement, by=owner, rows=rows)
    progress = award_batch_snapshot(batch=batch)
    assert [row.state for row in progress.rows] == ["not_issued"]
    assert progress.summary() == {"total": 1, "issued": 0, "pending": 0, "failed": 0, "revoked": 0,
                                  "finished": 0, "done": False}


def test_a_failed_row_says_why(client, issuer, achievement, owner, django_capture_on_commit_callbacks):
    batch = confirmed_batch(issuer, achievement, owner, 2, django_capture_on_commit_callbacks)
    Achievement.objects.filter(pk=achievement.pk).update(status=Achievement.Status.APPROVED)
    credential_sign(credential_id=credential_of(batch, 2).pk)  # refused: the achievement is no longer published
    failed = credential_of(batch, 2)
    assert failed.status == S.FAILED

    client.force_login(owner)
    snapshot = client.get(reverse("assessment:award-progress", args=[issuer.slug, batch.public_id]), **EN).json()
    assert snapshot["rows"][0] == {"id": "2", "state": "failed", "label": "failed", "final": True,
                                   "reason": "The micro-credential is no longer published."}
    assert (snapshot["failed"], snapshot["pending"], snapshot["done"]) == (1, 1, False)
    page = client.get(reverse("assessment:award-batch", args=[issuer.slug, batch.public_id]), **EN).content.decode()
    assert "Failed: The micro-credential is no longer published." in page


def test_an_unknown_failure_still_gets_words(issuer, achievement, owner, django_capture_on_commit_callbacks):
    batch = confirmed_batch(issuer, achievement, owner, 1, django_capture_on_commit_callbacks)
    credential = credential_of(batch, 2)
    Credential.objects.filter(pk=credential.pk).update(status=S.FAILED)
    credential_event_record(credential=credential, kind=CredentialEvent.Kind.FAILED, code="something_new")
    [row] = award_batch_snapshot(batch=batch).rows
    assert row.reason == "Signing failed. Please contact support."


def test_the_endpoint_rows_and_summary_agree_and_finish(client, issuer, achievement, owner,
                                                        django_capture_on_commit_callbacks):
    batch = confirmed_batch(issuer, achievement, owner, 2, django_capture_on_commit_callbacks)
    url = reverse("assessment:award-progress", args=[issuer.slug, batch.public_id])
    client.force_login(owner)
    for line in (2, 3):
        snapshot = client.get(url, **EN).json()
        states = [row["state"] for row in snapshot["rows"]]
        assert snapshot["issued"] == states.count("issued") and snapshot["pending"] == states.count("pending")
        assert not snapshot["done"] and "All done" not in snapshot["text"]
        credential_sign(credential_id=credential_of(batch, line).pk)
    snapshot = client.get(url, **EN).json()
    assert [row["state"] for row in snapshot["rows"]] == ["issued", "issued"]
    assert snapshot["done"] and snapshot["text"].endswith("All done.")
    page = client.get(reverse("assessment:award-batch", args=[issuer.slug, batch.public_id]), **EN).content.decode()
    assert "data-live-progress" not in page and "live_progress.js" not in page  # nothing left to poll


def test_without_javascript_the_page_offers_a_refresh_link(client, issuer, achievement, owner,
                                                           django_capture_on_commit_callbacks):
    batch = confirmed_batch(issuer, achievement, owner, 1, django_capture_on_commit_callbacks)
    client.force_login(owner)
    page = client.get(reverse("assessment:award-batch", args=[issuer.slug, batch.public_id]), **EN).content.decode()
    assert "live_progress.js" in page
    assert f'href="/console/{issuer.slug}/awards/{batch.public_id}/">Refresh</a>' in page
