"""How the accounts app (django-allauth) treats a person who arrives through a claim link.

The claim link was e-mailed to one address, so opening it proves control of that address: an account
created from it for exactly that address needs no second confirmation e-mail. Any other address typed on
the sign-up form is confirmed as usual.
"""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest

CLAIM_PROVEN_EMAIL = "claim_proven_email"


def claim_address_prove(session: SessionBase, email: str) -> None:
    """Remember, for this browser only, that its visitor opened a valid claim link sent to `email`."""
    session[CLAIM_PROVEN_EMAIL] = email.lower()


class AccountAdapter(DefaultAccountAdapter):
    def is_email_verified(self, request: HttpRequest, email: str) -> bool:
        proven = request.session.get(CLAIM_PROVEN_EMAIL)
        if proven and proven == email.strip().lower():
            return True
        return super().is_email_verified(request, email)
