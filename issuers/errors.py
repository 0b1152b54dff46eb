"""Why a membership change was refused, in words the person who asked for it can act on."""

from __future__ import annotations

from kernel.errors import ApplicationError


class MembershipRefused(ApplicationError):
    """Adding, inviting, changing or removing a member would break a rule (the last owner, a stale link)."""
