"""The extension context: served at /ns/v1 for good, named in credentials by EXTENSION_CONTEXT_URL, and
never fetched while signing or verifying (the platform loader maps our addresses to the vendored copy)."""

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from badges.contexts import extension_context_url, platform_canonicalizer, platform_loader
from badges.credentials.signing import credential_sign
from ob3.documents import CONTEXTS_DIR, DEFAULT_LOADER
from ob3.errors import UnknownContextError
from ob3.eu import MIKROMERIT_CONTEXT, SCHEMA_FILE
from ob3.jsonld import expand, safe_mode_problems
from ob3.schema import SCHEMAS_DIR
from tests.badges.site import failures, site_verify
from tests.config.test_settings_startup import PRODUCTION_ENV, run_django

PERMANENT = "https://contexts.example.org/mikromerit/v1"
IMMUTABLE = "public, max-age=31536000, immutable"


@pytest.mark.parametrize(("path", "file", "content_type"), [
    ("/ns/v1", CONTEXTS_DIR / "mikromerit-v1.jsonld", "application/ld+json"),
    ("/ns/v1/achievement-schema.json", SCHEMAS_DIR / SCHEMA_FILE, "application/schema+json"),
])
def test_the_context_and_schema_are_served_immutable_and_revalidate_by_etag(client, db, path, file, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response.content == file.read_bytes()
    assert response["Content-Type"] == content_type
    assert response["Cache-Control"] == IMMUTABLE
    assert response["Access-Control-Allow-Origin"] == "*"
    etag = response["ETag"]
    assert etag.startswith('"') and etag.endswith('"') and len(etag) > 10
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (again["ETag"], again["Cache-Control"]) == (etag, IMMUTABLE)
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_the_context_and_the_schema_have_different_etags(client, db):
    assert client.get("/ns/v1")["ETag"] != client.get("/ns/v1/achievement-schema.json")["ETag"]


def test_by_default_credentials_name_this_sites_ns_v1(credential):
    assert extension_context_url() == f"{settings.PUBLIC_BASE_URL}{reverse('achievements_public:context')}"
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.document["@context"][-1] == extension_context_url()
    # Only the platform's loader knows that address: nothing is fetched, ob3 alone refuses it.
    with pytest.raises(UnknownContextError):
        DEFAULT_LOADER(extension_context_url())
    result = site_verify(credential.document)
    assert result.valid, failures(result)


def test_the_public_achievement_document_names_the_same_address_and_passes_safe_mode(achievement, client):
    document = client.get(reverse("achievements_public:achievement", args=[achievement.public_id]),
                          HTTP_ACCEPT="application/ld+json").json()
    assert document["@context"][-1] == extension_context_url()
    assert safe_mode_problems(*expand(document, loader=platform_loader())) == []


def test_a_permanent_context_address_ends_up_in_the_credential_and_still_verifies(credential, client):
    with override_settings(EXTENSION_CONTEXT_URL=PERMANENT):
        credential_sign(credential_id=credential.id)
        credential.refresh_from_db()
        assert credential.document["@context"][-1] == PERMANENT
        for fast in (True, False):
            result = site_verify(credential.document, fast=fast)
            assert result.valid, failures(result)
        achievement = client.get(reverse("achievements_public:achievement", args=[credential.achievement.public_id]),
                                 HTTP_ACCEPT="application/ld+json").json()
        assert achievement["@context"][-1] == PERMANENT
        # Credentials issued before the operator set it name this site's /ns/v1; they keep verifying.
        assert platform_loader()(f"{settings.PUBLIC_BASE_URL}/ns/v1")["document"] == (
            DEFAULT_LOADER(MIKROMERIT_CONTEXT)["document"]
        )


def test_the_loader_is_built_once_per_setting(db):
    loader, canonicalizer = platform_loader(), platform_canonicalizer()
    assert platform_loader() is loader and platform_canonicalizer() is canonicalizer
    with override_settings(EXTENSION_CONTEXT_URL=PERMANENT):
        assert platform_loader() is not loader
        assert platform_loader()(PERMANENT)["document"] == DEFAULT_LOADER(MIKROMERIT_CONTEXT)["document"]
    with pytest.raises(UnknownContextError):
        loader(PERMANENT)
    assert platform_loader() is loader


@pytest.mark.parametrize(("value", "message"), [
    ("http://contexts.example.org/v1", "EXTENSION_CONTEXT_URL must be an https URL in production"),
    ("/ns/v1", "must be an absolute http(s) URL"),
    ("https://contexts.example.org/v1#terms", "without a fragment"),
])
def test_a_bad_context_address_stops_the_start_in_production(value, message):
    result = run_django({**PRODUCTION_ENV, "EXTENSION_CONTEXT_URL": value}, "check")
    assert result.returncode != 0
    assert message in result.stderr


def test_a_development_run_may_name_a_plain_http_address():
    result = run_django({"MIKROMERIT_DEV": "1", "EXTENSION_CONTEXT_URL": "http://localhost:9000/ns/v1"},
                        "shell", "-c", "from django.conf import settings; print(settings.EXTENSION_CONTEXT_URL)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "http://localhost:9000/ns/v1"
