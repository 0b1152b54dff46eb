"""Every designer and review view against every kind of visitor: the exact status each one gets. Who may
do what comes from the role → capability table (issuers.roles); each view names the capability it needs."""

import pytest
from django.urls import reverse

from badges.models import Achievement
from issuers.models import Role
from issuers.roles import Capability, roles_with
from tests.factories import FULL_DEFINITION, make_achievement, make_draft, make_issuer, make_member, make_user

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "non-member", *Role.values, "other-issuer-owner"]
EDITORS = Capability.EDIT_ACHIEVEMENTS
READERS = Capability.VIEW_ACHIEVEMENTS


def definition_data(achievement: Achievement, **changes) -> dict:
    """The designer form as a browser posts it for `achievement`, with `changes` on top."""
    data = {
        "name": achievement.name,
        "description": achievement.description,
        "criteria_narrative": achievement.criteria_narrative,
        "in_language": achievement.in_language,
        "colour": achievement.colour,
        "image_alt": achievement.image_alt,
        **{key: value for key, value in FULL_DEFINITION.items() if key not in {"occupation_uris"}},
        "occupation_uris": "\n".join(FULL_DEFINITION["occupation_uris"]),
        "counts_towards": "",
        "counts_towards_url": "",
        "human_code": "",
        "field_of_study": "",
        "credit_unit_label": "",
        "qa_responsible_body_url": "",
        "validity_months": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def expected(capability: Capability, success: int) -> dict:
    statuses = {"anonymous": 302, "non-member": 404, "other-issuer-owner": 404}
    allowed = roles_with(capability)
    return {**statuses, **{role: success if role in allowed else 403 for role in Role.values}}


# (method, url name, which achievement ("draft", "in_review", "approved", "published", None), outcome?, data, statuses)
VIEWS = [
    ("get", "achievements_console:list", None, False, None, expected(READERS, 200)),
    ("get", "achievements_console:new", None, False, None, expected(EDITORS, 200)),
    ("post", "achievements_console:new", None, False,
     {"name": "Ny", "description": "Ny.", "criteria_narrative": "Visa.", "in_language": "sv", "colour": "#1f5f8b"},
     expected(EDITORS, 302)),
    ("get", "achievements_console:review-queue", None, False, None, expected(Capability.SEE_REVIEW_QUEUE, 200)),
    ("get", "achievements_console:detail", "draft", False, None, expected(READERS, 200)),
    ("get", "achievements_console:detail", "published", False, None, expected(READERS, 200)),
    ("get", "achievements_console:edit", "draft", False, None, expected(EDITORS, 200)),
    ("post", "achievements_console:edit", "draft", False, "definition", expected(EDITORS, 302)),
    ("post", "achievements_console:scorecard", "draft", False, "definition", expected(EDITORS, 200)),
    ("post", "achievements_console:submit", "draft", False, {}, expected(EDITORS, 302)),
    ("get", "achievements_console:outcome-new", "draft", False, None, expected(EDITORS, 200)),
    ("get", "achievements_console:outcome-edit", "draft", True, None, expected(EDITORS, 200)),
    ("get", "achievements_console:outcome-remove", "draft", True, None, expected(EDITORS, 200)),
    ("post", "achievements_console:outcome-remove", "draft", True, {}, expected(EDITORS, 302)),
    ("post", "achievements_console:outcome-move", "draft", True, {"direction": "down"}, expected(EDITORS, 302)),
    ("get", "achievements_console:review", "in_review", False, None, expected(Capability.REVIEW_ACHIEVEMENTS, 200)),
    ("post", "achievements_console:review", "in_review", False, {"decision": "approve"},
     expected(Capability.REVIEW_ACHIEVEMENTS, 302)),
    ("get", "achievements_console:external-review", "published", False, None,
     expected(Capability.RECORD_EXTERNAL_REVIEWS, 200)),
    ("post", "achievements_console:external-review", "published", False,
     {"reviewer": "Karin Lind", "body": "Vård- och omsorgscollege", "date": "2025-03-14", "statement": "Bra."},
     expected(Capability.RECORD_EXTERNAL_REVIEWS, 302)),
    ("post", "achievements_console:publish", "approved", False, {}, expected(Capability.PUBLISH_ACHIEVEMENTS, 302)),
    ("post", "achievements_console:new-version", "published", False, {}, expected(EDITORS, 302)),
]


class World(dict):
    """Achievements in each status, made on first use (most cases need only one)."""

    def __init__(self, issuer):
        super().__init__()
        self.issuer = issuer

    def __missing__(self, which):
        if which == "draft":
            self[which] = make_draft(self.issuer)
        else:
            self[which] = make_achievement(self.issuer, status=Achievement.Status(which))
        return self[which]


@pytest.fixture
def world(issuer):
    return World(issuer)


def sign_in(client, issuer, actor):
    if actor == "anonymous":
        return None
    if actor == "non-member":
        user = make_user("nils")
    elif actor == "other-issuer-owner":
        user = make_member(make_issuer("annan-skola"), "olle", Role.OWNER).user
    else:
        user = make_member(issuer, "actor", actor).user
    client.force_login(user)
    return user


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("method", "url_name", "which", "on_outcome", "data", "statuses"), VIEWS,
    ids=[f"{v[0]} {v[1]} {v[2] or ''}".strip() for v in VIEWS],
)
def test_designer_view_status(client, issuer, world, actor, method, url_name, which, on_outcome, data, statuses):
    sign_in(client, issuer, actor)
    args = [issuer.slug]
    if which:
        achievement = world[which]
        args.append(achievement.public_id)
        if on_outcome:
            outcome = achievement.learning_outcomes.first()
            args.append(outcome.public_id)
    if data == "definition":
        data = definition_data(world[which])
    response = getattr(client, method)(reverse(url_name, args=args), data)
    assert response.status_code == statuses[actor]
    if actor == "anonymous":
        assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_an_achievement_is_not_found_under_another_issuers_address(client, issuer, world):
    """A member of two issuers still cannot reach one issuer's achievement through the other's address."""
    other = make_issuer("annan-skola")
    owner = make_member(issuer, "both", Role.OWNER)
    from issuers.membership import issuer_member_add

    issuer_member_add(issuer=other, user=owner.user, roles=[Role.OWNER])
    client.force_login(owner.user)
    draft_id = world["draft"].public_id
    assert client.get(reverse("achievements_console:detail", args=[issuer.slug, draft_id])).status_code == 200
    assert client.get(reverse("achievements_console:detail", args=[other.slug, draft_id])).status_code == 404


def test_an_outcome_of_another_achievement_is_not_found(client, issuer, world):
    client.force_login(make_member(issuer, "dora", Role.DESIGNER).user)
    foreign = world["published"].learning_outcomes.first()
    url = reverse("achievements_console:outcome-edit", args=[issuer.slug, world["draft"].public_id, foreign.public_id])
    assert client.get(url).status_code == 404


def test_an_unknown_achievement_is_not_found(client, issuer):
    import uuid

    client.force_login(make_member(issuer, "dora", Role.DESIGNER).user)
    assert client.get(reverse("achievements_console:edit", args=[issuer.slug, uuid.uuid4()])).status_code == 404
