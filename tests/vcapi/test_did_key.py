"""An issuer's did:key: made once from the console (owners' EDIT_PROFILE), its private key sealed like every
signing key, rewrapped with them, and the status lists it signs name it."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_did_is_the_key_and_it_is_made_only_once(issuer, owner):
    from issuers.services import did_key_identity_create
    from issuers.signing import did_key_signer
    from ob3.keys import PublicKey

    identity = did_key_identity_create(issuer=issuer, by=owner.user)
    assert re.fullmatch(r"did:key:z6Mk[1-9A-HJ-NP-Za-km-z]+", identity.did)
    assert did_key_identity_create(issuer=issuer) == identity
    signer, method = did_key_signer(issuer)
    assert method == f"{identity.did}#{identity.did.removeprefix('did:key:')}"
    assert PublicKey.from_did_key(identity.did).to_jwk() == signer.public_key.to_jwk()
    assert identity.did not in repr(identity) and "private" not in repr(identity)
    # Owners see it in the audit log, once: the second call made nothing.
    from issuers.models import IssuerAuditEvent

    entry = IssuerAuditEvent.objects.get(issuer=issuer, kind="did_key_identity_created")
    assert entry.actor == owner.user and entry.subject == identity.did


def test_the_did_key_is_rewrapped_with_the_signing_keys(issuer, owner, settings):
    import base64

    from issuers.services import did_key_identity_create, signing_keys_rewrap
    from issuers.signing import did_key_signer

    identity = did_key_identity_create(issuer=issuer)
    before = did_key_signer(issuer)[0].public_key.to_jwk()
    settings.KEY_ENCRYPTION_PREVIOUS_KEYS = [settings.KEY_ENCRYPTION_KEY]
    settings.KEY_ENCRYPTION_KEY = base64.b64decode(base64.b64encode(bytes(range(1, 33))))
    assert signing_keys_rewrap() >= 2  # the issuer's Ed25519 key and its did:key
    settings.KEY_ENCRYPTION_PREVIOUS_KEYS = []
    identity.refresh_from_db()
    assert did_key_signer(issuer)[0].public_key.to_jwk() == before


def test_an_owner_creates_and_sees_it_in_the_console(client, issuer, owner):
    from issuers.models import DidKeyIdentity

    client.force_login(owner.user)
    page = client.get(f"/console/{issuer.slug}/did-key/")
    assert page.status_code == 200
    assert not re.search(rb"<script(?![^>]*\bsrc=)", page.content)  # no inline script (CSP)
    assert issuer.did.encode() in page.content

    response = client.post(f"/console/{issuer.slug}/did-key/")
    assert response.status_code == 302
    client.post(f"/console/{issuer.slug}/did-key/")  # a second click makes no second identity
    [identity] = DidKeyIdentity.objects.filter(issuer=issuer)
    assert identity.did.encode() in client.get(f"/console/{issuer.slug}/did-key/").content


def test_members_without_the_profile_capability_and_strangers_are_refused(client, issuer):
    from issuers.models import DidKeyIdentity, Role
    from tests.factories import make_member, make_user

    client.force_login(make_member(issuer, "assessor", Role.ASSESSOR).user)
    assert client.get(f"/console/{issuer.slug}/did-key/").status_code == 403
    assert client.post(f"/console/{issuer.slug}/did-key/").status_code == 403
    client.force_login(make_user("stranger"))
    assert client.post(f"/console/{issuer.slug}/did-key/").status_code == 404
    assert not DidKeyIdentity.objects.exists()


def test_the_profile_page_links_to_it(client, issuer, owner):
    client.force_login(owner.user)
    assert f"/console/{issuer.slug}/did-key/".encode() in client.get(f"/console/{issuer.slug}/profile/").content
