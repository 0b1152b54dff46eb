"""The admin shows achievements and credentials but changes neither: every change goes through a service
that records it (AchievementAuditEvent, CredentialEvent), and the admin would record nothing."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Permission

from badges.models import Achievement, AchievementAuditEvent, Credential, CredentialEvent
from tests.factories import make_draft, make_user


@pytest.fixture
def staff_client(client, db):
    """A staff member the admin grants every badges permission there is."""
    user = make_user("staff")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="badges"))
    client.force_login(user)
    return client


@pytest.fixture
def draft(issuer):
    return make_draft(issuer)


def admin_url(obj, view: str = "change") -> str:
    return f"/admin/badges/{obj._meta.model_name}/{obj.pk}/{view}/"


def test_a_superuser_can_read_every_page(admin_client, draft, achievement, issued):
    for url in (
        "/admin/badges/achievement/",
        admin_url(draft),
        admin_url(achievement),
        "/admin/badges/credential/",
        admin_url(issued),
        "/admin/badges/credentialevent/",
        admin_url(issued.events.first()),
    ):
        assert admin_client.get(url).status_code == 200, url
    content = admin_client.get(admin_url(draft)).content.decode()
    assert draft.learning_outcomes.first().statement in content
    assert 'name="name"' not in content  # shown, not editable


@pytest.mark.parametrize("model", [Achievement, Credential, CredentialEvent])
def test_nobody_may_add_change_or_delete_nor_run_an_action(rf, admin_user, model):
    model_admin = site._registry[model]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.get_actions(request) == {}
    for inline in model_admin.get_inline_instances(request):
        assert not inline.has_add_permission(request, None), inline
        assert not inline.has_change_permission(request), inline
        assert not inline.has_delete_permission(request), inline


@pytest.mark.parametrize("client_name", ["staff_client", "admin_client"])
def test_posts_to_a_draft_change_nothing(request, client_name, draft):
    client = request.getfixturevalue(client_name)
    before = (draft.name, AchievementAuditEvent.objects.count(), draft.learning_outcomes.count())

    changed = client.post(admin_url(draft), {"name": "Ändrad i admin", "description": "x", "criteria_narrative": "x"})
    deleted = client.post(admin_url(draft, "delete"), {"post": "yes"})
    added = client.post("/admin/badges/achievement/add/", {"name": "Ny", "issuer": draft.issuer_id})
    bulk = client.post(
        "/admin/badges/achievement/", {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"}
    )

    assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    draft.refresh_from_db()
    assert (draft.name, AchievementAuditEvent.objects.count(), draft.learning_outcomes.count()) == before
    assert Achievement.objects.count() == 1


@pytest.mark.parametrize("client_name", ["staff_client", "admin_client"])
def test_posts_to_a_credential_change_nothing(request, client_name, issued):
    client = request.getfixturevalue(client_name)
    before = (issued.status, issued.recipient_email, issued.events.count())

    changed = client.post(admin_url(issued), {"status": "revoked", "recipient_email": "someone@example.org"})
    deleted = client.post(admin_url(issued, "delete"), {"post": "yes"})
    event_deleted = client.post(admin_url(issued.events.first(), "delete"), {"post": "yes"})
    bulk = client.post(
        "/admin/badges/credential/", {"action": "delete_selected", "_selected_action": [issued.pk], "post": "yes"}
    )

    assert (changed.status_code, deleted.status_code, event_deleted.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    issued.refresh_from_db()
    assert (issued.status, issued.recipient_email, issued.events.count()) == before
