"""The issuer's audit log: every privileged action writes one entry, and only owners can read it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from api.tokens import api_token_create, api_token_revoke
from assessment.assessing import assessment_policy_set
from assessment.awards import award_to_one
from badges.achievements.review import achievement_external_review_record, achievement_review_request_changes
from badges.credentials.revocation import credential_reissue, credential_revoke
from badges.credentials.signing import credential_sign
from badges.models import Achievement
from issuers.audit import issuer_audit_record
from issuers.membership import (
    issuer_invitation_accept,
    issuer_member_invite,
    issuer_member_remove,
    issuer_member_roles_set,
)
from issuers.models import IssuerAuditEvent, IssuerMember
from issuers.roles import Role
from issuers.services import signing_key_mark_compromised, signing_key_rotate
from kernel.tokens import secret_token
from tests.console.support import application_submitted, approve
from tests.factories import make_achievement, make_issuer, make_member, make_user, workflow_member
from webhooks.deliveries import webhook_delivery_replay
from webhooks.emitting import webhook_event_emit
from webhooks.endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_update,
)

pytestmark = pytest.mark.django_db
Kind = IssuerAuditEvent.Kind


@pytest.fixture
def issuer():
    return make_issuer()


@pytest.fixture
def owner(issuer) -> IssuerMember:
    return make_member(issuer, "ebba", Role.OWNER)


def entries(issuer, kind: str) -> list[IssuerAuditEvent]:
    return list(IssuerAuditEvent.objects.filter(issuer=issuer, kind=kind))


def only_entry(issuer, kind: str) -> IssuerAuditEvent:
    found = entries(issuer, kind)
    assert len(found) == 1, (kind, found)
    return found[0]


def test_membership_changes_are_logged_with_who_did_them(issuer, owner, monkeypatch):
    tokens = []
    monkeypatch.setattr("issuers.membership.secret_token", lambda: tokens.append(secret_token()) or tokens[-1])
    issuer_member_invite(issuer=issuer, invited_by=owner.user, email="Nils@Example.org", roles=[Role.DESIGNER])
    invited = only_entry(issuer, Kind.MEMBER_INVITED)
    assert (invited.actor, invited.subject, invited.data["roles"]) == (owner.user, "nils@example.org", ["designer"])

    nils = make_user("nils")
    member = issuer_invitation_accept(token=tokens[0], user=nils)
    assert only_entry(issuer, Kind.MEMBER_JOINED).actor == nils

    issuer_member_roles_set(member=member, roles=[Role.ASSESSOR, Role.DESIGNER], by=owner.user)
    changed = only_entry(issuer, Kind.MEMBER_ROLES_CHANGED)
    assert (changed.actor, changed.data) == (owner.user, {"before": ["designer"], "after": ["assessor", "designer"]})
    issuer_member_roles_set(member=member, roles=[Role.ASSESSOR, Role.DESIGNER], by=owner.user)
    assert len(entries(issuer, Kind.MEMBER_ROLES_CHANGED)) == 1, "no change, no entry"

    issuer_member_remove(member=member, by=owner.user)
    removed = only_entry(issuer, Kind.MEMBER_REMOVED)
    assert (removed.actor, removed.subject) == (owner.user, "nils@example.org")


def test_console_changes_name_the_member_who_made_them(client, issuer, owner):
    other = make_member(issuer, "olle", Role.DESIGNER)
    client.force_login(owner.user)
    client.post(reverse("console:member-roles", args=[issuer.slug, other.pk]), {"roles": ["assessor"]})
    assert only_entry(issuer, Kind.MEMBER_ROLES_CHANGED).actor == owner.user
    form = client.get(reverse("console:profile", args=[issuer.slug])).context["form"]
    posted = {name: value for name, value in form.initial.items() if value is not None and name != "image"}
    client.post(reverse("console:profile", args=[issuer.slug]), {**posted, "name": "Testskolan Syd"})
    profile = only_entry(issuer, Kind.PROFILE_UPDATED)
    assert (profile.actor, profile.subject, profile.data["fields"]) == (owner.user, "Testskolan Syd", ["name"])


def test_key_rotation_and_compromise_are_logged(issuer, owner):
    old = issuer.signing_keys.get(kind="ed25519", status="active")
    new = signing_key_rotate(issuer=issuer, kind="ed25519", by=owner.user)
    rotated = only_entry(issuer, Kind.SIGNING_KEY_ROTATED)
    assert (rotated.actor, rotated.subject, rotated.data["retired"]) == (owner.user, new.thumbprint, old.thumbprint)

    since = timezone.now() - timedelta(days=2)
    signing_key_mark_compromised(new, since=since, by=owner.user)
    compromised = only_entry(issuer, Kind.SIGNING_KEY_COMPROMISED)
    assert (compromised.subject, compromised.data["since"]) == (new.thumbprint, since.isoformat())


def test_quality_decisions_and_publishing_are_logged(issuer):
    achievement = make_achievement(issuer)
    approved, published = only_entry(issuer, Kind.ACHIEVEMENT_APPROVED), only_entry(issuer, Kind.ACHIEVEMENT_PUBLISHED)
    assert approved.actor == workflow_member(issuer, Role.QA_REVIEWER).user
    assert published.subject == achievement.name and published.data["achievement"] == str(achievement.public_id)

    reviewer = workflow_member(issuer, Role.QA_REVIEWER).user
    achievement_external_review_record(achievement=achievement, by=reviewer, reviewer="Kim", body="UHR",
                                       date=timezone.localdate(), statement="Uppfyller kraven.")
    assert only_entry(issuer, Kind.ACHIEVEMENT_EXTERNAL_REVIEW).data["comment"] == "Uppfyller kraven."

    in_review = make_achievement(issuer, status=Achievement.Status.IN_REVIEW)
    achievement_review_request_changes(achievement=in_review, by=reviewer, comment="Förtydliga kriterierna.")
    assert only_entry(issuer, Kind.ACHIEVEMENT_CHANGES_REQUESTED).actor == reviewer


def test_awards_revocation_and_reissue_are_logged(issuer, owner, django_capture_on_commit_callbacks):
    achievement = make_achievement(issuer)
    with django_capture_on_commit_callbacks(execute=False):
        _batch, credential = award_to_one(issuer=issuer, achievement=achievement, by=owner.user,
                                          email="amina@example.org", name="Amina")
    credential_sign(credential_id=credential.id)
    credential.refresh_from_db()
    awarded = only_entry(issuer, Kind.AWARD_JOB_CONFIRMED)
    assert (awarded.actor, awarded.data["recipients"]) == (owner.user, 1)

    with django_capture_on_commit_callbacks(execute=False):
        credential_reissue(credential=credential, by=owner.user)
    assert only_entry(issuer, Kind.CREDENTIAL_REISSUED).subject == "amina@example.org"
    with django_capture_on_commit_callbacks(execute=False):
        credential_revoke(credential=credential, by=owner.user, reason="Fel person.")
    revoked = only_entry(issuer, Kind.CREDENTIAL_REVOKED)
    assert (revoked.actor, revoked.data["reason"]) == (owner.user, "Fel person.")


def test_assessment_decisions_and_policies_are_logged(issuer, owner):
    achievement = make_achievement(issuer)
    assessment_policy_set(achievement=achievement, by=owner.user, second_approval_required=False)
    assert entries(issuer, Kind.ASSESSMENT_POLICY_CHANGED) == [], "nothing changed"
    assessment_policy_set(achievement=achievement, by=owner.user, second_approval_required=True)
    assert only_entry(issuer, Kind.ASSESSMENT_POLICY_CHANGED).data["second_approval_required"] is True

    assessor = make_member(issuer, "alva", Role.ASSESSOR).user
    approve(application_submitted(achievement, "saman"), assessor)
    decided = only_entry(issuer, Kind.APPLICATION_DECIDED)
    assert (decided.actor, decided.data["decision"]) == (assessor, "first_approval")


def test_api_tokens_and_webhooks_are_logged(issuer, owner):
    token, _secret = api_token_create(issuer=issuer, by=owner.user, name="Ladok", scopes=["read"])
    assert only_entry(issuer, Kind.API_TOKEN_CREATED).data == {"prefix": token.prefix, "scopes": ["read"]}
    api_token_revoke(token=token, by=owner.user)
    api_token_revoke(token=token, by=owner.user)
    assert only_entry(issuer, Kind.API_TOKEN_REVOKED).subject == "Ladok"

    endpoint, _secret = webhook_endpoint_create(issuer=issuer, by=owner.user, url="https://hooks.example.org/in",
                                                description="", event_types=["credential.issued"])
    assert only_entry(issuer, Kind.WEBHOOK_ENDPOINT_CREATED).subject == "https://hooks.example.org/in"
    webhook_endpoint_update(endpoint=endpoint, by=owner.user, url="https://hooks.example.org/v2", description="",
                            event_types=["credential.revoked"], enabled=True)
    assert only_entry(issuer, Kind.WEBHOOK_ENDPOINT_CHANGED).data["event_types"] == ["credential.revoked"]
    webhook_endpoint_secret_rotate(endpoint=endpoint, by=owner.user)
    assert only_entry(issuer, Kind.WEBHOOK_SECRET_ROTATED).actor == owner.user
    event = webhook_event_emit(issuer_id=issuer.pk, event_type="credential.revoked", data={})
    delivery = event.deliveries.get(endpoint=endpoint)
    delivery.state = delivery.State.FAILED
    delivery.save(update_fields=["state"])
    webhook_delivery_replay(delivery=delivery, by=owner.user)
    assert only_entry(issuer, Kind.WEBHOOK_DELIVERY_REPLAYED).data["delivery"] == str(delivery.public_id)
    webhook_endpoint_delete(endpoint=endpoint, by=owner.user)
    assert only_entry(issuer, Kind.WEBHOOK_ENDPOINT_DELETED).subject == "https://hooks.example.org/v2"


def test_entries_are_append_only(issuer, owner):
    entry = issuer_audit_record(issuer_id=issuer.pk, kind=Kind.PROFILE_UPDATED, by=owner.user)
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        IssuerAuditEvent.objects.filter(pk=entry.pk).delete()


# --- The console page ------------------------------------------------------------------------------------
def page(client, issuer, language: str = "en", **query):
    return client.get(reverse("console:audit-log", args=[issuer.slug]), query, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize("role", [Role.DESIGNER, Role.ASSESSOR, Role.QA_REVIEWER])
def test_only_owners_read_the_log(client, issuer, role):
    client.force_login(make_member(issuer, "olle", role).user)
    assert page(client, issuer).status_code == 403
    client.force_login(make_member(make_issuer("annan-skola"), "nils", Role.OWNER).user)
    assert page(client, issuer).status_code == 404


def test_the_page_lists_filters_and_pages_entries(client, issuer, owner):
    other = make_member(issuer, "olle", Role.DESIGNER)
    with freeze_time("2026-03-02 10:00"):
        issuer_member_roles_set(member=other, roles=[Role.ASSESSOR], by=owner.user)
    with freeze_time("2026-03-05 10:00"):
        for number in range(55):
            api_token_create(issuer=issuer, by=owner.user, name=f"System {number}", scopes=["read"])
    client.force_login(owner.user)

    first = page(client, issuer, kind=Kind.API_TOKEN_CREATED)
    assert first.status_code == 200
    html = first.content.decode()
    assert html.count("<tr>") == 1 + 50 and "System 54" in html and "System 4<" not in html
    assert 'rel="next"' in html and 'data-label="' in html
    second = page(client, issuer, kind=Kind.API_TOKEN_CREATED, page=2).content.decode()
    assert "System 4<" in second and "System 54" not in second

    roles = page(client, issuer, until="2026-03-03").content.decode()
    assert "Roles before: designer" in roles and "System" not in roles
    since = page(client, issuer, since="2026-03-05", actor=owner.user.pk).content.decode()
    assert "System 54<" in since and "Roles before" not in since
    assert "No entries match." in page(client, issuer, kind=Kind.MEMBER_REMOVED).content.decode()


def test_a_filter_that_does_not_read_is_shown_not_refused(client, issuer, owner):
    api_token_create(issuer=issuer, by=owner.user, name="Ladok", scopes=["read"])
    client.force_login(owner.user)
    response = page(client, issuer, since="2026-13-45", kind="no-such-kind")
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"since", "kind"}
    assert "Ladok" in response.content.decode()


def test_the_page_speaks_swedish(client, issuer, owner):
    api_token_create(issuer=issuer, by=owner.user, name="Ladok", scopes=["read"])
    client.force_login(owner.user)
    html = page(client, issuer, language="sv").content.decode()
    assert "Granskningslogg" in html and "API-nyckel skapad" in html
