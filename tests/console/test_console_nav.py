"""The console menu: each role sees exactly the pages it may open, and the current page is marked."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from console.nav import ENTRIES
from issuers.models import Role
from tests.factories import make_issuer, make_member

pytestmark = pytest.mark.django_db

EXPECTED = {
    Role.OWNER: [
        "Overview", "Micro-credentials", "Quality review", "Awards", "Credentials", "Expiring soon", "Dashboard",
        "Members", "Profile", "API tokens", "Webhooks", "Audit log",
    ],
    Role.DESIGNER: ["Overview", "Micro-credentials", "Dashboard", "Members"],
    Role.ASSESSOR: ["Overview", "Assessment queue", "Awards", "Credentials", "Expiring soon", "Dashboard", "Members"],
    Role.QA_REVIEWER: ["Overview", "Micro-credentials", "Quality review", "Dashboard", "Members"],
}
NAV = re.compile(r'<nav class="console-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)(.*?)</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def menu(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    nav = NAV.search(response.content.decode())[1]
    return [(href, bool(current), label.strip()) for href, current, label, _count in LINK.findall(nav)]


def spoken_menu(client, url):
    """Each menu link's text as a screen reader reads it: what aria-hidden hides is left out."""
    nav = NAV.search(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode())[1]
    nav = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", nav)
    return [" ".join(TAG.sub(" ", label + rest).split()) for _h, _c, label, rest in LINK.findall(nav)]


@pytest.fixture
def issuer(db):
    return make_issuer()


def client_for(issuer, *roles):
    client = Client()
    client.force_login(make_member(issuer, "-".join(roles), *roles).user)
    return client


@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_exactly_its_items_and_each_opens(issuer, role):
    client = client_for(issuer, role)
    items = menu(client, reverse("console:issuer", args=[issuer.slug]))
    assert [label for _href, _current, label in items] == EXPECTED[role]
    assert [label for _href, current, label in items if current] == ["Overview"]
    shown = {href for href, _current, _label in items}
    for entry in ENTRIES:
        url = reverse(entry.url_name, args=[issuer.slug])
        status = client.get(url).status_code
        # A hidden item is a page the role may not open; a shown one opens and is marked as current there.
        if url in shown:
            assert status == 200, (entry.url_name, status)
            current = [label for _href, is_current, label in menu(client, url) if is_current]
            assert current == [str(entry.label)], entry.url_name
        else:
            assert status == 403, (entry.url_name, status)


def test_a_member_with_several_roles_sees_the_union(issuer):
    items = menu(client_for(issuer, Role.DESIGNER, Role.ASSESSOR), reverse("console:members", args=[issuer.slug]))
    assert [label for _href, _current, label in items] == [
        "Overview", "Micro-credentials", "Assessment queue", "Awards", "Credentials", "Expiring soon", "Dashboard",
        "Members",
    ]
    assert [label for _href, current, label in items if current] == ["Members"]


def test_the_menu_is_in_swedish(issuer):
    response = client_for(issuer, Role.OWNER).get(reverse("console:issuer", args=[issuer.slug]),
                                                  HTTP_ACCEPT_LANGUAGE="sv")
    nav = NAV.search(response.content.decode())[1]
    for word in ("Översikt", "Mikromeriter", "Kvalitetsgranskning", "Tilldelningar", "Intyg", "Medlemmar"):
        assert word in nav


def test_the_menu_says_how_much_waits_in_words(issuer):
    from badges.models import Achievement
    from tests.factories import make_achievement

    for _ in range(2):
        make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    make_achievement(issuer, status=Achievement.Status.APPROVED)
    client = client_for(issuer, Role.QA_REVIEWER)
    url = reverse("achievements_console:list", args=[issuer.slug])
    assert spoken_menu(client, url) == [
        "Overview", "Micro-credentials", "Quality review 3 waiting", "Dashboard", "Members",
    ]
    nav = NAV.search(client.get(url, HTTP_ACCEPT_LANGUAGE="sv").content.decode())[1]
    assert "3 väntar" in nav


def test_nothing_waiting_shows_no_count(issuer):
    client = client_for(issuer, Role.QA_REVIEWER)
    spoken = spoken_menu(client, reverse("console:issuer", args=[issuer.slug]))
    assert spoken == ["Overview", "Micro-credentials", "Quality review", "Dashboard", "Members"]


HEADER = re.compile(r'<header class="site-header">(.*?)</header>', re.S)
HREF = re.compile(r'<a [^>]*href="([^"#]+)"')


def header_links(client) -> list[str]:
    return HREF.findall(HEADER.search(client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode())[1])


def header_visitors(issuer):
    from tests.factories import make_user

    yield "anonymous", Client()
    learner = Client()
    learner.force_login(make_user("lena"))
    yield "learner", learner
    for role in Role.values:
        yield role, client_for(issuer, role)


def test_every_header_link_opens_for_whoever_sees_it(issuer):
    for who, client in header_visitors(issuer):
        links = header_links(client)
        assert links, who
        for href in links:
            response = client.get(href, HTTP_ACCEPT_LANGUAGE="en")
            # A page, or (for anonymous visitors on the sign-in and sign-up pages) nothing to refuse.
            assert response.status_code == 200, (who, href, response.status_code)


@pytest.mark.parametrize("role", Role.values)
def test_the_publish_confirmation_is_only_offered_to_who_may_publish(issuer, role):
    """The achievement page's Publish link is a console link too: it opens for those who see it."""
    from badges.models import Achievement
    from tests.factories import make_achievement

    achievement = make_achievement(issuer, status=Achievement.Status.APPROVED)
    client = client_for(issuer, role)
    detail = client.get(reverse("achievements_console:detail", args=[issuer.slug, achievement.public_id]))
    publish = reverse("achievements_console:publish", args=[issuer.slug, achievement.public_id])
    if detail.status_code == 403:
        return  # the role does not see the definition at all (the menu hides it: the test above)
    status = client.get(publish).status_code
    assert (f'href="{publish}"' in detail.content.decode()) == (status == 200), (role, status)
