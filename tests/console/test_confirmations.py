"""Irreversible steps ask first: publishing a definition and revoking a credential each have a page that
says what cannot be undone, and their POST changes nothing without what that page sends."""

import pytest
from django.test import Client
from django.urls import reverse

from badges.models import Achievement, Credential
from issuers.models import Role
from tests.factories import make_achievement, make_member

pytestmark = pytest.mark.django_db


def signed_in(issuer, username, *roles) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_member(issuer, username, *roles).user)
    return client


@pytest.fixture
def approved(issuer):
    return make_achievement(issuer, status=Achievement.Status.APPROVED)


def urls(achievement):
    args = [achievement.issuer.slug, achievement.public_id]
    return reverse("achievements_console:detail", args=args), reverse("achievements_console:publish", args=args)


def test_publishing_goes_through_a_page_saying_it_cannot_be_undone(issuer, approved):
    client = signed_in(issuer, "rut", Role.QA_REVIEWER)
    detail, publish = urls(approved)
    page = client.get(detail).content.decode()
    assert f'<a class="button" href="{publish}">Publish</a>' in page
    assert f'action="{publish}"' not in page  # no one-click publishing from the definition's page

    confirm = client.get(publish).content.decode()
    assert "This cannot be undone" in confirm
    assert 'name="confirm" value="publish"' in confirm
    response = client.post(publish, {"confirm": "publish"}, follow=True)
    approved.refresh_from_db()
    assert approved.status == Achievement.Status.PUBLISHED
    assert "Published. Anyone can now see it" in response.content.decode()


@pytest.mark.parametrize("data", [{}, {"confirm": "yes"}])
def test_a_publish_request_without_the_confirmation_changes_nothing(issuer, approved, data):
    client = signed_in(issuer, "rut", Role.QA_REVIEWER)
    _detail, publish = urls(approved)
    response = client.post(publish, data, follow=True)
    approved.refresh_from_db()
    assert approved.status == Achievement.Status.APPROVED
    assert response.redirect_chain[-1][0] == publish  # back on the confirmation page, which says why
    page = response.content.decode()
    assert "Nothing was published. Confirm on this page that you want to publish it." in page
    assert "This cannot be undone" in page


def test_the_designer_sees_who_can_publish_and_no_publish_button(issuer, approved):
    owner = make_member(issuer, "olga", Role.OWNER).user
    owner.first_name, owner.last_name = "Olga", "Ek"
    owner.save()
    make_member(issuer, "asa", Role.ASSESSOR)
    client = signed_in(issuer, "dan", Role.DESIGNER)
    detail, publish = urls(approved)
    page = client.get(detail).content.decode()
    assert "Who can publish it" in page
    assert "Olga Ek" in page and f"{issuer.slug}-{Role.QA_REVIEWER}" in page  # the owner and the reviewer
    assert "asa@example.org" not in page  # an assessor cannot publish
    assert publish not in page and "Your role does not allow you to publish" in page
    assert client.post(publish, {"confirm": "publish"}).status_code == 403


def test_a_published_definition_names_no_publishers(issuer):
    published = make_achievement(issuer)
    detail, _publish = urls(published)
    assert "Who can publish it" not in signed_in(issuer, "dan", Role.DESIGNER).get(detail).content.decode()


def test_revoking_goes_through_a_page_saying_it_cannot_be_undone(issuer, issued):
    client = signed_in(issuer, "olga", Role.OWNER)
    url = reverse("credentials_console:revoke", args=[issuer.slug, issued.public_id])
    page = client.get(url).content.decode()
    assert "Revoking cannot be undone." in page
    assert f'href="{url}"' in client.get(reverse("credentials_console:list", args=[issuer.slug])).content.decode()

    # The page's reason is what confirms it: a POST without it is refused and revokes nothing.
    response = client.post(url, {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == Credential.Status.ISSUED
