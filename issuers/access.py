"""The security gates of the issuer console. Every console view reaches issuers and members through these,
and every service checks what a member may do with `capability_check`.

A person who is not a member gets the same 404 as for an issuer that does not exist, so the console
never confirms which organisations are on the platform. A member without the capability (issuers.roles)
gets 403; a service asked by one refuses with ApplicationError("forbidden").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from issuers.models import Issuer, IssuerMember
from issuers.roles import Capability, roles_with
from kernel.errors import ApplicationError

if TYPE_CHECKING:
    from kernel.users import AnyUser, User


def access_membership_for_user(
    user: AnyUser, issuer_slug: str, *, capability: Capability | None = None
) -> IssuerMember:
    if not user.is_authenticated or not user.is_active:
        raise Http404
    member = IssuerMember.objects.select_related("issuer").filter(issuer__slug=issuer_slug, user=user).first()
    if member is None:
        raise Http404
    if capability is not None and not member.can(capability):
        raise PermissionDenied
    return member


def access_issuer_for_member(
    user: AnyUser, issuer_slug: str, *, capability: Capability | None = None
) -> Issuer:
    return access_membership_for_user(user, issuer_slug, capability=capability).issuer


def access_member_of_issuer(issuer: Issuer, member_id: int) -> IssuerMember:
    """Another member of an issuer the caller already passed a gate for; never one of another issuer."""
    member = IssuerMember.objects.select_related("user").filter(issuer=issuer, pk=member_id).first()
    if member is None:
        raise Http404
    return member


def capability_refusal(capability: Capability) -> ApplicationError:
    """What a member without `capability` is told: which roles would allow it."""
    labels = ", ".join(sorted(str(role.label) for role in roles_with(capability)))
    return ApplicationError("forbidden", _("This needs one of these roles: %(roles)s.") % {"roles": labels})


def capability_check(*, issuer_id: int, user: User, capability: Capability) -> IssuerMember:
    """The user's membership of the issuer if it grants `capability`, else ApplicationError("forbidden").
    For services: views reach members through the access_* gates above."""
    member = IssuerMember.objects.filter(issuer_id=issuer_id, user_id=user.pk).first()
    if member is None or not member.can(capability):
        raise capability_refusal(capability)
    return member
