"""The admin shows who works for an issuer but changes no membership: that is the console's, through
issuers.membership (last-owner rule, issuer lock, log). Its one way in is the same invitation an owner sends."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from issuers.models import IssuerInvitation, IssuerMember
from tests.factories import make_member, make_user

ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def owner(issuer):
    return make_member(issuer, "agnes", "owner")


@pytest.fixture
def staff_client(client, db):
    """A staff member the admin grants every issuers permission there is."""
    user = make_user("staff")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="issuers"))
    client.force_login(user)
    return client


def change_url(issuer) -> str:
    return f"/admin/issuers/issuer/{issuer.pk}/change/"


def posted_form(response) -> dict[str, str]:
    """What the browser would post back from the change page, unchanged."""
    data: dict[str, str] = {}
    for field in response.context["adminform"].form:
        value = field.value()
        if value is True:
            data[field.html_name] = "on"
        elif value not in (None, False, ""):
            data[field.html_name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{name}": str(value) for name, value in formset.management_form.initial.items()})
        for form in formset.initial_forms:
            data[f"{form.prefix}-id"] = str(form.instance.pk)
    return data


def test_the_issuer_page_lists_members_without_a_way_to_edit_them(admin_client, issuer, owner):
    response = admin_client.get(change_url(issuer))
    assert response.status_code == 200
    content = response.content.decode()
    assert "agnes" in content
    assert 'name="members-0-is_owner"' not in content
    assert 'name="members-0-DELETE"' not in content
    assert admin_client.get("/admin/issuers/issuer/").status_code == 200


def test_a_staff_member_with_every_permission_cannot_change_add_or_remove_members(staff_client, issuer, owner):
    newcomer = make_user("newcomer")
    data = posted_form(staff_client.get(change_url(issuer)))
    members = "members"
    data.update({
        # Take the owner's role away, make them a designer, delete them, and add someone as owner.
        f"{members}-0-is_designer": "on",
        f"{members}-0-DELETE": "on",
        f"{members}-TOTAL_FORMS": "2",
        f"{members}-1-user": str(newcomer.pk),
        f"{members}-1-is_owner": "on",
    })
    data.pop(f"{members}-0-is_owner", None)

    response = staff_client.post(change_url(issuer), data)

    assert response.status_code == 302  # the issuer form itself was fine; the member rows were ignored
    assert list(IssuerMember.objects.filter(issuer=issuer)) == [owner]
    owner.refresh_from_db()
    assert owner.roles == {"owner"}


def test_the_first_owner_is_invited_as_from_the_console(
    admin_client, admin_user, issuer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/issuers/issuer/",
            {"action": "invite_owner", "_selected_action": [issuer.pk], "email": "Rektor@Example.org"},
            follow=True,
            headers=ENGLISH,
        )
    assert response.status_code == 200
    assert [str(message) for message in response.context["messages"]] == [
        f"{issuer.name}: Invitation sent to rektor@example.org."
    ]
    invitation = IssuerInvitation.objects.get(issuer=issuer)
    assert (invitation.email, invitation.roles, invitation.invited_by) == ("rektor@example.org", ["owner"], admin_user)
    assert [message.to for message in mail.outbox] == [["rektor@example.org"]]
    assert not IssuerMember.objects.filter(issuer=issuer).exists()  # a member once the link is accepted


def test_an_invitation_needs_an_address_and_is_refused_to_a_member(admin_client, issuer, owner):
    def invite(email: str) -> list[str]:
        response = admin_client.post(
            "/admin/issuers/issuer/",
            {"action": "invite_owner", "_selected_action": [issuer.pk], "email": email},
            follow=True,
            headers=ENGLISH,
        )
        return [str(message) for message in response.context["messages"]]

    assert invite("") == ["Write the e-mail address of the person to invite."]
    assert invite("agnes@example.org") == [f"{issuer.name}: agnes@example.org is already a member."]
    assert not IssuerInvitation.objects.exists()


def test_only_staff_who_may_change_issuers_rotate_their_keys(client, issuer):
    viewer = make_user("viewer")
    viewer.is_staff = True
    viewer.save(update_fields=["is_staff"])
    viewer.user_permissions.set(Permission.objects.filter(codename="view_issuer"))
    client.force_login(viewer)
    keys_before = set(issuer.signing_keys.values_list("pk", "status"))
    response = client.post("/admin/issuers/issuer/", {"action": "rotate_signing_keys", "_selected_action": [issuer.pk]})
    assert response.status_code in (200, 302, 403)
    assert set(issuer.signing_keys.values_list("pk", "status")) == keys_before
