"""The employer page /c/<id> in words a reader understands: images, country names, credit systems, dates in
the page language; claims set apart unless valid; a friendly page for a link that is not (or no longer) shared."""

import re
from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation

from badges.credentials.revocation import credential_revoke
from badges.credentials.signing import credential_sign
from badges.models import Credential
from tests.factories import workflow_member
from verification import readable

ONE_PIXEL_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


@pytest.fixture
def shared(credential):
    credential_sign(credential_id=credential.id)
    Credential.objects.filter(pk=credential.pk).update(share_enabled=True)
    credential.refresh_from_db()
    return credential


def page(client, credential, language="en"):
    return client.get(f"/c/{credential.public_id}", headers={"Accept-Language": language})


def dd_after(html: str, label: str) -> str:
    match = re.search(rf"<dt>{re.escape(label)}</dt><dd[^>]*>(.*?)</dd>", html, re.S)
    assert match, f"no {label!r} in the page"
    return match.group(1)


def formatted(iso: str, language: str) -> str:
    # The page shows the date in the site's time zone, as templates do: late evening UTC is tomorrow in Sweden.
    moment = timezone.localtime(datetime.fromisoformat(iso.replace("Z", "+00:00")))
    with translation.override(language):
        return date_filter(moment, "DATE_FORMAT")


@pytest.mark.parametrize(("language", "country", "credits", "eqf"), [
    ("en", "Sweden", "ECTS credits", "European Qualifications Framework"),
    ("sv", "Sverige", "ECTS-poäng", "Europeiska referensramen för kvalifikationer"),
])
def test_values_read_in_words_in_the_page_language(client, shared, language, country, credits, eqf):
    html = page(client, shared, language).content.decode()
    labels = {"en": ("Country", "Credits", "EQF level", "Valid from"), "sv": None}[language]
    if labels:
        assert dd_after(html, labels[0]).startswith(country)
        assert credits in dd_after(html, labels[1]) and "60 credits are one year" in dd_after(html, labels[1])
        assert eqf in dd_after(html, labels[2])
        valid_from = shared.document["validFrom"]
        assert dd_after(html, labels[3]) == formatted(valid_from, language)
        assert valid_from[:10] not in dd_after(html, labels[3])
    else:
        assert country in html and credits in html and eqf in html
        assert formatted(shared.document["validFrom"], "sv") in html
    assert ">SE<" not in html and ">SE," not in html


def test_the_badge_image_and_the_issuers_logo_are_shown(client, shared):
    issuer = shared.issuer
    issuer.image.save("logo.png", ContentFile(ONE_PIXEL_PNG), save=True)
    html = page(client, shared).content.decode()
    assert f'src="/issuers/{issuer.slug}/logo"' in html and 'alt="The logo of Testskolan"' in html
    achievement = shared.achievement
    if achievement.image:
        assert f'src="/achievements/{achievement.public_id}/image.png"' in html
    assert client.get(f"/issuers/{issuer.slug}/logo").status_code == 200


def test_a_revoked_credential_shows_its_claims_set_apart(client, shared):
    assessor = workflow_member(shared.issuer, "assessor").user
    credential_revoke(credential=shared, by=assessor, reason="Recorded for the wrong person.")
    html = page(client, shared).content.decode()
    assert 'id="verdict-title"' in html and "Revoked" in html
    section = html.index('class="claims-unconfirmed"')
    assert "What the credential claims — not valid now" in html[section:]
    assert html.index("Who issued it") > section and html.index("What the holder achieved") > section


def test_a_valid_credential_shows_its_claims_as_facts(client, shared):
    html = page(client, shared).content.decode()
    assert "claims-unconfirmed" not in html and "Who issued it" in html


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize(("language", "title", "offer"), [
    ("en", "This credential is not shared", "check the credential file"),
    ("sv", "Intyget delas inte", "kontrollera intygsfilen"),
])
def test_an_unshared_link_answers_a_friendly_404(client, credential, settings, debug, language, title, offer):
    settings.DEBUG = debug
    credential_sign(credential_id=credential.id)  # signed, never shared
    for public_id in (credential.public_id, "4f7c2d35-0a8e-4c7e-9a53-3b1f3c1d2e10"):
        response = client.get(f"/c/{public_id}", headers={"Accept-Language": language})
        assert response.status_code == 404
        html = response.content.decode()
        assert f"<h1>{title}</h1>" in html
        assert offer in html and 'href="/verify/"' in html
        assert "Technical" not in html and "Page not found at" not in html


def test_a_holder_who_stops_sharing_leaves_a_friendly_page(client, shared):
    assert page(client, shared).status_code == 200
    Credential.objects.filter(pk=shared.pk).update(share_enabled=False)
    response = page(client, shared)
    assert response.status_code == 404 and "may have stopped sharing it" in response.content.decode()


def test_readable_values_leave_what_they_do_not_know_unchanged():
    assert readable.country_name("SE", "en") == "Sweden"
    assert readable.country_name("de", "sv") == "Tyskland"
    assert readable.country_name("Sverige", "en") == "Sverige"
    assert readable.credit_unit_name("Studienpunkte") == "Studienpunkte"
    assert readable.credit_unit_note("Studienpunkte") == ""
    assert readable.parsed_date("not a date") == "not a date"
    assert readable.parsed_date("2026-03-01").isoformat() == "2026-03-01"
    assert readable.parsed_date("2026-03-01T10:00:00Z").utcoffset().total_seconds() == 0
