"""The issuer console's menu: which pages a member sees, decided by the capability each page's gate asks
for (issuers.roles), and how much waits for them behind each entry (console.todos).

tests/console/test_console_nav.py checks every shown link opens and every hidden one is refused, so a
gate and its menu item cannot drift apart unnoticed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from issuers.models import IssuerMember
from issuers.roles import Capability


@dataclass(frozen=True)
class MenuEntry:
    section: str  # what a view puts in its context as `section`
    url_name: str
    label: str | Promise
    capability: Capability  # what the page's gate asks for


ENTRIES = (
    MenuEntry("home", "console:issuer", _("Overview"), Capability.VIEW_CONSOLE),
    MenuEntry("achievements", "achievements_console:list", _("Micro-credentials"), Capability.VIEW_ACHIEVEMENTS),
    MenuEntry("review", "achievements_console:review-queue", _("Quality review"), Capability.SEE_REVIEW_QUEUE),
    MenuEntry("assessments", "assessment:queue", _("Assessment queue"), Capability.ASSESS_APPLICATIONS),
    MenuEntry("awards", "assessment:award-new", _("Awards"), Capability.AWARD_CREDENTIALS),
    MenuEntry("credentials", "credentials_console:list", _("Credentials"), Capability.MANAGE_CREDENTIALS),
    MenuEntry("expiring", "dashboard:expiring", _("Expiring soon"), Capability.MANAGE_CREDENTIALS),
    MenuEntry("dashboard", "dashboard:overview", _("Dashboard"), Capability.VIEW_CONSOLE),
    MenuEntry("members", "console:members", _("Members"), Capability.VIEW_CONSOLE),
    MenuEntry("profile", "console:profile", _("Profile"), Capability.EDIT_PROFILE),
    MenuEntry("api-tokens", "api_tokens:list", _("API tokens"), Capability.MANAGE_MEMBERS),
    MenuEntry("webhooks", "webhooks_console:list", _("Webhooks"), Capability.MANAGE_MEMBERS),
    MenuEntry("audit-log", "console:audit-log", _("Audit log"), Capability.VIEW_AUDIT_LOG),
)


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool
    waiting: int = 0  # how many things wait for the member on that page (console.todos)


def console_menu(
    *, member: IssuerMember, section: str = "", waiting: Mapping[str, int] | None = None
) -> list[MenuItem]:
    """The menu for `member`: only pages their roles open, the one for `section` marked current, each with
    the number of things waiting for them there (`waiting`, by section)."""
    waiting = waiting or {}
    return [
        MenuItem(
            entry.label,
            reverse(entry.url_name, args=[member.issuer.slug]),
            entry.section == section,
            waiting.get(entry.section, 0),
        )
        for entry in ENTRIES
        if member.can(entry.capability)
    ]
