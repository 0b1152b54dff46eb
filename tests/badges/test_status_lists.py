import random

from django.db import connection
from django.test.utils import CaptureQueriesContext

from badges.credentials import status_lists
from badges.credentials.revocation import credential_revoke
from badges.credentials.status_lists import (
    credential_status_allocate,
    random_free_index,
    set_bit,
    status_list_create,
)
from badges.models import StatusList
from ob3.status_list import get_bit, new_status_list, status_of
from tests.badges.site import site_verify
from tests.factories import make_issuer, workflow_member


def test_it_gives_every_signed_credential_a_status_entry_pointing_at_a_published_list(issued, client):
    entry = issued.document["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    assert entry["statusListIndex"] == str(issued.status_list_index)
    path = f"/status/{issued.issuer.slug}/{issued.status_list.public_id}"
    assert entry["statusListCredential"].endswith(path)
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    # A minute in all: 6 s for rendering, then half in the proxy, half in the browser, each with 5 s of answering
    # while it refreshes.
    assert response["Cache-Control"] == "public, max-age=22, s-maxage=22, stale-while-revalidate=5"


def test_it_allocates_an_index_only_once_even_when_signing_runs_again(issued):
    entry = credential_status_allocate(credential=issued)
    assert entry.status_list_index == issued.status_list_index
    listing = StatusList.objects.get()
    assert listing.allocated_count == 1
    assert get_bit(listing.allocated, issued.status_list_index)


def test_allocation_marks_indexes_used_without_touching_the_published_bits(issued):
    listing = StatusList.objects.get()
    assert listing.bits == bytes(new_status_list(listing.size))
    assert listing.size >= 131_072


def test_allocated_indexes_are_random_and_never_repeat(issuer, monkeypatch):
    monkeypatch.setattr(status_lists, "_rng", random.Random(7))
    listing = status_list_create(issuer=issuer)
    allocated = bytearray(listing.allocated)
    seen = set()
    for _ in range(200):
        index = random_free_index(allocated, status_lists._rng)
        set_bit(allocated, index)
        seen.add(index)
    assert len(seen) == 200
    assert max(seen) > 1000  # not handed out in issue order


def test_a_full_list_is_closed_and_a_new_one_opened(achievement, django_capture_on_commit_callbacks):
    from badges.credentials.issuing import credential_issue

    with django_capture_on_commit_callbacks(execute=False):
        first = credential_issue(achievement=achievement, recipient_email="eli@example.org")
        second = credential_issue(achievement=achievement, recipient_email="saman@example.org")
    credential_status_allocate(credential=first)
    StatusList.objects.update(allocated_count=StatusList.MIN_SIZE, is_full=True)
    credential_status_allocate(credential=second)
    assert first.status_list_id != second.status_list_id
    assert StatusList.objects.count() == 2


def test_the_published_list_verifies_and_shows_a_revoked_credential_as_set(issued, client):
    assessor = workflow_member(issued.issuer, "assessor").user
    credential_revoke(credential=issued, by=assessor, reason="Bedömningen gjordes av misstag.")
    response = client.get(f"/status/{issued.issuer.slug}/{issued.status_list.public_id}")
    document = response.json()
    listing_check = site_verify(document)
    proof = listing_check.check("proof")
    assert proof is not None and proof.passed, proof
    assert document["issuer"] == issued.issuer.public_id
    assert status_of(document, issued.status_list_index, status_purpose="revocation") is True


def test_an_unchanged_list_answers_not_modified_to_its_etag(issued, client):
    path = f"/status/{issued.issuer.slug}/{issued.status_list.public_id}"
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


def test_revoking_changes_the_etag_so_caches_refetch(issued, client):
    path = f"/status/{issued.issuer.slug}/{issued.status_list.public_id}"
    before = client.get(path)["ETag"]
    credential_revoke(credential=issued, by=workflow_member(issued.issuer, "owner").user, reason="Fel person.")
    after = client.get(path, headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after["ETag"] != before


def test_serving_a_current_list_does_not_sign_it_again(issued, client):
    path = f"/status/{issued.issuer.slug}/{issued.status_list.public_id}"
    client.get(path)
    signed_at = StatusList.objects.get().signed_at
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    assert StatusList.objects.get().signed_at == signed_at
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)


def test_unknown_lists_and_lists_of_other_issuers_are_not_found(issued, client):
    make_issuer("annanskola")
    assert client.get(f"/status/annanskola/{issued.status_list.public_id}").status_code == 404
    assert client.get(f"/status/{issued.issuer.slug}/00000000-0000-0000-0000-000000000000").status_code == 404


def test_re_signing_keeps_the_lists_valid_from_so_verifiers_a_moment_behind_accept_it(issued):
    listing = StatusList.objects.get()
    first = listing.document
    assert first is not None  # published as soon as the first credential pointed at it
    credential_revoke(credential=issued, by=workflow_member(issued.issuer, "owner").user, reason="Fel.")
    listing.refresh_from_db()
    assert listing.document["validFrom"] == first["validFrom"]
    assert listing.document["credentialSubject"]["encodedList"] != first["credentialSubject"]["encodedList"]
