"""The rules every change to a micro-credential definition follows.

    draft ──submit──► in_review ──approve──► approved ──publish──► published
      ▲                  │                                            │
      └─request changes──┘                        new version (a copy, as a draft, version + 1)

Only drafts change. A published achievement is never edited, because credentials already signed
point at it; `achievement_new_version` starts its successor instead. Every step is recorded in the
append-only `AchievementAuditEvent`. Each service checks first (capability, status, scorecard) and only
then changes anything, in one transaction with the achievement row locked. The services live beside
this module: drafting, outcomes, translations, review, publishing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from badges.achievements import adapters
from badges.models import Achievement, AchievementAuditEvent
from issuers.access import capability_check
from issuers.audit import AuditKind, issuer_audit_record
from issuers.roles import Capability
from kernel.errors import ApplicationError
from ob3.scorecard import Scorecard, scorecard

if TYPE_CHECKING:
    from kernel.users import User

Status = Achievement.Status
Kind = AchievementAuditEvent.Kind


_PRIVILEGED: dict[str, str] = {
    AchievementAuditEvent.Kind.APPROVED: AuditKind.ACHIEVEMENT_APPROVED,
    AchievementAuditEvent.Kind.CHANGES_REQUESTED: AuditKind.ACHIEVEMENT_CHANGES_REQUESTED,
    AchievementAuditEvent.Kind.EXTERNAL_REVIEW: AuditKind.ACHIEVEMENT_EXTERNAL_REVIEW,
    AchievementAuditEvent.Kind.PUBLISHED: AuditKind.ACHIEVEMENT_PUBLISHED,
}


def achievement_audit_record(
    *, achievement: Achievement, kind: str, actor: User | None = None, comment: str = "", **data: Any
) -> AchievementAuditEvent:
    event = AchievementAuditEvent.objects.create(
        achievement=achievement, kind=kind, actor=actor, comment=comment, data=data
    )
    if kind in _PRIVILEGED:  # quality decisions and publishing also go to the issuer's audit log
        issuer_audit_record(
            issuer_id=achievement.issuer_id, kind=_PRIVILEGED[kind], by=actor, subject=achievement.name,
            achievement=str(achievement.public_id), version=achievement.version, comment=comment,
        )
    return event


def achievement_scorecard(*, achievement: Achievement) -> Scorecard:
    return scorecard(adapters.achievement_definition(achievement))


def achievement_lock(achievement: Achievement, *, by: User, capability: Capability) -> Achievement:
    """Re-read the row under a lock (two reviewers acting at once cannot both move it on), once `by` is
    known to hold `capability` for its issuer."""
    capability_check(issuer_id=achievement.issuer_id, user=by, capability=capability)
    return Achievement.objects.select_for_update().select_related("issuer").get(pk=achievement.pk)


def achievement_status_check(achievement: Achievement, *allowed: str) -> None:
    if achievement.status not in allowed:
        raise ApplicationError(
            "wrong_status",
            _("Not possible while the achievement is %(status)s.") % {"status": achievement.get_status_display()},
        )


def achievement_check_editable(achievement: Achievement) -> None:
    """The immutability guard: only drafts change. Published ones change by a new version."""
    if achievement.status == Status.PUBLISHED:
        raise ApplicationError(
            "published_is_immutable",
            _("A published achievement cannot be changed. Start a new version instead."),
        )
    achievement_status_check(achievement, Status.DRAFT)


def achievement_for_editing(achievement: Achievement, by: User) -> Achievement:
    """The draft, locked, once `by` may edit it (owner or designer) and it is still a draft."""
    locked = achievement_lock(achievement, by=by, capability=Capability.EDIT_ACHIEVEMENTS)
    achievement_check_editable(locked)
    return locked


def achievement_status_set(achievement: Achievement, status: str, *extra_fields: str) -> None:
    achievement.status = status
    achievement.save(update_fields=["status", *extra_fields, "updated_at"])
