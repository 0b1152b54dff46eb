"""Independent verifiers accept what the running platform publishes.

Credentials go through the real pipeline (`credential_issue`, then the signing task's body) for an
issuer with an https id and one with a did:web id, both also issuing VC-JWT, before and after their keys
are rotated; one credential of each is revoked. A third issuer without VC-JWT covers images baked with
the JSON credential. Node (interop/published.mjs) is handed only what a learner holds (the stored JSON,
the JWT, the baked PNG and SVG) and where the public origin is served: Digital Bazaar's @digitalbazaar/vc,
the DCC's verifier-core and jose fetch every key, controller and DID document, status list and our
extension context from the live server, as they would from the real site.

Run by `make interop`; skipped with the reason when Node or interop/node_modules is missing, except
under CI, where that fails.
"""

from __future__ import annotations

import base64
import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from badges.credentials.issuing import credential_issue
from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.credentials.status_lists import status_list_url
from badges.models import Credential, StatusList
from issuers.models import IdentityKind, Issuer, Role, SigningKey
from issuers.services import issuer_create, signing_key_rotate
from tests.factories import make_achievement, workflow_member
from tests.interop import published

PUBLIC_ORIGIN = "https://mikromerit.test"
EXTENSION_CONTEXT_URL = f"{PUBLIC_ORIGIN}/ns/v1"
# verifier-core checks credentials against 1EdTech's schema; published.mjs answers that URL from ../shared/ob3
# (the repository holds no copy of it).
OB_SCHEMA_URL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
OB_SCHEMA_FILE = (Path(__file__).resolve().parents[2].parent / "shared" / "ob3" / "schemas" / "purl"
                  / "ob_v3p0_achievementcredential_schema.json")
BOTH = ("digitalbazaar", "dcc")

UNAVAILABLE = published.unavailable()
pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        UNAVAILABLE is not None and not published.must_run(), reason=f"published-credential interop: {UNAVAILABLE}"
    ),
]


@dataclass
class Issued:
    label: str  # e.g. "https-skolan/old-key"
    key: str  # "old" or "new": signed before or after the issuer's keys were rotated
    credential: Credential


@dataclass
class Held:
    """One credential as its holder has it, in every form the platform gives out."""

    label: str
    issuer: str  # the identity kind, or "https-no-jwt"
    key: str
    revoked: bool
    forms: dict[str, Any]  # json: dict, jwt: str, png: base64 str, svg: str

    @property
    def document(self) -> dict[str, Any]:
        return self.forms["json"]

    @property
    def verification_methods(self) -> set[str]:
        proofs = self.document["proof"]
        return {proof["verificationMethod"] for proof in (proofs if isinstance(proofs, list) else [proofs])}


@dataclass
class Published:
    held: list[Held]
    served: list[str]  # URLs of the JSON-LD documents the platform serves for these issuers
    answers: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # (label, form, verifier)
    safe_mode: dict[str, dict[str, Any]] = field(default_factory=dict)  # url -> answer
    tampered: list[dict[str, Any]] = field(default_factory=list)


# --- the platform at work ----------------------------------------------------------------------------

def _issue(achievement, label: str, key: str, name: str) -> Issued:
    credential = credential_issue(
        achievement=achievement, recipient_email=f"{name.lower()}@example.org", recipient_name=name
    )
    credential_sign(credential_id=credential.id)  # the signing task's body
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ISSUED, f"{label}: signing ended in {credential.status}"
    return Issued(label, key, credential)


def _issuer_at_work(slug: str, identity_kind: str, *, jwt: bool, rotate_and_revoke: str | None) -> list[Issued]:
    """Issue through the pipeline; with `rotate_and_revoke` ("old" or "new"), rotate both keys after two
    credentials, issue one more and revoke the first credential signed with that key."""
    issuer = issuer_create(
        slug=slug, name=f"Skolan {slug}", country_code="SE", url="https://skolan.example",
        jwt_enabled=jwt, identity_kind=identity_kind,
    )
    achievement = make_achievement(issuer)
    if rotate_and_revoke is None:
        return [_issue(achievement, f"{slug}/old-key", "old", "Amina")]
    issued = [
        _issue(achievement, f"{slug}/old-key", "old", "Amina"),
        _issue(achievement, f"{slug}/old-key-2", "old", "Bo"),
    ]
    signing_key_rotate(issuer=issuer, kind=SigningKey.Kind.ED25519)
    signing_key_rotate(issuer=issuer, kind=SigningKey.Kind.RSA)
    issued.append(_issue(achievement, f"{slug}/new-key", "new", "Cecilia"))
    revoke = next(one.credential for one in issued if one.key == rotate_and_revoke)
    credential_revoke(credential=revoke, by=workflow_member(issuer, Role.ASSESSOR).user, reason="Fel mottagare.")
    return issued


def _held(issued: Issued) -> Held:
    credential = Credential.objects.select_related("issuer").get(pk=issued.credential.pk)
    with credential.baked_png.open("rb") as file:
        png = base64.b64encode(file.read()).decode("ascii")
    with credential.baked_svg.open("rb") as file:
        svg = file.read().decode("utf-8")
    forms: dict[str, Any] = {"json": credential.document, "png": png, "svg": svg}
    if credential.jwt:
        forms["jwt"] = credential.jwt
    kind = credential.issuer.identity_kind if credential.issuer.jwt_enabled else "https-no-jwt"
    return Held(label=issued.label, issuer=kind, key=issued.key,
                revoked=credential.status == Credential.Status.REVOKED, forms=forms)


def _served(issuer: Issuer) -> list[str]:
    """The JSON-LD documents served for the issuer. RSA key URLs serve bare JWKs, which are not JSON-LD."""
    urls = [issuer.public_id, f"{issuer.public_id}/did.json"]
    urls += [f"{issuer.public_id}/keys/{key.thumbprint}"
             for key in issuer.signing_keys.filter(kind=SigningKey.Kind.ED25519)]
    urls += [status_list_url(status_list) for status_list in StatusList.objects.filter(issuer=issuer)]
    return urls


# --- what Node is asked --------------------------------------------------------------------------------

def _items(held: list[Held]) -> list[tuple[tuple[str, str, str], dict[str, Any]]]:
    items = []
    for credential in held:
        for form, data in credential.forms.items():
            # The platform bakes the JWT when there is one, so then every form but the JSON carries one.
            verifiers = BOTH + (("jose",) if form != "json" and "jwt" in credential.forms else ())
            for verifier in verifiers:
                items.append(((credential.label, form, verifier), {"verifier": verifier, "form": form, "data": data}))
    return items


def _tamper_jwt(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["credentialSubject"]["achievement"]["name"] += " (med beröm)"
    encoded = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{encoded}.{signature}"


def _tampered_items(credential: Held) -> list[dict[str, Any]]:
    renamed = copy.deepcopy(credential.document)
    renamed["credentialSubject"]["achievement"]["name"] += " (med beröm)"
    items = [{"verifier": verifier, "form": "json", "data": renamed} for verifier in BOTH]
    return items + [{"verifier": verifier, "form": "jwt", "data": _tamper_jwt(credential.forms["jwt"])}
                    for verifier in (*BOTH, "jose")]


def _publish_and_verify(live_server_url: str) -> Published:
    issued = [
        *_issuer_at_work("https-skolan", IdentityKind.HTTPS, jwt=True, rotate_and_revoke="old"),
        *_issuer_at_work("did-skolan", IdentityKind.DID_WEB, jwt=True, rotate_and_revoke="new"),
        *_issuer_at_work("utan-jwt", IdentityKind.HTTPS, jwt=False, rotate_and_revoke=None),
    ]
    world = Published(
        held=[_held(one) for one in issued],
        served=[url for issuer in Issuer.objects.order_by("pk") for url in _served(issuer)],
    )
    keyed = _items(world.held)
    tampered = _tampered_items(next(held for held in world.held if not held.revoked and "jwt" in held.forms))
    safe_mode = [{"verifier": "jsonld-safe-mode", "url": url} for url in world.served]
    answers = published.verify(
        [item for _, item in keyed] + tampered + safe_mode, origins={PUBLIC_ORIGIN: live_server_url}
    )
    world.answers = {key: answers.pop(0) for key, _ in keyed}
    world.tampered = [answers.pop(0) for _ in tampered]
    world.safe_mode = dict(zip(world.served, answers, strict=True))
    return world


@pytest.fixture(scope="module")
def platform(django_db_setup, django_db_blocker, live_server):
    """Everything issued and every answer, computed once for the module: issuing with RSA keys and
    starting the verifiers are the slow parts. The rows are committed, since the live server must see
    them, and flushed as soon as the verifiers are done."""
    if UNAVAILABLE is not None:
        pytest.fail(f"CI is set, so the published-credential interop tests must run, but {UNAVAILABLE}", pytrace=False)
    settings = override_settings(PUBLIC_BASE_URL=PUBLIC_ORIGIN, EXTENSION_CONTEXT_URL=EXTENSION_CONTEXT_URL)
    with settings, django_db_blocker.unblock():
        try:
            return _publish_and_verify(live_server.url)
        finally:
            # Committed rows must not leak into the rollback tests that run after this module.
            call_command("flush", interactive=False, verbosity=0)


def _failures(answers: dict, *, revoked: bool) -> list[str]:
    return [
        f"{label} {form} {verifier}: verified={answer['verified']} revoked={answer['revoked']} {answer['errors']}"
        for (label, form, verifier), answer in answers.items()
        if verifier in BOTH and (answer["verified"] is not True or answer["revoked"] is not revoked)
    ]


# --- what the verifiers say ----------------------------------------------------------------------------

def test_it_issues_for_both_identity_kinds_in_every_form(platform):
    issuers = {held.issuer: held.document["issuer"]["id"] for held in platform.held}
    assert issuers[IdentityKind.HTTPS].startswith(f"{PUBLIC_ORIGIN}/issuers/")
    assert issuers[IdentityKind.DID_WEB].startswith("did:web:mikromerit.test:issuers:")
    forms = {held.label: set(held.forms) for held in platform.held}
    assert forms.pop("utan-jwt/old-key") == {"json", "png", "svg"}
    assert all(held_forms == {"json", "jwt", "png", "svg"} for held_forms in forms.values())
    assert all(EXTENSION_CONTEXT_URL in held.document["@context"] for held in platform.held)


def test_both_verifiers_accept_every_form_of_every_credential_not_revoked(platform):
    revoked = {held.label for held in platform.held if held.revoked}
    answers = {key: answer for key, answer in platform.answers.items() if key[0] not in revoked and key[2] in BOTH}
    # Four credentials with JSON, JWT, PNG and SVG, one (no VC-JWT) with three forms; two verifiers each.
    assert len(answers) == (4 * 4 + 3) * 2
    assert _failures(answers, revoked=False) == []


def test_credentials_signed_before_and_after_key_rotation_both_verify(platform):
    for kind in (IdentityKind.HTTPS, IdentityKind.DID_WEB):
        held = [h for h in platform.held if h.issuer == kind]
        methods = {h.key: h.verification_methods for h in held}
        assert methods["old"] != methods["new"], f"{kind}: the rotation did not change the signing key"
        for h in held:
            verdicts = [platform.answers[(h.label, form, verifier)]["verified"]
                        for form in h.forms for verifier in BOTH]
            assert all(verdicts), f"{h.label} ({h.key} key) did not verify everywhere"


def test_revoked_credentials_come_out_revoked_in_both(platform):
    revoked = {held.label for held in platform.held if held.revoked}
    assert revoked == {"https-skolan/old-key", "did-skolan/new-key"}
    answers = {key: answer for key, answer in platform.answers.items() if key[0] in revoked and key[2] in BOTH}
    assert len(answers) == 2 * 4 * 2
    assert _failures(answers, revoked=True) == []


def test_jose_verifies_every_vc_jwt_against_the_published_keys(platform):
    answers = {key: answer for key, answer in platform.answers.items() if key[2] == "jose"}
    # Every JWT: as issued and as baked into the PNG and the SVG, revoked ones included (jose reads no status).
    assert len(answers) == 3 * 6
    assert [f"{key}: {answer['errors']}" for key, answer in answers.items() if not answer["verified"]] == []


@pytest.mark.skipif(not OB_SCHEMA_FILE.is_file(), reason=f"1EdTech's schema is read from {OB_SCHEMA_FILE}, absent here")
def test_dcc_finds_every_credential_valid_against_1edtech_schema(platform):
    checks = [(key, answer["schema"]) for key, answer in platform.answers.items() if key[2] == "dcc"]
    assert [(key, schema) for key, schema in checks
            if not (isinstance(schema, list) and schema and all(result["valid"] for result in schema))] == []


def test_verifiers_fetch_only_what_the_platform_serves(platform):
    fetched = {url for answer in platform.answers.values() for url in answer["fetched"]}
    assert {url for url in fetched if not url.startswith(f"{PUBLIC_ORIGIN}/")} <= {OB_SCHEMA_URL}
    assert EXTENSION_CONTEXT_URL in fetched
    assert any(url.endswith("/did.json") for url in fetched)
    assert any(url.startswith(f"{PUBLIC_ORIGIN}/status/") for url in fetched)
    assert any("/keys/" in url for url in fetched)


def test_every_served_document_passes_jsonld_safe_mode(platform):
    assert len(platform.served) >= 3 * 4
    assert {url: answer["errors"] for url, answer in platform.safe_mode.items() if not answer["verified"]} == {}


def test_a_tampered_copy_is_rejected_by_every_verifier(platform):
    verdicts = [(answer["verifier"], answer["verified"]) for answer in platform.tampered]
    assert verdicts == [(verifier, False) for verifier in (*BOTH, *BOTH, "jose")]
    # Rejected for the signature, not for anything that would also fail an untouched credential.
    reasons = {"digitalbazaar": "Invalid signature.", "dcc": "invalid_signature: The signature is not valid.",
               "jose": "signature verification failed"}
    assert all(reasons[answer["verifier"]] in answer["errors"] for answer in platform.tampered), platform.tampered
