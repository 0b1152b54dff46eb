"""Credentials and status lists under each issuer identity (https or did:web), checked the way an
independent verifier checks them: through the documents this site serves."""

import base64
import json
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from freezegun import freeze_time

from badges.contexts import platform_loader
from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.models import Credential, StatusList
from issuers.models import IdentityKind, Issuer
from issuers.services import signing_key_rotate
from issuers.signing import legacy_verification_method_id, signer_for
from ob3.eu import MIKROMERIT_CONTEXT
from ob3.jsonld import expand, safe_mode_problems
from ob3.proofs.data_integrity import sign_credential
from tests.badges.site import failures, site_resolver, site_verify
from tests.factories import make_achievement, make_issuer, workflow_member
from verification.documents import local_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def jwt_achievement(db):
    return make_achievement(make_issuer("jwt-skolan", jwt_enabled=True))


def set_identity(issuer, identity_kind):
    Issuer.objects.filter(pk=issuer.pk).update(identity_kind=identity_kind)
    issuer.refresh_from_db()


def issue_and_sign(achievement, django_capture_on_commit_callbacks, email="amina@example.org") -> Credential:
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email=email)
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED, list(credential.events.values_list("kind", "data"))
    return credential


def active(issuer, kind):
    return issuer.signing_keys.get(kind=kind, status="active")


def expected_methods(issuer, identity_kind):
    """The contract's table: what proofs (Ed25519) and VC-JWT kids (RSA) point at."""
    ed, rsa = active(issuer, "ed25519"), issuer.signing_keys.filter(kind="rsa", status="active").first()
    if identity_kind == IdentityKind.HTTPS:
        return f"{issuer.public_id}/keys/{ed.thumbprint}", rsa and f"{issuer.public_id}/keys/{rsa.thumbprint}"
    return f"{issuer.did}#{ed.public_key_multibase}", rsa and f"{issuer.did}#{rsa.thumbprint}"


def jwt_parts(token):
    header, payload, _signature = token.split(".")
    return [json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in (header, payload)]


def safe_mode(document):
    return safe_mode_problems(*expand(document, loader=platform_loader()))


def served_status_list(credential):
    return local_document(credential.document["credentialStatus"]["statusListCredential"])


# --- each identity, end to end ----------------------------------------------------------------------------
@pytest.mark.parametrize("identity_kind", IdentityKind.values)
def test_a_credential_names_the_issuers_identity_and_verifies_through_the_served_documents(
    jwt_achievement, django_capture_on_commit_callbacks, identity_kind
):
    issuer = jwt_achievement.issuer
    set_identity(issuer, identity_kind)
    credential = issue_and_sign(jwt_achievement, django_capture_on_commit_callbacks)
    document = credential.document
    proof_method, kid = expected_methods(issuer, identity_kind)

    assert document["issuer"]["id"] == issuer.identity == issuer.identity_for(identity_kind)
    assert document["proof"][0]["verificationMethod"] == proof_method
    header, payload = jwt_parts(credential.jwt)
    assert (header["kid"], payload["iss"]) == (kid, issuer.identity)

    for data in (document, credential.jwt):
        result = site_verify(data)
        assert result.valid, failures(result)
    assert site_verify(document, fast=False).valid

    resolver = site_resolver()
    assert resolver.resolve(proof_method).public_key.to_multikey() == active(issuer, "ed25519").public_key_multibase
    assert resolver.resolve_jwt_key(header).public_key.to_jwk() == active(issuer, "rsa").public_key_jwk


@pytest.mark.parametrize("identity_kind", IdentityKind.values)
def test_the_status_list_names_the_same_identity_and_passes_safe_mode(
    jwt_achievement, django_capture_on_commit_callbacks, identity_kind
):
    issuer = jwt_achievement.issuer
    set_identity(issuer, identity_kind)
    credential = issue_and_sign(jwt_achievement, django_capture_on_commit_callbacks)
    listing = served_status_list(credential)
    assert credential.status_list.identity_kind == identity_kind
    assert listing["issuer"] == issuer.identity
    assert listing["proof"][0]["verificationMethod"] == expected_methods(issuer, identity_kind)[0]
    assert safe_mode(listing) == []
    result = site_verify(listing)
    assert result.check("proof").passed, failures(result)


@pytest.mark.parametrize("identity_kind", IdentityKind.values)
def test_after_a_key_rotation_old_and_new_credentials_both_verify(
    jwt_achievement, django_capture_on_commit_callbacks, identity_kind
):
    issuer = jwt_achievement.issuer
    set_identity(issuer, identity_kind)
    old_key = active(issuer, "ed25519")
    before = issue_and_sign(jwt_achievement, django_capture_on_commit_callbacks, "eli@example.org")
    signing_key_rotate(issuer=issuer, kind="ed25519")
    signing_key_rotate(issuer=issuer, kind="rsa")
    new_key = active(issuer, "ed25519")
    after = issue_and_sign(jwt_achievement, django_capture_on_commit_callbacks, "saman@example.org")

    methods = [credential.document["proof"][0]["verificationMethod"] for credential in (before, after)]
    assert methods[0] != methods[1]
    resolver = site_resolver()
    assert [resolver.resolve(method).public_key.to_multikey() for method in methods] == [
        old_key.public_key_multibase, new_key.public_key_multibase]
    for credential in (before, after):
        for data in (credential.document, credential.jwt):
            result = site_verify(data)
            assert result.valid, failures(result)


def test_a_credential_signed_before_issuers_chose_an_identity_still_verifies(
    achievement, django_capture_on_commit_callbacks
):
    """The old way: proof at `{public_id}#z6Mk…` and the extension context at ob3's own address."""
    credential = issue_and_sign(achievement, django_capture_on_commit_callbacks)
    key = active(achievement.issuer, "ed25519")
    unsigned = {name: value for name, value in credential.document.items() if name != "proof"}
    unsigned["@context"] = [*unsigned["@context"][:-1], MIKROMERIT_CONTEXT]
    signer, _method = signer_for(achievement.issuer, "ed25519")
    legacy_id = legacy_verification_method_id(key)
    assert legacy_id == f"{achievement.issuer.public_id}#{key.public_key_multibase}"
    old = sign_credential(unsigned, signer=signer, verification_method=legacy_id, created=credential.valid_from)

    resolved = site_resolver().resolve(legacy_id)
    assert resolved.public_key.to_multikey() == key.public_key_multibase
    assert resolved.source == f"controller document {achievement.issuer.public_id}"  # not the fragment
    result = site_verify(old)
    assert result.valid, failures(result)


# --- status lists across a change of identity -------------------------------------------------------------
def test_each_identity_gets_its_own_lists_and_old_lists_keep_theirs(achievement, django_capture_on_commit_callbacks):
    issuer = achievement.issuer
    first = issue_and_sign(achievement, django_capture_on_commit_callbacks, "eli@example.org")
    set_identity(issuer, IdentityKind.DID_WEB)
    second = issue_and_sign(achievement, django_capture_on_commit_callbacks, "saman@example.org")
    assert first.status_list_id != second.status_list_id  # the https list is open but names the other id
    assert (first.status_list.identity_kind, second.status_list.identity_kind) == ("https", "did:web")
    assert (first.document["issuer"]["id"], second.document["issuer"]["id"]) == (issuer.public_id, issuer.did)

    # Revoking the earlier credential re-signs its list, still as the https identity.
    credential_revoke(credential=first, by=workflow_member(issuer, "owner").user, reason="Fel person.")
    listing = served_status_list(first)
    assert listing["issuer"] == issuer.public_id
    assert listing["proof"][0]["verificationMethod"] == expected_methods(issuer, IdentityKind.HTTPS)[0]
    assert site_verify(first.document).verdict == "revoked"
    result = site_verify(second.document)
    assert result.valid, failures(result)

    set_identity(issuer, IdentityKind.HTTPS)
    third = issue_and_sign(achievement, django_capture_on_commit_callbacks, "noor@example.org")
    assert third.status_list_id == first.status_list_id
    assert StatusList.objects.count() == 2


def test_a_rerun_of_signing_keeps_the_list_and_so_the_identity_it_started_with(
    achievement, django_capture_on_commit_callbacks
):
    issuer = achievement.issuer
    with django_capture_on_commit_callbacks(execute=False):
        credential = credential_issue(achievement=achievement, recipient_email="amina@example.org")
    with freeze_time("2026-01-01 12:00:00"):
        # The worker dies after the credential got its index (SystemExit is not caught by the service).
        with mock.patch("badges.credentials.signing.bake_png", side_effect=SystemExit), pytest.raises(SystemExit):
            credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    https_list = credential.status_list
    assert https_list.identity_kind == IdentityKind.HTTPS

    set_identity(issuer, IdentityKind.DID_WEB)
    with freeze_time("2026-01-01 12:00:00") as frozen:
        frozen.tick(timedelta(minutes=settings.CREDENTIAL_SIGNING_STALE_MINUTES + 1))
        credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED
    assert credential.status_list_id == https_list.pk
    assert credential.document["issuer"]["id"] == issuer.public_id == served_status_list(credential)["issuer"]
    assert credential.document["proof"][0]["verificationMethod"] == expected_methods(issuer, IdentityKind.HTTPS)[0]
    result = site_verify(credential.document)
    assert result.valid, failures(result)
