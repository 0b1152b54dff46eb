"""The security gates of the issuer console. Every console view reaches issuers and members through these.

A person who is not a member gets the same 404 as for an issuer that does not exist, so the console
never confirms which organisations are on the platform. A member lacking the role gets 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from issuers.models import Issuer, IssuerMember


def access_membership_for_user(
    user: AbstractBaseUser | AnonymousUser, issuer_slug: str, *, role: str | None = None
) -> IssuerMember:
    if not user.is_authenticated or not user.is_active:
        raise Http404
    member = IssuerMember.objects.select_related("issuer").filter(issuer__slug=issuer_slug, user=user).first()
    if member is None:
        raise Http404
    if role is not None and not member.has_role(role):
        raise PermissionDenied
    return member


def access_issuer_for_member(
    user: AbstractBaseUser | AnonymousUser, issuer_slug: str, *, role: str | None = None
) -> Issuer:
    return access_membership_for_user(user, issuer_slug, role=role).issuer


def access_member_of_issuer(issuer: Issuer, member_id: int) -> IssuerMember:
    """Another member of an issuer the caller already passed a gate for; never one of another issuer."""
    member = IssuerMember.objects.select_related("user").filter(issuer=issuer, pk=member_id).first()
    if member is None:
        raise Http404
    return member
