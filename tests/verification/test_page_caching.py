"""A shared credential's page under load: its verdict kept between visits and never trusted past a change or
its bound, its QR code drawn once, and cache headers a shared cache can use."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone
from freezegun import freeze_time

from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.credentials.verdict_cache import verdict_cache_key
from badges.models import Credential
from issuers.models import SigningKey
from issuers.services import signing_key_mark_compromised
from tests.factories import make_user, workflow_member
from verification import checking, views

pytestmark = pytest.mark.django_db

PUBLIC = "public, max-age=22, s-maxage=22, stale-while-revalidate=5"


@pytest.fixture
def shared(credential):
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    credential.refresh_from_db()
    return credential


@pytest.fixture
def verifications(monkeypatch):
    """Every full verification of one of our credentials, as it runs (the real one, observed)."""
    calls = []
    real = checking.credential_verify

    def observed(**kwargs):
        calls.append(kwargs["credential"].pk)
        return real(**kwargs)

    monkeypatch.setattr(checking, "credential_verify", observed)
    return calls


def page(client, credential, **headers):
    return client.get(f"/c/{credential.public_id}", headers={"Accept-Language": "en", **headers})


def vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",") if part.strip()}


# --- The verdict, kept --------------------------------------------------------------------------------
def test_the_verdict_is_computed_once_for_many_visits(client, shared, verifications):
    for _visit in range(3):
        assert page(client, shared).context["checked"].verdict == "valid"
    assert verifications == [shared.pk]


def test_revoking_shows_at_once_on_the_next_visit(client, shared, verifications):
    assert page(client, shared).context["checked"].verdict == "valid"
    credential_revoke(credential=shared, by=workflow_member(shared.issuer, "owner").user, reason="Fusk")
    assert cache.get(verdict_cache_key(shared.pk)) is None  # forgotten by the revocation
    response = page(client, shared)
    assert response.context["checked"].verdict == "revoked"
    assert "Fusk" in response.content.decode()
    assert verifications == [shared.pk, shared.pk]


def test_a_valid_verdict_stored_after_the_revocation_by_a_slower_visit_is_not_believed(client, shared):
    # A visit that began before the revocation stores its "valid" after the revocation forgot the entry.
    before = checking._verdict_fingerprint(shared)
    valid = checking.credential_verify(credential=shared)
    credential_revoke(credential=shared, by=workflow_member(shared.issuer, "owner").user, reason="Fusk")
    cache.set(verdict_cache_key(shared.pk), (before, timezone.now(), valid.result))
    assert page(client, shared).context["checked"].verdict == "revoked"


def test_a_reported_key_compromise_changes_the_verdict_without_waiting(client, shared):
    assert page(client, shared).context["checked"].verdict == "valid"
    key = SigningKey.objects.get(issuer=shared.issuer, kind=SigningKey.Kind.ED25519)
    signing_key_mark_compromised(key, since=timezone.now() - timedelta(days=1))
    assert page(client, shared).context["checked"].verdict == "invalid"


def test_a_kept_verdict_is_not_used_past_its_bound(client, shared, verifications, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    with freeze_time(timezone.now()) as clock:
        page(client, shared)
        clock.tick(timedelta(seconds=59))
        page(client, shared)
        assert verifications == [shared.pk]
        clock.tick(timedelta(seconds=2))
        page(client, shared)
    assert verifications == [shared.pk, shared.pk]


def test_a_kept_verdict_is_not_used_once_the_credential_expired_meanwhile(shared):
    computed = timezone.now()
    entry = ("f", computed, checking.credential_verify(credential=shared).result)
    until = {"validUntil": (computed + timedelta(seconds=10)).isoformat()}
    assert checking._still_current(entry, "f", computed + timedelta(seconds=5), until)
    assert not checking._still_current(entry, "f", computed + timedelta(seconds=11), until)
    assert not checking._still_current(entry, "other", computed + timedelta(seconds=5), until)


def test_an_unreadable_cache_means_computing(client, shared, verifications):
    with mock.patch("badges.credentials.verdict_cache.cache.get", side_effect=ConnectionError("cache down")):
        assert page(client, shared).context["checked"].verdict == "valid"
        assert page(client, shared).context["checked"].verdict == "valid"
    assert verifications == [shared.pk, shared.pk]


def test_something_else_under_the_key_is_not_believed(client, shared, verifications):
    cache.set(verdict_cache_key(shared.pk), "valid")
    assert page(client, shared).context["checked"].verdict == "valid"
    assert verifications == [shared.pk]


# --- The QR code -------------------------------------------------------------------------------------
def test_the_qr_code_is_drawn_once_per_address(client, shared, monkeypatch):
    views._qr_svg_in.cache_clear()
    drawn = []
    real = views.segno.make
    monkeypatch.setattr(views.segno, "make", lambda url, **kw: drawn.append(url) or real(url, **kw))
    first, second = page(client, shared), page(client, shared)
    assert len(drawn) == 1 and drawn[0].endswith(f"/c/{shared.public_id}")
    assert first.context["qr_svg"] == second.context["qr_svg"] and "<svg" in first.context["qr_svg"]


# --- Headers ----------------------------------------------------------------------------------------
def test_an_anonymous_visitor_gets_a_public_page_that_does_not_vary_on_cookies(client, shared):
    response = page(client, shared)
    assert response["Cache-Control"] == PUBLIC
    assert vary(response) == {"Accept", "Accept-Language"}
    assert not response.cookies  # no session, no CSRF cookie
    assert response["ETag"]
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert 'action="/i18n/public-setlang/"' in html


def test_a_matching_etag_answers_not_modified(client, shared):
    etag = page(client, shared)["ETag"]
    again = page(client, shared, **{"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    assert (again["ETag"], again["Cache-Control"]) == (etag, PUBLIC)
    assert page(client, shared, **{"If-None-Match": '"other"'}).status_code == 200


def test_the_language_cookie_makes_the_page_vary_on_cookies(client, shared):
    client.cookies["django_language"] = "sv"
    response = client.get(f"/c/{shared.public_id}")
    assert response["Cache-Control"] == PUBLIC
    assert "Cookie" in vary(response)
    assert 'lang="sv"' in response.content.decode()


def test_a_signed_in_visitor_gets_a_private_page(client, shared):
    client.force_login(make_user("visitor"))
    response = page(client, shared)
    assert response["Cache-Control"] == "private, no-cache"
    assert {"Accept", "Accept-Language", "Cookie"} <= vary(response)
    assert "csrfmiddlewaretoken" in response.content.decode()  # their own token, for signing out


def test_the_signed_document_is_public_for_everyone_and_does_not_vary_on_cookies(client, shared):
    client.force_login(make_user("visitor"))
    response = page(client, shared, Accept="application/ld+json")
    assert response["Cache-Control"] == PUBLIC
    assert vary(response) == {"Accept", "Accept-Language"}  # the latter from LocaleMiddleware, on every answer
    assert page(client, shared, Accept="application/ld+json", **{"If-None-Match": response["ETag"]}).status_code == 304


def test_an_unknown_or_unshared_credential_is_not_cached(client, shared):
    Credential.objects.filter(pk=shared.pk).update(share_enabled=False)
    response = page(client, shared)
    assert response.status_code == 404
    assert "Cache-Control" not in response


def test_the_public_language_form_changes_the_language_without_a_csrf_token(client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/public-setlang/", {"language": "sv", "next": "/verify/"})
    assert response.status_code == 302 and response["Location"] == "/verify/"
    assert response.cookies["django_language"].value == "sv"
    assert client.get("/i18n/public-setlang/").status_code == 405
