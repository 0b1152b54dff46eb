from collections import Counter
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from freezegun import freeze_time

from badges.credentials import signing
from badges.credentials.signing import credential_claim, credential_sign
from badges.models import Credential
from issuers.models import SigningKey
from issuers.services import signing_key_mark_compromised
from issuers.signing import key_url
from ob3.baking import unbake
from ob3.resolve import KeyResolver
from tests.badges.site import failures, site_resolver, site_verify

pytestmark = pytest.mark.django_db


def event_kinds(credential: Credential) -> list[str]:
    return list(credential.events.values_list("kind", flat=True))


def platform_resolver(issuer) -> KeyResolver:
    """Every document the site serves, `issuer`'s among them (kept for the modules that import it)."""
    return site_resolver()


def test_it_signs_bakes_and_stores_a_credential_that_verifies(credential):
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED
    assert event_kinds(credential) == ["issue_requested", "signing_started", "issued"]
    document = credential.document
    assert document["id"] == f"urn:uuid:{credential.public_id}"
    assert document["issuer"]["id"] == credential.issuer.public_id
    active = credential.issuer.signing_keys.get(kind=SigningKey.Kind.ED25519, status=SigningKey.Status.ACTIVE)
    assert document["proof"][0]["verificationMethod"] == f"{credential.issuer.public_id}/keys/{active.thumbprint}"
    assert credential.jwt == ""

    result = site_verify(document)
    assert result.valid, failures(result)

    for field in (credential.baked_png, credential.baked_svg):
        with default_storage.open(field.name, "rb") as file:
            assert unbake(file.read()) == document


def test_it_also_signs_a_vc_jwt_when_the_issuer_wants_one(django_capture_on_commit_callbacks):
    from badges.credentials.issuing import credential_issue
    from tests.factories import make_achievement, make_issuer

    achievement = make_achievement(make_issuer("jwt-skolan", jwt_enabled=True))
    with django_capture_on_commit_callbacks():
        credential = credential_issue(achievement=achievement, recipient_email="saman@example.org")
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.jwt.count(".") == 2
    result = site_verify(credential.jwt)
    assert result.valid, failures(result)
    with default_storage.open(credential.baked_png.name, "rb") as file:
        assert unbake(file.read()) == credential.jwt


def test_running_it_twice_signs_once(credential):
    with mock.patch("badges.credentials.signing.sign_credential", wraps=signing.sign_credential) as sign:
        credential_sign(credential_id=credential.id)
        credential_sign(credential_id=credential.id)
    assert sign.call_count == 1
    assert Counter(event_kinds(credential)) == Counter({"issue_requested": 1, "signing_started": 1, "issued": 1})
    credential.refresh_from_db()
    assert credential.attempts == 1


def test_only_one_of_two_concurrent_claims_wins(credential):
    assert credential_claim(credential_id=credential.id) is not None
    assert credential_claim(credential_id=credential.id) is None
    credential.refresh_from_db()
    assert credential.status == Credential.Status.SIGNING
    assert credential.attempts == 1


def test_a_stale_claim_can_be_taken_over(credential, settings):
    with freeze_time("2026-01-01 12:00:00"):
        assert credential_claim(credential_id=credential.id)
    with freeze_time("2026-01-01 12:00:00") as frozen:
        frozen.tick(timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES - 1))
        assert credential_claim(credential_id=credential.id) is None
        frozen.tick(timedelta(minutes=2))
        assert credential_claim(credential_id=credential.id) is not None


def test_a_rerun_after_a_crash_finishes_the_same_credential(credential, settings):
    with freeze_time("2026-01-01 12:00:00"):
        # The worker dies between signing and baking (SystemExit is not caught by the service).
        with mock.patch("badges.credentials.signing.bake_png", side_effect=SystemExit), pytest.raises(SystemExit):
            credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.SIGNING

    with freeze_time("2026-01-01 12:00:00") as frozen:
        frozen.tick(timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES + 1))
        credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED
    assert Credential.objects.count() == 1
    assert credential.baked_png.name == f"credentials/{credential.public_id}.png"
    assert event_kinds(credential).count("issued") == 1


def test_a_run_that_lost_its_claim_does_not_overwrite_the_winner(credential, settings):
    stale = timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES + 1)
    with freeze_time("2026-01-01 12:00:00") as frozen:
        original_bake = signing.bake_png

        def slow_bake(image, content):
            # While this run is "slow", its claim goes stale and another run signs the credential.
            frozen.tick(stale)
            with mock.patch("badges.credentials.signing.bake_png", original_bake):
                credential_sign(credential_id=credential.id)
            return original_bake(image, content)

        with mock.patch("badges.credentials.signing.bake_png", side_effect=slow_bake):
            credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED
    assert event_kinds(credential).count("issued") == 1
    assert credential.attempts == 2


def test_an_unpublished_achievement_fails_without_retry(credential):
    credential.achievement.status = "draft"
    credential.achievement.save(update_fields=["status"])
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.FAILED
    failed = credential.events.get(kind="failed")
    assert failed.data["code"] == "achievement_unpublished"


def test_an_issuer_without_an_active_key_fails_without_retry(credential):
    key = credential.issuer.signing_keys.get(status="active")
    key.status = SigningKey.Status.RETIRED
    key.save(update_fields=["status"])
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.FAILED
    assert credential.events.get(kind="failed").data["code"] == "no_active_key"


def test_a_compromised_key_is_never_used_again(credential):
    old = credential.issuer.signing_keys.get(status="active")
    replacement = signing_key_mark_compromised(old, since=timezone.now())
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.document["proof"][0]["verificationMethod"] == key_url(replacement)


def test_a_storage_outage_releases_the_claim_and_propagates(credential):
    with mock.patch("badges.credentials.signing._store", side_effect=OSError("disk unavailable")):
        with pytest.raises(OSError, match="disk unavailable"):
            credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.PENDING
    assert credential.claimed_at is None
    assert event_kinds(credential)[-1] == "signing_interrupted"
    credential_sign(credential_id=credential.id)  # the retry can claim it again
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED
