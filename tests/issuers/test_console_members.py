import re

import pytest
from django.urls import reverse

from issuers.models import IssuerMember, Role
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "ingrid", Role.OWNER)


def test_an_owner_invites_and_the_invitee_accepts_in_the_browser(
    client, issuer, owner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("console:members", args=[issuer.slug]), {"email": "asa@example.org", "roles": ["assessor"]}
        )
    assert response.status_code == 302
    link = re.search(r"https?://\S+/invitations/\S+/", mailoutbox[0].body).group(0)
    path = link[link.index("/invitations/"):]

    asa = make_user("asa")
    client.force_login(asa)
    assert "Testskolan" in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == reverse("console:issuer", args=[issuer.slug])
    assert IssuerMember.objects.get(user=asa).roles == {Role.ASSESSOR}
    assert client.post(path).status_code == 404  # used once


def test_an_invitation_link_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/invitations/some-token/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/invitations/some-token/"


def test_the_invitation_page_explains_a_wrong_address(
    client, issuer, owner, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("console:members", args=[issuer.slug]), {"email": "asa@example.org", "roles": ["assessor"]})
    path = re.search(r"/invitations/\S+/", mailoutbox[0].body).group(0)
    client.force_login(make_user("mallory"))
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert "sent to another e-mail address" in response.content.decode()


def test_the_invite_form_shows_an_error_summary(client, issuer, owner):
    client.force_login(owner.user)
    response = client.post(reverse("console:members", args=[issuer.slug]), {"email": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#id_email"' in page and "Choose at least one role." in page


def test_the_last_owner_sees_why_they_cannot_step_down(client, issuer, owner):
    client.force_login(owner.user)
    url = reverse("console:member-roles", args=[issuer.slug, owner.pk])
    response = client.post(url, {"roles": ["designer"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "needs at least one owner" in response.content.decode()
    response = client.post(reverse("console:member-remove", args=[issuer.slug, owner.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "needs at least one owner" in response.content.decode()
    owner.refresh_from_db()
    assert owner.roles == {Role.OWNER}


def test_members_see_the_list_but_not_the_owner_controls(client, issuer, owner):
    assessor = make_member(issuer, "asa", Role.ASSESSOR)
    client.force_login(assessor.user)
    page = client.get(reverse("console:members", args=[issuer.slug])).content.decode()
    assert "ingrid@example.org" in page
    assert reverse("console:member-remove", args=[issuer.slug, owner.pk]) not in page
    assert 'name="email"' not in page
