"""The start page tells each kind of visitor what they can do, and a signed-in person their next steps."""

import pytest

from issuers.models import Role
from tests.factories import make_issuer, make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "headings"), [
    ("en", ["For learners", "For employers and anyone", "For issuers", "For developers"]),
    ("sv", ["För deltagare", "För arbetsgivare och alla andra", "För utfärdare", "För utvecklare"]),
])
def test_every_kind_of_visitor_finds_what_they_can_do(client, language, headings):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for heading in headings:
        assert f">{heading}</h2>" in html
    assert 'href="/catalogue/"' in html or 'href="/catalogue"' in html
    assert html.count('href="/verify/"') >= 2  # the header (for everyone) and the employers' card
    assert "POST /verify/api" in html
    assert 'href="/accounts/signup/"' in html


def test_the_issuer_card_says_how_issuer_accounts_are_made_today(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Issuer accounts are not created from this website" in html  # only issuer_create / the admin make them


def test_a_signed_in_member_sees_their_wallet_and_their_issuers_consoles(client):
    issuer = make_issuer()
    member = make_member(issuer, "asa", Role.ASSESSOR)
    client.force_login(member.user)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Your next steps" in html and 'href="/wallet/"' in html
    assert f'href="/console/{issuer.slug}/"' in html and "The console of Testskolan" in html


def test_a_signed_in_learner_without_issuers_sees_no_console_link_in_next_steps(client):
    client.force_login(make_user("bo"))
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    next_steps = html[html.index('class="home-next"'):html.index("</section>", html.index('class="home-next"'))]
    assert "/wallet/" in next_steps and "/console/" not in next_steps
