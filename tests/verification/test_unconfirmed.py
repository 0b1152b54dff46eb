""""Cannot be confirmed": what /verify/ and its API say when a credential's signature, key or status cannot be
established — never "Valid", never the claimed data as if verified, always the reason and what to do.

Other sites are served by tests/badges/foreign_site.py's stand-in fetcher; nothing leaves the machine.
"""

import json
import re

import pytest
from freezegun import freeze_time

from badges.credentials.signing import credential_sign
from kernel import fetch
from ob3.documents import vendored_contexts
from ob3.errors import DocumentUnavailable
from ob3.eu import MIKROMERIT_CONTEXT
from ob3.status_list import MIN_BITS
from tests.badges.foreign_site import (
    CHECKED_AT,
    ISSUER_NAME,
    NAME,
    FakeFetcher,
    ForeignIssuer,
    extension_loader,
)
from tests.ob3.factories import ISSUER_ID, STATUS_LIST_URL
from verification.documents import REMOTE_FETCHES_PER_CHECK, REMOTE_SECONDS_PER_CHECK, RemoteDocuments

pytestmark = pytest.mark.django_db
OTHER_INSTALLATION = "https://meriter.other-region.example/ns/v1"


@pytest.fixture
def foreign():
    return ForeignIssuer()


@pytest.fixture
def site(monkeypatch):
    """Install a fetcher as the platform's: `site(fetcher)`; returns it."""

    def install(fetcher: FakeFetcher) -> FakeFetcher:
        monkeypatch.setattr(fetch, "default_fetcher", lambda: fetcher)
        return fetcher

    return install


def check(client, data, language="en"):
    """Paste `data` on /verify/ (JSON for a dict) at a fixed time; the response."""
    text = json.dumps(data) if isinstance(data, dict) else data
    with freeze_time(CHECKED_AT):
        return client.post("/verify/", {"text": text}, headers={"Accept-Language": language})


def api(client, data):
    with freeze_time(CHECKED_AT):
        return client.post("/verify/api", {"credential": data}, content_type="application/json").json()


def outcomes(body) -> dict[str, tuple[str, str]]:
    return {entry["name"]: (entry["outcome"], entry["code"]) for entry in body["checks"] if not entry["passed"]}


def verdict_title(html: str) -> str:
    start = html.index(">", html.index('id="verdict-title"')) + 1
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:html.index("</h2>", start)]).split())


def assert_claims_not_confirmed(html: str, language="en") -> None:
    heading = "What the file claims — not confirmed" if language == "en" else "Vad filen påstår – inte bekräftat"
    assert heading in html
    # The technical list of checks (collapsed, ob3's reasons in English) may quote what it read; the page may not.
    start = html.index('<details class="checks">')
    html = html[:start] + html[html.index("</details>", start):]
    # Only under that heading: the section that holds the claims follows it, in its own set-apart block.
    claims_at = html.index('class="claims-unconfirmed"')
    assert html.index(heading) > claims_at
    assert html.find(NAME) == -1 or html.index(NAME) > claims_at
    assert html.find(ISSUER_NAME) == -1 or html.index(ISSUER_NAME) > claims_at


# --- The reference: a foreign issuer whose documents are all there is valid --------------------------------
def test_a_foreign_credential_with_its_documents_reachable_is_valid(client, foreign, site):
    site(foreign.site())
    response = check(client, foreign.credential())
    checked = response.context["checked"]
    assert checked.verdict == "valid", [(c.name, c.reason) for c in checked.problems]
    html = response.content.decode()
    assert verdict_title(html) == "Valid"
    assert "claims-unconfirmed" not in html and "verdict-unconfirmed" not in html
    assert "What the holder achieved" in html and NAME in html


# --- Keys nobody vouches for -----------------------------------------------------------------------------------
def test_a_key_that_is_only_a_fragment_cannot_be_confirmed_in_english_and_swedish(client, foreign, site):
    # The issuer's site is down: the key can be read from the `#z6Mk…` fragment and the signature holds, but
    # nothing of the issuer's says the key is theirs. Anyone could have made this file.
    site(foreign.site(**{ISSUER_ID: None, STATUS_LIST_URL: None}))
    response = check(client, foreign.fragment_key_credential())
    checked = response.context["checked"]
    assert checked.verdict == "unconfirmed"
    assert checked.result.check("proof").passed  # the signature is fine; who made it is not known
    key = checked.result.check("issuer_key")
    assert (key.outcome, key.code) == ("unconfirmed", "key_not_bound")
    html = response.content.decode()
    assert verdict_title(html) == "Cannot be confirmed"
    assert "The file was signed with a key that the issuer&#x27;s own website does not confirm as theirs." in html
    assert "Ask for the link to the credential on the issuer&#x27;s own website" in html
    assert 'class="check check-unconfirmed"' in html and "Could not be confirmed" in html
    assert_claims_not_confirmed(html)

    swedish = check(client, foreign.fragment_key_credential(), language="sv").content.decode()
    assert verdict_title(swedish) == "Kan inte bekräftas"
    assert "Filen signerades med en nyckel som utfärdarens egen webbplats inte bekräftar som deras." in swedish
    assert "Be om länken till intyget på utfärdarens egen webbplats" in swedish
    assert "Kunde inte bekräftas" in swedish and "Varför" in swedish and "Vad du kan göra" in swedish
    assert_claims_not_confirmed(swedish, language="sv")


def test_a_fragment_key_the_issuers_document_does_not_list_is_invalid(client, foreign, site):
    # The site answers, and its controller document lists another key: the signature is not the issuer's.
    site(foreign.site())
    checked = check(client, foreign.fragment_key_credential()).context["checked"]
    assert checked.verdict == "invalid"
    proof = checked.result.check("proof")
    assert proof.outcome == "failed" and "is not listed in the controller document" in proof.reason


def test_a_vc_jwt_with_its_key_in_the_header_cannot_be_confirmed(client, foreign, site):
    site(foreign.site())
    token = foreign.jwt_with_header_key()
    response = check(client, token)
    checked = response.context["checked"]
    assert checked.result.format == "jwt"
    assert checked.verdict == "unconfirmed"
    assert checked.result.check("jwt.signature").passed
    key = checked.result.check("issuer_key")
    assert (key.outcome, key.code) == ("unconfirmed", "key_in_token")
    html = response.content.decode()
    assert verdict_title(html) == "Cannot be confirmed"
    assert "The key that made the signature travels inside the file itself." in html
    assert_claims_not_confirmed(html)
    swedish = check(client, token, language="sv").content.decode()
    assert "Nyckeln som gjorde signaturen följer med i själva filen." in swedish
    assert outcomes(api(client, token))["issuer_key"] == ("unconfirmed", "key_in_token")


# --- Documents that cannot be had ------------------------------------------------------------------------------
def test_a_foreign_issuer_whose_documents_are_unreachable_cannot_be_confirmed(client, foreign, site):
    fetcher = site(FakeFetcher())  # the whole site is down
    response = check(client, foreign.credential())
    checked = response.context["checked"]
    assert checked.verdict == "unconfirmed"
    proof = checked.result.check("proof")
    assert (proof.outcome, proof.code) == ("unconfirmed", "key_document_unavailable")
    assert checked.result.check("revocation").code == "status_unavailable"
    assert ISSUER_ID in fetcher.asked and STATUS_LIST_URL in fetcher.asked
    html = response.content.decode()
    assert "The issuer&#x27;s published keys could not be read just now" in html
    assert "list of withdrawn credentials could not be read just now" in html
    assert html.count("Try again later. If it keeps happening, contact the issuer.") == 1  # advice once
    assert_claims_not_confirmed(html)


def test_an_unreachable_status_list_alone_is_enough_to_withhold_valid(client, foreign, site):
    site(foreign.site(**{STATUS_LIST_URL: None}))
    checked = check(client, foreign.credential()).context["checked"]
    assert checked.result.check("proof").passed and checked.result.check("issuer_key").passed
    assert checked.verdict == "unconfirmed"
    assert (checked.result.check("revocation").outcome, checked.result.check("revocation").code) == (
        "unconfirmed", "status_unavailable")


def test_a_status_list_signed_by_someone_else_cannot_be_trusted(client, foreign, site):
    from ob3.keys import LocalSigner

    forged_list = foreign.status_list(signer=LocalSigner.generate())
    site(foreign.site(**{STATUS_LIST_URL: forged_list}))
    response = check(client, foreign.credential())
    checked = response.context["checked"]
    assert checked.verdict == "unconfirmed"
    assert checked.result.check("revocation").code == "status_untrusted"
    assert "could not be trusted" in response.content.decode()


def test_a_revocation_read_from_the_issuers_own_list_is_revoked(client, foreign, site):
    site(foreign.site(**{STATUS_LIST_URL: foreign.status_list(revoked=True)}))
    assert MIN_BITS > 94_567
    checked = check(client, foreign.credential()).context["checked"]
    assert checked.verdict == "revoked"
    assert checked.claims_confirmed  # a genuine credential, withdrawn: what it says is still the issuer's


# --- Contexts --------------------------------------------------------------------------------------------------
def test_an_unknown_context_cannot_be_confirmed(client, foreign, site):
    site(foreign.site())  # the unknown context's address answers nothing
    credential = foreign.credential()
    credential["@context"] = [*credential["@context"], "https://vocabulary.example/unknown/v1"]
    response = check(client, credential)
    checked = response.context["checked"]
    assert checked.verdict == "unconfirmed"
    assert (checked.result.check("safe_mode").outcome, checked.result.check("safe_mode").code) == (
        "unconfirmed", "unknown_context")
    html = response.content.decode()
    assert "uses a vocabulary (a JSON-LD context) that we do not know" in html
    assert_claims_not_confirmed(html)


def test_another_installations_copy_of_the_extension_context_is_accepted_by_its_content(client, foreign, site):
    credential = foreign.credential(context_url=OTHER_INSTALLATION, loader=extension_loader(OTHER_INSTALLATION))
    assert OTHER_INSTALLATION in credential["@context"]
    from ob3.documents import vendored_contexts

    fetcher = site(foreign.site(**{OTHER_INSTALLATION: vendored_contexts()[MIKROMERIT_CONTEXT]}))
    checked = check(client, credential).context["checked"]
    assert checked.verdict == "valid", [(c.name, c.reason) for c in checked.problems]
    assert OTHER_INSTALLATION in fetcher.asked

    # The same address serving anything else is not trusted with the signature's meaning.
    altered = json.loads(json.dumps(vendored_contexts()[MIKROMERIT_CONTEXT]))
    altered["@context"]["extra"] = "https://attacker.example/extra"
    site(foreign.site(**{OTHER_INSTALLATION: altered}))
    checked = check(client, credential).context["checked"]
    assert checked.verdict == "unconfirmed"
    assert checked.result.check("safe_mode").code == "unknown_context"


# --- Forged and tampered: not valid, and the claims only as claims ----------------------------------------------
def test_a_tampered_foreign_credential_is_invalid_and_its_claims_are_not_confirmed(client, foreign, site):
    site(foreign.site())
    credential = foreign.credential()
    credential["credentialSubject"]["achievement"]["name"] = "Överläkare"
    response = check(client, credential)
    checked = response.context["checked"]
    assert checked.verdict == "invalid"
    html = response.content.decode()
    assert verdict_title(html) == "Not valid" and "The signature does not match" in html
    assert "Överläkare" in html  # shown, but only as a claim
    assert html.index("Överläkare") > html.index('class="claims-unconfirmed"')
    assert_claims_not_confirmed(html)


def test_our_own_tampered_credential_on_its_share_page_claims_nothing_in_title_or_previews(client, credential):
    from badges.models import Credential

    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    document = dict(credential.document, name="Överläkare")
    Credential.objects.filter(pk=credential.pk).update(document=document, share_enabled=True)
    response = client.get(f"/c/{credential.public_id}", headers={"Accept-Language": "en"})
    assert response.context["checked"].verdict == "invalid"
    html = response.content.decode()
    title = html[html.index("<title>"):html.index("</title>")]
    assert "Not valid" in title and "Samarbete i arbetsgrupp" not in title
    assert '<meta property="og:title" content="Micro-credential check">' in html
    assert "This credential could not be confirmed. Open the page to see why." in html
    assert "og:image" not in html
    assert "<h1>Micro-credential check</h1>" in html
    assert "Held by" not in html
    assert_claims_heading_before(html, "Samarbete i arbetsgrupp")


def assert_claims_heading_before(html: str, claimed: str) -> None:
    assert html.index("What the file claims — not confirmed") < html.index(claimed)


def test_the_headings_under_the_claims_are_one_level_down(client, foreign, site):
    site(FakeFetcher())
    html = check(client, foreign.credential()).content.decode()
    claims = html[html.index('class="claims-unconfirmed"'):]
    assert '<h2 id="claims-title"' in html
    assert '<h3 id="who-title">' in claims and '<h2 id="who-title">' not in html
    assert "<h4>Learning outcomes</h4>" in claims


# --- Our own credentials never depend on the network ------------------------------------------------------------
def test_our_own_upload_is_checked_from_the_database_without_fetching(client, credential, site):
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    fetcher = site(FakeFetcher())
    response = client.post("/verify/", {"text": json.dumps(credential.document)}, headers={"Accept-Language": "en"})
    checked = response.context["checked"]
    assert checked.verdict == "valid", [(c.name, c.reason) for c in checked.problems]
    assert fetcher.asked == []
    assert checked.result.check("revocation").reason == "not revoked"  # our status list, read from the database


# --- Other sites cannot hold a worker: a few documents, a few seconds ---------------------------------------
def test_one_check_asks_other_sites_for_a_few_documents_at_most(client, foreign, site):
    """A credential naming many addresses (four proofs whose keys live on a site that never answers, four
    status lists there too) gets REMOTE_FETCHES_PER_CHECK fetches; what is left is not fetched. (The OB
    schema allows one status entry, so this credential is not valid anyway: what matters is the asking.)"""
    credential = foreign.credential()
    copies = {f"https://copies.example/ctx/{i}": vendored_contexts()[MIKROMERIT_CONTEXT] for i in range(3)}
    credential["@context"] = [*credential["@context"], *copies]
    proof = credential["proof"][0]
    credential["proof"] = [dict(proof, verificationMethod=f"https://slow.example/keys/{i}") for i in range(4)]
    entry = credential["credentialStatus"]
    credential["credentialStatus"] = [dict(entry, statusListCredential=f"https://slow.example/list/{i}")
                                      for i in range(4)]
    fetcher = site(foreign.site(**copies))
    body = api(client, json.dumps(credential))
    assert len(fetcher.asked) == REMOTE_FETCHES_PER_CHECK
    assert any("already asked other sites" in entry["reason"] for entry in body["checks"])


def test_other_sites_are_not_asked_once_the_time_for_one_check_is_spent():
    now = [100.0]
    remote = RemoteDocuments(FakeFetcher({"https://a.example/x": {"id": "x"}}), clock=lambda: now[0])
    assert remote.fetch_json("https://a.example/x") == {"id": "x"}
    now[0] += REMOTE_SECONDS_PER_CHECK + 0.1
    with pytest.raises(DocumentUnavailable, match="already asked other sites"):
        remote.fetch_json("https://a.example/x")
