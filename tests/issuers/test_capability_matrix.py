"""The role × view matrix of the whole issuer console, generated from the role → capability table.

Each console view below names the one capability it needs; every role then gets through if and only if
issuers.roles.ROLE_CAPABILITIES grants that role the capability, and is refused with 403 otherwise.
Visitors who are not members get 404 and anonymous ones the sign-in page. A console address missing
from VIEWS fails test_every_console_address_is_in_the_matrix: no page is added without saying who may
open it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.tokens import api_token_create
from assessment.applications import application_start, application_submit, evidence_add
from assessment.awards import award_batch_prepare
from assessment.csv_import import RecipientRow
from badges.credentials.issuing import credential_issue
from badges.credentials.signing import credential_sign
from badges.models import Achievement
from issuers.roles import ROLE_CAPABILITIES, Capability, Role
from tests.factories import make_achievement, make_draft, make_issuer, make_member, make_user, workflow_member

pytestmark = pytest.mark.django_db

C = Capability


@dataclass(frozen=True)
class View:
    url_name: str
    capability: Capability
    method: str = "get"
    target: str | None = None  # which object the address names (World builds it)
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.method} {self.url_name}" + (f" ({self.target})" if self.target else "")


VIEWS = [
    View("console:issuer", C.VIEW_CONSOLE),
    View("console:members", C.VIEW_CONSOLE),
    View("console:members", C.MANAGE_MEMBERS, "post", data={"email": "ny@example.org", "roles": ["designer"]}),
    View("console:member-roles", C.MANAGE_MEMBERS, target="member"),
    View("console:member-remove", C.MANAGE_MEMBERS, target="member"),
    View("console:profile", C.EDIT_PROFILE),
    View("console:audit-log", C.VIEW_AUDIT_LOG),
    View("achievements_console:list", C.VIEW_ACHIEVEMENTS),
    View("achievements_console:new", C.EDIT_ACHIEVEMENTS),
    View("achievements_console:review-queue", C.SEE_REVIEW_QUEUE),
    View("achievements_console:detail", C.VIEW_ACHIEVEMENTS, target="draft"),
    View("achievements_console:edit", C.EDIT_ACHIEVEMENTS, target="draft"),
    View("achievements_console:scorecard", C.EDIT_ACHIEVEMENTS, "post", target="draft"),
    View("achievements_console:submit", C.EDIT_ACHIEVEMENTS, "post", target="draft"),
    View("achievements_console:translation", C.EDIT_ACHIEVEMENTS, target="draft translation"),
    View("achievements_console:outcome-new", C.EDIT_ACHIEVEMENTS, target="draft"),
    View("achievements_console:outcome-edit", C.EDIT_ACHIEVEMENTS, target="draft outcome"),
    View("achievements_console:outcome-remove", C.EDIT_ACHIEVEMENTS, target="draft outcome"),
    View("achievements_console:outcome-move", C.EDIT_ACHIEVEMENTS, "post", target="draft outcome",
         data={"direction": "down"}),
    View("achievements_console:review", C.REVIEW_ACHIEVEMENTS, target="in_review"),
    View("achievements_console:external-review", C.RECORD_EXTERNAL_REVIEWS, target="published"),
    View("achievements_console:publish", C.PUBLISH_ACHIEVEMENTS, target="approved"),
    View("achievements_console:publish", C.PUBLISH_ACHIEVEMENTS, "post", target="approved"),
    View("achievements_console:new-version", C.EDIT_ACHIEVEMENTS, "post", target="published"),
    View("credentials_console:list", C.MANAGE_CREDENTIALS),
    View("credentials_console:revoke", C.MANAGE_CREDENTIALS, target="credential"),
    View("credentials_console:reissue", C.MANAGE_CREDENTIALS, "post", target="credential"),
    View("dashboard:overview", C.VIEW_CONSOLE),
    View("dashboard:export", C.VIEW_CONSOLE),
    View("dashboard:expiring", C.MANAGE_CREDENTIALS),
    View("credentials_console:detail", C.MANAGE_CREDENTIALS, target="credential"),
    View("credentials_console:claim-resend", C.MANAGE_CREDENTIALS, "post", target="credential"),
    View("assessment:queue", C.ASSESS_APPLICATIONS),
    View("assessment:assess", C.ASSESS_APPLICATIONS, target="application"),
    View("assessment:policies", C.SEE_ASSESSMENT_POLICIES),
    View("assessment:policies", C.SET_ASSESSMENT_POLICIES, "post", target="policy"),
    View("assessment:award-new", C.AWARD_CREDENTIALS),
    View("assessment:award-batch", C.AWARD_CREDENTIALS, target="batch"),
    View("assessment:award-confirm", C.AWARD_CREDENTIALS, "post", target="batch"),
    View("assessment:award-progress", C.AWARD_CREDENTIALS, target="batch"),
    View("api_tokens:list", C.MANAGE_MEMBERS),
    View("api_tokens:list", C.MANAGE_MEMBERS, "post", data={"name": "Studieadministration", "scopes": ["read"]}),
    View("api_tokens:revoke", C.MANAGE_MEMBERS, target="token"),
    View("api_tokens:revoke", C.MANAGE_MEMBERS, "post", target="token"),
    View("webhooks_console:list", C.MANAGE_MEMBERS),
    View("webhooks_console:new", C.MANAGE_MEMBERS),
    View("webhooks_console:detail", C.MANAGE_MEMBERS, target="endpoint"),
    View("webhooks_console:rotate", C.MANAGE_MEMBERS, "post", target="endpoint"),
    View("webhooks_console:delete", C.MANAGE_MEMBERS, "post", target="endpoint"),
    View("webhooks_console:replay", C.MANAGE_MEMBERS, "post", target="endpoint delivery"),
    View("vcapi_console:did-key", C.EDIT_PROFILE),
    View("vcapi_console:did-key", C.EDIT_PROFILE, "post"),
]
# Where a member lands once allowed: the page itself, or a redirect after a POST that did its work.
ALLOWED = {200, 302}


class World:
    """The objects an address names, made on first use."""

    def __init__(self, issuer):
        self.issuer = issuer
        self._made: dict[str, Any] = {}

    def __getitem__(self, which: str) -> Any:
        if which not in self._made:
            self._made[which] = getattr(self, f"_make_{which}")()
        return self._made[which]

    def _make_draft(self) -> Achievement:
        return make_draft(self.issuer)

    def _make_published(self) -> Achievement:
        return make_achievement(self.issuer)

    def _make_in_review(self) -> Achievement:
        return make_achievement(self.issuer, status=Achievement.Status.IN_REVIEW)

    def _make_approved(self) -> Achievement:
        return make_achievement(self.issuer, status=Achievement.Status.APPROVED)

    def _make_member(self):
        return make_member(self.issuer, "another", Role.DESIGNER)

    def _make_credential(self):
        credential = credential_issue(achievement=self["published"], recipient_email="amina@example.org")
        credential_sign(credential_id=credential.id)
        return credential

    def _make_application(self):
        learner = make_user("saman")
        achievement = self["published"]
        application = application_start(achievement=achievement, learner=learner)
        evidence_add(application=application, by=learner, outcome=achievement.learning_outcomes.first(),
                     title="Text", narrative="Jag gjorde det.")
        return application_submit(application=application, by=learner).application

    def _make_batch(self):
        return award_batch_prepare(
            issuer=self.issuer, achievement=self["published"], by=workflow_member(self.issuer, Role.OWNER).user,
            rows=[RecipientRow(line=2, email="jacob@example.org", name="Jacob")],
        )

    def _make_token(self):
        token, _secret = api_token_create(
            issuer=self.issuer, by=workflow_member(self.issuer, Role.OWNER).user, name="Arkiv", scopes=["read"]
        )
        return token
    def _make_endpoint(self):
        from webhooks.endpoints import webhook_endpoint_create

        owner = workflow_member(self.issuer, Role.OWNER)
        endpoint, _secret = webhook_endpoint_create(
            issuer=self.issuer, by=owner.user, url="https://hooks.example.org/in", description="",
            event_types=["credential.issued"],
        )
        return endpoint

    def _make_delivery(self):
        from webhooks.emitting import webhook_event_emit

        endpoint = self["endpoint"]
        event = webhook_event_emit(issuer_id=self.issuer.pk, event_type="credential.issued", data={})
        delivery = event.deliveries.get(endpoint=endpoint)
        delivery.state = delivery.State.FAILED
        delivery.save(update_fields=["state"])
        return delivery

    def address(self, view: View) -> tuple[str, dict[str, Any]]:
        args: list[Any] = [self.issuer.slug]
        data = dict(view.data)
        target = view.target or ""
        if target.startswith("draft"):
            args.append(self["draft"].public_id)
            if target.endswith("outcome"):
                args.append(self["draft"].learning_outcomes.first().public_id)
            if target.endswith("translation"):
                args.append("en")
        elif target in ("published", "in_review", "approved", "credential", "application", "batch", "token"):
            args.append(self[target].public_id)
        elif target.startswith("endpoint"):
            args.append(self["endpoint"].public_id)
            if target.endswith("delivery"):
                args.append(self["delivery"].public_id)
        elif target == "member":
            args.append(self["member"].pk)
        elif target == "policy":
            data = {"achievement": str(self["published"].public_id), "second_approval_required": "on"}
        return reverse(view.url_name, args=args), data


@pytest.fixture
def world(db):
    return World(make_issuer())


MATRIX = [(view, role) for view in VIEWS for role in Role]


@pytest.mark.parametrize(("view", "role"), MATRIX, ids=[f"{view.label}-{role}" for view, role in MATRIX])
def test_a_member_gets_through_exactly_when_their_role_grants_the_capability(client, world, view, role):
    url, data = world.address(view)
    client.force_login(make_member(world.issuer, "actor", role).user)
    status = getattr(client, view.method)(url, data).status_code
    if view.capability in ROLE_CAPABILITIES[role]:
        assert status in ALLOWED, (view.label, role, status)
    else:
        assert status == 403, (view.label, role, status)


@pytest.mark.parametrize("view", VIEWS, ids=[view.label for view in VIEWS])
def test_no_one_outside_the_issuer_learns_the_page_exists(client, world, view):
    url, data = world.address(view)
    response = getattr(client, view.method)(url, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    for outsider in (make_user("nils"), make_member(make_issuer("annan-skola"), "olle", *Role).user):
        client.force_login(outsider)
        assert getattr(client, view.method)(url, data).status_code == 404, (view.label, outsider)


def _console_names(patterns, namespace: str = "", prefix: str = "") -> set[str]:
    names = set()
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            names |= _console_names(pattern.url_patterns, pattern.namespace or namespace, route)
        elif isinstance(pattern, URLPattern) and route.startswith("console/<slug:issuer_slug>/"):
            names.add(f"{namespace}:{pattern.name}")
    return names


def test_every_console_address_is_in_the_matrix():
    assert _console_names(get_resolver().url_patterns) == {view.url_name for view in VIEWS}


def test_every_capability_is_needed_by_some_view_and_granted_to_some_role():
    assert {view.capability for view in VIEWS} == set(Capability)
    assert set().union(*ROLE_CAPABILITIES.values()) == set(Capability)
