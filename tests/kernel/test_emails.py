"""Only verified addresses prove who someone is; every app asks kernel.emails."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser

from kernel.emails import all_emails, has_verified_email, primary_verified_email, verified_emails
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina():
    user = make_user("amina")  # amina@example.org, verified and primary
    EmailAddress.objects.create(user=user, email="Amina.Work@Example.org", verified=True, primary=False)
    EmailAddress.objects.create(user=user, email="unproven@example.org", verified=False, primary=False)
    return user


def test_only_verified_addresses_count_and_they_compare_in_lower_case(amina):
    assert verified_emails(amina) == ["amina.work@example.org", "amina@example.org"]
    assert has_verified_email(amina, " AMINA.WORK@example.org ")
    assert not has_verified_email(amina, "unproven@example.org")
    assert all_emails(amina) == ["amina.work@example.org", "amina@example.org", "unproven@example.org"]


def test_a_credential_goes_to_the_primary_address_only_once_it_is_verified(amina):
    assert primary_verified_email(amina) == "amina@example.org"
    EmailAddress.objects.filter(user=amina, primary=True).update(verified=False)
    assert primary_verified_email(amina) is None


def test_a_visitor_has_no_addresses():
    assert verified_emails(AnonymousUser()) == []
