"""Each view of a shared credential's public page is counted per day, without keeping who looked."""

import re

import pytest
from django.utils import timezone

from badges.models import CredentialPageView
from learners.services import credential_share_set
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(issued):
    holder = make_user("amina")
    credential_share_set(credential=issued, learner=holder, enabled=True)
    issued.refresh_from_db()
    return issued, holder


def test_sharing_sets_first_shared_once(shared):
    credential, holder = shared
    first = credential.first_shared_at
    assert first is not None
    credential_share_set(credential=credential, learner=holder, enabled=False)
    credential_share_set(credential=credential, learner=holder, enabled=True)
    credential.refresh_from_db()
    assert credential.first_shared_at == first and credential.share_enabled


def _seen_url(page) -> str:
    """The counting image the page links to (the page itself may come from a cache)."""
    match = re.search(r'src="(/c/[^"]+/seen\.gif)"', page.content.decode())
    assert match, "the page links no counting image"
    return match.group(1)


def test_each_html_view_counts_but_not_the_holders_nor_json(client, shared):
    credential, holder = shared
    url = f"/c/{credential.public_id}"
    for _visit in range(2):
        page = client.get(url)
        assert page.status_code == 200
        seen = client.get(_seen_url(page))
        assert (seen.status_code, seen["Content-Type"], seen["Cache-Control"]) == (200, "image/gif", "no-store")
    client.get(url, headers={"Accept": "application/ld+json"})
    client.force_login(holder)
    client.get(_seen_url(client.get(url)))
    row = CredentialPageView.objects.get(credential=credential)
    assert (row.day, row.count) == (timezone.localdate(), 2)


def test_a_page_served_from_a_cache_counts_through_its_image_alone(client, shared):
    credential, _holder = shared
    client.get(f"/c/{credential.public_id}")
    assert not CredentialPageView.objects.exists()


def test_a_private_credential_counts_nothing(client, issued):
    assert client.get(f"/c/{issued.public_id}").status_code == 404
    assert client.get(f"/c/{issued.public_id}/seen.gif").status_code == 200
    assert not CredentialPageView.objects.exists()
