"""The documents verifiers read (status lists, the DID document, the issuer's Profile that doubles as its
controller document, JWKS and key documents): public, kept for a short while, revalidated by ETag."""

import pytest
from django.urls import reverse

from issuers.models import SigningKey
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=22, s-maxage=22, stale-while-revalidate=5"


def documents(issuer, issued) -> dict[str, tuple[str, str]]:
    key = SigningKey.objects.get(issuer=issuer, kind=SigningKey.Kind.ED25519)
    return {
        "status list": (reverse("credentials:status-list", args=[issuer.slug, issued.status_list.public_id]), "*/*"),
        "DID document": (reverse("issuers:did-document", args=[issuer.slug]), "*/*"),
        "controller document": (reverse("issuers:detail", args=[issuer.slug]), "application/ld+json"),
        "JWKS": (reverse("issuers:jwks", args=[issuer.slug]), "*/*"),
        "key": (reverse("issuers:key", args=[issuer.slug, key.thumbprint]), "*/*"),
    }


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_document_is_public_short_lived_and_revalidated(client, issuer, issued, signed_in):
    if signed_in:
        client.force_login(make_user("visitor"))
    for name, (url, accept) in documents(issuer, issued).items():
        response = client.get(url, headers={"Accept": accept})
        assert response.status_code == 200, name
        assert response["Cache-Control"] == PUBLIC, name
        assert "Cookie" not in response.get("Vary", ""), name
        assert response["ETag"].startswith('"'), name
        assert response["Access-Control-Expose-Headers"] == "ETag", name
        again = client.get(url, headers={"Accept": accept, "If-None-Match": response["ETag"]})
        assert (again.status_code, again["ETag"], again["Cache-Control"]) == (304, response["ETag"], PUBLIC), name
        assert not again.content


def test_the_issuer_page_for_people_is_not_made_public(client, issuer):
    response = client.get(reverse("issuers:detail", args=[issuer.slug]), headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")
    assert "Accept" in response["Vary"]


def test_a_document_changes_its_etag_when_a_key_is_rotated(client, issuer):
    from issuers.services import signing_key_rotate

    url = reverse("issuers:did-document", args=[issuer.slug])
    before = client.get(url)["ETag"]
    signing_key_rotate(issuer=issuer, kind=SigningKey.Kind.ED25519)
    after = client.get(url, headers={"If-None-Match": before})
    assert after.status_code == 200 and after["ETag"] != before
