from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from issuers.models import Issuer, IssuerInvitation, IssuerMember

if TYPE_CHECKING:
    from kernel.users import User


def issuer_memberships_for_user(*, user: User) -> QuerySet[IssuerMember]:
    return IssuerMember.objects.filter(user=user).select_related("issuer").order_by("issuer__name")


def issuer_member_list(*, issuer: Issuer) -> QuerySet[IssuerMember]:
    return IssuerMember.objects.filter(issuer=issuer).select_related("user").order_by("user__email", "pk")


def issuer_invitation_list_open(*, issuer: Issuer) -> QuerySet[IssuerInvitation]:
    return IssuerInvitation.objects.filter(issuer=issuer, accepted_at__isnull=True).order_by("email")
