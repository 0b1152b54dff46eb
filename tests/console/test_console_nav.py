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
    Role.OWNER: ["Overview", "Micro-credentials", "Quality review", "Awards", "Credentials", "Members", "Profile"],
    Role.DESIGNER: ["Overview", "Micro-credentials", "Members"],
    Role.ASSESSOR: ["Overview", "Assessment queue", "Awards", "Credentials", "Members"],
    Role.QA_REVIEWER: ["Overview", "Micro-credentials", "Quality review", "Members"],
}
NAV = re.compile(r'<nav class="console-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>')


def menu(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    nav = NAV.search(response.content.decode())[1]
    return [(href, bool(current), label) for href, current, label in LINK.findall(nav)]


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
        "Overview", "Micro-credentials", "Assessment queue", "Awards", "Credentials", "Members",
    ]
    assert [label for _href, current, label in items if current] == ["Members"]


def test_the_menu_is_in_swedish(issuer):
    response = client_for(issuer, Role.OWNER).get(reverse("console:issuer", args=[issuer.slug]),
                                                  HTTP_ACCEPT_LANGUAGE="sv")
    nav = NAV.search(response.content.decode())[1]
    for word in ("Översikt", "Mikromeriter", "Kvalitetsgranskning", "Tilldelningar", "Intyg", "Medlemmar"):
        assert word in nav
