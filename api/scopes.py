"""What an API token may be used for. A scope never adds power: a request needs the scope its endpoint
names AND the capability (issuers.roles) that the token's creator holds as a member of the issuer today.
So a token can never do more than the person who made it, and removing them ends their tokens.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from issuers.roles import Capability

C = Capability


class Scope(models.TextChoices):
    READ = "read", _("Read: profile, members, micro-credentials, applications and credentials")
    AWARD = "award", _("Award: issue credentials, one or in batches, and decide applications")
    MANAGE_ACHIEVEMENTS = "manage_achievements", _("Manage micro-credentials: drafts, review, publishing")
    REVOKE = "revoke", _("Revoke and re-issue credentials")
    WEBHOOKS = "webhooks", _("Manage webhooks")
    # The W3C VC-API (vcapi/): sign any conforming credential the caller writes, as one of the issuer's ids.
    SIGN_CREDENTIALS = "credentials:sign", _("Sign credentials through the W3C VC-API")


# The capabilities a scope can reach (each still only if the token's creator holds it).
SCOPE_CAPABILITIES: dict[Scope, frozenset[Capability]] = {
    Scope.READ: frozenset({
        C.VIEW_CONSOLE, C.VIEW_ACHIEVEMENTS, C.SEE_REVIEW_QUEUE, C.SEE_ASSESSMENT_POLICIES, C.ASSESS_APPLICATIONS,
        C.MANAGE_CREDENTIALS,
    }),
    Scope.AWARD: frozenset({C.AWARD_CREDENTIALS, C.ASSESS_APPLICATIONS}),
    Scope.MANAGE_ACHIEVEMENTS: frozenset({
        C.EDIT_ACHIEVEMENTS, C.REVIEW_ACHIEVEMENTS, C.RECORD_EXTERNAL_REVIEWS, C.PUBLISH_ACHIEVEMENTS,
        C.EDIT_PROFILE,
    }),
    Scope.REVOKE: frozenset({C.MANAGE_CREDENTIALS}),
    Scope.WEBHOOKS: frozenset({C.MANAGE_MEMBERS}),
    Scope.SIGN_CREDENTIALS: frozenset({C.AWARD_CREDENTIALS}),
}


def scope_allows(scopes: list[str], scope: Scope, capability: Capability) -> bool:
    """Whether a token holding `scopes` may use an endpoint that needs `scope` and `capability`."""
    return scope.value in scopes and capability in SCOPE_CAPABILITIES[scope]
