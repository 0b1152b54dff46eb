"""The types for the people who use the site: the user model, a visitor who may not have signed in, and the
request a sign-in-only view receives. Annotations only: nothing here changes what runs (Django still hands
views its own request; AuthenticatedHttpRequest is never instantiated).

The convention: services and selectors take `User`, since they act for someone who has signed in and their
lookups compare against user foreign keys. The access_* gates take `AnyUser`, `request.user` as it arrives,
and answer 404 to a visitor. Views behind `login_required` annotate `request: AuthenticatedHttpRequest`, so
`request.user` reaches a service as a `User`.

`User` and `AnyUser` exist for the type checker alone, so import them under `if TYPE_CHECKING:`. Code that
runs asks for the model with `get_user_model()` and points foreign keys at `settings.AUTH_USER_MODEL`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest

if TYPE_CHECKING:
    # AUTH_USER_MODEL is left at Django's default, so the configured user model is auth.User. If the
    # setting ever names another model, this import must follow it.
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as User

    AnyUser: TypeAlias = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `login_required`, which lets only signed-in users through."""

    user: User
