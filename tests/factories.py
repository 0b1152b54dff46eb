"""Plain factory functions for platform tests; they go through the services, as real callers do."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from badges.models import Achievement
from badges.services import achievement_create
from issuers.membership import issuer_member_add
from issuers.models import Issuer, IssuerMember
from issuers.services import issuer_create


def make_issuer(slug: str = "testskolan", *, jwt_enabled: bool = False) -> Issuer:
    return issuer_create(slug=slug, name="Testskolan", country_code="SE", jwt_enabled=jwt_enabled)


def make_achievement(issuer: Issuer, *, status: str = Achievement.Status.PUBLISHED) -> Achievement:
    return achievement_create(
        issuer=issuer,
        name="Samarbete i arbetsgrupp",
        description="Kan samarbeta i en arbetsgrupp.",
        criteria_narrative="Har genomfört en gemensam uppgift.",
        status=status,
    )


def make_user(username: str, *, password: str = "correct-horse-battery", verified: bool = True) -> AbstractUser:
    """A person who can sign in: with a verified (or, if asked, unverified) address <username>@example.org."""
    email = f"{username}@example.org"
    user = get_user_model().objects.create_user(username=username, email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    return user


def make_member(issuer: Issuer, username: str, *roles: str) -> IssuerMember:
    return issuer_member_add(issuer=issuer, user=make_user(username), roles=roles)
