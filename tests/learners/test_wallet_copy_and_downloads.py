"""The credential page: a "Copy link" for a shared credential, and the VC-JWT download only where one exists."""

import pytest
from django.test import Client
from django.urls import reverse

from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from learners.services import credential_share_set
from learners.sharing import credential_share_url
from tests.factories import make_achievement, make_issuer

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def signed(achievement, email="amina@example.org"):
    credential = credential_issue(achievement=achievement, recipient_email=email)
    credential_sign(credential_id=credential.pk)
    credential.refresh_from_db()
    return credential


def page(client, credential):
    return client.get(reverse("learners:credential", args=[credential.public_id]), **EN).content.decode()


def test_a_shared_credential_offers_copy_link_with_a_read_only_field(amina, amina_client, credential):
    credential_share_set(credential=credential, learner=amina, enabled=True)
    html = page(amina_client, credential)
    assert 'data-copy-button hidden>Copy link</button>' in html  # shown by copy_link.js where it can copy
    assert f'id="share-link" value="{credential_share_url(credential)}" readonly data-copy-source>' in html
    assert 'aria-live="polite" data-copy-status data-copied-text="Link copied"' in html
    assert "js/copy_link.js" in html


def test_a_private_credential_has_no_link_to_copy(amina_client, credential):
    html = page(amina_client, credential)
    assert "Copy link" not in html and "data-copy-source" not in html and "copy_link.js" not in html


def test_the_jwt_download_is_offered_where_the_issuer_signs_jwts(amina, amina_client, db):
    credential = signed(make_achievement(make_issuer("jwt-skolan", jwt_enabled=True)))
    assert credential.jwt
    download = reverse("learners:credential-download", args=[credential.public_id, "jwt"])
    html = page(amina_client, credential)
    assert f'href="{download}" download>Signed credential (JWT)</a>' in html
    response = amina_client.get(download)
    assert response.status_code == 200 and response.content == credential.jwt.encode("ascii")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_no_jwt_download_without_a_jwt(amina_client, credential):
    assert not credential.jwt
    html = page(amina_client, credential)
    assert "Signed credential (JWT)" not in html
    for kind in ("png", "svg", "json"):
        assert reverse("learners:credential-download", args=[credential.public_id, kind]) in html
    download = reverse("learners:credential-download", args=[credential.public_id, "jwt"])
    assert amina_client.get(download).status_code == 404
