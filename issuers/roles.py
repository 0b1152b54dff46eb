"""The roles a member of an issuer holds, and what each role may do: the one table every gate, service
check and menu item reads.

A member holds one or more roles; a role grants capabilities. Views ask for a capability through the
`access_*` gates of issuers.access (404 for strangers, 403 for members without it), services through
`issuers.access.capability_check` (ApplicationError "forbidden"), the console menu through
`IssuerMember.can`, and tests/issuers/test_capability_matrix.py generates the role × view matrix from
ROLE_CAPABILITIES. Changing who may do something is a change to this table and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member does for an issuer. A member holds one or more roles."""

    OWNER = "owner", _("owner")
    DESIGNER = "designer", _("designer")
    ASSESSOR = "assessor", _("assessor")
    QA_REVIEWER = "qa_reviewer", _("quality reviewer")


class Capability(StrEnum):
    VIEW_CONSOLE = "view_console"  # the issuer's overview and member list
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove
    EDIT_PROFILE = "edit_profile"  # the issuer's public profile and identity
    VIEW_ACHIEVEMENTS = "view_achievements"  # drafts, reviews and published definitions in the console
    EDIT_ACHIEVEMENTS = "edit_achievements"  # create and change drafts, submit them, start new versions
    REVIEW_ACHIEVEMENTS = "review_achievements"  # approve a definition or send it back (never one's own)
    RECORD_EXTERNAL_REVIEWS = "record_external_reviews"
    PUBLISH_ACHIEVEMENTS = "publish_achievements"
    SEE_REVIEW_QUEUE = "see_review_queue"
    ASSESS_APPLICATIONS = "assess_applications"
    AWARD_CREDENTIALS = "award_credentials"  # direct awards, one person or a CSV list
    MANAGE_CREDENTIALS = "manage_credentials"  # the list of issued credentials, revoke, re-issue
    SEE_ASSESSMENT_POLICIES = "see_assessment_policies"  # e.g. whether a second assessor must approve
    SET_ASSESSMENT_POLICIES = "set_assessment_policies"
    VIEW_AUDIT_LOG = "view_audit_log"  # every privileged action taken for the issuer (issuers.audit)


C = Capability
ROLE_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.OWNER: frozenset({
        C.VIEW_CONSOLE, C.MANAGE_MEMBERS, C.EDIT_PROFILE, C.VIEW_ACHIEVEMENTS, C.EDIT_ACHIEVEMENTS,
        C.RECORD_EXTERNAL_REVIEWS, C.PUBLISH_ACHIEVEMENTS, C.SEE_REVIEW_QUEUE, C.AWARD_CREDENTIALS,
        C.MANAGE_CREDENTIALS, C.SEE_ASSESSMENT_POLICIES, C.SET_ASSESSMENT_POLICIES, C.VIEW_AUDIT_LOG,
    }),
    Role.DESIGNER: frozenset({C.VIEW_CONSOLE, C.VIEW_ACHIEVEMENTS, C.EDIT_ACHIEVEMENTS}),
    Role.QA_REVIEWER: frozenset({
        C.VIEW_CONSOLE, C.VIEW_ACHIEVEMENTS, C.REVIEW_ACHIEVEMENTS, C.RECORD_EXTERNAL_REVIEWS,
        C.PUBLISH_ACHIEVEMENTS, C.SEE_REVIEW_QUEUE,
    }),
    Role.ASSESSOR: frozenset({
        C.VIEW_CONSOLE, C.ASSESS_APPLICATIONS, C.AWARD_CREDENTIALS, C.MANAGE_CREDENTIALS, C.SEE_ASSESSMENT_POLICIES,
    }),
}


def capabilities_of(roles: Iterable[str]) -> frozenset[Capability]:
    granted: set[Capability] = set()
    for role in roles:
        granted |= ROLE_CAPABILITIES[Role(role)]
    return frozenset(granted)


def roles_with(capability: Capability) -> frozenset[Role]:
    """The roles that grant `capability`."""
    return frozenset(role for role, granted in ROLE_CAPABILITIES.items() if capability in granted)
