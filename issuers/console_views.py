"""The issuer console: organisations, members and the issuer's profile. Every view passes a gate first."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from issuers.access import access_member_of_issuer, access_membership_for_user
from issuers.errors import MembershipRefused
from issuers.forms import IssuerProfileForm, MemberInviteForm, MemberRolesForm
from issuers.membership import (
    check_invitation_acceptable,
    issuer_invitation_accept,
    issuer_invitation_for_token,
    issuer_member_invite,
    issuer_member_remove,
    issuer_member_roles_set,
)
from issuers.roles import Capability
from issuers.selectors import issuer_invitation_list_open, issuer_member_list, issuer_memberships_for_user
from issuers.services import issuer_profile_update
from kernel.users import AuthenticatedHttpRequest


def _posted(request: HttpRequest) -> dict | None:
    # `request.POST or None` would leave a form unbound when a POST carries no fields at all.
    return request.POST if request.method == "POST" else None


def _refused(form: forms.Form, refusal: MembershipRefused) -> None:
    form.add_error(None, refusal.message)


@login_required
@require_GET
def console_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = issuer_memberships_for_user(user=request.user)
    return render(request, "console/home.html", {"memberships": memberships})


@login_required
@require_http_methods(["GET", "POST"])
def member_list(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    """Every member sees who else works here; only owners may invite (the POST)."""
    inviting = request.method == "POST"
    member = access_membership_for_user(
        request.user, issuer_slug, capability=Capability.MANAGE_MEMBERS if inviting else Capability.VIEW_CONSOLE
    )
    issuer = member.issuer
    form = MemberInviteForm(_posted(request))
    if inviting and form.is_valid():
        try:
            invitation = issuer_member_invite(
                issuer=issuer,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                roles=form.cleaned_data["roles"],
            )
        except MembershipRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("console:members", issuer.slug)
    context = {
        "member": member,
        "issuer": issuer,
        "members": issuer_member_list(issuer=issuer),
        "invitations": issuer_invitation_list_open(issuer=issuer) if member.can(Capability.MANAGE_MEMBERS) else [],
        "form": form,
        "section": "members",
    }
    return render(request, "console/members.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_roles_edit(request: AuthenticatedHttpRequest, issuer_slug: str, member_id: int) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.MANAGE_MEMBERS)
    other = access_member_of_issuer(member.issuer, member_id)
    form = MemberRolesForm(_posted(request), initial={"roles": sorted(other.roles)})
    if request.method == "POST" and form.is_valid():
        try:
            issuer_member_roles_set(member=other, roles=form.cleaned_data["roles"], by=request.user)
        except MembershipRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("Roles saved."))
            return redirect("console:members", member.issuer.slug)
    context = {"member": member, "issuer": member.issuer, "other": other, "form": form, "section": "members"}
    return render(request, "console/member_roles.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: AuthenticatedHttpRequest, issuer_slug: str, member_id: int) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.MANAGE_MEMBERS)
    other = access_member_of_issuer(member.issuer, member_id)
    form = forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            issuer_member_remove(member=other, by=request.user)
        except MembershipRefused as refusal:
            _refused(form, refusal)
        else:
            messages.success(request, _("%(person)s is no longer a member.") % {"person": other.user.email})
            if other.pk == member.pk:
                return redirect("console:home")
            return redirect("console:members", member.issuer.slug)
    context = {"member": member, "issuer": member.issuer, "other": other, "form": form, "section": "members"}
    return render(request, "console/member_remove.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def issuer_profile_edit(request: AuthenticatedHttpRequest, issuer_slug: str) -> HttpResponse:
    member = access_membership_for_user(request.user, issuer_slug, capability=Capability.EDIT_PROFILE)
    issuer = member.issuer
    form = IssuerProfileForm(_posted(request), request.FILES or None, instance=issuer)
    if request.method == "POST" and form.is_valid():
        issuer_profile_update(issuer=issuer, **form.profile_fields(), logo=form.cleaned_data["image"], by=request.user)
        messages.success(request, _("Profile saved."))
        return redirect("console:issuer", issuer.slug)
    return render(
        request, "console/profile_form.html", {"member": member, "issuer": issuer, "form": form, "section": "profile"}
    )


# Unknown or used links look the same as nonexistent ones; the others tell the invitee what to do.
_REFUSAL_STATUS = {"invalid": 404, "expired": 410, "wrong_email": 403}


def _invitation_refused(request: HttpRequest, refusal: MembershipRefused) -> HttpResponse:
    return render(
        request, "console/invitation_refused.html", {"reason": refusal.message}, status=_REFUSAL_STATUS[refusal.code]
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail. The token is the gate: it must be open, unexpired and for this user."""
    if request.method == "POST":
        try:
            member = issuer_invitation_accept(token=token, user=request.user)
        except MembershipRefused as refusal:
            return _invitation_refused(request, refusal)
        messages.success(request, _("Welcome to %(issuer)s.") % {"issuer": member.issuer.name})
        return redirect("console:issuer", member.issuer.slug)
    try:
        invitation = check_invitation_acceptable(issuer_invitation_for_token(token), request.user)
    except MembershipRefused as refusal:
        return _invitation_refused(request, refusal)
    return render(request, "console/invitation.html", {"invitation": invitation})
