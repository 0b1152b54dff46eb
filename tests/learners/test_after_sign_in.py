"""Signing in leads issuer staff to the console and learners to their wallet."""

import pytest
from django.contrib.auth import get_user_model

from issuers.models import IssuerMember
from tests.factories import make_issuer


@pytest.mark.django_db
def test_a_learner_lands_in_the_wallet(client):
    client.force_login(get_user_model().objects.create_user("amina", "amina@example.org", "pw"))
    assert client.get("/welcome/").url == "/wallet/"


@pytest.mark.django_db
def test_issuer_staff_land_in_the_console(client):
    user = get_user_model().objects.create_user("owner", "owner@example.org", "pw")
    IssuerMember.objects.create(issuer=make_issuer(), user=user, is_owner=True)
    client.force_login(user)
    assert client.get("/welcome/").url == "/console/"


@pytest.mark.django_db
def test_anonymous_visitors_are_asked_to_sign_in(client):
    assert client.get("/welcome/").url.startswith("/accounts/login/")
