"""Every assessment view against every kind of visitor: the exact status each one gets."""

from unittest import mock

import pytest
from django.urls import reverse

from assessment.applications import application_start, application_submit, evidence_add
from assessment.mentors import mentor_invitation_accept, mentor_invite
from issuers.models import Role
from tests.assessment.conftest import upload
from tests.factories import make_issuer, make_member, make_user

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "stranger", "learner", "mentor", "other-issuer-assessor", *Role.values]


def expect(default, **overrides):
    statuses = dict.fromkeys(ACTORS, default)
    statuses["anonymous"] = overrides.pop("anonymous", 302)
    statuses.update({key.replace("_", "-"): value for key, value in overrides.items()})
    return statuses


@pytest.fixture
def world(issuer, achievement, outcome, learner):
    draft = application_start(achievement=achievement, learner=learner)
    file = evidence_add(application=draft, by=learner, outcome=outcome, title="Intyg", upload=upload())
    mentor = make_user("maja")
    with mock.patch("kernel.tokens.secrets.token_urlsafe", return_value="mentor-token"):
        mentor_invite(application=draft, by=learner, email=mentor.email)
    mentor_invitation_accept(token="mentor-token", user=mentor)
    # A second learner's application, already submitted.
    other_learner = make_user("saman")
    sent = application_start(achievement=achievement, learner=other_learner)
    evidence_add(application=sent, by=other_learner, outcome=outcome, title="Text", narrative="Jag gjorde det.")
    application_submit(application=sent, by=other_learner)
    return {"draft": draft, "file": file, "mentor": mentor, "sent": sent}


def sign_in(client, issuer, world, learner, actor):
    if actor == "anonymous":
        return
    users = {
        "stranger": lambda: make_user("nils"),
        "learner": lambda: learner,
        "mentor": lambda: world["mentor"],
        "other-issuer-assessor": lambda: make_member(make_issuer("annan-skola"), "olle", Role.ASSESSOR).user,
    }
    make = users.get(actor) or (lambda: make_member(issuer, "actor", actor).user)
    client.force_login(make())


def url(name, world, issuer, achievement):
    slug = issuer.slug
    return {
        "applications:list": reverse("applications:list"),
        "applications:new": reverse("applications:new", args=[achievement.public_id]),
        "applications:detail": reverse("applications:detail", args=[world["draft"].public_id]),
        "applications:mentor-view": reverse("applications:mentor-view", args=[world["draft"].public_id]),
        "applications:evidence-file": reverse("applications:evidence-file", args=[world["file"].public_id]),
        "assessment:queue": reverse("assessment:queue", args=[slug]),
        "assessment:assess": reverse("assessment:assess", args=[slug, world["sent"].public_id]),
        "assessment:assess-draft": reverse("assessment:assess", args=[slug, world["draft"].public_id]),
        "assessment:policies": reverse("assessment:policies", args=[slug]),
        "assessment:award-new": reverse("assessment:award-new", args=[slug]),
    }[name]


GET_VIEWS = [
    ("applications:list", expect(200)),
    ("applications:new", expect(200)),
    ("applications:detail", expect(404, learner=200)),
    ("applications:mentor-view", expect(404, mentor=200)),
    ("applications:evidence-file", expect(404, learner=200, mentor=200)),
    ("assessment:queue", expect(403, stranger=404, learner=404, mentor=404, other_issuer_assessor=404, assessor=200)),
    ("assessment:assess", expect(403, stranger=404, learner=404, mentor=404, other_issuer_assessor=404, assessor=200)),
    # A draft never reaches the assessors.
    ("assessment:assess-draft", expect(403, stranger=404, learner=404, mentor=404, other_issuer_assessor=404,
                                       assessor=404)),
    ("assessment:policies", expect(403, stranger=404, learner=404, mentor=404, other_issuer_assessor=404,
                                   assessor=200, owner=200)),
    ("assessment:award-new", expect(403, stranger=404, learner=404, mentor=404, other_issuer_assessor=404,
                                    assessor=200, owner=200)),
]


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(("name", "statuses"), GET_VIEWS, ids=[view[0] for view in GET_VIEWS])
def test_get(client, issuer, achievement, learner, world, name, statuses, actor):
    sign_in(client, issuer, world, learner, actor)
    response = client.get(url(name, world, issuer, achievement))
    assert response.status_code == statuses[actor]


LEARNER_POSTS = ["name", "submit", "mentor-invite"]


@pytest.mark.parametrize("actor", ["stranger", "mentor", "other-issuer-assessor", Role.ASSESSOR, Role.OWNER])
@pytest.mark.parametrize("name", LEARNER_POSTS)
def test_only_the_learner_changes_or_sends_the_application(client, issuer, learner, world, name, actor):
    sign_in(client, issuer, world, learner, actor)
    response = client.post(reverse(f"applications:{name}", args=[world["draft"].public_id]), {"email": "x@example.org"})
    assert response.status_code == 404
    world["draft"].refresh_from_db()
    assert world["draft"].status == "draft"


@pytest.mark.parametrize("actor", ["stranger", "mentor", "other-issuer-assessor", Role.ASSESSOR])
def test_only_the_learner_touches_evidence(client, issuer, learner, world, actor):
    sign_in(client, issuer, world, learner, actor)
    draft, file = world["draft"], world["file"]
    for name in ("evidence-visibility", "evidence-remove"):
        address = reverse(f"applications:{name}", args=[draft.public_id, file.public_id])
        response = client.post(address, {"is_public": "1"})
        assert response.status_code == 404
    file.refresh_from_db()
    assert not file.is_public


def test_an_assessor_sees_submitted_evidence_files_of_their_issuer_only(client, issuer, learner, world):
    other = world["sent"].learner
    assessor = make_member(issuer, "asa", Role.ASSESSOR).user
    stranger_assessor = make_member(make_issuer("annan-skola"), "olle", Role.ASSESSOR).user
    draft_file = world["file"]  # the first learner's unsent draft
    client.force_login(assessor)
    assert client.get(reverse("applications:evidence-file", args=[draft_file.public_id])).status_code == 404
    application_submit(application=world["draft"], by=learner)
    assert client.get(reverse("applications:evidence-file", args=[draft_file.public_id])).status_code == 200
    client.force_login(stranger_assessor)
    assert client.get(reverse("applications:evidence-file", args=[draft_file.public_id])).status_code == 404
    client.force_login(other)
    assert client.get(reverse("applications:evidence-file", args=[draft_file.public_id])).status_code == 404


def test_policy_changes_are_for_owners(client, issuer, achievement, learner, world):
    for actor, status in ((Role.ASSESSOR, 403), (Role.DESIGNER, 403)):
        client.force_login(make_member(issuer, f"m-{actor}", actor).user)
        response = client.post(reverse("assessment:policies", args=[issuer.slug]),
                               {"achievement": str(achievement.public_id), "second_approval_required": "on"})
        assert response.status_code == status
    client.force_login(make_member(issuer, "olga", Role.OWNER).user)
    response = client.post(reverse("assessment:policies", args=[issuer.slug]),
                           {"achievement": str(achievement.public_id), "second_approval_required": "on"})
    assert response.status_code == 302
    assert achievement.assessment_policy.second_approval_required


def test_unknown_and_malformed_ids_are_404(client, learner, issuer):
    client.force_login(learner)
    assert client.get("/applications/not-a-uuid/").status_code == 404
    assert client.get("/applications/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/evidence/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get("/applications/new/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_the_page_explains_why_an_assessor_cannot_assess_their_own_application(client, achievement, outcome, issuer):
    from assessment.models import Assessment

    assessor = make_member(issuer, "asa", Role.ASSESSOR).user
    own = application_start(achievement=achievement, learner=assessor)
    evidence_add(application=own, by=assessor, outcome=outcome, title="Text", narrative="Jag gjorde det.")
    application_submit(application=own, by=assessor)
    client.force_login(assessor)
    address = reverse("assessment:assess", args=[issuer.slug, own.public_id])
    page = client.get(address, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "You cannot assess your own application." in page.content.decode()
    assert 'name="decision"' not in page.content.decode()
    level = outcome.rubric_levels.get(is_pass_level=True)
    response = client.post(address, {f"level-{outcome.pk}": level.pk, "decision": "approve"})
    assert response.status_code == 400
    assert not Assessment.objects.exists()
