"""A person without an account who opens a mentor invitation signs up, confirms the address in the same
browser, and is back on the invitation (the claim link's return is in test_claim_views)."""

import re

import pytest
from django.core import mail

from assessment.applications import application_start
from assessment.mentors import mentor_invite
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_the_mentor_invitation_survives_sign_up_and_confirmation(
    client, achievement, django_capture_on_commit_callbacks
):
    learner = make_user("amina")
    application = application_start(achievement=achievement, learner=learner, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        mentor_invite(application=application, by=learner, email="maja@example.org")
    invitation = re.search(r"http://localhost:8000(/applications/mentor/\S+/)", mail.outbox[-1].body).group(1)

    login = client.get(invitation)
    assert login.status_code == 302 and login.url.startswith("/accounts/login/")
    login_page = client.get(login.url).content.decode()
    signup_link = re.search(r'href="(/accounts/signup/\?next=[^"]+)"', login_page).group(1).replace("&amp;", "&")
    assert client.get(signup_link).status_code == 200
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup_link, {"email": "maja@example.org", "password1": PASSWORD, "password2": PASSWORD,
                                  "next": invitation})
    confirm = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    response = client.post(confirm, follow=True)
    assert response.redirect_chain[-1][0] == invitation
    assert response.status_code == 200 and response.context["invitation"].email == "maja@example.org"
