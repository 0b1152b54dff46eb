"""Every console view against every kind of visitor: the exact status each one gets."""

import pytest
from django.urls import reverse

from issuers.models import Role
from tests.factories import make_issuer, make_member, make_user

pytestmark = pytest.mark.django_db

ACTORS = ["anonymous", "non-member", *Role.values, "other-issuer-owner"]


def _statuses(*, anonymous, outsider, roles):
    statuses = {"anonymous": anonymous, "non-member": outsider, "other-issuer-owner": outsider}
    return {**statuses, **roles}


ANY_MEMBER = _statuses(anonymous=302, outsider=404, roles=dict.fromkeys(Role.values, 200))


def owner_only(success):
    return _statuses(anonymous=302, outsider=404, roles={**dict.fromkeys(Role.values, 403), Role.OWNER: success})


PROFILE = {
    "name": "Testskolan", "country_code": "SE", "description": "", "url": "", "email": "", "phone": "",
    "official_identifier": "", "street_address": "", "postal_code": "", "locality": "", "region": "",
    "identity_kind": "https",
}

# (method, url name, needs the target member's id, POST data, expected status per actor)
VIEWS = [
    ("get", "console:issuer", False, None, ANY_MEMBER),
    ("get", "console:members", False, None, ANY_MEMBER),
    ("post", "console:members", False, {"email": "new@example.org", "roles": ["assessor"]}, owner_only(302)),
    ("get", "console:member-roles", True, None, owner_only(200)),
    ("post", "console:member-roles", True, {"roles": ["designer"]}, owner_only(302)),
    ("get", "console:member-remove", True, None, owner_only(200)),
    ("post", "console:member-remove", True, {}, owner_only(302)),
    ("get", "console:profile", False, None, owner_only(200)),
    ("post", "console:profile", False, PROFILE, owner_only(302)),
]


@pytest.fixture
def world(issuer):
    target = make_member(issuer, "target", Role.ASSESSOR)
    return {"issuer": issuer, "target": target}


def sign_in(client, issuer, actor):
    if actor == "anonymous":
        return
    if actor == "non-member":
        user = make_user("nils")
    elif actor == "other-issuer-owner":
        user = make_member(make_issuer("annan-skola"), "olle", Role.OWNER).user
    else:
        user = make_member(issuer, "actor", actor).user
    client.force_login(user)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("method", "url_name", "on_member", "data", "expected"), VIEWS, ids=[f"{v[0]} {v[1]}" for v in VIEWS]
)
def test_console_view_status(client, world, actor, method, url_name, on_member, data, expected):
    issuer = world["issuer"]
    if actor != Role.OWNER:
        make_member(issuer, "owner", Role.OWNER)  # every issuer has an owner; here it is someone else
    sign_in(client, issuer, actor)
    args = [issuer.slug, world["target"].pk] if on_member else [issuer.slug]
    response = getattr(client, method)(reverse(url_name, args=args), data)
    assert response.status_code == expected[actor]
    if actor == "anonymous":
        assert response["Location"].startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize(("actor", "expected"), [("anonymous", 302), ("non-member", 200), ("owner", 200)])
def test_my_organisations_needs_only_a_sign_in(client, issuer, actor, expected):
    sign_in(client, issuer, actor)
    assert client.get(reverse("console:home")).status_code == expected


def test_my_organisations_lists_only_my_own(client, issuer):
    make_member(make_issuer("annan-skola"), "olle", Role.OWNER)
    sign_in(client, issuer, Role.DESIGNER)
    page = client.get(reverse("console:home")).content.decode()
    assert reverse("console:issuer", args=[issuer.slug]) in page
    assert "annan-skola" not in page


@pytest.mark.parametrize("url_name", ["console:member-roles", "console:member-remove"])
def test_an_owner_cannot_reach_members_of_another_issuer_through_their_own(client, issuer, url_name):
    stranger = make_member(make_issuer("annan-skola"), "olle", Role.OWNER)
    sign_in(client, issuer, Role.OWNER)
    url = reverse(url_name, args=[issuer.slug, stranger.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"roles": ["assessor"]}).status_code == 404
    stranger.refresh_from_db()
    assert stranger.roles == {Role.OWNER}


def test_console_forms_require_a_csrf_token(issuer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, issuer, Role.OWNER)
    invite = {"email": "x@example.org", "roles": ["owner"]}
    response = client.post(reverse("console:members", args=[issuer.slug]), invite)
    assert response.status_code == 403
