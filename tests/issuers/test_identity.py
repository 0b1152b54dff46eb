"""An issuer's identity (https or did:web): the ids it gives keys, the documents it publishes, and
choosing it in the console or on the command line."""

import logging
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from badges.contexts import platform_loader
from issuers import documents
from issuers.models import IdentityKind, Issuer, Role
from issuers.services import issuer_profile_update, signing_key_mark_compromised, signing_key_rotate
from issuers.signing import signer_for, verification_method_id
from ob3.jsonld import expand, safe_mode_problems
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.django_db

BASE = "http://localhost:8000"
DID = "did:web:localhost%3A8000:issuers:jwt-skolan"
HTTPS_ID = f"{BASE}/issuers/jwt-skolan"


@pytest.fixture(autouse=True)
def _public_base_url(settings):
    settings.PUBLIC_BASE_URL = BASE


def keys(issuer):
    return tuple(issuer.signing_keys.get(kind=kind, status="active") for kind in ("ed25519", "rsa"))


def set_identity(issuer, kind):
    Issuer.objects.filter(pk=issuer.pk).update(identity_kind=kind)
    issuer.refresh_from_db()


def safe_mode(document):
    expanded, dropped = expand(document, loader=platform_loader())
    return safe_mode_problems(expanded, dropped)


# --- the id credentials name, and the verification method ids ---------------------------------------------
def test_https_is_the_default_identity(issuer):
    assert issuer.identity_kind == IdentityKind.HTTPS
    assert issuer.identity == issuer.public_id == f"{BASE}/issuers/{issuer.slug}"


def test_a_did_web_issuer_is_named_by_its_did(jwt_issuer):
    set_identity(jwt_issuer, IdentityKind.DID_WEB)
    assert jwt_issuer.identity == jwt_issuer.did == DID
    assert jwt_issuer.identity_for(IdentityKind.HTTPS) == HTTPS_ID


def test_verification_method_ids_follow_the_table(jwt_issuer):
    ed, rsa = keys(jwt_issuer)
    table = {
        (IdentityKind.HTTPS, "ed25519"): f"{HTTPS_ID}/keys/{ed.thumbprint}",
        (IdentityKind.HTTPS, "rsa"): f"{HTTPS_ID}/keys/{rsa.thumbprint}",
        (IdentityKind.DID_WEB, "ed25519"): f"{DID}#{ed.public_key_multibase}",
        (IdentityKind.DID_WEB, "rsa"): f"{DID}#{rsa.thumbprint}",
    }
    for (identity_kind, kind), expected in table.items():
        key = ed if kind == "ed25519" else rsa
        assert verification_method_id(key, identity_kind) == expected
        assert signer_for(jwt_issuer, kind, identity_kind=identity_kind)[1] == expected
    for kind in ("ed25519", "rsa"):
        set_identity(jwt_issuer, IdentityKind.DID_WEB)
        assert signer_for(jwt_issuer, kind)[1] == table[(IdentityKind.DID_WEB, kind)]
        set_identity(jwt_issuer, IdentityKind.HTTPS)
        assert signer_for(jwt_issuer, kind)[1] == table[(IdentityKind.HTTPS, kind)]


# --- the documents ------------------------------------------------------------------------------------------
def test_the_ed25519_key_url_serves_a_multikey_document(client, issuer):
    key = issuer.signing_keys.get(kind="ed25519")
    response = client.get(f"/issuers/{issuer.slug}/keys/{key.thumbprint}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "@context": "https://w3id.org/security/multikey/v1",
        "id": f"{BASE}/issuers/{issuer.slug}/keys/{key.thumbprint}",
        "type": "Multikey",
        "controller": f"{BASE}/issuers/{issuer.slug}",
        "publicKeyMultibase": key.public_key_multibase,
    }


def test_the_profile_lists_the_rsa_key_as_a_json_web_key(client, jwt_issuer):
    ed, rsa = keys(jwt_issuer)
    profile = client.get(f"/issuers/{jwt_issuer.slug}", HTTP_ACCEPT="application/ld+json").json()
    kid = f"{HTTPS_ID}/keys/{rsa.thumbprint}"
    assert {"id": kid, "type": "JsonWebKey", "controller": HTTPS_ID, "publicKeyJwk": rsa.public_key_jwk} in (
        profile["verificationMethod"]
    )
    assert profile["assertionMethod"] == [f"{HTTPS_ID}/keys/{ed.thumbprint}", f"{HTTPS_ID}#{ed.public_key_multibase}",
                                          kid]


@pytest.mark.parametrize("identity_kind", IdentityKind.values)
def test_both_documents_are_published_whatever_the_identity(client, jwt_issuer, identity_kind):
    set_identity(jwt_issuer, identity_kind)
    profile = client.get(f"/issuers/{jwt_issuer.slug}", HTTP_ACCEPT="application/ld+json").json()
    did_document = client.get(f"/issuers/{jwt_issuer.slug}/did.json").json()
    assert (profile["id"], profile["alsoKnownAs"]) == (HTTPS_ID, [DID])
    assert (did_document["id"], did_document["alsoKnownAs"]) == (DID, [HTTPS_ID])
    assert documents.profile_document(jwt_issuer) == profile


def test_every_served_document_passes_json_ld_safe_mode(client, jwt_issuer):
    ed, rsa = keys(jwt_issuer)
    signing_key_rotate(issuer=jwt_issuer, kind="ed25519")
    signing_key_mark_compromised(rsa, since=datetime(2026, 3, 1, tzinfo=UTC))  # `revoked` must be defined too
    served = {
        "profile": client.get(f"/issuers/{jwt_issuer.slug}", HTTP_ACCEPT="application/ld+json").json(),
        "did": client.get(f"/issuers/{jwt_issuer.slug}/did.json").json(),
        **{
            f"key {key.thumbprint}": client.get(f"/issuers/{jwt_issuer.slug}/keys/{key.thumbprint}").json()
            for key in jwt_issuer.signing_keys.filter(kind="ed25519")
        },
    }
    assert "revoked" in str(served["profile"]) and "revoked" in str(served["did"])
    for name, document in served.items():
        assert safe_mode(document) == [], name


def test_the_rsa_key_url_serves_a_bare_jwk_for_vc_jwt_verifiers(client, jwt_issuer):
    _ed, rsa = keys(jwt_issuer)
    jwk = client.get(f"/issuers/{jwt_issuer.slug}/keys/{rsa.thumbprint}").json()
    # Not JSON-LD on purpose: VC-JWT verifiers (and the 1EdTech validator) expect a JWK at the kid URL.
    assert "@context" not in jwk
    assert (jwk["kid"], jwk["iss"]) == (f"{HTTPS_ID}/keys/{rsa.thumbprint}", HTTPS_ID)


def test_an_unknown_key_is_not_found(client, issuer):
    other = make_issuer("annanskola")
    key = other.signing_keys.get()
    assert client.get(f"/issuers/{issuer.slug}/keys/{key.thumbprint}").status_code == 404
    assert client.get(f"/issuers/{issuer.slug}/keys/nothing").status_code == 404


# --- choosing it -----------------------------------------------------------------------------------------
PROFILE = {
    "name": "Testskolan", "country_code": "SE", "description": "", "url": "", "email": "", "phone": "",
    "official_identifier": "", "street_address": "", "postal_code": "", "locality": "", "region": "",
}  # the profile form's fields apart from identity_kind, which each test sets


def test_an_owner_chooses_did_web_in_the_console_and_it_is_logged(client, issuer, caplog):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    with caplog.at_level(logging.INFO, logger="issuers.services"):
        response = client.post(reverse("console:profile", args=[issuer.slug]),
                               {**PROFILE, "identity_kind": "did:web"})
    assert response.status_code == 302
    issuer.refresh_from_db()
    assert issuer.identity_kind == IdentityKind.DID_WEB and issuer.identity == issuer.did
    changed = [record for record in caplog.records if record.getMessage() == "issuer identity changed"]
    assert [(record.issuer, record.__dict__["from"], record.to) for record in changed] == [
        (issuer.slug, "https", "did:web")]


def test_the_console_page_explains_the_choice(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    page = client.get(reverse("console:profile", args=[issuer.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'value="https"' in page and 'value="did:web"' in page
    assert "Web address (https)" in page and "Decentralised identifier (did:web)" in page
    for phrase in ("is the default", "without a DID resolver", "public issuer page",
                   "wallets and registries that expect", "only credentials issued afterwards",
                   "both documents stay published"):
        assert phrase in page, phrase


def test_an_unknown_identity_is_refused(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    response = client.post(reverse("console:profile", args=[issuer.slug]), {**PROFILE, "identity_kind": "did:key"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    issuer.refresh_from_db()
    assert issuer.identity_kind == IdentityKind.HTTPS


@pytest.mark.parametrize("role", [Role.DESIGNER, Role.ASSESSOR, Role.QA_REVIEWER])
def test_no_other_role_can_change_it(client, issuer, role):
    client.force_login(make_member(issuer, "someone", role).user)
    response = client.post(reverse("console:profile", args=[issuer.slug]), {**PROFILE, "identity_kind": "did:web"})
    assert response.status_code == 403
    issuer.refresh_from_db()
    assert issuer.identity_kind == IdentityKind.HTTPS


def test_a_member_of_another_issuer_cannot_change_it(client, issuer):
    client.force_login(make_member(make_issuer("annanskola"), "olle", Role.OWNER).user)
    response = client.post(reverse("console:profile", args=[issuer.slug]), {**PROFILE, "identity_kind": "did:web"})
    assert response.status_code == 404
    issuer.refresh_from_db()
    assert issuer.identity_kind == IdentityKind.HTTPS


def test_the_swedish_page_explains_the_choice_in_swedish(client, issuer):
    client.force_login(make_member(issuer, "ingrid", Role.OWNER).user)
    page = client.get(reverse("console:profile", args=[issuer.slug]), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="sv">' in page
    for text in ("Identitet i intyg", "Webbadress (https)", "Decentraliserad identifierare (did:web)",
                 "utan en DID-resolver", "bara intyg som utfärdas efteråt"):
        assert text in page, text


def test_a_profile_edit_without_an_identity_leaves_it_alone(issuer):
    issuer_profile_update(issuer=issuer, identity_kind=IdentityKind.DID_WEB, **{
        field: getattr(issuer, field) for field in (
            "name", "url", "email", "phone", "description", "street_address", "postal_code", "locality", "region",
            "country_code", "official_identifier",
        )
    })
    issuer_profile_update(issuer=issuer, **{**PROFILE, "name": "Testskolan Norr"})
    issuer.refresh_from_db()
    assert (issuer.name, issuer.identity_kind) == ("Testskolan Norr", IdentityKind.DID_WEB)


def test_the_command_creates_a_did_web_issuer(capsys):
    call_command("issuer_create", "--slug", "komvux", "--name", "Komvux", "--identity", "did:web")
    issuer = Issuer.objects.get(slug="komvux")
    assert issuer.identity_kind == IdentityKind.DID_WEB
    assert f"credentials name: {issuer.did}" in capsys.readouterr().out


def test_the_command_defaults_to_https_and_refuses_other_identities(capsys):
    call_command("issuer_create", "--slug", "komvux", "--name", "Komvux")
    assert Issuer.objects.get(slug="komvux").identity_kind == IdentityKind.HTTPS
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("issuer_create", "--slug", "annan", "--name", "Annan", "--identity", "did:key")
