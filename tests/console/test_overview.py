"""The issuer overview: what waits for the member, with links that open for them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from badges.models import Achievement
from issuers.membership import issuer_member_invite
from issuers.models import Role
from tests.console.support import application_submitted
from tests.factories import make_achievement, make_member, workflow_member

pytestmark = pytest.mark.django_db

TODOS = re.compile(r'<section class="todo-list"[^>]*>(.*?)</section>', re.S)
ITEM = re.compile(r'<li class="todo todo-(\w+)">(.*?)</li>', re.S)


def overview(issuer, *roles, language="en"):
    client = Client()
    client.force_login(make_member(issuer, "-".join(roles), *roles).user)
    response = client.get(reverse("console:issuer", args=[issuer.slug]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return client, TODOS.search(response.content.decode())[1]


@pytest.fixture
def busy(issuer):
    """Two of every kind of waiting work."""
    published = make_achievement(issuer)
    for number in range(2):
        make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
        make_achievement(issuer, status=Achievement.Status.APPROVED)
        application_submitted(published, f"learner-{number}")
        issuer_member_invite(issuer=issuer, invited_by=workflow_member(issuer, Role.OWNER).user,
                             email=f"ny{number}@example.org", roles=[Role.DESIGNER])
    return issuer


@pytest.mark.parametrize(("roles", "expected"), [
    ((Role.QA_REVIEWER,), {"review": "2 definitions wait for your quality review",
                           "publish": "2 approved definitions wait to be published"}),
    ((Role.ASSESSOR,), {"assess": "2 applications wait for your assessment"}),
    ((Role.OWNER,), {"publish": "2 approved definitions wait to be published",
                     "invitations": "2 invitations are sent but not accepted yet"}),
])
def test_the_overview_lists_what_waits_with_links_that_open(busy, roles, expected):
    client, section = overview(busy, *roles)
    items = dict(ITEM.findall(section))
    assert {kind: re.sub(r"<[^>]+>", "", text) for kind, text in items.items()} == expected
    for text in items.values():
        href = re.search(r'href="([^"]+)"', text)[1]
        assert client.get(href).status_code == 200, href


def test_nothing_waiting_is_said_in_words(issuer):
    _client, section = overview(issuer, Role.ASSESSOR)
    assert dict(ITEM.findall(section)) == {"assess": "No applications wait for your assessment."}
    _client, section = overview(issuer, Role.DESIGNER)
    assert "Nothing waits for you" in section and "<li" not in section


def test_the_overview_links_the_e_mail_settings(issuer):
    client, section = overview(issuer, Role.ASSESSOR)
    settings_url = reverse("notifications:settings")
    assert f'href="{settings_url}"' in section
    assert client.get(settings_url).status_code == 200


def test_the_overview_is_in_swedish(busy):
    _client, section = overview(busy, Role.ASSESSOR, language="sv")
    assert "Det här väntar på dig" in section
    assert "2 ansökningar väntar på din bedömning" in section
