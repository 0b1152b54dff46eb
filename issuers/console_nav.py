"""The issuer console's menu: which pages a member sees, decided by their roles.

The roles here mirror the gates of each page (issuers.access, badges.console_views, badges.revocation,
assessment.access); tests/issuers/test_console_nav.py checks every shown link opens and every hidden
one is refused, so a gate and its menu item cannot drift apart unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from issuers.models import IssuerMember, Role


@dataclass(frozen=True)
class MenuEntry:
    section: str  # what a view puts in its context as `section`
    url_name: str
    label: str | Promise
    roles: tuple[str, ...]  # empty: every member


ENTRIES = (
    MenuEntry("home", "console:issuer", _("Overview"), ()),
    MenuEntry("achievements", "badges_console:list", _("Micro-credentials"),
              (Role.OWNER, Role.DESIGNER, Role.QA_REVIEWER)),
    MenuEntry("review", "badges_console:review-queue", _("Quality review"), (Role.OWNER, Role.QA_REVIEWER)),
    MenuEntry("assessments", "assessment:queue", _("Assessment queue"), (Role.ASSESSOR,)),
    MenuEntry("awards", "assessment:award-new", _("Awards"), (Role.OWNER, Role.ASSESSOR)),
    MenuEntry("credentials", "verification:console-credentials", _("Credentials"), (Role.OWNER, Role.ASSESSOR)),
    MenuEntry("members", "console:members", _("Members"), ()),
    MenuEntry("profile", "console:profile", _("Profile"), (Role.OWNER,)),
)


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool


def console_menu(*, member: IssuerMember, section: str = "") -> list[MenuItem]:
    """The menu for `member`: only pages their roles open, the one for `section` marked current."""
    return [
        MenuItem(entry.label, reverse(entry.url_name, args=[member.issuer.slug]), entry.section == section)
        for entry in ENTRIES
        if not entry.roles or any(member.has_role(role) for role in entry.roles)
    ]
