"""What waits for a member of an issuer, per role: definitions to review, approved definitions to publish,
applications to assess and open invitations.

Each count is one fixed query whatever the amount of data (tests/console/test_todos.py holds the number),
so the console menu can show them on every page. The rules are the ones the work itself follows: the
four-eyes rule of badges.achievements.review, the assessment queue of assessment.selectors, the open
invitations of issuers.selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from assessment.selectors import assessment_queue_waiting_for
from badges.models import Achievement
from issuers.models import IssuerMember
from issuers.roles import Capability
from issuers.selectors import issuer_invitation_list_open

REVIEW, PUBLISH, ASSESS, INVITATIONS = "review", "publish", "assess", "invitations"


@dataclass(frozen=True)
class TodoKind:
    key: str
    capability: Capability  # who has this kind of work
    section: str  # the console menu entry (console.nav) whose page holds the work
    url_name: str


KINDS = (
    TodoKind(REVIEW, Capability.REVIEW_ACHIEVEMENTS, "review", "achievements_console:review-queue"),
    TodoKind(PUBLISH, Capability.PUBLISH_ACHIEVEMENTS, "review", "achievements_console:review-queue"),
    TodoKind(ASSESS, Capability.ASSESS_APPLICATIONS, "assessments", "assessment:queue"),
    TodoKind(INVITATIONS, Capability.MANAGE_MEMBERS, "members", "console:members"),
)


def _waiting_text(key: str, count: int) -> str:
    texts: dict[str, Callable[[], str]] = {
        REVIEW: lambda: ngettext(
            "%(count)s definition waits for your quality review",
            "%(count)s definitions wait for your quality review", count),
        PUBLISH: lambda: ngettext(
            "%(count)s approved definition waits to be published",
            "%(count)s approved definitions wait to be published", count),
        ASSESS: lambda: ngettext(
            "%(count)s application waits for your assessment",
            "%(count)s applications wait for your assessment", count),
        INVITATIONS: lambda: ngettext(
            "%(count)s invitation is sent but not accepted yet",
            "%(count)s invitations are sent but not accepted yet", count),
    }
    return texts[key]() % {"count": count}


def _nothing_text(key: str) -> str:
    return {
        REVIEW: gettext("No definitions wait for your quality review."),
        PUBLISH: gettext("No approved definitions wait to be published."),
        ASSESS: gettext("No applications wait for your assessment."),
        INVITATIONS: gettext("No invitations are waiting to be accepted."),
    }[key]


@dataclass(frozen=True)
class Todo:
    kind: TodoKind
    count: int
    url: str

    @property
    def text(self) -> str:
        """What waits, in words (the current language): "3 applications wait for your assessment"."""
        return _waiting_text(self.kind.key, self.count) if self.count else _nothing_text(self.kind.key)


def _achievement_counts(member: IssuerMember, keys: set[str]) -> dict[str, int]:
    if not keys & {REVIEW, PUBLISH}:
        return {}
    user_id = member.user_id
    # Four eyes (badges.achievements.review): whoever wrote or submitted a definition cannot review it.
    own = Q(created_by_id=user_id) | Q(submitted_by_id=user_id)
    return Achievement.objects.filter(
        issuer_id=member.issuer_id, status__in=[Achievement.Status.IN_REVIEW, Achievement.Status.APPROVED]
    ).aggregate(
        review=Count("pk", filter=Q(status=Achievement.Status.IN_REVIEW) & ~own),
        publish=Count("pk", filter=Q(status=Achievement.Status.APPROVED)),
    )


def _counts(member: IssuerMember, keys: set[str]) -> dict[str, int]:
    counts = _achievement_counts(member, keys)
    if ASSESS in keys:
        counts[ASSESS] = assessment_queue_waiting_for(issuer=member.issuer, assessor_id=member.user_id).count()
    if INVITATIONS in keys:
        open_invitations = issuer_invitation_list_open(issuer=member.issuer)
        counts[INVITATIONS] = open_invitations.filter(expires_at__gt=timezone.now()).count()
    return counts


def member_todos(member: IssuerMember) -> list[Todo]:
    """Each kind of work the member's roles give them, with how much of it waits now (zero included)."""
    kinds = [kind for kind in KINDS if member.can(kind.capability)]
    counts = _counts(member, {kind.key for kind in kinds})
    slug = member.issuer.slug
    return [Todo(kind, counts[kind.key], reverse(kind.url_name, args=[slug])) for kind in kinds]


def todos_by_section(todos: Iterable[Todo]) -> dict[str, int]:
    """How much waits behind each console menu entry."""
    waiting: dict[str, int] = {}
    for todo in todos:
        waiting[todo.kind.section] = waiting.get(todo.kind.section, 0) + todo.count
    return waiting
