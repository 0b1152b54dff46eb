import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from badges.models import Credential
from learners.sharing import linkedin_add_url
from tests.badges.site import site_verify
from tests.list_queries import page_queries, signed_documents_loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina_client(amina):
    client = Client()
    client.force_login(amina)
    return client


def wallet_urls(credential):
    detail = reverse("learners:credential", args=[credential.public_id])
    return [
        ("get", detail),
        *[("get", reverse("learners:credential-download", args=[credential.public_id, kind]))
          for kind in ("png", "svg", "json", "jwt")],
        ("post", reverse("learners:credential-share", args=[credential.public_id])),
        ("get", reverse("openid4vci:to-wallet", args=[credential.public_id])),
        ("post", reverse("openid4vci:to-wallet", args=[credential.public_id])),
    ]


def test_every_wallet_view_of_a_credential_is_404_for_someone_else(credential, saman):
    client = Client()
    client.force_login(saman)
    for method, url in wallet_urls(credential):
        response = getattr(client, method)(url, {"enabled": "on"} if method == "post" else None)
        assert response.status_code == 404, url
    credential.refresh_from_db()
    assert credential.share_enabled is False
    assert not credential.wallet_offers.exists()


def test_wallet_pages_ask_anonymous_visitors_to_sign_in(credential):
    for method, url in [*wallet_urls(credential), ("get", reverse("learners:wallet"))]:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_wallet_lists_the_learners_credentials_with_their_state(credential, issue, amina_client):
    pending = issue("amina@example.org", sign=False)
    issue("saman@example.org")  # someone else's
    page = amina_client.get(reverse("learners:wallet"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count(f"/wallet/credentials/{credential.public_id}/") >= 1
    assert f"/wallet/credentials/{pending.public_id}/" in page
    assert "Valid" in page and "Being prepared" in page
    assert page.count('class="credential-state ') == 2


def test_revoked_and_expired_credentials_say_so_in_words(credential, issue, amina_client):
    expired = issue("amina@example.org", valid_until=timezone.now() + timedelta(days=1))
    Credential.objects.filter(pk=credential.pk).update(revoked_at=timezone.now(), status=Credential.Status.REVOKED)
    with freeze_time(timezone.now() + timedelta(days=2)):
        page = amina_client.get(reverse("learners:wallet"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        detail = amina_client.get(reverse("learners:credential", args=[expired.public_id]),
                                  HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Revoked by the issuer" in page
    assert "Expired" in page and "Expired" in detail


def test_only_the_newest_renewal_is_listed_and_links_to_its_history(credential, issue, amina_client):
    renewal = issue("amina@example.org", replaces=credential)
    page = amina_client.get(reverse("learners:wallet")).content.decode()
    assert f"/wallet/credentials/{renewal.public_id}/" in page
    assert f"/wallet/credentials/{credential.public_id}/" not in page
    assert f"/wallet/credentials/{renewal.public_id}/#history" in page
    detail = amina_client.get(reverse("learners:credential", args=[renewal.public_id])).content.decode()
    assert f"/wallet/credentials/{credential.public_id}/" in detail
    old = amina_client.get(reverse("learners:credential", args=[credential.public_id])).content.decode()
    assert f"/wallet/credentials/{renewal.public_id}/" in old  # "go to the newest version"


def test_the_wallet_loads_no_signed_document_and_as_many_queries_for_many_credentials_as_for_one(
    credential, issue, amina_client
):
    amina_client.get(reverse("learners:wallet"))  # the first visit makes the learner's profile
    _response, with_one = page_queries(amina_client, reverse("learners:wallet"))
    issue("amina@example.org", sign=False)
    issue("amina@example.org", replaces=credential)
    revoked = issue("amina@example.org")
    Credential.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now(), status=Credential.Status.REVOKED)
    issue("amina@example.org", valid_until=timezone.now() + timedelta(days=1))
    with freeze_time(timezone.now() + timedelta(days=2)):
        response, queries = page_queries(amina_client, reverse("learners:wallet"), HTTP_ACCEPT_LANGUAGE="en")
    assert signed_documents_loaded(queries) == []
    assert len(queries) == len(with_one)
    assert [state.key for _credential, state in response.context["credentials"]] == [
        "expired", "revoked", "issued", "pending"
    ]


def test_the_detail_page_shows_the_baked_image_with_a_text_alternative(credential, amina_client):
    page = amina_client.get(reverse("learners:credential", args=[credential.public_id]),
                            HTTP_ACCEPT_LANGUAGE="en").content.decode()
    png_url = reverse("learners:credential-download", args=[credential.public_id, "png"])
    assert f'<img src="{png_url}" alt="Badge: Samarbete i arbetsgrupp, from Testskolan"' in page
    assert "Amina Hassan" in page


def test_the_detail_page_shows_the_results_per_outcome(issue, achievement, amina_client):
    outcome = achievement.learning_outcomes.get()
    passed = outcome.rubric_levels.get(is_pass_level=True)
    credential = issue(results=[{"outcome": str(outcome.public_id), "level": str(passed.public_id),
                                 "status": "Completed"}])
    page = amina_client.get(reverse("learners:credential", args=[credential.public_id])).content.decode()
    assert (f'<td data-label="Läranderesultat">{outcome.statement}</td><td data-label="Resultat">Godkänd</td>'
            in page)


def stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as file:
        return file.read()


@pytest.mark.parametrize("kind, content_type", [("png", "image/png"), ("svg", "image/svg+xml")])
def test_baked_images_download_as_attachments_equal_to_the_stored_files(credential, amina_client, kind,
                                                                          content_type):
    response = amina_client.get(reverse("learners:credential-download", args=[credential.public_id, kind]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert f'{credential.public_id}.{kind}"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body == stored(credential.baked_png if kind == "png" else credential.baked_svg)
    assert site_verify(body).valid


def test_the_json_download_is_the_signed_document_and_verifies(credential, amina_client):
    response = amina_client.get(reverse("learners:credential-download", args=[credential.public_id, "json"]))
    assert response["Content-Type"] == "application/vc+ld+json"
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == credential.document
    result = site_verify(response.content)
    assert result.valid, [(c.name, c.reason) for c in result.checks if not c.passed]


def test_the_jwt_download_exists_only_when_the_issuer_signs_jwts(
    credential, amina_client, django_capture_on_commit_callbacks
):
    url = reverse("learners:credential-download", args=[credential.public_id, "jwt"])
    assert amina_client.get(url).status_code == 404
    from badges.credentials.issuing import credential_issue
    from badges.credentials.signing import credential_sign
    from tests.factories import make_achievement, make_issuer

    achievement = make_achievement(make_issuer("jwt-skolan", jwt_enabled=True))
    with django_capture_on_commit_callbacks(execute=False):
        signed = credential_issue(achievement=achievement, recipient_email="amina@example.org")
    credential_sign(credential_id=signed.id)
    signed.refresh_from_db()
    response = amina_client.get(reverse("learners:credential-download", args=[signed.public_id, "jwt"]))
    assert response["Content-Type"].startswith("text/plain")
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.decode() == signed.jwt
    assert site_verify(response.content).valid


def test_unknown_download_kinds_and_unsigned_credentials_are_404(credential, issue, amina_client):
    assert amina_client.get(f"/wallet/credentials/{credential.public_id}/download.exe").status_code == 404
    pending = issue("amina@example.org", sign=False)
    for kind in ("png", "svg", "json", "jwt"):
        url = reverse("learners:credential-download", args=[pending.public_id, kind])
        assert amina_client.get(url).status_code == 404


def test_sharing_is_off_by_default_and_switches_on_and_off(credential, amina_client):
    detail = reverse("learners:credential", args=[credential.public_id])
    share = reverse("learners:credential-share", args=[credential.public_id])
    page = amina_client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Sharing is off." in page and "linkedin.com" not in page and "<svg" not in page

    assert amina_client.post(share, {"enabled": "on"}).status_code == 302
    credential.refresh_from_db()
    assert credential.share_enabled is True
    page = amina_client.get(detail, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'value="http://localhost:8000/c/{credential.public_id}"' in page
    assert linkedin_add_url(credential).replace("&", "&amp;") in page
    assert '<svg role="img" focusable="false"' in page
    assert f"<title>QR code for the link to {credential.achievement.name}</title>" in page

    amina_client.post(share, {})
    credential.refresh_from_db()
    assert credential.share_enabled is False


def test_a_credential_not_yet_signed_cannot_be_shared(issue, amina, amina_client):
    pending = issue("amina@example.org", sign=False)
    amina_client.post(reverse("learners:credential-share", args=[pending.public_id]), {"enabled": "on"})
    pending.refresh_from_db()
    assert pending.share_enabled is False


def test_the_linkedin_link_is_prefilled_and_url_encoded(credential, settings):
    Credential.objects.filter(pk=credential.pk).update(
        awarded_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC)  # 1 April in Stockholm
    )
    credential.refresh_from_db()
    expected = (
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME"
        "&name=Samarbete%20i%20arbetsgrupp&organizationName=Testskolan&issueYear=2026&issueMonth=4"
        f"&certUrl=http%3A%2F%2Flocalhost%3A8000%2Fc%2F{credential.public_id}&certId={credential.public_id}"
    )
    assert linkedin_add_url(credential) == expected


def test_the_linkedin_link_carries_the_expiry_when_there_is_one(credential):
    Credential.objects.filter(pk=credential.pk).update(
        valid_until=datetime(2028, 6, 15, 12, tzinfo=UTC)
    )
    credential.refresh_from_db()
    params = dict(parse_qsl(urlsplit(linkedin_add_url(credential)).query))
    assert params["expirationYear"] == "2028" and params["expirationMonth"] == "6"
    assert params["certUrl"] == f"http://localhost:8000/c/{credential.public_id}"
