"""Accounts through allauth, driven the way a browser does: sign up, verify the e-mail, sign in."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


def sign_up(client, email="asa@example.org"):
    return client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})


def test_sign_up_sends_a_verification_e_mail_and_holds_the_account_until_verified(client, mailoutbox):
    response = sign_up(client)
    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    assert [message.to for message in mailoutbox] == [["asa@example.org"]]

    client.logout()
    response = client.post(reverse("account_login"), {"login": "asa@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("console:home")).status_code == 302

    confirm_url = re.search(r"https?://\S+(/accounts/confirm-email/\S+/)", mailoutbox[0].body).group(1)
    client.post(confirm_url)
    response = client.post(reverse("account_login"), {"login": "asa@example.org", "password": PASSWORD})
    assert response["Location"] == reverse("learners:after-sign-in")
    assert client.get(reverse("console:home")).status_code == 200


def test_it_refuses_a_wrong_password(client, mailoutbox):
    sign_up(client)
    client.logout()
    response = client.post(reverse("account_login"), {"login": "asa@example.org", "password": "wrong"})
    assert response.status_code == 200
    assert client.get(reverse("console:home")).status_code == 302


def test_a_password_reset_link_is_sent_by_e_mail(client, mailoutbox):
    sign_up(client)
    client.logout()
    mailoutbox.clear()
    client.post(reverse("account_reset_password"), {"email": "asa@example.org"})
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body


@pytest.mark.parametrize("login", ["amina@example.org", "amina"])
def test_demo_people_sign_in_with_e_mail_or_user_name(client, login):
    call_command("demo_load", stdout=open("/dev/null", "w"))  # noqa: SIM115
    response = client.post(reverse("account_login"), {"login": login, "password": "mikromerit-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("learners:after-sign-in")


def test_the_second_factor_page_is_offered_to_signed_in_people(client):
    call_command("demo_load", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.post(reverse("account_login"), {"login": "issuer-admin", "password": "mikromerit-demo"})
    page = client.get(reverse("mfa_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("mfa_activate_totp") in page


def test_the_sign_in_page_is_in_swedish_inside_our_layout(client):
    page = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="sv">' in page and "Hoppa till innehållet" in page
    assert "Logga in" in page and "Skapa konto" in page


def test_the_admin_sign_in_goes_through_the_accounts_pages(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
