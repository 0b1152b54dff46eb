"""A person's e-mail addresses, as the accounts app (django-allauth) records them.

Only a verified address proves who someone is: credentials are matched to learners, and invitations
to the people they were sent to, through verified addresses alone. Addresses are compared in lower case
(issuing stores them that way).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress

if TYPE_CHECKING:
    from kernel.users import AnyUser, User


def verified_emails(user: AnyUser) -> list[str]:
    """Every address the person has proven they own, lower-cased and sorted; none for a visitor."""
    if not user.is_authenticated:
        return []
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return sorted({email.lower() for email in addresses})


def has_verified_email(user: User, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email.strip(), verified=True).exists()


def primary_verified_email(user: User) -> str | None:
    """The address a credential is issued to: the person's primary one, once verified."""
    address = EmailAddress.objects.filter(user=user, primary=True, verified=True).first()
    return address.email if address else None


def all_emails(user: User) -> list[str]:
    """Every address on the account, verified or not, lower-cased (e.g. to stop someone inviting themselves)."""
    return sorted({email.lower() for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)})
