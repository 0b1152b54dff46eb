"""A learner invites a mentor by e-mail; the mentor signs in, reads and comments, and can do nothing else."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from freezegun import freeze_time

from assessment.applications import application_submit
from assessment.mentors import mentor_invite
from assessment.models import MentorInvitation
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_link(application, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mentor_invite(application=application, by=learner, email="Maja@Example.org")
    message = mail.outbox[-1]
    assert message.to == ["maja@example.org"]
    return re.search(r"http://localhost:8000(/applications/mentor/\S+/)", message.body).group(1)


def test_the_token_is_stored_only_as_a_hash(invitation_link):
    token = invitation_link.rstrip("/").rsplit("/", 1)[1]
    invitation = MentorInvitation.objects.get()
    assert token not in invitation.token_hash
    assert len(invitation.token_hash) == 64


def test_the_mentor_accepts_reads_and_comments(client, application, invitation_link, file_evidence):
    mentor = make_user("maja")
    client.force_login(mentor)
    assert client.get(invitation_link).status_code == 200
    response = client.post(invitation_link)
    assert response.status_code == 302
    page = client.get(reverse("applications:mentor-view", args=[application.public_id]))
    assert page.status_code == 200
    assert "Arbetsschema" in page.content.decode()
    assert client.get(reverse("applications:evidence-file", args=[file_evidence.public_id])).status_code == 200
    comment_url = reverse("applications:comment", args=[application.public_id])
    response = client.post(comment_url, {"body": "Lägg till ett foto!"})
    assert response.status_code == 302
    assert application.mentor_comments.get().body == "Lägg till ett foto!"
    # The link is used up.
    assert client.get(invitation_link).status_code == 404
    # The mentor cannot send or change anything.
    assert client.post(reverse("applications:submit", args=[application.public_id])).status_code == 404
    assert client.get(reverse("applications:detail", args=[application.public_id])).status_code == 404


def test_the_link_only_works_for_the_invited_address(client, invitation_link):
    client.force_login(make_user("nils"))
    assert client.get(invitation_link).status_code == 403
    assert client.post(invitation_link).status_code == 403
    assert MentorInvitation.objects.get().mentor is None


def test_the_link_expires(client, invitation_link):
    mentor = make_user("maja")
    with freeze_time(MentorInvitation.objects.get().expires_at + timedelta(seconds=1)):
        client.force_login(mentor)
        assert client.post(invitation_link).status_code == 410
    assert MentorInvitation.objects.get().mentor is None


def test_mentoring_ends_when_the_application_is_sent(client, application, learner, invitation_link, file_evidence):
    client.force_login(make_user("maja"))
    client.post(invitation_link)
    application_submit(application=application, by=learner)
    assert client.get(reverse("applications:mentor-view", args=[application.public_id])).status_code == 404
    assert client.get(reverse("applications:evidence-file", args=[file_evidence.public_id])).status_code == 404
